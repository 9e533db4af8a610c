/* Host tests for the wait-on-address hash queue in ukernel/kern/futex_queue.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "futex_queue.h"

#define WAITERS 1000
static struct futex_waiter waiters[WAITERS];
static struct futex_queue queue;
static struct futex_waiter *woken[WAITERS];
static size_t woken_count;

static void record(struct futex_waiter *waiter, void *context)
{
    assert_ptr_equal(context, &queue);
    assert_false(list_node_is_linked(&waiter->link)); /* out before the callback */
    woken[woken_count++] = waiter;
}

static int setup(void **state)
{
    (void)state;
    futex_queue_init(&queue);
    for (size_t i = 0; i < WAITERS; i++)
        futex_waiter_init(&waiters[i]);
    woken_count = 0;
    return 0;
}

static void test_wake_on_empty_queue_wakes_none(void **state)
{
    (void)state;
    assert_int_equal(futex_queue_wake(&queue, 0x1000, 10, record, &queue), 0);
    assert_int_equal(woken_count, 0);
}

static void test_wakes_oldest_first_and_at_most_count(void **state)
{
    (void)state;
    for (size_t i = 0; i < 5; i++)
        futex_queue_add(&queue, &waiters[i], 0x2000);
    assert_int_equal(queue.count, 5);
    assert_int_equal(futex_queue_wake(&queue, 0x2000, 2, record, &queue), 2);
    assert_ptr_equal(woken[0], &waiters[0]);
    assert_ptr_equal(woken[1], &waiters[1]);
    assert_int_equal(futex_queue_wake(&queue, 0x2000, 100, record, &queue), 3);
    assert_ptr_equal(woken[4], &waiters[4]);
    assert_int_equal(queue.count, 0);
    assert_int_equal(futex_queue_wake(&queue, 0x2000, 1, record, &queue), 0);
}

static void test_only_the_key_is_woken_even_in_a_shared_bucket(void **state)
{
    (void)state;
    /* Find a second key in the same bucket as 0x3000. */
    uint64_t key = 0x3000, other = key + 4;
    while (futex_queue_bucket(other) != futex_queue_bucket(key))
        other += 4;
    futex_queue_add(&queue, &waiters[0], other);
    futex_queue_add(&queue, &waiters[1], key);
    futex_queue_add(&queue, &waiters[2], other);
    assert_int_equal(futex_queue_wake(&queue, key, 10, record, &queue), 1);
    assert_ptr_equal(woken[0], &waiters[1]);
    assert_true(list_node_is_linked(&waiters[0].link));
    assert_true(list_node_is_linked(&waiters[2].link));
    assert_int_equal(queue.count, 2);
}

static void test_remove_takes_a_waiter_out_once(void **state)
{
    (void)state;
    futex_queue_add(&queue, &waiters[0], 0x4000);
    futex_queue_add(&queue, &waiters[1], 0x4000);
    assert_true(futex_queue_remove(&queue, &waiters[0]));
    assert_false(futex_queue_remove(&queue, &waiters[0]));
    assert_false(futex_queue_remove(&queue, &waiters[5])); /* never queued */
    assert_int_equal(futex_queue_wake(&queue, 0x4000, 10, record, &queue), 1);
    assert_ptr_equal(woken[0], &waiters[1]);
    assert_int_equal(queue.count, 0);
}

static void test_words_of_a_page_spread_over_buckets(void **state)
{
    (void)state;
    bool used[FUTEX_QUEUE_BUCKETS] = { false };
    size_t distinct = 0;
    for (uint64_t word = 0; word < 1024; word++) {
        size_t bucket = futex_queue_bucket(0x123456000ull + word * 4);
        assert_true(bucket < FUTEX_QUEUE_BUCKETS);
        if (!used[bucket]) {
            used[bucket] = true;
            distinct++;
        }
    }
    assert_true(distinct > FUTEX_QUEUE_BUCKETS / 2);
}

static void test_many_keys_each_wake_their_own(void **state)
{
    (void)state;
    for (size_t i = 0; i < WAITERS; i++)
        futex_queue_add(&queue, &waiters[i], 0x10000 + (i % 37) * 4);
    size_t total = 0;
    for (size_t k = 0; k < 37; k++) {
        size_t before = woken_count;
        total += futex_queue_wake(&queue, 0x10000 + k * 4, WAITERS, record, &queue);
        for (size_t i = before; i < woken_count; i++) {
            assert_int_equal(woken[i]->key, 0x10000 + k * 4);
            if (i > before)
                assert_true(woken[i] > woken[i - 1]); /* FIFO within the key */
        }
    }
    assert_int_equal(total, WAITERS);
    assert_int_equal(queue.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_wake_on_empty_queue_wakes_none, setup),
        cmocka_unit_test_setup(test_wakes_oldest_first_and_at_most_count, setup),
        cmocka_unit_test_setup(test_only_the_key_is_woken_even_in_a_shared_bucket, setup),
        cmocka_unit_test_setup(test_remove_takes_a_waiter_out_once, setup),
        cmocka_unit_test_setup(test_words_of_a_page_spread_over_buckets, setup),
        cmocka_unit_test_setup(test_many_keys_each_wake_their_own, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
