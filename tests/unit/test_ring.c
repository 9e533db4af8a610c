/* Host tests for libsys's shared-memory rings (libsys/ring.c), a hostile peer included. */
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include <aramid/errno.h>
#include <aramid/ring.h>

#define CAPACITY 64u

static struct aramid_ring_shared *shared_new(void)
{
    return calloc(1, sizeof(struct aramid_ring_shared) + CAPACITY);
}

static void test_bytes_wrap_and_full(void **state)
{
    (void)state;
    struct aramid_ring_shared *shared = shared_new();
    struct aramid_ring producer, consumer;
    bool wake;
    char out[CAPACITY];
    assert_int_equal(aramid_ring_attach(&producer, shared, 63, true), -ARAMID_EINVAL);
    assert_int_equal(aramid_ring_attach(&producer, shared, CAPACITY, true), 0);
    assert_int_equal(aramid_ring_attach(&consumer, shared, CAPACITY, false), 0);
    for (int round = 0; round < 10; round++) {
        char in[50];
        memset(in, 'a' + round, sizeof(in));
        assert_int_equal(aramid_ring_write(&producer, in, sizeof(in), &wake), 50);
        assert_int_equal(aramid_ring_write(&producer, in, sizeof(in), &wake), 14); /* full */
        assert_int_equal(aramid_ring_write(&producer, in, 1, &wake), 0);
        assert_int_equal(aramid_ring_read(&consumer, out, sizeof(out), &wake), 64);
        assert_memory_equal(out, in, 50);
        assert_int_equal(aramid_ring_read(&consumer, out, sizeof(out), &wake), 0);
    }
    free(shared);
}

static void test_waiting_flags(void **state)
{
    (void)state;
    struct aramid_ring_shared *shared = shared_new();
    struct aramid_ring producer, consumer;
    bool wake;
    char byte = 'x';
    aramid_ring_attach(&producer, shared, CAPACITY, true);
    aramid_ring_attach(&consumer, shared, CAPACITY, false);
    assert_int_equal(aramid_ring_write(&producer, &byte, 1, &wake), 1);
    assert_false(wake); /* nobody said it waits: no wake-up sent */
    assert_false(aramid_ring_consumer_prepare_sleep(&consumer)); /* data there: do not sleep */
    assert_int_equal(atomic_load(&shared->consumer_waiting), 0);
    assert_int_equal(aramid_ring_read(&consumer, &byte, 1, &wake), 1);
    assert_true(aramid_ring_consumer_prepare_sleep(&consumer));
    assert_int_equal(aramid_ring_write(&producer, &byte, 1, &wake), 1);
    assert_true(wake); /* the waiter said so: exactly one wake, the flag taken */
    assert_int_equal(aramid_ring_write(&producer, &byte, 1, &wake), 1);
    assert_false(wake);
    free(shared);
}

static void test_records_and_hostile_header(void **state)
{
    (void)state;
    struct aramid_ring_shared *shared = shared_new();
    struct aramid_ring producer, consumer;
    bool wake;
    char out[8];
    uint32_t length;
    aramid_ring_attach(&producer, shared, CAPACITY, true);
    aramid_ring_attach(&consumer, shared, CAPACITY, false);
    assert_int_equal(aramid_ring_write_record(&producer, "0123456789", 10, &wake), 10);
    assert_int_equal(aramid_ring_write_record(&producer, "x", CAPACITY, &wake), -ARAMID_EMSGSIZE);
    length = 0;
    assert_int_equal(aramid_ring_peek_record(&consumer, out, 4, &length), 4); /* stays queued */
    assert_int_equal(length, 10);
    assert_memory_equal(out, "0123", 4);
    assert_int_equal(aramid_ring_read_record(&consumer, out, 8, &length, &wake), 8);
    assert_int_equal(length, 10); /* truncated to max, the rest dropped */
    assert_int_equal(aramid_ring_read_record(&consumer, out, 8, &length, &wake), -ARAMID_EAGAIN);
    /* The producer scribbles a header claiming more than is queued. */
    assert_int_equal(aramid_ring_write_record(&producer, "ab", 2, &wake), 2);
    uint32_t lie = 1000;
    memcpy(&shared->data[14 & (CAPACITY - 1)], &lie, sizeof(lie));
    assert_int_equal(aramid_ring_read_record(&consumer, out, 8, &length, &wake), -ARAMID_EPROTO);
    assert_int_equal(aramid_ring_read(&consumer, out, 8, &wake), -ARAMID_EPROTO); /* stays broken */
    free(shared);
}

static void test_hostile_indexes(void **state)
{
    (void)state;
    struct aramid_ring_shared *shared = shared_new();
    struct aramid_ring producer, consumer;
    bool wake;
    char out[8];
    aramid_ring_attach(&producer, shared, CAPACITY, true);
    aramid_ring_attach(&consumer, shared, CAPACITY, false);
    assert_int_equal(aramid_ring_write(&producer, "abcd", 4, &wake), 4);
    /* Tail beyond capacity ahead of the consumer: refused. */
    atomic_store(&shared->tail, 4 + CAPACITY * 3);
    assert_int_equal(aramid_ring_read(&consumer, out, 8, &wake), -ARAMID_EPROTO);
    /* A consumer moving its head backwards or past the tail: the producer refuses. */
    struct aramid_ring_shared *second = shared_new();
    aramid_ring_attach(&producer, second, CAPACITY, true);
    aramid_ring_attach(&consumer, second, CAPACITY, false);
    assert_int_equal(aramid_ring_write(&producer, "abcd", 4, &wake), 4);
    assert_int_equal(aramid_ring_read(&consumer, out, 2, &wake), 2);
    atomic_store(&second->head, 40); /* past what was written */
    assert_int_equal(aramid_ring_write(&producer, "e", 1, &wake), -ARAMID_EPROTO);
    free(shared);
    free(second);
}

static long copy_failing(void *to, const void *from, size_t length)
{
    (void)to;
    (void)from;
    (void)length;
    return -ARAMID_EFAULT;
}

static long copy_plain(void *to, const void *from, size_t length)
{
    memcpy(to, from, length);
    return 0;
}

/* Copies through a caller's function (posix-shim's fault-safe user copies): a failing copy
 * moves nothing; peek leaves the bytes; the runs wrap. */
static void test_copy_and_peek(void **state)
{
    (void)state;
    struct aramid_ring_shared *shared = shared_new();
    struct aramid_ring producer, consumer;
    bool wake;
    char out[CAPACITY];
    aramid_ring_attach(&producer, shared, CAPACITY, true);
    aramid_ring_attach(&consumer, shared, CAPACITY, false);
    assert_int_equal(aramid_ring_write_copy(&producer, "xyz", 3, copy_failing, &wake),
                     -ARAMID_EFAULT);
    assert_int_equal(aramid_ring_observe(shared, CAPACITY), 0);
    char in[60];
    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (char)i;
    assert_int_equal(aramid_ring_write_copy(&producer, in, 60, copy_plain, &wake), 60);
    assert_int_equal(aramid_ring_read_copy(&consumer, out, 50, copy_plain, false, &wake), 50);
    assert_int_equal(aramid_ring_write_copy(&producer, in, 40, copy_plain, &wake), 40); /* wraps */
    assert_int_equal(aramid_ring_observe(shared, CAPACITY), 50);
    assert_int_equal(aramid_ring_read_copy(&consumer, out, 20, copy_plain, true, &wake), 20);
    assert_memory_equal(out, in + 50, 10);
    assert_memory_equal(out + 10, in, 10);
    assert_int_equal(aramid_ring_read_copy(&consumer, out, 5, copy_failing, false, &wake),
                     -ARAMID_EFAULT);
    assert_int_equal(aramid_ring_read_copy(&consumer, out, CAPACITY, copy_plain, false, &wake),
                     50);
    assert_memory_equal(out, in + 50, 10);
    assert_memory_equal(out + 10, in, 40);
    free(shared);
}

/* A side joining a ring in use starts from its indexes; a scribbled pair of indexes breaks
 * only that view; the observer's look is bounded. */
static void test_join_and_observe(void **state)
{
    (void)state;
    struct aramid_ring_shared *shared = shared_new();
    struct aramid_ring producer, consumer, late;
    bool wake;
    char out[8];
    aramid_ring_attach(&producer, shared, CAPACITY, true);
    aramid_ring_attach(&consumer, shared, CAPACITY, false);
    assert_int_equal(aramid_ring_write(&producer, "abcdef", 6, &wake), 6);
    assert_int_equal(aramid_ring_read(&consumer, out, 2, &wake), 2);
    assert_int_equal(aramid_ring_attach(&late, shared, CAPACITY, false), 0); /* takes over */
    assert_int_equal(aramid_ring_read(&late, out, 8, &wake), 4);
    assert_memory_equal(out, "cdef", 4);
    atomic_store(&shared->tail, 6 + CAPACITY + 1);
    assert_int_equal(aramid_ring_observe(shared, CAPACITY), -ARAMID_EPROTO);
    assert_int_equal(aramid_ring_attach(&late, shared, CAPACITY, false), 0);
    assert_int_equal(aramid_ring_read(&late, out, 8, &wake), -ARAMID_EPROTO);
    free(shared);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bytes_wrap_and_full),
        cmocka_unit_test(test_waiting_flags),
        cmocka_unit_test(test_records_and_hostile_header),
        cmocka_unit_test(test_hostile_indexes),
        cmocka_unit_test(test_copy_and_peek),
        cmocka_unit_test(test_join_and_observe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
