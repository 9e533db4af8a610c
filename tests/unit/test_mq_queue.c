/* Host tests for the POSIX message queue order and send checks in servers/ipc/mq_queue.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <aramid/errno.h>

#include "mq_queue.h"

static struct mq_message *message_new(unsigned priority, const char *text)
{
    size_t length = strlen(text);
    struct mq_message *message = calloc(1, sizeof(*message) + length);
    message->priority = priority;
    message->length = length;
    memcpy(message->data, text, length);
    return message;
}

static void expect_take(struct mq_queue *queue, const char *text, unsigned priority)
{
    struct mq_message *message = mq_queue_take(queue);
    assert_non_null(message);
    assert_int_equal(message->priority, priority);
    assert_int_equal(message->length, strlen(text));
    assert_memory_equal(message->data, text, message->length);
    free(message);
}

static void test_priority_then_fifo(void **state)
{
    (void)state;
    struct mq_queue queue;
    mq_queue_init(&queue, 10, 64);
    mq_queue_insert(&queue, message_new(1, "low-a"));
    mq_queue_insert(&queue, message_new(5, "high-a"));
    mq_queue_insert(&queue, message_new(1, "low-b"));
    mq_queue_insert(&queue, message_new(5, "high-b"));
    mq_queue_insert(&queue, message_new(0, "zero"));
    mq_queue_insert(&queue, message_new(32767, "top"));
    assert_int_equal(queue.count, 6);
    expect_take(&queue, "top", 32767);
    expect_take(&queue, "high-a", 5);
    expect_take(&queue, "high-b", 5);
    expect_take(&queue, "low-a", 1);
    expect_take(&queue, "low-b", 1);
    expect_take(&queue, "zero", 0);
    assert_null(mq_queue_take(&queue));
    assert_int_equal(queue.count, 0);
}

static void test_full_and_checks(void **state)
{
    (void)state;
    struct mq_queue queue;
    mq_queue_init(&queue, 2, 8);
    assert_int_equal(mq_queue_check_send(&queue, 8, 0), 0);
    assert_int_equal(mq_queue_check_send(&queue, 0, 32767), 0);
    assert_int_equal(mq_queue_check_send(&queue, 9, 0), -ARAMID_EMSGSIZE);
    assert_int_equal(mq_queue_check_send(&queue, 9, 32768), -ARAMID_EINVAL); /* priority first */
    assert_int_equal(mq_queue_check_send(&queue, 1, ~0ul), -ARAMID_EINVAL);
    assert_false(mq_queue_full(&queue));
    mq_queue_insert(&queue, message_new(0, "a"));
    mq_queue_insert(&queue, message_new(0, "b"));
    assert_true(mq_queue_full(&queue));
    expect_take(&queue, "a", 0);
    assert_false(mq_queue_full(&queue));
    expect_take(&queue, "b", 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_priority_then_fifo),
        cmocka_unit_test(test_full_and_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
