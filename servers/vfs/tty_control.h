/* The controlling terminal and the foreground process group of a tty: Linux's job-control
 * checks, as pure logic (no system calls), host-tested in tests/unit/test_tty_control.c. */
#ifndef ARAMID_TTY_CONTROL_H
#define ARAMID_TTY_CONTROL_H

#include <stdbool.h>

#include "tty.h"

/*
 * Who calls: the caller's pid, process group and session as proc knows them (the vfs client
 * asks proc and sends them). pgid or sid 0: unknown (a proc without process groups); then
 * nothing is checked and nothing is acquired, as before process groups.
 *
 * The model: a tty is the controlling terminal of the session tty->session (0: of none), and
 * of every process in that session (Linux keeps it per process; a process that left the session
 * with setsid has lost it either way). tty->foreground_group is the session's foreground group.
 */
struct tty_caller {
    long pid;
    long pgid;
    long sid;
};

/* Signals the checks ask the caller to send (Linux numbers). */
#define TTY_SIGNAL_HANGUP 1    /* SIGHUP */
#define TTY_SIGNAL_CONTINUE 18 /* SIGCONT */
#define TTY_SIGNAL_TTIN 21     /* SIGTTIN */
#define TTY_SIGNAL_TTOU 22     /* SIGTTOU */

#define TTY_EIO (-5L)
#define TTY_EINTR (-4L)
#define TTY_EPERM (-1L)
#define TTY_ESRCH (-3L)
#define TTY_ENOTTY (-25L)

/* True when the tty is the caller's controlling terminal. */
bool tty_control_is_controlling(const struct tty *tty, const struct tty_caller *caller);

/* A session leader of a free tty acquires it as its controlling terminal (its group becomes
 * the foreground group) when it opens or uses it. Returns true when it did. */
bool tty_control_acquire(struct tty *tty, const struct tty_caller *caller);

/*
 * A read (check_read) or a change of the settings (check_change: TCSETS*, TCFLSH, TIOCSPGRP,
 * and writes with TOSTOP) from a process in a background group of the tty's session: 0 when it
 * may go on; TTY_EINTR with *signal = SIGTTIN / SIGTTOU for the caller to send to the caller's
 * group (the call is then retried after the signal); TTY_EIO for a read with SIGTTIN ignored
 * or blocked (ignored: a change with SIGTTOU ignored or blocked goes on).
 */
long tty_control_check_read(const struct tty *tty, const struct tty_caller *caller, bool ignored,
                            int *signal);
long tty_control_check_change(const struct tty *tty, const struct tty_caller *caller,
                              bool ignored, int *signal);

/* TIOCGPGRP: the foreground group, or TTY_ENOTTY when the tty is not the caller's
 * controlling terminal. TIOCGSID: the session, or TTY_ENOTTY. */
long tty_control_get_group(const struct tty *tty, const struct tty_caller *caller);
long tty_control_get_session(const struct tty *tty, const struct tty_caller *caller);

/* TIOCSPGRP: group (whose session proc reported as group_session; 0: no such group). 0,
 * TTY_ENOTTY (not the controlling tty), TTY_EINVAL (negative), TTY_ESRCH (no such group),
 * TTY_EPERM (a group of another session). */
long tty_control_set_group(struct tty *tty, const struct tty_caller *caller, long group,
                           long group_session);

/* TIOCSCTTY: the caller (a session leader: else TTY_EPERM) makes the tty its controlling
 * terminal; one of another session's only with force (the caller is root, as everyone is
 * here), else TTY_EPERM. */
long tty_control_set_controlling(struct tty *tty, const struct tty_caller *caller, bool force);

/* TIOCNOTTY: 0, or TTY_ENOTTY when it is not the caller's controlling terminal. A session
 * leader gives it up: *group (else 0) is the foreground group to send SIGHUP and SIGCONT. */
long tty_control_give_up(struct tty *tty, const struct tty_caller *caller, long *group);

/* The session leader died: the tty is free; returns the foreground group to send SIGHUP and
 * SIGCONT (0: none). */
long tty_control_hang_up(struct tty *tty);

#endif
