/* Host tests for the deadline pairing heap in ukernel/kern/timer_queue.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "timer_queue.h"

#define ENTRIES 2000
static struct timer_entry entries[ENTRIES];
static struct timer_queue queue;

static int setup(void **state)
{
    (void)state;
    memset(entries, 0, sizeof(entries));
    timer_queue_init(&queue);
    return 0;
}

static void test_empty_queue_has_nothing_expired(void **state)
{
    (void)state;
    assert_null(timer_queue_first(&queue));
    assert_null(timer_queue_pop_expired(&queue, UINT64_MAX));
}

static void test_pops_in_deadline_order_only_when_expired(void **state)
{
    (void)state;
    uint64_t deadlines[] = { 50, 10, 40, 10, 30, 20 };
    for (int i = 0; i < 6; i++)
        timer_queue_insert(&queue, &entries[i], deadlines[i]);
    assert_int_equal(queue.count, 6);
    assert_null(timer_queue_pop_expired(&queue, 9));
    uint64_t last = 0;
    for (int i = 0; i < 6; i++) {
        struct timer_entry *entry = timer_queue_pop_expired(&queue, 1000);
        assert_non_null(entry);
        assert_false(entry->queued);
        assert_true(entry->deadline >= last);
        last = entry->deadline;
    }
    assert_int_equal(queue.count, 0);
    assert_null(timer_queue_first(&queue));
}

static void test_remove_any_entry_keeps_order(void **state)
{
    (void)state;
    srand(7);
    for (int i = 0; i < ENTRIES; i++)
        timer_queue_insert(&queue, &entries[i], (uint64_t)(rand() % 500));
    /* Remove every third entry, the root included whenever it is one of them. */
    for (int i = 0; i < ENTRIES; i += 3)
        timer_queue_remove(&queue, &entries[i]);
    timer_queue_remove(&queue, &entries[0]); /* a second removal does nothing */
    size_t left = queue.count;
    assert_int_equal(left, ENTRIES - (ENTRIES + 2) / 3);
    uint64_t last = 0;
    size_t popped = 0;
    struct timer_entry *entry;
    while ((entry = timer_queue_pop_expired(&queue, UINT64_MAX)) != NULL) {
        assert_true(entry->deadline >= last);
        assert_true((entry - entries) % 3 != 0);
        last = entry->deadline;
        popped++;
    }
    assert_int_equal(popped, left);
}

static void test_reinsert_after_pop_and_interleaved_operations(void **state)
{
    (void)state;
    srand(11);
    /* A model: deadline of each entry, or -1 when not queued. */
    static long model[64];
    for (int i = 0; i < 64; i++)
        model[i] = -1;
    for (int step = 0; step < 20000; step++) {
        int i = rand() % 64;
        if (model[i] < 0) {
            model[i] = rand() % 1000;
            timer_queue_insert(&queue, &entries[i], (uint64_t)model[i]);
        } else if (rand() % 2) {
            timer_queue_remove(&queue, &entries[i]);
            model[i] = -1;
        } else {
            long best = -1;
            for (int j = 0; j < 64; j++)
                if (model[j] >= 0 && (best < 0 || model[j] < best))
                    best = model[j];
            struct timer_entry *first = timer_queue_pop_expired(&queue, (uint64_t)best);
            assert_non_null(first);
            assert_int_equal(first->deadline, best);
            model[first - entries] = -1;
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_empty_queue_has_nothing_expired, setup),
        cmocka_unit_test_setup(test_pops_in_deadline_order_only_when_expired, setup),
        cmocka_unit_test_setup(test_remove_any_entry_keeps_order, setup),
        cmocka_unit_test_setup(test_reinsert_after_pop_and_interleaved_operations, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
