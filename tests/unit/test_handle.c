/* Host tests for the per-process handle table in ukernel/kern/handle.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "handle.h"
#include "kerrno.h"

#define CAPACITY 8

static struct handle_slot slots[CAPACITY];
static struct handle_table table;
static int objects[CAPACITY * 2];

static int setup(void **state)
{
    (void)state;
    return handle_table_init(&table, slots, CAPACITY);
}

static void test_init_rejects_bad_capacity(void **state)
{
    (void)state;
    static struct handle_slot big[HANDLE_MAX_SLOTS + 1];
    struct handle_table t;
    assert_int_equal(handle_table_init(&t, slots, 0), -EINVAL);
    assert_int_equal(handle_table_init(&t, NULL, 4), -EINVAL);
    assert_int_equal(handle_table_init(&t, big, HANDLE_MAX_SLOTS + 1), -EINVAL);
    assert_int_equal(handle_table_init(&t, big, HANDLE_MAX_SLOTS), 0);
}

static void test_install_and_lookup(void **state)
{
    (void)state;
    handle_t h = handle_install(&table, &objects[0], HANDLE_TYPE_ENDPOINT,
                                HANDLE_RIGHT_SEND | HANDLE_RIGHT_GRANT);
    assert_true(h > 0 && h <= INT32_MAX);
    void *object = NULL;
    assert_int_equal(handle_lookup(&table, h, HANDLE_TYPE_ENDPOINT, HANDLE_RIGHT_SEND, &object), 0);
    assert_ptr_equal(object, &objects[0]);
    assert_int_equal(handle_lookup(&table, h, HANDLE_TYPE_ENDPOINT, 0, &object), 0);
    assert_int_equal(handle_lookup(&table, h, HANDLE_TYPE_ENDPOINT,
                                   HANDLE_RIGHT_SEND | HANDLE_RIGHT_RECEIVE, &object),
                     -EPERM);
    assert_int_equal(handle_lookup(&table, h, HANDLE_TYPE_NOTIFICATION, 0, &object), -EBADF);
    assert_int_equal(handle_lookup(&table, h, HANDLE_TYPE_NONE, 0, &object), -EBADF);

    struct handle_info info;
    assert_int_equal(handle_get_info(&table, h, &info), 0);
    assert_ptr_equal(info.object, &objects[0]);
    assert_int_equal(info.type, HANDLE_TYPE_ENDPOINT);
    assert_int_equal(info.rights, HANDLE_RIGHT_SEND | HANDLE_RIGHT_GRANT);
    assert_int_equal(handle_table_count(&table), 1);
}

static void test_install_rejects_bad_arguments(void **state)
{
    (void)state;
    assert_int_equal(handle_install(&table, NULL, HANDLE_TYPE_THREAD, 0), -EINVAL);
    assert_int_equal(handle_install(&table, &objects[0], HANDLE_TYPE_NONE, 0), -EINVAL);
    assert_int_equal(handle_install(&table, &objects[0], HANDLE_TYPE_COUNT, 0), -EINVAL);
    assert_int_equal(
        handle_install(&table, &objects[0], (enum handle_type)(HANDLE_TYPE_COUNT + 100), 0),
        -EINVAL);
    assert_int_equal(handle_install(&table, &objects[0], HANDLE_TYPE_THREAD, HANDLE_RIGHTS_VALID + 1),
                     -EINVAL);
    assert_int_equal(handle_table_count(&table), 0);
}

static void test_stale_after_close_and_reuse(void **state)
{
    (void)state;
    handle_t h = handle_install(&table, &objects[0], HANDLE_TYPE_THREAD, HANDLE_RIGHTS_ALL);
    void *object;
    enum handle_type type;
    assert_int_equal(handle_close(&table, h, &object, &type), 0);
    assert_ptr_equal(object, &objects[0]);
    assert_int_equal(type, HANDLE_TYPE_THREAD);
    assert_int_equal(handle_lookup(&table, h, HANDLE_TYPE_THREAD, 0, &object), -EBADF);
    assert_int_equal(handle_close(&table, h, NULL, NULL), -EBADF);

    /* Fill the whole table so the closed slot is certainly reused. */
    handle_t fresh[CAPACITY];
    for (int i = 0; i < CAPACITY; i++) {
        fresh[i] = handle_install(&table, &objects[i + 1], HANDLE_TYPE_THREAD, HANDLE_RIGHTS_ALL);
        assert_true(fresh[i] > 0);
        assert_int_not_equal(fresh[i], h);
    }
    assert_int_equal(handle_lookup(&table, h, HANDLE_TYPE_THREAD, 0, &object), -EBADF);
    assert_int_equal(handle_get_info(&table, h, &(struct handle_info){0}), -EBADF);
    assert_int_equal(handle_duplicate(&table, h, HANDLE_RIGHTS_ALL), -EBADF);
    for (int i = 0; i < CAPACITY; i++) {
        assert_int_equal(handle_lookup(&table, fresh[i], HANDLE_TYPE_THREAD, 0, &object), 0);
        assert_ptr_equal(object, &objects[i + 1]);
    }
}

static void test_generation_wraps_but_stays_positive(void **state)
{
    (void)state;
    struct handle_slot one[1];
    struct handle_table t;
    assert_int_equal(handle_table_init(&t, one, 1), 0);
    handle_t first = handle_install(&t, &objects[0], HANDLE_TYPE_PROCESS, 0);
    handle_t h = first;
    for (uint32_t i = 0; i < HANDLE_GENERATION_MAX; i++) {
        assert_int_equal(handle_close(&t, h, NULL, NULL), 0);
        h = handle_install(&t, &objects[0], HANDLE_TYPE_PROCESS, 0);
        assert_true(h > 0 && h <= INT32_MAX);
        if (i + 1 < HANDLE_GENERATION_MAX)
            assert_int_not_equal(h, first);
    }
    /* After HANDLE_GENERATION_MAX reuses the value comes back: the documented bound. */
    assert_int_equal(h, first);
}

static void test_forged_values(void **state)
{
    (void)state;
    handle_t h = handle_install(&table, &objects[0], HANDLE_TYPE_MEMORY_OBJECT, HANDLE_RIGHTS_ALL);
    void *object;
    const handle_t forged[] = {
        0,
        -1,
        -h,
        INT64_MIN,
        INT64_MAX,
        (handle_t)INT32_MAX + 1,
        h + ((handle_t)1 << 32),             /* valid low 32 bits, junk above */
        h ^ 1,                               /* neighbouring slot, never used */
        h + (1 << HANDLE_INDEX_BITS),        /* next generation of the same slot */
        h - (1 << HANDLE_INDEX_BITS),        /* generation 0 */
        CAPACITY | (1 << HANDLE_INDEX_BITS), /* index past the table */
        HANDLE_MAX_SLOTS - 1,
        1,
    };
    for (size_t i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
        assert_int_equal(handle_lookup(&table, forged[i], HANDLE_TYPE_MEMORY_OBJECT, 0, &object),
                         -EBADF);
        assert_int_equal(handle_close(&table, forged[i], NULL, NULL), -EBADF);
        assert_int_equal(handle_duplicate(&table, forged[i], HANDLE_RIGHTS_ALL), -EBADF);
    }

    srand(12345);
    for (int i = 0; i < 100000; i++) {
        uint64_t bits = ((uint64_t)rand() << 33) ^ ((uint64_t)rand() << 2) ^ (uint64_t)rand();
        handle_t value = (handle_t)bits;
        if (value == h)
            continue;
        assert_int_equal(handle_lookup(&table, value, HANDLE_TYPE_MEMORY_OBJECT, 0, &object),
                         -EBADF);
    }
    assert_int_equal(handle_lookup(&table, h, HANDLE_TYPE_MEMORY_OBJECT, 0, &object), 0);
    assert_int_equal(handle_table_count(&table), 1);
}

static void test_duplicate_only_reduces_rights(void **state)
{
    (void)state;
    uint32_t rights = HANDLE_RIGHT_READ | HANDLE_RIGHT_MAP | HANDLE_RIGHT_DUPLICATE;
    handle_t h = handle_install(&table, &objects[0], HANDLE_TYPE_MEMORY_OBJECT, rights);
    void *object;

    handle_t same = handle_duplicate(&table, h, HANDLE_RIGHTS_ALL | 0xffff0000u);
    assert_true(same > 0);
    assert_int_not_equal(same, h);
    struct handle_info info;
    assert_int_equal(handle_get_info(&table, same, &info), 0);
    assert_int_equal(info.rights, rights);
    assert_ptr_equal(info.object, &objects[0]);

    handle_t read_only = handle_duplicate(&table, h, HANDLE_RIGHT_READ | HANDLE_RIGHT_WRITE);
    assert_true(read_only > 0);
    assert_int_equal(handle_get_info(&table, read_only, &info), 0);
    assert_int_equal(info.rights, HANDLE_RIGHT_READ);
    assert_int_equal(
        handle_lookup(&table, read_only, HANDLE_TYPE_MEMORY_OBJECT, HANDLE_RIGHT_WRITE, &object),
        -EPERM);
    assert_int_equal(
        handle_lookup(&table, read_only, HANDLE_TYPE_MEMORY_OBJECT, HANDLE_RIGHT_MAP, &object),
        -EPERM);
    /* The reduced handle lost DUPLICATE, so it cannot be duplicated again. */
    assert_int_equal(handle_duplicate(&table, read_only, HANDLE_RIGHTS_ALL), -EPERM);

    /* Closing the original leaves the duplicates working. */
    assert_int_equal(handle_close(&table, h, NULL, NULL), 0);
    assert_int_equal(
        handle_lookup(&table, read_only, HANDLE_TYPE_MEMORY_OBJECT, HANDLE_RIGHT_READ, &object), 0);
    assert_ptr_equal(object, &objects[0]);
}

static void test_table_full(void **state)
{
    (void)state;
    handle_t h[CAPACITY];
    for (int i = 0; i < CAPACITY; i++) {
        h[i] = handle_install(&table, &objects[i], HANDLE_TYPE_NOTIFICATION, HANDLE_RIGHTS_ALL);
        assert_true(h[i] > 0);
    }
    assert_int_equal(handle_install(&table, &objects[0], HANDLE_TYPE_NOTIFICATION, 0), -EMFILE);
    assert_int_equal(handle_duplicate(&table, h[0], HANDLE_RIGHTS_ALL), -EMFILE);
    assert_int_equal(handle_table_count(&table), CAPACITY);

    assert_int_equal(handle_close(&table, h[3], NULL, NULL), 0);
    handle_t again = handle_install(&table, &objects[3], HANDLE_TYPE_NOTIFICATION, 0);
    assert_true(again > 0);
    assert_int_not_equal(again, h[3]);
}

struct close_record {
    size_t calls;
    int seen[CAPACITY];
};

static void record_close(void *ctx, void *object, enum handle_type type)
{
    struct close_record *record = ctx;
    assert_int_equal(type, HANDLE_TYPE_ADDRESS_SPACE);
    int *slot_object = object;
    record->seen[slot_object - objects]++;
    record->calls++;
}

static void test_close_all(void **state)
{
    (void)state;
    handle_t h[5];
    for (int i = 0; i < 5; i++)
        h[i] = handle_install(&table, &objects[i], HANDLE_TYPE_ADDRESS_SPACE, HANDLE_RIGHTS_ALL);
    assert_int_equal(handle_close(&table, h[1], NULL, NULL), 0);

    struct close_record record = {0};
    assert_int_equal(handle_table_close_all(&table, record_close, &record), 4);
    assert_int_equal(record.calls, 4);
    assert_int_equal(record.seen[0], 1);
    assert_int_equal(record.seen[1], 0);
    assert_int_equal(record.seen[4], 1);
    assert_int_equal(handle_table_count(&table), 0);

    void *object;
    for (int i = 0; i < 5; i++)
        assert_int_equal(handle_lookup(&table, h[i], HANDLE_TYPE_ADDRESS_SPACE, 0, &object),
                         -EBADF);

    /* The table is usable again, and all CAPACITY slots are free. */
    for (int i = 0; i < CAPACITY; i++)
        assert_true(handle_install(&table, &objects[i], HANDLE_TYPE_THREAD, 0) > 0);
    assert_int_equal(handle_install(&table, &objects[0], HANDLE_TYPE_THREAD, 0), -EMFILE);
}

static void count_copy(void *ctx, void *object, enum handle_type type)
{
    (void)object;
    (void)type;
    (*(int *)ctx)++;
}

static void test_badges_travel_with_duplicates(void **state)
{
    (void)state;
    handle_t minted = handle_install_badged(&table, &objects[0], HANDLE_TYPE_ENDPOINT,
                                            HANDLE_RIGHT_SEND | HANDLE_RIGHT_DUPLICATE, 77);
    assert_true(minted > 0);
    handle_t copy = handle_duplicate(&table, minted, HANDLE_RIGHT_SEND);
    struct handle_info info;
    assert_int_equal(handle_get_info(&table, copy, &info), 0);
    assert_int_equal(info.badge, 77);
    assert_int_equal(info.rights, HANDLE_RIGHT_SEND);
    handle_t plain = handle_install(&table, &objects[1], HANDLE_TYPE_ENDPOINT, HANDLE_RIGHT_SEND);
    assert_int_equal(handle_get_info(&table, plain, &info), 0);
    assert_int_equal(info.badge, 0);
}

static void test_inherit_mark_set_by_duplicate_but_no_rights_added(void **state)
{
    (void)state;
    handle_t h = handle_install(&table, &objects[0], HANDLE_TYPE_MEMORY_OBJECT,
                                HANDLE_RIGHT_READ | HANDLE_RIGHT_DUPLICATE);
    handle_t marked = handle_duplicate(&table, h, HANDLE_RIGHTS_VALID);
    struct handle_info info;
    assert_int_equal(handle_get_info(&table, marked, &info), 0);
    assert_int_equal(info.rights, HANDLE_RIGHT_READ | HANDLE_RIGHT_DUPLICATE | HANDLE_RIGHT_INHERIT);
}

static void test_copy_inherited_keeps_values_and_only_marked(void **state)
{
    (void)state;
    static struct handle_slot child_slots[CAPACITY];
    struct handle_table child;
    assert_int_equal(handle_table_init(&child, child_slots, CAPACITY), 0);
    handle_t kept = handle_install_badged(&table, &objects[0], HANDLE_TYPE_ENDPOINT,
                                          HANDLE_RIGHT_SEND | HANDLE_RIGHT_INHERIT, 5);
    handle_t private = handle_install(&table, &objects[1], HANDLE_TYPE_PROCESS,
                                      HANDLE_RIGHT_MANAGE);
    int copies = 0;
    assert_int_equal(handle_table_copy_inherited(&child, &table, count_copy, &copies), 1);
    assert_int_equal(copies, 1);
    void *object;
    assert_int_equal(handle_lookup(&child, kept, HANDLE_TYPE_ENDPOINT, HANDLE_RIGHT_SEND, &object),
                     0);
    assert_ptr_equal(object, &objects[0]);
    struct handle_info info;
    assert_int_equal(handle_get_info(&child, kept, &info), 0);
    assert_int_equal(info.badge, 5);
    assert_int_equal(handle_get_info(&child, private, &info), -EBADF);
    /* New handles in the child never collide with the copied one. */
    for (int i = 0; i < CAPACITY - 1; i++)
        assert_true(handle_install(&child, &objects[2], HANDLE_TYPE_THREAD, 0) != kept);
    assert_int_equal(handle_install(&child, &objects[2], HANDLE_TYPE_THREAD, 0), -EMFILE);
    /* Only an empty table can be filled. */
    assert_int_equal(handle_table_copy_inherited(&child, &table, count_copy, &copies), -EINVAL);
}

static void test_close_uninherited_spares_marked(void **state)
{
    (void)state;
    handle_t kept = handle_install(&table, &objects[0], HANDLE_TYPE_ENDPOINT,
                                   HANDLE_RIGHT_SEND | HANDLE_RIGHT_INHERIT);
    handle_t gone = handle_install(&table, &objects[1], HANDLE_TYPE_ENDPOINT, HANDLE_RIGHT_SEND);
    int closed = 0;
    assert_int_equal(handle_table_close_uninherited(&table, count_copy, &closed), 1);
    assert_int_equal(closed, 1);
    struct handle_info info;
    assert_int_equal(handle_get_info(&table, kept, &info), 0);
    assert_int_equal(handle_get_info(&table, gone, &info), -EBADF);
}

static uint32_t index_of(handle_t handle)
{
    return (uint32_t)handle & (HANDLE_MAX_SLOTS - 1);
}

/* Slots are taken holes first, then never-used ones in index order, then closed ones oldest
 * first; a never-used slot is never read, whatever its memory holds. */
static void test_slot_order_and_unwritten_slots(void **state)
{
    (void)state;
    static struct handle_slot dirty[CAPACITY];
    struct handle_table t;
    memset(dirty, 0xa5, sizeof(dirty));
    for (int i = 0; i < CAPACITY; i++) { /* garbage that looks like a live endpoint */
        dirty[i].generation = 1;
        dirty[i].type = HANDLE_TYPE_ENDPOINT;
        dirty[i].rights = HANDLE_RIGHTS_ALL;
    }
    assert_int_equal(handle_table_init(&t, dirty, CAPACITY), 0);
    void *object;
    assert_int_equal(handle_lookup(&t, (handle_t)((1u << HANDLE_INDEX_BITS) | 3),
                                   HANDLE_TYPE_ENDPOINT, 0, &object), -EBADF);
    handle_t first = handle_install(&t, &objects[0], HANDLE_TYPE_THREAD, HANDLE_RIGHT_INHERIT);
    handle_t second = handle_install(&t, &objects[1], HANDLE_TYPE_THREAD, 0);
    handle_t third = handle_install(&t, &objects[2], HANDLE_TYPE_THREAD, HANDLE_RIGHT_INHERIT);
    assert_int_equal(index_of(first), 0);
    assert_int_equal(index_of(second), 1);
    assert_int_equal(index_of(third), 2);
    assert_int_equal(handle_close(&t, second, NULL, NULL), 0);
    assert_int_equal(index_of(handle_install(&t, &objects[3], HANDLE_TYPE_THREAD, 0)), 3);
    /* A child's copy: slot 1 is a hole (taken first), then 4 on, never used. */
    static struct handle_slot child_slots[CAPACITY];
    struct handle_table child;
    memset(child_slots, 0xa5, sizeof(child_slots));
    assert_int_equal(handle_table_init(&child, child_slots, CAPACITY), 0);
    int copies = 0;
    assert_int_equal(handle_table_copy_inherited(&child, &t, count_copy, &copies), 2);
    handle_t hole = handle_install(&child, &objects[4], HANDLE_TYPE_THREAD, 0);
    assert_int_equal(index_of(hole), 1);
    assert_int_equal(index_of(handle_install(&child, &objects[4], HANDLE_TYPE_THREAD, 0)), 3);
    assert_int_equal(index_of(handle_install(&child, &objects[4], HANDLE_TYPE_THREAD, 0)), 4);
    assert_int_equal(handle_close(&child, hole, NULL, NULL), 0);
    for (int i = 5; i < CAPACITY; i++)
        assert_int_equal(index_of(handle_install(&child, &objects[4], HANDLE_TYPE_THREAD, 0)), i);
    assert_int_equal(index_of(handle_install(&child, &objects[4], HANDLE_TYPE_THREAD, 0)), 1);
    assert_int_equal(handle_install(&child, &objects[4], HANDLE_TYPE_THREAD, 0), -EMFILE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_rejects_bad_capacity),
        cmocka_unit_test(test_slot_order_and_unwritten_slots),
        cmocka_unit_test_setup(test_install_and_lookup, setup),
        cmocka_unit_test_setup(test_install_rejects_bad_arguments, setup),
        cmocka_unit_test_setup(test_stale_after_close_and_reuse, setup),
        cmocka_unit_test(test_generation_wraps_but_stays_positive),
        cmocka_unit_test_setup(test_forged_values, setup),
        cmocka_unit_test_setup(test_duplicate_only_reduces_rights, setup),
        cmocka_unit_test_setup(test_table_full, setup),
        cmocka_unit_test_setup(test_close_all, setup),
        cmocka_unit_test_setup(test_badges_travel_with_duplicates, setup),
        cmocka_unit_test_setup(test_inherit_mark_set_by_duplicate_but_no_rights_added, setup),
        cmocka_unit_test_setup(test_copy_inherited_keeps_values_and_only_marked, setup),
        cmocka_unit_test_setup(test_close_uninherited_spares_marked, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
