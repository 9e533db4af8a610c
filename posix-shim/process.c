/* posix-shim processes over proc: exit, pids, fork, execve, the wait family, kill. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bootfs.h"
#include "event.h"
#include "fd.h"
#include "ipc_client.h"
#include "pthread_internal.h"
#include "shim.h"
#include "vfs.h"

void _exit(int status)
{
    shim_exit_process(status);
}

/* proc rewrites aramid_proc_self in a fork child, so the pid there is always this process's. */
pid_t getpid(void)
{
    return shim_started_by_proc ? (pid_t)aramid_proc_self.pid : SHIM_ROOT_PID;
}

/* proc's process-id pages (aramid/proto/proc.h), NULL: none. A fork child shares
 * the mapping, so this stays right across fork. */
static const volatile struct aramid_proc_ids *process_ids;

void process_ids_start(const struct aramid_auxv *auxv)
{
    for (; auxv != NULL && auxv->type != ARAMID_AT_NULL; auxv++) {
        if (auxv->type == ARAMID_AT_ARAMID_PROC_IDS && auxv->value != 0)
            process_ids = (const volatile struct aramid_proc_ids *)auxv->value;
    }
}

/* What proc published about pid (0: the caller): true with *out filled, false when the pages
 * do not have it (ask proc). The pid is checked before and after the copy (proc clears it
 * while it changes the slot). */
static bool process_ids_read(pid_t pid, struct aramid_proc_ids *out)
{
    if (pid == 0)
        pid = (pid_t)aramid_proc_self.pid;
    if (process_ids == NULL || pid <= 0)
        return false;
    const volatile struct aramid_proc_ids *slot = &process_ids[pid % ARAMID_PROC_IDS_SLOTS];
    if (slot->pid != pid)
        return false;
    out->parent = slot->parent;
    out->pgid = slot->pgid;
    out->sid = slot->sid;
    return slot->pid == pid;
}

/* The parent changes when it dies (the orphan goes to init): read each time. */
pid_t getppid(void)
{
    if (!shim_started_by_proc)
        return 0; /* the root task has no parent */
    struct aramid_proc_ids info;
    if (process_ids_read(0, &info))
        return (pid_t)info.parent;
    return (pid_t)shim_return(shim_error_from_sys(aramid_proc_getppid()));
}

/*
 * Children of this process image (alive or zombie), or more: a fork adds one, a reap removes
 * one, an execve starts from proc's count, a fork child from 0. Invariant: 0 means there is no
 * child (children only come from fork here), so a wait can answer ECHILD without asking proc.
 * It may be too high (children reaped by proc under SIGCHLD's SIG_IGN); proc's ECHILD resets it.
 */
static unsigned long process_children;

void process_children_start(unsigned long children)
{
    process_children = children;
}

/* The child is a copy-on-write clone: descriptors, signal actions and mask come along. */
pid_t fork(void)
{
    if (!shim_started_by_proc)
        return (pid_t)shim_return(-ENOSYS); /* the root task has no proc to fork it */
    /* The child's only thread is a new kernel thread: its FS base (the TLS) comes back first,
     * from this variable the copied stack holds, before anything touches errno. */
    struct shim_thread *self = shim_thread_self_now();
    long shared = shm_fork_prepare();
    if (shared < 0)
        return (pid_t)shim_return(shared);
    pthread_fork_prepare();
    socket_ring_fork_prepare();
    unsigned long token = vfs_fork_prepare();
    long result = aramid_proc_fork();
    if (result == 0) {
        pthread_fork_child_tls(self);
        process_children = 0;
        shim_fork_child();
        fd_fork_child();
        vfs_fork_child(token);
        pthread_fork_child(self);
    } else {
        if (result > 0)
            process_children++;
        else
            vfs_fork_failed(token);
        pthread_fork_parent();
    }
    return (pid_t)shim_return(shim_error_from_sys(result));
}

/* The status goes through the kernel's copy so that a bad pointer gives EFAULT, as on Linux
 * (the child is reaped all the same). */
static long process_store_status(int *where, int status)
{
    if (where == NULL)
        return 0;
    return shim_error_from_sys(
        sys_vm_write(shim_self_space, (unsigned long)where, &status, sizeof(status)));
}

/* wait4: -errno inside; usage (may be NULL) gets the reaped child's user and system
 * nanoseconds. A handled signal without SA_RESTART ends it with EINTR. A stop or continue
 * reported (WUNTRACED, WCONTINUED) leaves the child a child. waitid adds ARAMID_WNOEXITED. */
static long process_wait(pid_t pid, int *status_out, int options, unsigned long usage[2])
{
    if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | ARAMID_WNOEXITED))
        return -EINVAL;
    if (!shim_started_by_proc || process_children == 0)
        return -ECHILD;
    struct signal_watch watch;
    signal_watch_start(&watch);
    int status = 0;
    long result;
    for (;;) {
        result = shim_error_from_sys(aramid_proc_wait4_usage(pid, &status, options, usage));
        if (result != -EINTR || signal_watch_interrupts(&watch, true))
            break;
    }
    if (result > 0 && process_children > 0 && !WIFSTOPPED(status) && !WIFCONTINUED(status))
        process_children--;
    if (result == -ECHILD && pid == -1)
        process_children = 0;
    if (result > 0) {
        long stored = process_store_status(status_out, status);
        if (stored < 0)
            return stored;
    }
    return result;
}

/* The options wait4 and waitpid take from a caller (ARAMID_WNOEXITED is waitid's). */
#define PROCESS_WAIT_OPTIONS (WNOHANG | WUNTRACED | WCONTINUED)

pid_t wait4(pid_t pid, int *status, int options, struct rusage *usage)
{
    shim_cancel_point();
    if (options & ~PROCESS_WAIT_OPTIONS)
        return (pid_t)shim_return(-EINVAL);
    unsigned long times[2] = {0, 0};
    long result = process_wait(pid, status, options, times);
    if (result >= 0 && usage != NULL) {
        struct rusage out;
        memset(&out, 0, sizeof(out));
        out.ru_utime.tv_sec = (time_t)(times[0] / 1000000000ul);
        out.ru_utime.tv_usec = (suseconds_t)(times[0] % 1000000000ul / 1000);
        out.ru_stime.tv_sec = (time_t)(times[1] / 1000000000ul);
        out.ru_stime.tv_usec = (suseconds_t)(times[1] % 1000000000ul / 1000);
        if (shim_copy_out(usage, &out, sizeof(out)) != 0)
            result = -EFAULT; /* the child is reaped, as Linux */
    }
    return (pid_t)shim_return(result);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
    shim_cancel_point();
    if (options & ~PROCESS_WAIT_OPTIONS)
        return (pid_t)shim_return(-EINVAL);
    return (pid_t)shim_return(process_wait(pid, status, options, NULL));
}

pid_t wait(int *status)
{
    shim_cancel_point();
    return (pid_t)shim_return(process_wait(-1, status, 0, NULL));
}

int waitid(idtype_t type, id_t id, siginfo_t *info, int options)
{
    shim_cancel_point();
    if (type != P_ALL && type != P_PID && type != P_PGID && type != P_PIDFD)
        return (int)shim_return(-EINVAL);
    if ((options & (WEXITED | WSTOPPED | WCONTINUED)) == 0 ||
        (options & ~(WEXITED | WSTOPPED | WCONTINUED | WNOHANG | WNOWAIT)) != 0)
        return (int)shim_return(-EINVAL);
    if (type == P_PIDFD || (options & WNOWAIT))
        return (int)shim_return(-ENOSYS); /* pidfds, peeking: not yet */
    int status = 0;
    /* P_PGID 0 is the caller's group (Linux 5.4), as wait4's 0. */
    pid_t pid = type == P_PID ? (pid_t)id : (type == P_PGID ? -(pid_t)id : -1);
    if ((type == P_PID && (pid_t)id <= 0) || (type == P_PGID && (pid_t)id < 0))
        return (int)shim_return(-EINVAL);
    int wait_options = (options & WNOHANG) | ((options & WSTOPPED) ? WUNTRACED : 0) |
                       (options & WCONTINUED) | ((options & WEXITED) ? 0 : ARAMID_WNOEXITED);
    long result = process_wait(pid, &status, wait_options, NULL);
    if (result < 0)
        return (int)shim_return(result);
    if (info != NULL) {
        memset(info, 0, sizeof(*info));
        if (result > 0) {
            info->si_signo = SIGCHLD;
            info->si_pid = (pid_t)result;
            if (WIFSTOPPED(status)) {
                info->si_code = CLD_STOPPED;
                info->si_status = WSTOPSIG(status);
            } else if (WIFCONTINUED(status)) {
                info->si_code = CLD_CONTINUED;
                info->si_status = SIGCONT;
            } else {
                info->si_code = WIFEXITED(status) ? CLD_EXITED : CLD_KILLED;
                info->si_status = WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status);
            }
        }
    }
    return 0;
}

/* Signals to oneself are posted directly (delivered before kill returns, as on Linux); the
 * others go through proc. */
int kill(pid_t pid, int signal)
{
    if (signal < 0 || signal > 64)
        return (int)shim_return(-EINVAL);
    if (pid == getpid() || !shim_started_by_proc) {
        if (pid != getpid() && pid != 0 && pid != -1)
            return (int)shim_return(-ESRCH);
        if (signal >= SIGRTMIN) /* a real-time signal queues each instance, SI_USER's too */
            return (int)shim_return(
                signal_queue_send_self(signal, SI_USER, (union sigval){0}, getpid(), getuid()));
        return (int)shim_return(signal_send_self(signal));
    }
    return (int)shim_return(shim_error_from_sys(aramid_proc_kill(pid, signal)));
}

/* As glibc's: a negative group is EINVAL, anything else is kill(-group) (killpg(0) is the
 * caller's group, killpg(1) is kill(-1)). */
int killpg(pid_t group, int signal)
{
    if (group < 0)
        return (int)shim_return(-EINVAL);
    return kill(-group, signal);
}

/* Process groups and sessions are proc's (docs/proc.md). The root task is alone in group and
 * session SHIM_ROOT_PID. */
int setpgid(pid_t pid, pid_t group)
{
    if (!shim_started_by_proc)
        return (int)shim_return(-ENOSYS);
    return (int)shim_return(shim_error_from_sys(aramid_proc_setpgid(pid, group)));
}

pid_t getpgid(pid_t pid)
{
    if (!shim_started_by_proc)
        return pid == 0 || pid == SHIM_ROOT_PID ? SHIM_ROOT_PID : (pid_t)shim_return(-ESRCH);
    struct aramid_proc_ids info;
    if (process_ids_read(pid, &info))
        return (pid_t)info.pgid;
    return (pid_t)shim_return(shim_error_from_sys(aramid_proc_getpgid(pid)));
}

pid_t getpgrp(void)
{
    return getpgid(0);
}

pid_t setsid(void)
{
    if (!shim_started_by_proc)
        return (pid_t)shim_return(-EPERM); /* the root task leads its group already */
    return (pid_t)shim_return(shim_error_from_sys(aramid_proc_setsid()));
}

pid_t getsid(pid_t pid)
{
    if (!shim_started_by_proc)
        return pid == 0 || pid == SHIM_ROOT_PID ? SHIM_ROOT_PID : (pid_t)shim_return(-ESRCH);
    struct aramid_proc_ids info;
    if (process_ids_read(pid, &info))
        return (pid_t)info.sid;
    return (pid_t)shim_return(shim_error_from_sys(aramid_proc_getsid(pid)));
}
