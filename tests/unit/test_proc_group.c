/* Host tests for proc's process groups and sessions in servers/proc/proc_group.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <aramid/errno.h>
#include <aramid/proto/proc.h>

#include "proc_table.h"

static struct proc_table table;
static struct proc_entry *init, *shell;

static struct proc_entry *add(const struct proc_entry *parent)
{
    struct proc_entry *entry = NULL;
    assert_int_equal(proc_table_add(&table, parent->pid, &entry), 0);
    return entry;
}

/* init (group and session 1) and a shell leading session and group 2, as proc makes them. */
static int setup(void **state)
{
    (void)state;
    proc_table_init(&table);
    if (proc_table_add(&table, 0, &init) != 0)
        return -1;
    shell = add(init);
    shell->pgid = shell->sid = shell->pid;
    return 0;
}

static void test_children_inherit_group_and_session(void **state)
{
    (void)state;
    assert_int_equal(init->pgid, 1);
    assert_int_equal(init->sid, 1);
    struct proc_entry *child = add(shell);
    assert_int_equal(child->pgid, shell->pid);
    assert_int_equal(child->sid, shell->pid);
    assert_int_equal(proc_group_getpgid(&table, child, 0), shell->pid);
    assert_int_equal(proc_group_getsid(&table, shell, child->pid), shell->pid);
    assert_int_equal(proc_group_getpgid(&table, child, 999), -ARAMID_ESRCH);
    assert_int_equal(proc_group_getsid(&table, child, -1), -ARAMID_ESRCH);
}

static void test_setpgid_moves_children_with_linux_errors(void **state)
{
    (void)state;
    struct proc_entry *a = add(shell), *b = add(shell), *grandchild = add(a);
    assert_int_equal(proc_group_setpgid(&table, shell, a->pid, 0), 0);
    assert_int_equal(a->pgid, a->pid);
    assert_int_equal(proc_group_setpgid(&table, shell, b->pid, a->pid), 0);
    assert_int_equal(b->pgid, a->pid);
    assert_int_equal(proc_group_setpgid(&table, b, 0, -1), -ARAMID_EINVAL);
    assert_int_equal(proc_group_setpgid(&table, shell, grandchild->pid, 0), -ARAMID_ESRCH);
    assert_int_equal(proc_group_setpgid(&table, shell, 0, 0), -ARAMID_EPERM); /* leader */
    assert_int_equal(proc_group_setpgid(&table, b, 0, 999), -ARAMID_EPERM);   /* no group */
    b->execed = true;
    assert_int_equal(proc_group_setpgid(&table, shell, b->pid, 0), -ARAMID_EACCES);
    assert_int_equal(proc_group_setpgid(&table, b, 0, 0), 0); /* itself: allowed */
    assert_int_equal(b->pgid, b->pid);
}

static void test_setsid_and_other_sessions(void **state)
{
    (void)state;
    struct proc_entry *a = add(shell), *b = add(shell);
    assert_int_equal(proc_group_setsid(&table, a), a->pid);
    assert_int_equal(a->sid, a->pid);
    assert_int_equal(a->pgid, a->pid);
    assert_int_equal(proc_group_setsid(&table, a), -ARAMID_EPERM);
    assert_int_equal(proc_group_setpgid(&table, shell, a->pid, 0), -ARAMID_EPERM);
    assert_int_equal(proc_group_setpgid(&table, b, 0, a->pid), -ARAMID_EPERM);
    assert_int_equal(proc_group_setpgid(&table, b, 0, 0), 0);
    assert_int_equal(proc_group_setsid(&table, b), -ARAMID_EPERM); /* leads a group */
}

static void test_wait_by_group(void **state)
{
    (void)state;
    struct proc_entry *a = add(shell), *b = add(shell);
    assert_int_equal(proc_group_setpgid(&table, shell, a->pid, 0), 0);
    struct proc_wakeups wakeups;
    proc_table_exit(&table, b, proc_status_exited(3), &wakeups);
    int status = 0;
    bool again = false;
    assert_int_equal(proc_table_wait(&table, shell, -a->pid, ARAMID_WNOHANG, &status, &again), 0);
    assert_int_equal(proc_table_wait(&table, shell, 0, 0, &status, &again), b->pid);
    assert_int_equal(status, proc_status_exited(3));
    assert_int_equal(proc_table_wait(&table, shell, 0, 0, &status, &again), -ARAMID_ECHILD);
    assert_int_equal(proc_table_wait(&table, shell, -999, 0, &status, &again), -ARAMID_ECHILD);
}

static void test_orphaned_groups(void **state)
{
    (void)state;
    struct proc_entry *job = add(shell);
    assert_int_equal(proc_group_setpgid(&table, shell, job->pid, 0), 0);
    struct proc_entry *member = add(job);
    /* The shell, in another group of the same session, is job's parent: not orphaned. */
    assert_false(proc_group_orphaned(&table, job->pid, NULL));
    assert_true(proc_group_orphaned(&table, job->pid, shell));
    assert_int_equal(member->pgid, job->pid);
    /* The shell's own group: its parent is init, which does not count. */
    assert_true(proc_group_orphaned(&table, shell->pid, NULL));
}

static void test_stop_and_continue_reports(void **state)
{
    (void)state;
    struct proc_entry *child = add(shell), *other = add(shell);
    int status = 0;
    bool again = false;
    child->stopped = true;
    child->stop_signal = ARAMID_SIGTSTP;
    child->report = PROC_REPORT_STOPPED;
    /* Without WUNTRACED a stop is not seen; with it, once. */
    assert_int_equal(proc_table_wait(&table, shell, child->pid, ARAMID_WNOHANG, &status, &again), 0);
    assert_int_equal(proc_table_wait(&table, shell, -1, ARAMID_WUNTRACED, &status, &again),
                     child->pid);
    assert_int_equal(status, (ARAMID_SIGTSTP << 8) | 0x7f);
    assert_true(ARAMID_WAIT_STOPPED(status));
    assert_int_equal(
        proc_table_wait(&table, shell, -1, ARAMID_WUNTRACED | ARAMID_WNOHANG, &status, &again), 0);
    assert_true(proc_group_has_stopped(&table, shell->pid));
    child->stopped = false;
    child->report = PROC_REPORT_CONTINUED;
    assert_int_equal(proc_table_wait(&table, shell, 0, ARAMID_WCONTINUED, &status, &again),
                     child->pid);
    assert_true(ARAMID_WAIT_CONTINUED(status));
    assert_false(proc_group_has_stopped(&table, shell->pid));
    /* ARAMID_WNOEXITED leaves a zombie alone; without it the zombie is reaped. */
    struct proc_wakeups wakeups;
    proc_table_exit(&table, other, proc_status_signaled(ARAMID_SIGTERM), &wakeups);
    assert_int_equal(proc_table_wait(&table, shell, other->pid,
                                     ARAMID_WNOEXITED | ARAMID_WUNTRACED | ARAMID_WNOHANG, &status,
                                     &again),
                     0);
    long pid = other->pid;
    assert_int_equal(proc_table_wait(&table, shell, pid, 0, &status, &again), pid);
    assert_int_equal(status, ARAMID_SIGTERM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_children_inherit_group_and_session, setup),
        cmocka_unit_test_setup(test_setpgid_moves_children_with_linux_errors, setup),
        cmocka_unit_test_setup(test_setsid_and_other_sessions, setup),
        cmocka_unit_test_setup(test_wait_by_group, setup),
        cmocka_unit_test_setup(test_orphaned_groups, setup),
        cmocka_unit_test_setup(test_stop_and_continue_reports, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
