/* Deadlines in a pairing heap: O(1) insert, O(log n) amortized removal of the earliest or of
 * any entry. Pure logic, host-tested (tests/unit/test_timer_queue.c). */
#ifndef ARAMID_TIMER_QUEUE_H
#define ARAMID_TIMER_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * An entry is embedded in the object that waits (a thread's timeout, a notification's timer).
 * Invariant: queued is true exactly while the entry is in a queue; then prev is its parent (when
 * it is the parent's first child) or its left sibling, NULL for the root. Every child's
 * deadline is >= its parent's. Locking: the owning CPU's run-queue lock (one CPU today:
 * interrupts disabled).
 */
struct timer_entry {
    uint64_t deadline;
    struct timer_entry *child;
    struct timer_entry *sibling;
    struct timer_entry *prev;
    bool queued;
};

struct timer_queue {
    struct timer_entry *root;
    size_t count;
};

void timer_queue_init(struct timer_queue *queue);
/* Queues entry (which must not be queued) at deadline. */
void timer_queue_insert(struct timer_queue *queue, struct timer_entry *entry, uint64_t deadline);
/* Takes entry out of the queue; no effect when it is not queued. */
void timer_queue_remove(struct timer_queue *queue, struct timer_entry *entry);
/* The entry with the earliest deadline, or NULL; it stays queued. */
static inline struct timer_entry *timer_queue_first(const struct timer_queue *queue)
{
    return queue->root;
}
/* Takes out and returns the earliest entry whose deadline is <= now, or NULL. */
struct timer_entry *timer_queue_pop_expired(struct timer_queue *queue, uint64_t now);

#endif
