/* Host tests for the console input ring in ukernel/kern/console_ring.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "console_ring.h"

static struct console_ring ring;

static int setup(void **state)
{
    (void)state;
    console_ring_init(&ring);
    return 0;
}

static void test_empty(void **state)
{
    (void)state;
    uint8_t out[4];
    assert_int_equal(console_ring_count(&ring), 0);
    assert_int_equal(console_ring_peek(&ring, out, sizeof out), 0);
    console_ring_consume(&ring, 10); /* more than stored: nothing happens */
    assert_int_equal(console_ring_count(&ring), 0);
}

static void test_fifo_order(void **state)
{
    (void)state;
    uint8_t out[8];
    for (uint8_t b = 'a'; b <= 'e'; b++)
        assert_int_equal(console_ring_put(&ring, b), 1);
    assert_int_equal(console_ring_count(&ring), 5);
    assert_int_equal(console_ring_peek(&ring, out, 3), 3);
    assert_memory_equal(out, "abc", 3);
    /* peek does not take */
    assert_int_equal(console_ring_count(&ring), 5);
    console_ring_consume(&ring, 2);
    assert_int_equal(console_ring_peek(&ring, out, sizeof out), 3);
    assert_memory_equal(out, "cde", 3);
}

static void test_full_drops_new_bytes(void **state)
{
    (void)state;
    uint8_t out[CONSOLE_RING_SIZE];
    for (unsigned i = 0; i < CONSOLE_RING_SIZE; i++)
        assert_int_equal(console_ring_put(&ring, (uint8_t)i), 1);
    assert_int_equal(console_ring_put(&ring, 0xff), 0);
    assert_int_equal(console_ring_put(&ring, 0xfe), 0);
    assert_int_equal(ring.dropped, 2);
    assert_int_equal(console_ring_count(&ring), CONSOLE_RING_SIZE);
    assert_int_equal(console_ring_peek(&ring, out, sizeof out), CONSOLE_RING_SIZE);
    for (unsigned i = 0; i < CONSOLE_RING_SIZE; i++)
        assert_int_equal(out[i], (uint8_t)i);
}

static void test_wraps_around(void **state)
{
    (void)state;
    uint8_t out[3];
    /* Counters near the top of uint32_t: the arithmetic must wrap cleanly. */
    ring.head = ring.tail = UINT32_MAX - 1;
    for (uint8_t b = 1; b <= 3; b++)
        assert_int_equal(console_ring_put(&ring, b), 1);
    assert_int_equal(console_ring_count(&ring), 3);
    assert_int_equal(console_ring_peek(&ring, out, 3), 3);
    assert_int_equal(out[0], 1);
    assert_int_equal(out[2], 3);
    console_ring_consume(&ring, 3);
    assert_int_equal(console_ring_count(&ring), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_empty, setup),
        cmocka_unit_test_setup(test_fifo_order, setup),
        cmocka_unit_test_setup(test_full_drops_new_bytes, setup),
        cmocka_unit_test_setup(test_wraps_around, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
