/* Host tests for the reply-capability state machine in ukernel/kern/reply.c: replies kept
 * across many calls, answered out of order, cancellation racing with the answer, and the death
 * of either side at every step. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>

#include "kerrno.h"
#include "reply.h"

static struct reply_holder server_process, other_process; /* two processes' holding sides */
static int endpoint_object;
static struct list_node cancels; /* the endpoint's cancel notices */

static int setup(void **state)
{
    (void)state;
    reply_table_init();
    server_process.held = other_process.held = 0;
    list_init(&cancels);
    return 0;
}

/* A caller thread starts a call and the server takes it; returns the token. */
static uint64_t call_and_hold(uint32_t index, uint64_t badge)
{
    struct reply *reply = reply_slot(index);
    reply_hold(reply, &server_process, &endpoint_object, badge);
    return reply_token(reply);
}

static void test_token_names_only_its_call_and_holder(void **state)
{
    (void)state;
    long index = reply_slot_take((void *)1);
    assert_true(index >= 0);
    uint64_t token = call_and_hold((uint32_t)index, 5);
    struct reply *reply = reply_find(token, &server_process);
    assert_non_null(reply);
    assert_int_equal(reply->badge, 5);
    assert_null(reply_find(token, &other_process));           /* another process: foreign */
    assert_null(reply_find(token ^ (1ull << 32), &server_process)); /* forged generation */
    assert_null(reply_find(REPLY_SLOTS, &server_process));    /* index out of range */
    assert_null(reply_find(0, &server_process));
    assert_ptr_equal(reply_settle(reply), &endpoint_object);  /* answered once */
    assert_null(reply_find(token, &server_process));          /* ... and never twice */
    assert_int_equal(server_process.held, 0);
}

static void test_many_kept_replies_answered_out_of_order(void **state)
{
    (void)state;
    enum { CALLERS = 100 };
    uint64_t tokens[CALLERS];
    for (int i = 0; i < CALLERS; i++) {
        long index = reply_slot_take((void *)(uintptr_t)(i + 1));
        assert_true(index >= 0);
        tokens[i] = call_and_hold((uint32_t)index, (uint64_t)i);
    }
    /* Reverse order, then every other one twice: the second answer is refused. */
    for (int i = CALLERS - 1; i >= 0; i--) {
        struct reply *reply = reply_find(tokens[i], &server_process);
        assert_non_null(reply);
        assert_int_equal(reply->badge, (uint64_t)i);
        reply_settle(reply);
        assert_null(reply_find(tokens[i], &server_process));
    }
    assert_int_equal(server_process.held, 0);
}

static void test_new_call_makes_old_token_stale(void **state)
{
    (void)state;
    long index = reply_slot_take((void *)1);
    uint64_t first = call_and_hold((uint32_t)index, 0);
    reply_settle(reply_find(first, &server_process));
    uint64_t second = call_and_hold((uint32_t)index, 0);
    assert_true(first != second);
    assert_null(reply_find(first, &server_process));
    assert_non_null(reply_find(second, &server_process));
}

static void test_cancel_once_then_answer_settles_notice(void **state)
{
    (void)state;
    long index = reply_slot_take((void *)1);
    uint64_t token = call_and_hold((uint32_t)index, 0);
    struct reply *reply = reply_find(token, &server_process);
    assert_true(reply_request_cancel(reply));
    list_push_back(&cancels, &reply->cancel_link);
    assert_false(reply_request_cancel(reply)); /* a second signal sends no second notice */
    /* The answer races ahead of the notice: the notice is withdrawn with it. */
    reply_settle(reply);
    assert_true(list_is_empty(&cancels));
    assert_int_equal(server_process.held, 0);
    assert_false(reply_request_cancel(reply)); /* nothing held: nothing to cancel */
}

static void test_cancel_delivered_then_answered_exactly_once(void **state)
{
    (void)state;
    long index = reply_slot_take((void *)1);
    uint64_t token = call_and_hold((uint32_t)index, 0);
    struct reply *reply = reply_find(token, &server_process);
    assert_true(reply_request_cancel(reply));
    list_push_back(&cancels, &reply->cancel_link);
    reply_cancel_delivered(reply);
    assert_true(list_is_empty(&cancels));
    assert_int_equal(reply->state, REPLY_CANCEL_SENT);
    assert_non_null(reply_find(token, &server_process)); /* still owed */
    reply_settle(reply);
    assert_null(reply_find(token, &server_process));
}

static void test_caller_death_makes_reply_inert(void **state)
{
    (void)state;
    long index = reply_slot_take((void *)1);
    uint64_t token = call_and_hold((uint32_t)index, 0);
    /* The caller dies: the kernel settles its slot and gives it back. */
    reply_settle(reply_slot((uint32_t)index));
    reply_slot_release((uint32_t)index);
    assert_null(reply_find(token, &server_process));
    /* The slot's next thread never inherits the old token. */
    long again = reply_slot_take((void *)2);
    assert_int_equal(again, index);
    uint64_t fresh = call_and_hold((uint32_t)again, 0);
    assert_true(fresh != token);
    assert_null(reply_find(token, &server_process));
}

static void test_holder_death_settles_every_held_call(void **state)
{
    (void)state;
    for (int i = 0; i < 10; i++)
        call_and_hold((uint32_t)reply_slot_take((void *)(uintptr_t)(i + 1)), 0);
    struct reply *cancelled = reply_slot(3);
    assert_true(reply_request_cancel(cancelled));
    list_push_back(&cancels, &cancelled->cancel_link);
    /* Another process's held call is not this holder's to settle. */
    reply_hold(reply_slot((uint32_t)reply_slot_take((void *)11)), &other_process, &endpoint_object,
               0);
    assert_int_equal(server_process.held, 10);
    int settled = 0;
    struct reply *reply;
    uint32_t from = 0;
    while ((reply = reply_next_held(&server_process, from)) != NULL) {
        from = reply->index + 1;
        assert_ptr_equal(reply_settle(reply), &endpoint_object);
        settled++;
    }
    assert_int_equal(settled, 10);
    assert_int_equal(server_process.held, 0);
    assert_int_equal(reply_calls_held(), 1);
    assert_non_null(reply_next_held(&other_process, 0));
    assert_true(list_is_empty(&cancels));
}

static void test_generation_wraps_to_odd_never_zero(void **state)
{
    (void)state;
    long index = reply_slot_take((void *)1);
    struct reply *reply = reply_slot((uint32_t)index);
    reply->generation = 0xffffffffu;
    uint64_t last = call_and_hold((uint32_t)index, 0);
    reply_settle(reply);
    assert_int_equal(reply->generation, 1);
    assert_int_equal(reply->index, (uint32_t)index);
    uint64_t next = call_and_hold((uint32_t)index, 0);
    assert_true(next != last && (next >> 32) != 0);
    assert_null(reply_find(last, &server_process));
    assert_non_null(reply_find(next, &server_process));
}

static void test_table_runs_out_with_enomem(void **state)
{
    (void)state;
    for (int i = 0; i < REPLY_SLOTS; i++)
        assert_true(reply_slot_take((void *)1) >= 0);
    assert_int_equal(reply_slot_take((void *)1), -ENOMEM);
    reply_slot_release(17);
    assert_int_equal(reply_slot_take((void *)1), 17);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_token_names_only_its_call_and_holder, setup),
        cmocka_unit_test_setup(test_many_kept_replies_answered_out_of_order, setup),
        cmocka_unit_test_setup(test_new_call_makes_old_token_stale, setup),
        cmocka_unit_test_setup(test_cancel_once_then_answer_settles_notice, setup),
        cmocka_unit_test_setup(test_cancel_delivered_then_answered_exactly_once, setup),
        cmocka_unit_test_setup(test_caller_death_makes_reply_inert, setup),
        cmocka_unit_test_setup(test_holder_death_settles_every_held_call, setup),
        cmocka_unit_test_setup(test_generation_wraps_to_odd_never_zero, setup),
        cmocka_unit_test_setup(test_table_runs_out_with_enomem, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
