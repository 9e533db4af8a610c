/* eventfd counter semantics: Linux's fs/eventfd.c rules, without the waiting. */
#include "eventfd_counter.h"

#include <aramid/errno.h>

#include <aramid/proto/ready.h>

long eventfd_counter_init(struct eventfd_counter *counter, uint64_t initial, long flags)
{
    if (flags & ~(long)(EVENTFD_SEMAPHORE | EVENTFD_CLOEXEC | EVENTFD_NONBLOCK))
        return -ARAMID_EINVAL;
    counter->value = initial;
    counter->semaphore = (flags & EVENTFD_SEMAPHORE) != 0;
    return 0;
}

long eventfd_counter_check_read(size_t length)
{
    return length < sizeof(uint64_t) ? -ARAMID_EINVAL : 0;
}

long eventfd_counter_check_write(size_t length)
{
    return length != sizeof(uint64_t) ? -ARAMID_EINVAL : 0;
}

long eventfd_counter_read(struct eventfd_counter *counter, uint64_t *out)
{
    if (counter->value == 0)
        return -ARAMID_EAGAIN;
    uint64_t taken = counter->semaphore ? 1 : counter->value;
    counter->value -= taken;
    *out = taken;
    return 0;
}

long eventfd_counter_write(struct eventfd_counter *counter, uint64_t add)
{
    if (add == UINT64_MAX)
        return -ARAMID_EINVAL;
    if (add > EVENTFD_COUNTER_MAX - counter->value)
        return -ARAMID_EAGAIN;
    counter->value += add;
    return 0;
}

unsigned eventfd_counter_poll(const struct eventfd_counter *counter)
{
    unsigned bits = 0;
    if (counter->value > 0)
        bits |= ARAMID_POLLIN | ARAMID_POLLRDNORM;
    if (counter->value < EVENTFD_COUNTER_MAX)
        bits |= ARAMID_POLLOUT | ARAMID_POLLWRNORM;
    return bits;
}
