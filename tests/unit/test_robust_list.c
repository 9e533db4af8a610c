/* Host tests for the robust-list walk in ukernel/kern/robust_list.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "robust_list.h"

/* A fake memory of 64-bit words at addresses BASE + 8 * i; a "mutex" is 4 words: next at +0,
 * the lock word at +8. */
#define BASE 0x10000ul
#define WORDS 256
#define NEXT_OFFSET 0
#define WORD_OFFSET 8
static uint64_t memory[WORDS];
static uint64_t released[4096];
static unsigned released_count;
static int relink_on_release; /* a release relinks the mutex (another process took it) */

static int fake_read(void *context, uint64_t address, uint64_t *value)
{
    assert_ptr_equal(context, memory);
    if (address < BASE || address >= BASE + 8 * WORDS || (address & 7))
        return -1;
    *value = memory[(address - BASE) / 8];
    return 0;
}

static void fake_release(void *context, uint64_t word_address)
{
    assert_ptr_equal(context, memory);
    if (released_count < sizeof(released) / sizeof(released[0]))
        released[released_count] = word_address;
    released_count++;
    if (relink_on_release && word_address >= BASE + WORD_OFFSET &&
        word_address < BASE + 8 * WORDS)
        memory[(word_address - WORD_OFFSET - BASE) / 8] = 0xdead0000ul; /* its new owner's */
}

static const struct robust_list_access access = {fake_read, fake_release, memory};

static uint64_t mutex_at(unsigned index)
{
    return BASE + 64 + 32 * (uint64_t)index;
}

static void set(uint64_t address, uint64_t value)
{
    memory[(address - BASE) / 8] = value;
}

/* The head at BASE: first, the offsets, pending. */
static void head(uint64_t first, uint64_t pending)
{
    set(BASE, first);
    set(BASE + 8, NEXT_OFFSET);
    set(BASE + 16, WORD_OFFSET);
    set(BASE + 24, pending);
}

static int setup(void **state)
{
    (void)state;
    memset(memory, 0, sizeof(memory));
    released_count = 0;
    relink_on_release = 0;
    return 0;
}

static void test_empty_list(void **state)
{
    (void)state;
    head(0, 0);
    assert_int_equal(robust_list_walk(BASE, 2048, &access), 0);
}

static void test_three_then_pending(void **state)
{
    (void)state;
    head(mutex_at(0), mutex_at(5));
    set(mutex_at(0) + NEXT_OFFSET, mutex_at(1));
    set(mutex_at(1) + NEXT_OFFSET, mutex_at(2));
    set(mutex_at(2) + NEXT_OFFSET, 0);
    assert_int_equal(robust_list_walk(BASE, 2048, &access), 4);
    assert_int_equal(released[0], mutex_at(0) + WORD_OFFSET);
    assert_int_equal(released[1], mutex_at(1) + WORD_OFFSET);
    assert_int_equal(released[2], mutex_at(2) + WORD_OFFSET);
    assert_int_equal(released[3], mutex_at(5) + WORD_OFFSET);
}

/* Each next link is read before its mutex is released: a new owner relinking it afterwards
 * does not send the walk into its list. */
static void test_next_read_before_release(void **state)
{
    (void)state;
    relink_on_release = 1;
    head(mutex_at(0), 0);
    set(mutex_at(0) + NEXT_OFFSET, mutex_at(1));
    set(mutex_at(1) + NEXT_OFFSET, 0);
    assert_int_equal(robust_list_walk(BASE, 2048, &access), 2);
    assert_int_equal(released[1], mutex_at(1) + WORD_OFFSET);
}

static void test_cycle_is_bounded(void **state)
{
    (void)state;
    head(mutex_at(0), 0);
    set(mutex_at(0) + NEXT_OFFSET, mutex_at(1));
    set(mutex_at(1) + NEXT_OFFSET, mutex_at(0));
    assert_int_equal(robust_list_walk(BASE, 2048, &access), 2048);
    assert_int_equal(robust_list_walk(BASE, 5, &access), 5);
}

/* An unreadable link (outside memory, misaligned) ends the list; pending still goes. */
static void test_unreadable_link_ends_it(void **state)
{
    (void)state;
    head(mutex_at(0), mutex_at(3));
    set(mutex_at(0) + NEXT_OFFSET, 0x7fff0000ul);
    assert_int_equal(robust_list_walk(BASE, 2048, &access), 2); /* mutex 0, then pending */
    assert_int_equal(released[0], mutex_at(0) + WORD_OFFSET);
    assert_int_equal(released[1], mutex_at(3) + WORD_OFFSET);
    setup(NULL);
    head(mutex_at(0) + 4, 0); /* misaligned */
    assert_int_equal(robust_list_walk(BASE, 2048, &access), 0);
}

static void test_unreadable_head(void **state)
{
    (void)state;
    assert_int_equal(robust_list_walk(0x20, 2048, &access), 0);
    assert_int_equal(robust_list_walk(BASE + 8 * WORDS - 16, 2048, &access), 0);
    assert_int_equal(released_count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_empty_list, setup),
        cmocka_unit_test_setup(test_three_then_pending, setup),
        cmocka_unit_test_setup(test_next_read_before_release, setup),
        cmocka_unit_test_setup(test_cycle_is_bounded, setup),
        cmocka_unit_test_setup(test_unreadable_link_ends_it, setup),
        cmocka_unit_test_setup(test_unreadable_head, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
