/* Host tests for servers' object tables and their holders across fork (libsys/slots.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>

#include <aramid/errno.h>
#include <aramid/heap.h>
#include <aramid/holders.h>
#include <aramid/slots.h>

/* The heap servers use, as its contract says: zeroed memory. */
void *aramid_heap_alloc(size_t bytes)
{
    return calloc(1, bytes);
}

void aramid_heap_free(void *memory, size_t bytes)
{
    (void)bytes;
    free(memory);
}

struct object {
    int value;
    struct aramid_holders holders;
};

static void test_take_lowest_free_and_grow(void **state)
{
    (void)state;
    struct aramid_slots table = {0};
    static int objects[200];
    for (long i = 0; i < 64; i++) {
        long slot = aramid_slots_take(&table, 1024);
        assert_int_equal(slot, i);
        aramid_slots_put(&table, (unsigned long)slot, &objects[i]);
    }
    assert_int_equal(table.capacity, 64);
    assert_int_equal(aramid_slots_take(&table, 1024), 64); /* grown to 128, old slots kept */
    assert_int_equal(table.capacity, 128);
    assert_ptr_equal(aramid_slots_get(&table, 5), &objects[5]);
    assert_null(aramid_slots_get(&table, 64)); /* taken but not filled: still free */
    assert_null(aramid_slots_get(&table, 100000));
    assert_int_equal(aramid_slots_take(&table, 1024), 64); /* an unfilled take leaves no gap */
    aramid_slots_clear(&table, 7);
    assert_int_equal(aramid_slots_take(&table, 1024), 7);
    free(table.slots);
}

static void test_take_refuses_beyond_max(void **state)
{
    (void)state;
    struct aramid_slots table = {0};
    static int object;
    for (int i = 0; i < 64; i++)
        aramid_slots_put(&table, (unsigned long)aramid_slots_take(&table, 64), &object);
    assert_int_equal(aramid_slots_take(&table, 64), -ARAMID_ENFILE);
    free(table.slots);
}

static void test_fork_copies_holds_of_the_parent_only(void **state)
{
    (void)state;
    struct aramid_slots table = {0};
    struct object held = {0}, other = {0};
    assert_int_equal(aramid_holders_add(&held.holders, 10), 0);
    assert_int_equal(aramid_holders_add(&other.holders, 20), 0);
    aramid_slots_put(&table, (unsigned long)aramid_slots_take(&table, 64), &held);
    aramid_slots_put(&table, (unsigned long)aramid_slots_take(&table, 64), &other);
    aramid_slots_clear(&table, 0);
    aramid_slots_put(&table, (unsigned long)aramid_slots_take(&table, 64), &held); /* slot 0 */
    aramid_slots_fork(&table, offsetof(struct object, holders), 10, 11);
    assert_true(aramid_holders_has(&held.holders, 11));
    assert_false(aramid_holders_has(&other.holders, 11));
    assert_int_equal(held.holders.count, 2);
    aramid_holders_free(&held.holders);
    aramid_holders_free(&other.holders);
    free(table.slots);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_take_lowest_free_and_grow),
        cmocka_unit_test(test_take_refuses_beyond_max),
        cmocka_unit_test(test_fork_copies_holds_of_the_parent_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
