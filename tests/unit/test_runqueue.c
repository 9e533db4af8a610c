/* Host tests for the priority run queue in ukernel/kern/runqueue.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "kerrno.h"
#include "runqueue.h"

/* A thread as the scheduler will have it: the entry is embedded, not pointed to. */
struct fake_thread {
    int id;
    struct rq_entry entry;
};

#define THREADS 8
static struct fake_thread threads[THREADS];
static struct runqueue rq;

static int setup(void **state)
{
    (void)state;
    memset(threads, 0, sizeof(threads));
    for (int i = 0; i < THREADS; i++)
        threads[i].id = i;
    runqueue_init(&rq);
    return 0;
}

static int pick_id(void)
{
    struct rq_entry *entry = runqueue_pick_next(&rq);
    if (entry == NULL)
        return -1;
    return ((struct fake_thread *)((char *)entry - offsetof(struct fake_thread, entry)))->id;
}

static void test_empty(void **state)
{
    (void)state;
    assert_true(runqueue_is_empty(&rq));
    assert_int_equal(runqueue_count(&rq), 0);
    assert_null(runqueue_pick_next(&rq));
    assert_int_equal(runqueue_top_priority(&rq), -ENOENT);
}

static void test_priority_order(void **state)
{
    (void)state;
    assert_int_equal(runqueue_enqueue(&rq, &threads[0].entry, 20), 0);
    assert_int_equal(runqueue_enqueue(&rq, &threads[1].entry, RUNQUEUE_PRIORITY_LOWEST), 0);
    assert_int_equal(runqueue_enqueue(&rq, &threads[2].entry, 5), 0);
    assert_int_equal(runqueue_enqueue(&rq, &threads[3].entry, RUNQUEUE_PRIORITY_HIGHEST), 0);
    assert_int_equal(runqueue_count(&rq), 4);
    assert_int_equal(runqueue_top_priority(&rq), 0);

    assert_int_equal(pick_id(), 3);
    assert_int_equal(runqueue_top_priority(&rq), 5);
    assert_int_equal(pick_id(), 2);
    assert_int_equal(pick_id(), 0);
    assert_int_equal(pick_id(), 1);
    assert_int_equal(pick_id(), -1);
    assert_true(runqueue_is_empty(&rq));
}

static void test_fifo_and_round_robin(void **state)
{
    (void)state;
    for (int i = 0; i < 4; i++)
        assert_int_equal(runqueue_enqueue(&rq, &threads[i].entry, 10), 0);
    assert_int_equal(pick_id(), 0);
    /* Thread 0's slice ran out: it goes behind its peers. */
    assert_int_equal(runqueue_enqueue(&rq, &threads[0].entry, 10), 0);
    assert_int_equal(pick_id(), 1);
    assert_int_equal(pick_id(), 2);
    assert_int_equal(pick_id(), 3);
    assert_int_equal(pick_id(), 0);
}

static void test_enqueue_front(void **state)
{
    (void)state;
    assert_int_equal(runqueue_enqueue(&rq, &threads[0].entry, 7), 0);
    assert_int_equal(runqueue_enqueue(&rq, &threads[1].entry, 7), 0);
    assert_int_equal(runqueue_enqueue_front(&rq, &threads[2].entry, 7), 0);
    assert_int_equal(runqueue_enqueue_front(&rq, &threads[3].entry, 9), 0);
    assert_int_equal(pick_id(), 2);
    assert_int_equal(pick_id(), 0);
    assert_int_equal(pick_id(), 1);
    assert_int_equal(pick_id(), 3);
}

static void test_dequeue_middle_head_tail(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++)
        assert_int_equal(runqueue_enqueue(&rq, &threads[i].entry, 3), 0);
    assert_int_equal(runqueue_enqueue(&rq, &threads[5].entry, 4), 0);

    assert_int_equal(runqueue_dequeue(&rq, &threads[2].entry), 0);
    assert_int_equal(runqueue_dequeue(&rq, &threads[0].entry), 0);
    assert_int_equal(runqueue_dequeue(&rq, &threads[4].entry), 0);
    assert_int_equal(runqueue_count(&rq), 3);
    assert_int_equal(pick_id(), 1);
    assert_int_equal(pick_id(), 3);

    /* The last entry of a level leaves: its bit clears and the next level is picked. */
    assert_int_equal(runqueue_top_priority(&rq), 4);
    assert_int_equal(runqueue_dequeue(&rq, &threads[5].entry), 0);
    assert_true(runqueue_is_empty(&rq));
    assert_int_equal(rq.nonempty, 0);
}

static void test_double_enqueue_rejected(void **state)
{
    (void)state;
    struct runqueue other;
    runqueue_init(&other);
    assert_int_equal(runqueue_enqueue(&rq, &threads[0].entry, 1), 0);
    assert_int_equal(runqueue_enqueue(&rq, &threads[0].entry, 1), -EBUSY);
    assert_int_equal(runqueue_enqueue(&rq, &threads[0].entry, 2), -EBUSY);
    assert_int_equal(runqueue_enqueue_front(&rq, &threads[0].entry, 1), -EBUSY);
    assert_int_equal(runqueue_enqueue(&other, &threads[0].entry, 1), -EBUSY);
    assert_int_equal(runqueue_count(&rq), 1);
    assert_int_equal(runqueue_count(&other), 0);
    assert_int_equal(pick_id(), 0);
    assert_int_equal(pick_id(), -1);
}

static void test_dequeue_not_queued_rejected(void **state)
{
    (void)state;
    struct runqueue other;
    runqueue_init(&other);
    assert_int_equal(runqueue_dequeue(&rq, &threads[0].entry), -EINVAL);
    assert_int_equal(runqueue_enqueue(&other, &threads[1].entry, 0), 0);
    assert_int_equal(runqueue_dequeue(&rq, &threads[1].entry), -EINVAL);
    assert_int_equal(runqueue_dequeue(&other, &threads[1].entry), 0);
    assert_int_equal(runqueue_dequeue(&other, &threads[1].entry), -EINVAL);
    assert_true(runqueue_is_empty(&other));
}

static void test_bad_priority(void **state)
{
    (void)state;
    assert_int_equal(runqueue_enqueue(&rq, &threads[0].entry, RUNQUEUE_LEVELS), -EINVAL);
    assert_int_equal(runqueue_enqueue_front(&rq, &threads[0].entry, 1000), -EINVAL);
    assert_null(threads[0].entry.rq);
    assert_true(runqueue_is_empty(&rq));
}

static void test_picked_entry_can_be_requeued(void **state)
{
    (void)state;
    struct rq_entry entry;
    rq_entry_init(&entry);
    assert_int_equal(runqueue_enqueue(&rq, &entry, 31), 0);
    assert_ptr_equal(runqueue_pick_next(&rq), &entry);
    assert_null(entry.rq);
    assert_int_equal(runqueue_enqueue(&rq, &entry, 0), 0);
    assert_int_equal(runqueue_top_priority(&rq), 0);
    assert_int_equal(runqueue_dequeue(&rq, &entry), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_empty, setup),
        cmocka_unit_test_setup(test_priority_order, setup),
        cmocka_unit_test_setup(test_fifo_and_round_robin, setup),
        cmocka_unit_test_setup(test_enqueue_front, setup),
        cmocka_unit_test_setup(test_dequeue_middle_head_tail, setup),
        cmocka_unit_test_setup(test_double_enqueue_rejected, setup),
        cmocka_unit_test_setup(test_dequeue_not_queued_rejected, setup),
        cmocka_unit_test_setup(test_bad_priority, setup),
        cmocka_unit_test_setup(test_picked_entry_can_be_requeued, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
