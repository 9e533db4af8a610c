/* Host tests for proc's resource-limit rules in servers/proc/rlimit.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <aramid/errno.h>

#include "proc_table.h"
#include "rlimit.h"

static void test_defaults_are_linux_like(void **state)
{
    (void)state;
    struct proc_rlimits limits;
    unsigned long soft, hard;
    proc_rlimits_default(&limits);
    assert_int_equal(proc_rlimits_get(&limits, ARAMID_RLIMIT_NOFILE, &soft, &hard), 0);
    assert_int_equal(soft, 1024);
    assert_int_equal(hard, ARAMID_RLIMIT_NOFILE_MAX);
    assert_int_equal(proc_rlimits_get(&limits, ARAMID_RLIMIT_STACK, &soft, &hard), 0);
    assert_int_equal(soft, 8ul << 20);
    assert_true(hard == ARAMID_RLIM_INFINITY);
    assert_int_equal(proc_rlimits_get(&limits, ARAMID_RLIMIT_CORE, &soft, &hard), 0);
    assert_int_equal(soft, 0);
    assert_int_equal(proc_rlimits_get(&limits, ARAMID_RLIMIT_NPROC, &soft, &hard), 0);
    assert_int_equal(soft, PROC_TABLE_SIZE);
}

static void test_set_follows_linux_rules(void **state)
{
    (void)state;
    struct proc_rlimits limits;
    unsigned long soft, hard;
    proc_rlimits_default(&limits);
    assert_int_equal(proc_rlimits_set(&limits, ARAMID_RLIMIT_NOFILE, 10, 20), 0);
    assert_int_equal(proc_rlimits_get(&limits, ARAMID_RLIMIT_NOFILE, &soft, &hard), 0);
    assert_int_equal(soft, 10);
    assert_int_equal(hard, 20);
    assert_int_equal(proc_rlimits_set(&limits, ARAMID_RLIMIT_NOFILE, 30, 20), -ARAMID_EINVAL);
    assert_int_equal(proc_rlimits_set(&limits, ARAMID_RLIMIT_NOFILE, 10, ARAMID_RLIMIT_NOFILE_MAX + 1),
                     -ARAMID_EPERM);
    assert_int_equal(proc_rlimits_set(&limits, 16, 1, 1), -ARAMID_EINVAL);
    assert_int_equal(proc_rlimits_set(&limits, -1, 1, 1), -ARAMID_EINVAL);
    assert_int_equal(proc_rlimits_get(&limits, 16, &soft, &hard), -ARAMID_EINVAL);
    /* The one user is root: raising a hard limit is allowed. */
    assert_int_equal(proc_rlimits_set(&limits, ARAMID_RLIMIT_NOFILE, 10, 1024), 0);
    /* Refused sets leave the limit as it was. */
    assert_int_equal(proc_rlimits_get(&limits, ARAMID_RLIMIT_NOFILE, &soft, &hard), 0);
    assert_int_equal(soft, 10);
    assert_int_equal(hard, 1024);
}

static void test_nproc_and_quota(void **state)
{
    (void)state;
    struct proc_rlimits limits, child;
    proc_rlimits_default(&limits);
    assert_true(proc_rlimits_allow_process(&limits, 5));
    assert_int_equal(proc_rlimits_set(&limits, ARAMID_RLIMIT_NPROC, 5, 5), 0);
    assert_false(proc_rlimits_allow_process(&limits, 5));
    assert_true(proc_rlimits_allow_process(&limits, 4));
    assert_int_equal(proc_rlimits_quota_pages(&limits, 77), 77);
    assert_int_equal(proc_rlimits_set(&limits, ARAMID_RLIMIT_AS, 64ul << 20, 64ul << 20), 0);
    assert_int_equal(proc_rlimits_quota_pages(&limits, 77), (64ul << 20) / 4096);
    assert_int_equal(proc_rlimits_set(&limits, ARAMID_RLIMIT_DATA, 8192 + 100, 1ul << 30), 0);
    assert_int_equal(proc_rlimits_quota_pages(&limits, 77), 2);
    proc_rlimits_inherit(&child, &limits);
    assert_int_equal(proc_rlimits_quota_pages(&child, 77), 2);
    proc_rlimits_inherit(&child, NULL);
    assert_int_equal(proc_rlimits_quota_pages(&child, 77), 77);
}

static void test_table_children_inherit(void **state)
{
    (void)state;
    static struct proc_table table;
    struct proc_entry *init, *child;
    proc_table_init(&table);
    assert_int_equal(proc_table_add(&table, 0, &init), 0);
    assert_int_equal(proc_rlimits_set(&init->rlimits, ARAMID_RLIMIT_NOFILE, 7, 9), 0);
    assert_int_equal(proc_table_add(&table, init->pid, &child), 0);
    assert_int_equal(child->rlimits.soft[ARAMID_RLIMIT_NOFILE], 1024); /* the defaults */
    proc_rlimits_inherit(&child->rlimits, &init->rlimits);            /* as fork does */
    assert_int_equal(child->rlimits.soft[ARAMID_RLIMIT_NOFILE], 7);
    assert_int_equal(child->rlimits.hard[ARAMID_RLIMIT_NOFILE], 9);
    struct proc_entry *grandchild, *sibling;
    assert_int_equal(proc_table_add(&table, child->pid, &grandchild), 0);
    assert_int_equal(proc_table_add(&table, init->pid, &sibling), 0);
    assert_true(proc_rlimits_may_set(&table, child, child));
    assert_true(proc_rlimits_may_set(&table, child, grandchild));
    assert_true(proc_rlimits_may_set(&table, init, grandchild));
    assert_false(proc_rlimits_may_set(&table, child, init));
    assert_false(proc_rlimits_may_set(&table, child, sibling));
    assert_false(proc_rlimits_may_set(&table, grandchild, child));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_are_linux_like),
        cmocka_unit_test(test_set_follows_linux_rules),
        cmocka_unit_test(test_nproc_and_quota),
        cmocka_unit_test(test_table_children_inherit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
