/* Host tests for the eventfd counter rules in servers/event/eventfd_counter.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <aramid/errno.h>
#include <aramid/proto/ready.h>

#include "eventfd_counter.h"

static void test_read_takes_all_then_eagain(void **state)
{
    (void)state;
    struct eventfd_counter counter;
    uint64_t value = 0;
    assert_int_equal(eventfd_counter_init(&counter, 5, 0), 0);
    assert_int_equal(eventfd_counter_read(&counter, &value), 0);
    assert_int_equal(value, 5);
    assert_int_equal(eventfd_counter_read(&counter, &value), -ARAMID_EAGAIN);
    assert_int_equal(eventfd_counter_poll(&counter) & ARAMID_POLLIN, 0);
}

static void test_semaphore_decrements_by_one(void **state)
{
    (void)state;
    struct eventfd_counter counter;
    uint64_t value = 0;
    assert_int_equal(eventfd_counter_init(&counter, 2, EVENTFD_SEMAPHORE), 0);
    assert_int_equal(eventfd_counter_read(&counter, &value), 0);
    assert_int_equal(value, 1);
    assert_int_equal(eventfd_counter_read(&counter, &value), 0);
    assert_int_equal(value, 1);
    assert_int_equal(eventfd_counter_read(&counter, &value), -ARAMID_EAGAIN);
}

static void test_write_overflow_and_max(void **state)
{
    (void)state;
    struct eventfd_counter counter;
    assert_int_equal(eventfd_counter_init(&counter, 0, 0), 0);
    assert_int_equal(eventfd_counter_write(&counter, EVENTFD_COUNTER_MAX), 0);
    assert_int_equal(eventfd_counter_poll(&counter) & ARAMID_POLLOUT, 0);
    assert_int_equal(eventfd_counter_write(&counter, 1), -ARAMID_EAGAIN);
    assert_int_equal(eventfd_counter_write(&counter, 0), 0); /* a write of 0 always fits */
    assert_int_equal(eventfd_counter_write(&counter, UINT64_MAX), -ARAMID_EINVAL);
    uint64_t value;
    assert_int_equal(eventfd_counter_read(&counter, &value), 0);
    assert_true(value == EVENTFD_COUNTER_MAX);
    assert_int_equal(eventfd_counter_write(&counter, 7), 0);
    assert_int_not_equal(eventfd_counter_poll(&counter) & ARAMID_POLLIN, 0);
}

static void test_lengths_and_flags(void **state)
{
    (void)state;
    struct eventfd_counter counter;
    assert_int_equal(eventfd_counter_check_read(8), 0);
    assert_int_equal(eventfd_counter_check_read(16), 0);
    assert_int_equal(eventfd_counter_check_read(7), -ARAMID_EINVAL);
    assert_int_equal(eventfd_counter_check_write(8), 0);
    assert_int_equal(eventfd_counter_check_write(16), -ARAMID_EINVAL);
    assert_int_equal(eventfd_counter_check_write(4), -ARAMID_EINVAL);
    assert_int_equal(eventfd_counter_init(&counter, 0, EVENTFD_NONBLOCK | EVENTFD_CLOEXEC), 0);
    assert_int_equal(eventfd_counter_init(&counter, 0, 0x10), -ARAMID_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_takes_all_then_eagain),
        cmocka_unit_test(test_semaphore_decrements_by_one),
        cmocka_unit_test(test_write_overflow_and_max),
        cmocka_unit_test(test_lengths_and_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
