/* posix-shim process calls: exit, pid, signals to oneself, and what needs the process server. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shim.h"

void _exit(int status)
{
    shim_exit_process(status);
}

pid_t getpid(void)
{
    return SHIM_PID;
}

pid_t getppid(void)
{
    return 0; /* the root task has no parent */
}

/*
 * Signals: newlib's signal()/raise() keep the handlers and call kill(getpid(), n) only for the
 * default action, so kill here applies default actions to this process. Nothing else can send
 * one yet. blocked/pending: signals 1..31 as bits; a blocked signal waits until unblocked.
 */
static sigset_t signal_blocked;
static sigset_t signal_pending;

#define SIGNAL_BIT(n) ((sigset_t)1 << (n))

/* Signals whose default action is to do nothing (or to stop/continue, which needs a parent). */
static int signal_default_ignored(int n)
{
    return n == SIGCHLD || n == SIGURG || n == SIGWINCH || n == SIGCONT || n == SIGSTOP ||
           n == SIGTSTP || n == SIGTTIN || n == SIGTTOU;
}

void shim_signal_default(int n)
{
    if (signal_default_ignored(n))
        return;
    shim_exit_process(SHIM_SIGNAL_STATUS(n));
}

int kill(pid_t pid, int n)
{
    if (n < 0 || n >= NSIG)
        return (int)shim_return(-EINVAL);
    if (pid != SHIM_PID && pid != 0 && pid != -1)
        return (int)shim_return(-ESRCH);
    if (n == 0)
        return 0;
    if ((signal_blocked & SIGNAL_BIT(n)) && n != SIGKILL && n != SIGSTOP) {
        signal_pending |= SIGNAL_BIT(n);
        return 0;
    }
    shim_signal_default(n);
    return 0;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
    if (old != NULL)
        *old = signal_blocked;
    if (set == NULL)
        return 0;
    switch (how) {
    case SIG_BLOCK:
        signal_blocked |= *set;
        break;
    case SIG_UNBLOCK:
        signal_blocked &= ~*set;
        break;
    case SIG_SETMASK:
        signal_blocked = *set;
        break;
    default:
        return (int)shim_return(-EINVAL);
    }
    signal_blocked &= ~(SIGNAL_BIT(SIGKILL) | SIGNAL_BIT(SIGSTOP));
    /* Deliver what was pending and is no longer blocked, lowest number first. */
    for (int n = 1; n < NSIG; n++) {
        if ((signal_pending & SIGNAL_BIT(n)) && !(signal_blocked & SIGNAL_BIT(n))) {
            signal_pending &= ~SIGNAL_BIT(n);
            shim_signal_default(n);
        }
    }
    return 0;
}

/* fork and execve need the process server. */
pid_t fork(void)
{
    return (pid_t)shim_return(-ENOSYS);
}

int execve(const char *path, char *const argv[], char *const envp[])
{
    (void)path;
    (void)argv;
    (void)envp;
    return (int)shim_return(-ENOSYS);
}

/* Without fork a process never has children, so there is nothing to wait for. */
pid_t wait(int *status)
{
    (void)status;
    return (pid_t)shim_return(-ECHILD);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
    (void)pid;
    (void)status;
    (void)options;
    return (pid_t)shim_return(-ECHILD);
}
