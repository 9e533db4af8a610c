/* The wait-on-address queue: waiters hashed by key (physical address of the word) into buckets
 * of FIFO lists. Pure logic, host-tested (tests/unit/test_futex_queue.c). */
#ifndef ARAMID_FUTEX_QUEUE_H
#define ARAMID_FUTEX_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "list.h"

#define FUTEX_QUEUE_BUCKETS 256 /* a power of two */

/*
 * A waiter is embedded in the object that waits (a thread). Invariant: link is on the list of
 * bucket futex_queue_bucket(key) exactly while the waiter is queued; within a bucket, waiters
 * of one key are in the order they came. Locking: the run-queue lock (one CPU today:
 * interrupts disabled).
 */
struct futex_waiter {
    struct list_node link;
    uint64_t key;
};

struct futex_queue {
    struct list_node buckets[FUTEX_QUEUE_BUCKETS];
    size_t count; /* waiters queued */
};

void futex_queue_init(struct futex_queue *queue);
/* The bucket index of key (words in one page spread over buckets, pages too). */
size_t futex_queue_bucket(uint64_t key);
void futex_waiter_init(struct futex_waiter *waiter);
/* Queues waiter (not queued) behind every waiter already there for key. */
void futex_queue_add(struct futex_queue *queue, struct futex_waiter *waiter, uint64_t key);
/* Takes waiter out of the queue; false when it was not queued. */
bool futex_queue_remove(struct futex_queue *queue, struct futex_waiter *waiter);
/* Takes out up to count of key's waiters, oldest first, calling wake(waiter, context) for each
 * after it is out. Returns how many. */
size_t futex_queue_wake(struct futex_queue *queue, uint64_t key, size_t count,
                        void (*wake)(struct futex_waiter *waiter, void *context), void *context);

#endif
