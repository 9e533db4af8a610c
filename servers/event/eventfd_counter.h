/* eventfd counter semantics (Linux's), pure logic shared by the event server and its tests. */
#ifndef EVENT_EVENTFD_COUNTER_H
#define EVENT_EVENTFD_COUNTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest value the counter may hold: a write that would pass it must wait. */
#define EVENTFD_COUNTER_MAX 0xfffffffffffffffeull

/* eventfd(2) flags (Linux values). */
#define EVENTFD_SEMAPHORE 1
#define EVENTFD_CLOEXEC 02000000
#define EVENTFD_NONBLOCK 04000

/* Invariant: value <= EVENTFD_COUNTER_MAX. */
struct eventfd_counter {
    uint64_t value;
    bool semaphore; /* EFD_SEMAPHORE: a read takes 1, not the whole value */
};

/* 0, or -EINVAL for flags other than EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK. */
long eventfd_counter_init(struct eventfd_counter *counter, uint64_t initial, long flags);

/* Every read and write moves exactly 8 bytes. 0 or -EINVAL: a read needs a buffer of at
 * least 8 bytes, a write exactly 8 (as current Linux). */
long eventfd_counter_check_read(size_t length);
long eventfd_counter_check_write(size_t length);

/* A read: *out = the value (or 1 with EFD_SEMAPHORE) and the counter drops by it; -EAGAIN
 * when the counter is 0 (the caller blocks or answers EAGAIN). */
long eventfd_counter_read(struct eventfd_counter *counter, uint64_t *out);

/* A write of add: 0, -EINVAL for add == 2^64-1, -EAGAIN when value + add would pass
 * EVENTFD_COUNTER_MAX (the caller blocks or answers EAGAIN). */
long eventfd_counter_write(struct eventfd_counter *counter, uint64_t add);

/* Readiness in poll bits (POLLIN: value > 0, POLLOUT: a write of 1 fits). */
unsigned eventfd_counter_poll(const struct eventfd_counter *counter);

#endif
