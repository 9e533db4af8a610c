/* Host tests for open file descriptions and record locks (servers/vfs/ofd.c, lock.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>

#include <aramid/errno.h>

#include "lock.h"
#include "ofd.h"

static struct ofd_table *table;
static struct lock_table *locks;

static int setup(void **state)
{
    (void)state;
    table = malloc(sizeof(*table));
    locks = malloc(sizeof(*locks));
    ofd_table_init(table);
    lock_table_init(locks);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(table);
    free(locks);
    return 0;
}

static void test_descriptions_are_shared_and_released(void **state)
{
    (void)state;
    long id = ofd_create(table, 100, OFD_FILE, 2);
    assert_true(id > 0);
    assert_non_null(ofd_find(table, 100, id));
    assert_null(ofd_find(table, 200, id)); /* another process cannot use it */
    assert_null(ofd_find(table, 100, 0));
    assert_null(ofd_find(table, 100, OFD_MAX));
    assert_int_equal(ofd_hold(table, 200, id), 0); /* fork */
    ofd_find(table, 200, id)->offset = 42;
    assert_int_equal(ofd_find(table, 100, id)->offset, 42);
    assert_int_equal(ofd_release(table, 100, id), 0);
    assert_int_equal(ofd_release(table, 100, id), -ARAMID_EBADF);
    assert_int_equal(ofd_release(table, 200, id), 1);
    ofd_free(table, id);
    assert_int_equal(ofd_hold(table, 300, id), -ARAMID_EBADF);
}

static void test_process_holdings_are_enumerated(void **state)
{
    (void)state;
    long a = ofd_create(table, 1, OFD_FILE, 0);
    long b = ofd_create(table, 2, OFD_FILE, 0);
    long c = ofd_create(table, 1, OFD_PIPE_READ, 0);
    long cursor = 1;
    assert_int_equal(ofd_next_held(table, 1, &cursor), a);
    assert_int_equal(ofd_next_held(table, 1, &cursor), c);
    assert_int_equal(ofd_next_held(table, 1, &cursor), 0);
    cursor = 1;
    assert_int_equal(ofd_next_held(table, 2, &cursor), b);
    for (unsigned long p = 3; p < 3 + OFD_HOLDERS_MAX - 1; p++)
        assert_int_equal(ofd_hold(table, p, b), 0);
    assert_int_equal(ofd_hold(table, 999, b), -ARAMID_ENFILE);
}

static void test_pipe_kinds_say_which_end(void **state)
{
    (void)state;
    struct ofd read_end = {.kind = OFD_PIPE_READ}, write_end = {.kind = OFD_PIPE_WRITE};
    struct ofd both = {.kind = OFD_PIPE_BOTH}, file = {.kind = OFD_FILE};
    assert_true(ofd_is_pipe(&read_end) && ofd_is_pipe(&write_end) && ofd_is_pipe(&both));
    assert_false(ofd_is_pipe(&file));
    assert_true(ofd_pipe_reads(&read_end) && ofd_pipe_reads(&both));
    assert_false(ofd_pipe_reads(&write_end) || ofd_pipe_reads(&file));
    assert_true(ofd_pipe_writes(&write_end) && ofd_pipe_writes(&both));
    assert_false(ofd_pipe_writes(&read_end) || ofd_pipe_writes(&file));
}

static void test_table_fills_with_enfile(void **state)
{
    (void)state;
    for (int i = 1; i < OFD_MAX; i++)
        assert_true(ofd_create(table, 1, OFD_FILE, 0) > 0);
    assert_int_equal(ofd_create(table, 1, OFD_FILE, 0), -ARAMID_ENFILE);
}

static void test_record_locks(void **state)
{
    (void)state;
    struct lock_range conflict;
    assert_int_equal(lock_set(locks, 5, 1, LOCK_READ, 0, 100), 0);
    assert_int_equal(lock_set(locks, 5, 2, LOCK_READ, 50, 150), 0); /* readers share */
    assert_int_equal(lock_set(locks, 5, 2, LOCK_WRITE, 50, 150), -ARAMID_EAGAIN);
    assert_false(lock_test(locks, 5, 3, LOCK_WRITE, 99, 100, &conflict));
    assert_true(conflict.owner == 1 || conflict.owner == 2);
    assert_true(lock_test(locks, 6, 3, LOCK_WRITE, 0, LOCK_END_OF_FILE, &conflict));
    assert_true(lock_test(locks, 5, 1, LOCK_WRITE, 0, 50, &conflict)); /* own range */
    /* Unlocking the middle of a range splits it. */
    assert_int_equal(lock_set(locks, 5, 1, LOCK_UNLOCK, 20, 30), 0);
    assert_int_equal(lock_set(locks, 5, 3, LOCK_WRITE, 20, 30), 0);
    assert_false(lock_test(locks, 5, 3, LOCK_WRITE, 10, 11, &conflict));
    assert_int_equal(conflict.owner, 1);
    assert_int_equal(conflict.start, 0);
    assert_int_equal(conflict.end, 20);
    lock_release(locks, 1, 5);
    lock_release(locks, 2, 0);
    assert_true(lock_test(locks, 5, 4, LOCK_WRITE, 0, 20, &conflict));
    assert_true(lock_test(locks, 5, 4, LOCK_WRITE, 30, LOCK_END_OF_FILE, &conflict));
    assert_int_equal(lock_set(locks, 5, 4, 7, 0, 1), -ARAMID_EINVAL);
    assert_int_equal(lock_set(locks, 5, 4, LOCK_READ, 10, 10), -ARAMID_EINVAL);
    for (int i = 0; i < LOCK_MAX; i++)
        (void)lock_set(locks, 100 + i, 9, LOCK_READ, 0, 1);
    assert_int_equal(lock_set(locks, 9999, 9, LOCK_READ, 0, 1), -ARAMID_ENOLCK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_descriptions_are_shared_and_released, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_process_holdings_are_enumerated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pipe_kinds_say_which_end, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_fills_with_enfile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_locks, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
