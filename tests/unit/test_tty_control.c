/* Host tests for the controlling-terminal and foreground-group checks, servers/vfs/tty_control.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "tty_control.h"

static struct tty tty;

/* A login shell (pid 5, session and group 5), a job of it (group 9), another session (20). */
static const struct tty_caller shell = {.pid = 5, .pgid = 5, .sid = 5};
static const struct tty_caller job = {.pid = 9, .pgid = 9, .sid = 5};
static const struct tty_caller job_member = {.pid = 10, .pgid = 9, .sid = 5};
static const struct tty_caller stranger = {.pid = 20, .pgid = 20, .sid = 20};
static const struct tty_caller unknown = {.pid = 7, .pgid = 0, .sid = 0};

static int setup(void **state)
{
    (void)state;
    memset(&tty, 0, sizeof(tty));
    return 0;
}

static void test_acquire_by_session_leader(void **state)
{
    (void)state;
    assert_false(tty_control_acquire(&tty, &job)); /* not a session leader */
    assert_int_equal(tty.session, 0);
    assert_true(tty_control_acquire(&tty, &shell));
    assert_int_equal(tty.session, 5);
    assert_int_equal(tty.foreground_group, 5);
    assert_false(tty_control_acquire(&tty, &stranger)); /* taken */
    assert_int_equal(tty.session, 5);
    assert_true(tty_control_is_controlling(&tty, &job));
    assert_false(tty_control_is_controlling(&tty, &stranger));
}

static void test_unknown_groups_check_nothing(void **state)
{
    (void)state;
    int signal = -1;
    assert_false(tty_control_acquire(&tty, &unknown));
    assert_int_equal(tty_control_check_read(&tty, &unknown, false, &signal), 0);
    assert_int_equal(signal, 0);
    assert_int_equal(tty_control_get_group(&tty, &unknown), TTY_ENOTTY);
}

static void test_background_read_gets_sigttin(void **state)
{
    (void)state;
    int signal = 0;
    tty_control_acquire(&tty, &shell);
    assert_int_equal(tty_control_check_read(&tty, &shell, false, &signal), 0);
    assert_int_equal(tty_control_check_read(&tty, &job, false, &signal), TTY_EINTR);
    assert_int_equal(signal, TTY_SIGNAL_TTIN);
    assert_int_equal(tty_control_check_read(&tty, &job, true, &signal), TTY_EIO);
    assert_int_equal(signal, 0);
    /* Not its controlling terminal: no job control applies. */
    assert_int_equal(tty_control_check_read(&tty, &stranger, false, &signal), 0);
}

static void test_background_change_gets_sigttou(void **state)
{
    (void)state;
    int signal = 0;
    tty_control_acquire(&tty, &shell);
    assert_int_equal(tty_control_check_change(&tty, &shell, false, &signal), 0);
    assert_int_equal(tty_control_check_change(&tty, &job, false, &signal), TTY_EINTR);
    assert_int_equal(signal, TTY_SIGNAL_TTOU);
    assert_int_equal(tty_control_check_change(&tty, &job, true, &signal), 0); /* ignored */
    assert_int_equal(signal, 0);
}

static void test_set_group(void **state)
{
    (void)state;
    tty_control_acquire(&tty, &shell);
    assert_int_equal(tty_control_set_group(&tty, &shell, 9, 5), 0);
    assert_int_equal(tty_control_get_group(&tty, &job_member), 9);
    int signal = 0;
    assert_int_equal(tty_control_check_read(&tty, &job_member, false, &signal), 0);
    assert_int_equal(tty_control_check_read(&tty, &shell, false, &signal), TTY_EINTR);
    /* Linux's errors, each after a good call above. */
    assert_int_equal(tty_control_set_group(&tty, &shell, -1, 5), TTY_EINVAL);
    assert_int_equal(tty_control_set_group(&tty, &shell, 77, 0), TTY_ESRCH);
    assert_int_equal(tty_control_set_group(&tty, &shell, 20, 20), TTY_EPERM);
    assert_int_equal(tty_control_set_group(&tty, &stranger, 20, 20), TTY_ENOTTY);
    assert_int_equal(tty_control_get_group(&tty, &stranger), TTY_ENOTTY);
    assert_int_equal(tty_control_get_group(&tty, &shell), 9);
}

static void test_session_query(void **state)
{
    (void)state;
    assert_int_equal(tty_control_get_session(&tty, &shell), TTY_ENOTTY);
    tty_control_acquire(&tty, &shell);
    assert_int_equal(tty_control_get_session(&tty, &job), 5);
    assert_int_equal(tty_control_get_session(&tty, &stranger), TTY_ENOTTY);
}

static void test_set_controlling(void **state)
{
    (void)state;
    assert_int_equal(tty_control_set_controlling(&tty, &shell, false), 0);
    assert_int_equal(tty.session, 5);
    assert_int_equal(tty_control_set_controlling(&tty, &shell, false), 0); /* again: 0 */
    assert_int_equal(tty_control_set_controlling(&tty, &job, false), TTY_EPERM); /* no leader */
    assert_int_equal(tty_control_set_controlling(&tty, &stranger, false), TTY_EPERM); /* taken */
    assert_int_equal(tty_control_set_controlling(&tty, &stranger, true), 0); /* stolen */
    assert_int_equal(tty.session, 20);
    assert_int_equal(tty.foreground_group, 20);
}

static void test_give_up_and_hang_up(void **state)
{
    (void)state;
    long group = -1;
    assert_int_equal(tty_control_give_up(&tty, &shell, &group), TTY_ENOTTY);
    tty_control_acquire(&tty, &shell);
    tty_control_set_group(&tty, &shell, 9, 5);
    assert_int_equal(tty_control_give_up(&tty, &job, &group), 0); /* a member: nothing else */
    assert_int_equal(group, 0);
    assert_int_equal(tty.session, 5);
    assert_int_equal(tty_control_give_up(&tty, &shell, &group), 0); /* the leader: hang up */
    assert_int_equal(group, 9);
    assert_int_equal(tty.session, 0);
    assert_int_equal(tty_control_hang_up(&tty), 0); /* free already: nobody to signal */
    assert_true(tty_control_acquire(&tty, &stranger));
    assert_int_equal(tty_control_hang_up(&tty), 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_acquire_by_session_leader, setup),
        cmocka_unit_test_setup(test_unknown_groups_check_nothing, setup),
        cmocka_unit_test_setup(test_background_read_gets_sigttin, setup),
        cmocka_unit_test_setup(test_background_change_gets_sigttou, setup),
        cmocka_unit_test_setup(test_set_group, setup),
        cmocka_unit_test_setup(test_session_query, setup),
        cmocka_unit_test_setup(test_set_controlling, setup),
        cmocka_unit_test_setup(test_give_up_and_hang_up, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
