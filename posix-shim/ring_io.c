/* The copy loops of posix-shim's shared-ring fast paths (sockets, pipes): iovec bytes in and
 * out of an SPSC ring through fault-safe copies, and the futex wake-ups after them. */
#include "ring_io.h"

#include <errno.h>
#include <sys/uio.h>

#include <aramid/sys.h>

#include "shim.h"

#define RING_IO_WAKE_ALL 0x7fffffffu

void ring_io_wake(_Atomic uint32_t *word)
{
    (void)sys_futex_wake((const volatile unsigned *)word, RING_IO_WAKE_ALL);
}

/* The next run of the vector at byte offset, at most left bytes: false when none is left.
 * Advances *index past the entries before it and leaves *offset inside the one it gives. */
static bool ring_io_run(const struct iovec *vector, size_t count, size_t *index, size_t *offset,
                        size_t left, char **base, size_t *run)
{
    for (; *index < count; (*index)++) {
        if (*offset >= vector[*index].iov_len) {
            *offset -= vector[*index].iov_len;
            continue;
        }
        *base = (char *)vector[*index].iov_base + *offset;
        *run = vector[*index].iov_len - *offset;
        if (*run > left)
            *run = left;
        return left != 0;
    }
    return false;
}

long ring_io_put(struct aramid_ring *ring, const struct iovec *vector, size_t count,
                 size_t offset, size_t length)
{
    size_t done = 0;
    long result = 0;
    bool wake = false;
    char *base;
    size_t run;
    for (size_t i = 0; ring_io_run(vector, count, &i, &offset, length - done, &base, &run);) {
        bool waiting;
        result = aramid_ring_write_copy(ring, base, run, shim_copy_in, &waiting);
        if (result <= 0)
            break;
        wake |= waiting;
        done += (size_t)result;
        if ((size_t)result < run)
            break; /* full */
        offset += run;
    }
    /* The writer's half of the discipline: after publishing (aramid_ring_write's fence), a
     * reader that said it waits is woken (the kernel only then). */
    if (wake)
        ring_io_wake(&ring->shared->consumer_waiting);
    return done != 0 || result >= 0 ? (long)done : result;
}

long ring_io_take(struct aramid_ring *ring, const struct iovec *vector, size_t count,
                  size_t offset, size_t length, bool peek)
{
    size_t done = 0;
    long result = 0;
    char *base;
    size_t run;
    for (size_t i = 0; ring_io_run(vector, count, &i, &offset, length - done, &base, &run);) {
        bool waiting;
        result = aramid_ring_read_copy(ring, base, run, shim_copy_out, peek, &waiting);
        if (waiting) /* the writer waits for room: the kernel wakes it */
            ring_io_wake(&ring->shared->producer_waiting);
        if (result <= 0)
            break;
        done += (size_t)result;
        if ((size_t)result < run || peek)
            break; /* a peek fills one vector (a stream may return less) */
        offset += run;
    }
    return done != 0 || result >= 0 ? (long)done : result;
}
