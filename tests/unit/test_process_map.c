/* Host tests for the process map (libsys/process_map.c): insert, find, remove with back shifts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <setjmp.h>
#include <cmocka.h>

#include <aramid/process_map.h>

/* Grows as libsys's heap version does, with calloc. */
static long *map_add(struct aramid_process_map *map, long process)
{
    if (aramid_process_map_find(map, process) == NULL && aramid_process_map_full(map)) {
        unsigned capacity = map->capacity ? map->capacity * 2 : 4;
        struct aramid_process_map_entry *old = map->entries;
        aramid_process_map_move(map, calloc(capacity, sizeof(*old)), capacity);
        free(old);
    }
    return aramid_process_map_insert(map, process);
}

static void test_empty(void **state)
{
    (void)state;
    struct aramid_process_map map = {0};
    assert_null(aramid_process_map_find(&map, 5));
    aramid_process_map_remove(&map, 5);
    assert_true(aramid_process_map_full(&map));
}

static void test_insert_find_remove(void **state)
{
    (void)state;
    struct aramid_process_map map = {0};
    for (long p = 1; p <= 1000; p++)
        *map_add(&map, p * 7919) = p;
    assert_int_equal(map.count, 1000);
    assert_true(map.capacity >= 2000);
    for (long p = 1; p <= 1000; p++)
        assert_int_equal(*aramid_process_map_find(&map, p * 7919), p);
    assert_null(aramid_process_map_find(&map, 3));
    /* Remove every other one: the rest stay reachable across the shifted runs. */
    for (long p = 1; p <= 1000; p += 2)
        aramid_process_map_remove(&map, p * 7919);
    assert_int_equal(map.count, 500);
    for (long p = 1; p <= 1000; p++) {
        long *value = aramid_process_map_find(&map, p * 7919);
        if (p % 2)
            assert_null(value);
        else
            assert_int_equal(*value, p);
    }
    /* Inserting again an existing one keeps its value. */
    assert_int_equal(*map_add(&map, 2 * 7919), 2);
    assert_int_equal(map.count, 500);
    free(map.entries);
}

/* Colliding keys in a small table: removal in the middle of a wrapped run. */
static void test_collisions(void **state)
{
    (void)state;
    struct aramid_process_map_entry entries[16] = {{0}};
    struct aramid_process_map map = {0};
    aramid_process_map_move(&map, entries, 16);
    for (long p = 1; p <= 7; p++)
        *aramid_process_map_insert(&map, p * 16) = p; /* 7 of 16 slots: runs collide and wrap */
    for (long p = 1; p <= 7; p++) {
        aramid_process_map_remove(&map, p * 16);
        for (long q = p + 1; q <= 7; q++)
            assert_int_equal(*aramid_process_map_find(&map, q * 16), q);
    }
    assert_int_equal(map.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_insert_find_remove),
        cmocka_unit_test(test_collisions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
