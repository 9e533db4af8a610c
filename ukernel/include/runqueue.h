/* Per-CPU run queue: 32 priority levels, FIFO within a level, O(1) pick through a bitmap. */
#ifndef ARAMID_RUNQUEUE_H
#define ARAMID_RUNQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Priority 0 is the highest, RUNQUEUE_PRIORITY_LOWEST the lowest. Round robin within a level:
 * runqueue_pick_next takes the oldest entry of the highest non-empty level, and the scheduler
 * puts a thread whose time slice ran out back with runqueue_enqueue (at the tail).
 *
 * Invariants: bit p of nonempty is set exactly when level p holds an entry; an entry's rq is
 * the queue it is on, or NULL when on none; count is the number of queued entries.
 *
 * Locking: a run queue is touched only by its CPU with interrupts disabled. Moving a thread to
 * another CPU's queue will need that queue's lock (SMP), not provided here.
 */

#define RUNQUEUE_LEVELS 32
#define RUNQUEUE_PRIORITY_HIGHEST 0
#define RUNQUEUE_PRIORITY_LOWEST (RUNQUEUE_LEVELS - 1)

struct runqueue;

/* Embedded in the thread. An all-zero entry is a valid entry that is on no queue. */
struct rq_entry {
    struct rq_entry *next;
    struct rq_entry *prev;
    struct runqueue *rq;
    unsigned priority;
};

struct runqueue_level {
    struct rq_entry *head;
    struct rq_entry *tail;
};

struct runqueue {
    uint32_t nonempty;
    size_t count;
    struct runqueue_level levels[RUNQUEUE_LEVELS];
};

void runqueue_init(struct runqueue *rq);

/* Marks an entry as on no queue; for entries not zero-filled at creation. */
void rq_entry_init(struct rq_entry *entry);

/* Appends entry to level priority. Returns 0; -EINVAL for a priority above
 * RUNQUEUE_PRIORITY_LOWEST; -EBUSY if the entry is already on a queue (this or another). */
int runqueue_enqueue(struct runqueue *rq, struct rq_entry *entry, unsigned priority);

/* Like runqueue_enqueue but at the head of the level: the entry runs before its peers (a
 * preempted thread that keeps the rest of its time slice). */
int runqueue_enqueue_front(struct runqueue *rq, struct rq_entry *entry, unsigned priority);

/* Removes entry from anywhere in rq. Returns 0, or -EINVAL if it is not on rq. */
int runqueue_dequeue(struct runqueue *rq, struct rq_entry *entry);

/* Removes and returns the oldest entry of the highest non-empty level, or NULL if empty. */
struct rq_entry *runqueue_pick_next(struct runqueue *rq);

/* Highest priority with a queued entry, or -ENOENT if empty (for preemption checks). */
int runqueue_top_priority(const struct runqueue *rq);

bool runqueue_is_empty(const struct runqueue *rq);

size_t runqueue_count(const struct runqueue *rq);

#endif /* ARAMID_RUNQUEUE_H */
