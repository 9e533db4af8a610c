/* Host tests for the epoll interest sets in servers/event/interest.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <setjmp.h>
#include <cmocka.h>

#include <aramid/errno.h>
#include <aramid/proto/ready.h>

#include "interest.h"

static int items_live;

struct interest_item *interest_item_alloc(void)
{
    items_live++;
    return calloc(1, sizeof(struct interest_item));
}

void interest_item_free(struct interest_item *item)
{
    items_live--;
    free(item);
}

#define IN ARAMID_POLLIN
#define OUT ARAMID_POLLOUT

static size_t collect(struct interest_set *set, struct interest_event *out, size_t max)
{
    return interest_collect(set, out, max);
}

static void test_errors(void **state)
{
    (void)state;
    struct interest_set set, other;
    struct interest_object object;
    interest_set_init(&set);
    interest_set_init(&other);
    interest_object_init(&object, 0);
    assert_int_equal(interest_control(&set, EPOLL_OP_ADD, &set.self, 3, IN, 0), -ARAMID_EINVAL);
    assert_int_equal(interest_control(&set, EPOLL_OP_MOD, &object, 4, IN, 0), -ARAMID_ENOENT);
    assert_int_equal(interest_control(&set, EPOLL_OP_DEL, &object, 4, IN, 0), -ARAMID_ENOENT);
    assert_int_equal(interest_control(&set, 9, &object, 4, IN, 0), -ARAMID_EINVAL);
    assert_int_equal(interest_control(&set, EPOLL_OP_ADD, &object, 4, IN, 0), 0);
    assert_int_equal(interest_control(&set, EPOLL_OP_ADD, &object, 4, IN, 0), -ARAMID_EEXIST);
    /* The same description under another fd number is another interest, as on Linux. */
    assert_int_equal(interest_control(&set, EPOLL_OP_ADD, &object, 5, IN, 0), 0);
    assert_int_equal(interest_control(&set, EPOLL_OP_ADD, &object, 6,
                                      IN | EPOLL_FLAG_EXCLUSIVE | EPOLL_FLAG_ONESHOT, 0),
                     -ARAMID_EINVAL);
    assert_int_equal(interest_control(&set, EPOLL_OP_MOD, &object, 4, IN | EPOLL_FLAG_EXCLUSIVE,
                                      0),
                     -ARAMID_EINVAL);
    assert_int_equal(
        interest_control(&set, EPOLL_OP_ADD, &other.self, 7, IN | EPOLL_FLAG_EXCLUSIVE, 0),
        -ARAMID_EINVAL);
    interest_set_destroy(&set);
    interest_set_destroy(&other);
    assert_int_equal(items_live, 0);
}

static void test_level_triggered_stays_until_not_ready(void **state)
{
    (void)state;
    struct interest_set set;
    struct interest_object a, b;
    struct interest_event events[4];
    interest_set_init(&set);
    interest_object_init(&a, 0);
    interest_object_init(&b, 0);
    assert_int_equal(interest_control(&set, EPOLL_OP_ADD, &a, 3, IN, 0x1122334455667788ull), 0);
    assert_int_equal(interest_control(&set, EPOLL_OP_ADD, &b, 4, OUT, 2), 0);
    assert_int_equal(collect(&set, events, 4), 0);
    interest_object_update(&a, IN, true);
    assert_int_equal(collect(&set, events, 4), 1);
    assert_true(events[0].data == 0x1122334455667788ull);
    assert_int_equal(events[0].events, IN);
    assert_int_equal(collect(&set, events, 4), 1); /* still readable */
    interest_object_update(&a, 0, false);
    assert_int_equal(collect(&set, events, 4), 0);
    /* HUP and ERR are reported even when not asked for. */
    interest_object_update(&b, ARAMID_POLLHUP, true);
    assert_int_equal(collect(&set, events, 4), 1);
    assert_int_equal(events[0].events, ARAMID_POLLHUP);
    interest_set_destroy(&set);
    assert_int_equal(items_live, 0);
}

static void test_edge_triggered_once_per_edge(void **state)
{
    (void)state;
    struct interest_set set;
    struct interest_object a;
    struct interest_event events[4];
    interest_set_init(&set);
    interest_object_init(&a, 0);
    assert_int_equal(interest_control(&set, EPOLL_OP_ADD, &a, 3, IN | EPOLL_FLAG_ET, 9), 0);
    interest_object_update(&a, IN, true);
    assert_int_equal(collect(&set, events, 4), 1);
    assert_int_equal(collect(&set, events, 4), 0);
    interest_object_update(&a, IN, false); /* a re-check is not an edge */
    assert_int_equal(collect(&set, events, 4), 0);
    interest_object_update(&a, IN, true); /* more data: a new edge, as Linux's wake-up */
    assert_int_equal(collect(&set, events, 4), 1);
    interest_set_destroy(&set);
}

static void test_oneshot_needs_rearming(void **state)
{
    (void)state;
    struct interest_set set;
    struct interest_object a;
    struct interest_event events[4];
    interest_set_init(&set);
    interest_object_init(&a, IN);
    assert_int_equal(interest_control(&set, EPOLL_OP_ADD, &a, 3, IN | EPOLL_FLAG_ONESHOT, 1), 0);
    assert_int_equal(collect(&set, events, 4), 1);
    interest_object_update(&a, IN, true);
    assert_int_equal(collect(&set, events, 4), 0);
    assert_int_equal(interest_control(&set, EPOLL_OP_MOD, &a, 3, IN | EPOLL_FLAG_ONESHOT, 1), 0);
    assert_int_equal(collect(&set, events, 4), 1);
    interest_set_destroy(&set);
}

static void test_maxevents_and_fairness(void **state)
{
    (void)state;
    struct interest_set set;
    struct interest_object objects[3];
    struct interest_event events[3];
    interest_set_init(&set);
    for (int i = 0; i < 3; i++) {
        interest_object_init(&objects[i], 0);
        assert_int_equal(interest_control(&set, EPOLL_OP_ADD, &objects[i], i, IN, (uint64_t)i), 0);
        interest_object_update(&objects[i], IN, true);
    }
    assert_int_equal(collect(&set, events, 2), 2);
    assert_true(events[0].data == 0 && events[1].data == 1);
    /* The item not reported comes first next time (Linux's round robin). */
    assert_int_equal(collect(&set, events, 1), 1);
    assert_true(events[0].data == 2);
    interest_set_destroy(&set);
}

static void test_close_removes_interest(void **state)
{
    (void)state;
    struct interest_set set;
    struct interest_object a, b;
    struct interest_event events[2];
    interest_set_init(&set);
    interest_object_init(&a, IN);
    assert_int_equal(interest_control(&set, EPOLL_OP_ADD, &a, 3, IN, 1), 0);
    interest_object_close(&a);
    assert_int_equal(set.count, 0);
    assert_int_equal(collect(&set, events, 2), 0);
    /* A new description under the reused fd number starts with no interest. */
    interest_object_init(&b, IN);
    assert_int_equal(interest_control(&set, EPOLL_OP_MOD, &b, 3, IN, 1), -ARAMID_ENOENT);
    interest_set_destroy(&set);
    assert_int_equal(items_live, 0);
}

static void test_nesting_readiness_and_loops(void **state)
{
    (void)state;
    struct interest_set outer, inner;
    struct interest_object a;
    struct interest_event events[2];
    interest_set_init(&outer);
    interest_set_init(&inner);
    interest_object_init(&a, 0);
    assert_int_equal(interest_control(&inner, EPOLL_OP_ADD, &a, 3, IN, 1), 0);
    assert_int_equal(interest_control(&outer, EPOLL_OP_ADD, &inner.self, 4, IN, 2), 0);
    assert_int_equal(collect(&outer, events, 2), 0);
    interest_object_update(&a, IN, true);
    assert_int_equal(collect(&outer, events, 2), 1);
    assert_true(events[0].data == 2);
    interest_object_update(&a, 0, false);
    assert_int_equal(collect(&outer, events, 2), 0);
    assert_int_equal(interest_control(&inner, EPOLL_OP_ADD, &outer.self, 5, IN, 0), -ARAMID_ELOOP);
    interest_set_destroy(&inner);
    assert_int_equal(outer.count, 0);
    interest_set_destroy(&outer);
    assert_int_equal(items_live, 0);
}

static void test_depth_limit(void **state)
{
    (void)state;
    struct interest_set sets[7];
    for (int i = 0; i < 7; i++)
        interest_set_init(&sets[i]);
    /* sets[i] holds sets[i+1]: 4 edges (5 instances) are allowed, a fifth edge is not. */
    for (int i = 0; i < EPOLL_MAX_NESTS; i++)
        assert_int_equal(interest_control(&sets[i], EPOLL_OP_ADD, &sets[i + 1].self, i, IN, 0), 0);
    assert_int_equal(interest_control(&sets[4], EPOLL_OP_ADD, &sets[5].self, 9, IN, 0),
                     -ARAMID_ELOOP);
    assert_int_equal(interest_control(&sets[6], EPOLL_OP_ADD, &sets[0].self, 9, IN, 0),
                     -ARAMID_ELOOP);
    for (int i = 0; i < 7; i++)
        interest_set_destroy(&sets[i]);
    assert_int_equal(items_live, 0);
}

static void test_exclusive_wakes_one_waiter(void **state)
{
    (void)state;
    struct interest_set one, two;
    struct interest_object a;
    struct interest_event events[2];
    interest_set_init(&one);
    interest_set_init(&two);
    interest_object_init(&a, 0);
    assert_int_equal(interest_control(&one, EPOLL_OP_ADD, &a, 3, IN | EPOLL_FLAG_EXCLUSIVE, 1), 0);
    assert_int_equal(interest_control(&two, EPOLL_OP_ADD, &a, 3, IN | EPOLL_FLAG_EXCLUSIVE, 2), 0);
    one.waiting = two.waiting = true;
    interest_object_update(&a, IN, true);
    assert_int_equal(collect(&one, events, 2) + collect(&two, events, 2), 1);
    interest_set_destroy(&one);
    interest_set_destroy(&two);
    assert_int_equal(items_live, 0);
}

static void test_idle_items_cost_nothing(void **state)
{
    (void)state;
    enum { WATCHED = 10000 };
    struct interest_set set;
    struct interest_object *objects = calloc(WATCHED, sizeof(*objects));
    struct interest_event events[4];
    interest_set_init(&set);
    for (int i = 0; i < WATCHED; i++) {
        interest_object_init(&objects[i], 0);
        assert_int_equal(interest_control(&set, EPOLL_OP_ADD, &objects[i], i, IN, (uint64_t)i), 0);
    }
    interest_object_update(&objects[4242], IN, true);
    assert_int_equal(set.ready_count, 1); /* only the ready item is on the list */
    assert_int_equal(collect(&set, events, 4), 1);
    assert_true(events[0].data == 4242);
    interest_set_destroy(&set);
    free(objects);
    assert_int_equal(items_live, 0);
}

/* The snapshot says what a collect would report, only while collecting changes nothing, and
 * on_change fires whenever it may have changed. */
static int changes;
static void count_change(struct interest_set *set)
{
    (void)set;
    changes++;
}

static void test_snapshot_matches_collect(void **state)
{
    (void)state;
    struct interest_set set;
    struct interest_object a, b;
    interest_set_init(&set);
    set.on_change = count_change;
    interest_object_init(&a, 0);
    interest_object_init(&b, 0);
    struct interest_event snap[4], got[4];
    assert_int_equal(interest_control(&set, EPOLL_OP_ADD, &a, 1, IN, 11), 0);
    assert_int_equal(interest_control(&set, EPOLL_OP_ADD, &b, 2, IN | OUT, 22), 0);
    assert_int_equal(interest_snapshot(&set, snap, 4), 0);
    changes = 0;
    interest_object_update(&b, OUT, true);
    interest_object_update(&a, IN, true);
    assert_true(changes >= 2);
    assert_int_equal(interest_snapshot(&set, snap, 4), 2);
    assert_int_equal(interest_snapshot(&set, snap, 1), -1); /* more than fits */
    assert_int_equal(collect(&set, got, 4), 2);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(snap[i].events, got[i].events);
        assert_int_equal(snap[i].data, got[i].data);
    }
    /* Collecting every item left the list as it was: the snapshot still holds. */
    struct interest_event again[4];
    assert_int_equal(interest_snapshot(&set, again, 4), 2);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(again[i].events, snap[i].events);
        assert_int_equal(again[i].data, snap[i].data);
    }
    /* A bit change of a queued item is a change. */
    changes = 0;
    interest_object_update(&b, OUT | IN, false);
    assert_true(changes >= 1);
    assert_int_equal(interest_snapshot(&set, snap, 4), 2);
    assert_int_equal(snap[0].events, IN | OUT); /* b was queued first */
    /* Edge-triggered or oneshot items on the list: no snapshot. */
    assert_int_equal(interest_control(&set, EPOLL_OP_MOD, &a, 1, IN | EPOLL_FLAG_ET, 11), 0);
    assert_int_equal(interest_snapshot(&set, snap, 4), -1);
    assert_int_equal(interest_control(&set, EPOLL_OP_MOD, &a, 1, IN | EPOLL_FLAG_ONESHOT, 11), 0);
    assert_int_equal(interest_snapshot(&set, snap, 4), -1);
    assert_int_equal(interest_control(&set, EPOLL_OP_DEL, &a, 1, 0, 0), 0);
    assert_int_equal(interest_snapshot(&set, snap, 4), 1);
    interest_object_update(&b, 0, false);
    assert_int_equal(interest_snapshot(&set, snap, 4), 0);
    interest_set_destroy(&set);
    assert_int_equal(items_live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_level_triggered_stays_until_not_ready),
        cmocka_unit_test(test_edge_triggered_once_per_edge),
        cmocka_unit_test(test_oneshot_needs_rearming),
        cmocka_unit_test(test_maxevents_and_fairness),
        cmocka_unit_test(test_close_removes_interest),
        cmocka_unit_test(test_nesting_readiness_and_loops),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_exclusive_wakes_one_waiter),
        cmocka_unit_test(test_idle_items_cost_nothing),
        cmocka_unit_test(test_snapshot_matches_collect),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
