/* Host tests for proc's process table in servers/proc/proc_table.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <aramid/errno.h>
#include <aramid/proto/proc.h>

#include "proc_table.h"

static struct proc_table table;
static struct proc_entry *init;

static int setup(void **state)
{
    (void)state;
    proc_table_init(&table);
    return (int)proc_table_add(&table, 0, &init);
}

static struct proc_entry *add(long parent)
{
    struct proc_entry *entry = NULL;
    assert_int_equal(proc_table_add(&table, parent, &entry), 0);
    return entry;
}

static void test_pids_start_at_init_and_are_unique(void **state)
{
    (void)state;
    assert_int_equal(init->pid, PROC_INIT_PID);
    struct proc_entry *a = add(1), *b = add(1);
    assert_int_equal(a->pid, 2);
    assert_int_equal(b->pid, 3);
    assert_ptr_equal(proc_table_find_pid(&table, 3), b);
    assert_null(proc_table_find_pid(&table, 4));
    assert_null(proc_table_find_pid(&table, -1));
}

static void test_pids_are_not_reused_at_once_and_wrap(void **state)
{
    (void)state;
    struct proc_entry *a = add(1);
    long pid = a->pid;
    proc_table_remove(&table, a);
    assert_true(add(1)->pid > pid);
    table.next_pid = PROC_PID_MAX;
    assert_int_equal(add(1)->pid, PROC_PID_MAX);
    assert_int_equal(add(1)->pid, 2); /* freed above; 1 is init's */
    assert_int_equal(add(1)->pid, 4); /* 3 is taken */
}

static void test_limit_gives_eagain(void **state)
{
    (void)state;
    struct proc_entry *entry;
    for (int i = 1; i < PROC_TABLE_SIZE; i++)
        add(1);
    assert_int_equal(proc_table_add(&table, 1, &entry), -ARAMID_EAGAIN);
    proc_table_remove(&table, proc_table_find_pid(&table, 7));
    assert_int_equal(proc_table_add(&table, 1, &entry), 0);
}

static void test_badge_lookup_ignores_unknown_and_zombies(void **state)
{
    (void)state;
    struct proc_entry *a = add(1);
    struct proc_wakeups wakeups;
    a->badge = 42;
    assert_null(proc_table_find_badge(&table, 0));
    assert_ptr_equal(proc_table_find_badge(&table, 42), a);
    proc_table_exit(&table, a, 0, &wakeups);
    assert_null(proc_table_find_badge(&table, 42));
}

static void test_wait_reaps_zombie_with_status(void **state)
{
    (void)state;
    struct proc_entry *parent = add(1), *child = add(parent->pid);
    struct proc_wakeups wakeups;
    int status = -1;
    bool again;
    long child_pid = child->pid;
    assert_int_equal(proc_table_wait(&table, parent, -1, ARAMID_WNOHANG, &status, &again), 0);
    assert_false(again);
    assert_int_equal(proc_table_wait(&table, parent, -1, 0, &status, &again), 0);
    assert_true(again);
    assert_true(parent->waiting);
    proc_table_exit(&table, child, proc_status_exited(42), &wakeups);
    assert_int_equal(wakeups.count, 1);
    assert_ptr_equal(wakeups.entries[0], parent);
    assert_false(parent->waiting);
    assert_int_equal(proc_table_wait(&table, parent, child_pid, 0, &status, &again), child_pid);
    assert_int_equal(status, 42 << 8);
    assert_null(proc_table_find_pid(&table, child_pid));
    assert_int_equal(proc_table_wait(&table, parent, -1, 0, &status, &again), -ARAMID_ECHILD);
}

/* A reaped child's CPU time (its own and its reaped children's) goes to the parent's children
 * sums and is reported for that wait; a child that is still alive adds nothing. */
static void test_wait_adds_child_cpu_time_to_parent(void **state)
{
    (void)state;
    struct proc_entry *parent = add(1), *first = add(parent->pid), *second = add(parent->pid);
    struct proc_wakeups wakeups;
    int status;
    bool again;
    first->cpu_user_ns = 300;
    first->cpu_system_ns = 20;
    proc_table_exit(&table, first, proc_status_exited(0), &wakeups);
    assert_true(proc_table_wait(&table, parent, -1, 0, &status, &again) > 0);
    assert_int_equal(parent->reaped_user_ns, 300);
    assert_int_equal(parent->reaped_system_ns, 20);
    assert_int_equal(parent->children_user_ns, 300);
    second->cpu_user_ns = 5;
    second->cpu_system_ns = 7;
    assert_int_equal(proc_table_wait(&table, parent, -1, ARAMID_WNOHANG, &status, &again), 0);
    assert_int_equal(parent->children_user_ns, 300); /* alive: not counted yet */
    proc_table_exit(&table, second, proc_status_exited(0), &wakeups);
    assert_true(proc_table_wait(&table, parent, -1, 0, &status, &again) > 0);
    assert_int_equal(parent->reaped_user_ns, 5);
    assert_int_equal(parent->children_user_ns, 305);
    assert_int_equal(parent->children_system_ns, 27);
}

static void test_wait_matches_only_own_children(void **state)
{
    (void)state;
    struct proc_entry *a = add(1), *b = add(1), *child = add(a->pid);
    int status;
    bool again;
    assert_int_equal(proc_table_wait(&table, b, child->pid, 0, &status, &again), -ARAMID_ECHILD);
    assert_int_equal(proc_table_wait(&table, b, -1, 0, &status, &again), -ARAMID_ECHILD);
    /* Groups: child is in a's group (both inherited init's); no child is in group 999. */
    assert_int_equal(proc_table_wait(&table, a, 0, ARAMID_WNOHANG, &status, &again), 0);
    assert_int_equal(proc_table_wait(&table, a, -999, 0, &status, &again), -ARAMID_ECHILD);
    assert_int_equal(proc_table_wait(&table, a, -1, 0x100, &status, &again), -ARAMID_EINVAL);
    assert_int_equal(
        proc_table_wait(&table, a, -1, ARAMID_WNOHANG | ARAMID_WUNTRACED, &status, &again), 0);
}

static void test_count_children_alive_and_zombie(void **state)
{
    (void)state;
    struct proc_entry *a = add(1), *b = add(a->pid), *c = add(a->pid);
    struct proc_wakeups wakeups;
    assert_int_equal(proc_table_count_children(&table, a->pid), 2);
    assert_int_equal(proc_table_count_children(&table, b->pid), 0);
    proc_table_exit(&table, c, proc_status_exited(0), &wakeups);
    assert_int_equal(proc_table_count_children(&table, a->pid), 2); /* the zombie still counts */
    int status;
    bool again;
    assert_int_equal(proc_table_wait(&table, a, c->pid, 0, &status, &again), c->pid);
    assert_int_equal(proc_table_count_children(&table, a->pid), 1);
}

static void test_orphans_go_to_init_and_wake_it(void **state)
{
    (void)state;
    struct proc_entry *parent = add(1), *live = add(parent->pid), *dead = add(parent->pid);
    struct proc_wakeups wakeups;
    int status;
    bool again;
    proc_table_exit(&table, dead, proc_status_signaled(ARAMID_SIGSEGV), &wakeups);
    assert_int_equal(proc_table_wait(&table, init, -1, 0, &status, &again), 0);
    assert_true(again); /* init waits for parent */
    proc_table_exit(&table, parent, 0, &wakeups);
    assert_int_equal(live->parent, PROC_INIT_PID);
    assert_int_equal(dead->parent, PROC_INIT_PID);
    assert_int_equal(wakeups.count, 1); /* init, once, as parent and as adopter */
    assert_ptr_equal(wakeups.entries[0], init);
    long reaped = 0;
    while (proc_table_wait(&table, init, -1, ARAMID_WNOHANG, &status, &again) > 0)
        reaped++;
    assert_int_equal(reaped, 2); /* parent and the adopted zombie; live still runs */
    assert_int_equal(proc_table_wait(&table, init, -1, ARAMID_WNOHANG, &status, &again), 0);
}

static void test_status_encoding(void **state)
{
    (void)state;
    assert_int_equal(proc_status_exited(0), 0);
    assert_int_equal(proc_status_exited(255), 0xff00);
    assert_int_equal(proc_status_exited(256), 0);
    assert_int_equal(proc_status_signaled(ARAMID_SIGKILL), 9);
    assert_int_equal(proc_status_from_kernel_code(139), ARAMID_SIGSEGV);
    assert_int_equal(proc_status_from_kernel_code(137), ARAMID_SIGKILL);
    assert_int_equal(proc_status_from_kernel_code(3), 3 << 8);
    assert_int_equal(proc_status_from_kernel_code(128), 128 << 8);
    assert_int_equal(proc_status_from_kernel_code(200), 200 << 8);
}

static void test_signal_default_actions(void **state)
{
    (void)state;
    assert_int_equal(proc_signal_default_action(-1), PROC_SIGNAL_INVALID);
    assert_int_equal(proc_signal_default_action(65), PROC_SIGNAL_INVALID);
    assert_int_equal(proc_signal_default_action(0), PROC_SIGNAL_EXISTS);
    assert_int_equal(proc_signal_default_action(ARAMID_SIGCHLD), PROC_SIGNAL_IGNORE);
    assert_int_equal(proc_signal_default_action(ARAMID_SIGSTOP), PROC_SIGNAL_STOP);
    assert_int_equal(proc_signal_default_action(ARAMID_SIGTERM), PROC_SIGNAL_TERMINATE);
    assert_int_equal(proc_signal_default_action(64), PROC_SIGNAL_TERMINATE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_pids_start_at_init_and_are_unique, setup),
        cmocka_unit_test_setup(test_pids_are_not_reused_at_once_and_wrap, setup),
        cmocka_unit_test_setup(test_limit_gives_eagain, setup),
        cmocka_unit_test_setup(test_badge_lookup_ignores_unknown_and_zombies, setup),
        cmocka_unit_test_setup(test_wait_reaps_zombie_with_status, setup),
        cmocka_unit_test_setup(test_wait_adds_child_cpu_time_to_parent, setup),
        cmocka_unit_test_setup(test_wait_matches_only_own_children, setup),
        cmocka_unit_test_setup(test_count_children_alive_and_zombie, setup),
        cmocka_unit_test_setup(test_orphans_go_to_init_and_wake_it, setup),
        cmocka_unit_test(test_status_encoding),
        cmocka_unit_test(test_signal_default_actions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
