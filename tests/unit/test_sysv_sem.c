/* Host tests for System V semaphore operations in servers/ipc/sysv_sem.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <aramid/errno.h>

#include "sysv_sem.h"

static void test_all_or_nothing(void **state)
{
    (void)state;
    unsigned short values[3] = {1, 0, 5};
    unsigned blocker = 99;
    struct sysv_sembuf ops[] = {{0, -1, 0}, {1, -1, 0}};
    assert_int_equal(sysv_sem_try(values, 3, ops, 2, &blocker), 1);
    assert_int_equal(blocker, 1);
    assert_int_equal(values[0], 1); /* nothing applied */
    struct sysv_sembuf later[] = {{1, 2, 0}, {1, -1, 0}, {0, -1, 0}, {2, 0, 0}};
    assert_int_equal(sysv_sem_try(values, 3, later, 3, &blocker), 0);
    assert_int_equal(values[0], 0);
    assert_int_equal(values[1], 1);
    /* Waiting for zero on a nonzero value. */
    assert_int_equal(sysv_sem_try(values, 3, &later[3], 1, &blocker), 1);
    assert_int_equal(blocker, 0);
}

static void test_errors(void **state)
{
    (void)state;
    unsigned short values[2] = {0, SYSV_SEMVMX};
    unsigned blocker;
    struct sysv_sembuf beyond[] = {{0, 1, 0}, {2, 1, 0}};
    assert_int_equal(sysv_sem_try(values, 2, beyond, 2, &blocker), -ARAMID_EFBIG);
    assert_int_equal(values[0], 0);
    struct sysv_sembuf nowait = {0, -1, SYSV_IPC_NOWAIT};
    assert_int_equal(sysv_sem_try(values, 2, &nowait, 1, &blocker), -ARAMID_EAGAIN);
    struct sysv_sembuf over = {1, 1, 0};
    assert_int_equal(sysv_sem_try(values, 2, &over, 1, &blocker), -ARAMID_ERANGE);
    assert_true(sysv_sem_out_of_range(2, beyond, 2));
    assert_false(sysv_sem_out_of_range(2, beyond, 1));
}

static void test_undo_clamps(void **state)
{
    (void)state;
    assert_int_equal(sysv_sem_undo(3, 1), 4);
    assert_int_equal(sysv_sem_undo(1, -5), 0);
    assert_int_equal(sysv_sem_undo(SYSV_SEMVMX - 1, 10), SYSV_SEMVMX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_or_nothing),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_undo_clamps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
