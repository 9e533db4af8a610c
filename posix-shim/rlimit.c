/* getrlimit, setrlimit, prlimit: resource limits kept by proc; RLIMIT_NOFILE also here, where
 * descriptors are allocated (fd.c), and RLIMIT_CPU, enforced here with two POSIX timers on the
 * process's CPU-time clock (timer.c): SIGXCPU at the soft limit and every second after it, as
 * Linux, and SIGKILL at the hard limit. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "fd.h"
#include "shim.h"

/* RLIMIT_CPU as this image knows it (from the auxv, its own setrlimit; a fork child keeps it)
 * and the timers that enforce it. Invariant: rlimit_cpu_timer[i] is a live timer id or -1. */
static rlim_t rlimit_cpu_soft = RLIM_INFINITY, rlimit_cpu_hard = RLIM_INFINITY;
static timer_t rlimit_cpu_timer[2] = {-1, -1};

/* A timer sending signal when the process has used seconds of CPU time, then every period. */
static void rlimit_cpu_timer_start(int slot, int signal, rlim_t seconds, long period)
{
    struct sigevent event = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = signal};
    if (timer_create(CLOCK_PROCESS_CPUTIME_ID, &event, &rlimit_cpu_timer[slot]) != 0) {
        rlimit_cpu_timer[slot] = -1;
        return;
    }
    struct itimerspec when = {.it_interval = {period, 0}, .it_value = {(time_t)seconds, 0}};
    (void)timer_settime(rlimit_cpu_timer[slot], TIMER_ABSTIME, &when, NULL);
}

/* (Re)arms the timers for the limits; a soft limit of 0 counts as 1 second, as on Linux. At the
 * hard limit only SIGKILL is sent. */
static void rlimit_cpu_arm(void)
{
    int saved = errno;
    for (int slot = 0; slot < 2; slot++) {
        if (rlimit_cpu_timer[slot] != (timer_t)-1)
            (void)timer_delete(rlimit_cpu_timer[slot]);
        rlimit_cpu_timer[slot] = -1;
    }
    rlim_t soft = rlimit_cpu_soft == 0 ? 1 : rlimit_cpu_soft;
    if (rlimit_cpu_soft != RLIM_INFINITY && soft < rlimit_cpu_hard)
        rlimit_cpu_timer_start(0, SIGXCPU, soft, 1);
    if (rlimit_cpu_hard != RLIM_INFINITY)
        rlimit_cpu_timer_start(1, SIGKILL, rlimit_cpu_hard == 0 ? 1 : rlimit_cpu_hard, 0);
    errno = saved;
}

void rlimit_cpu_start(unsigned long soft, unsigned long hard)
{
    rlimit_cpu_soft = soft;
    rlimit_cpu_hard = hard;
    if (soft != RLIM_INFINITY || hard != RLIM_INFINITY)
        rlimit_cpu_arm();
}

void rlimit_fork_child(void)
{
    /* timer_fork_child dropped the parent's timers; the child's CPU time starts at 0. */
    rlimit_cpu_timer[0] = rlimit_cpu_timer[1] = -1;
    if (rlimit_cpu_soft != RLIM_INFINITY || rlimit_cpu_hard != RLIM_INFINITY)
        rlimit_cpu_arm();
}

/* Linux's prlimit64 order: the new limit is read first (EFAULT), then proc checks the resource
 * (EINVAL), the process (ESRCH) and the values (EINVAL, EPERM); the old limit is written last,
 * so a set that succeeded stays even when old_limit is a bad pointer (EFAULT). */
int prlimit(pid_t pid, int resource, const struct rlimit *new_limit, struct rlimit *old_limit)
{
    struct rlimit wanted = {0, 0};
    if (new_limit != NULL && shim_copy_in(&wanted, new_limit, sizeof(wanted)) < 0)
        return (int)shim_return(-EFAULT);
    if (!shim_started_by_proc)
        return (int)shim_return(-ENOSYS); /* the root task: no proc keeps its limits */
    bool self = pid == 0 || (long)pid == aramid_proc_self.pid;
    struct aramid_proc_prlimit_request request = {
        .pid = self ? 0 : pid,
        .resource = resource,
        .set = new_limit != NULL,
        .soft = (long)wanted.rlim_cur,
        .hard = (long)wanted.rlim_max,
    };
    struct aramid_proc_prlimit_reply reply;
    long result = shim_error_from_sys(aramid_proc_call_prlimit(&request, 0, &reply));
    if (result < 0)
        return (int)shim_return(result);
    if (self && new_limit != NULL && resource == RLIMIT_NOFILE)
        fd_limit_set(wanted.rlim_cur);
    if (self && new_limit != NULL && resource == RLIMIT_CPU &&
        (wanted.rlim_cur != rlimit_cpu_soft || wanted.rlim_max != rlimit_cpu_hard)) {
        rlimit_cpu_soft = wanted.rlim_cur;
        rlimit_cpu_hard = wanted.rlim_max;
        rlimit_cpu_arm();
    }
    struct rlimit old = {(rlim_t)reply.soft, (rlim_t)reply.hard};
    if (old_limit != NULL && shim_copy_out(old_limit, &old, sizeof(old)) < 0)
        return (int)shim_return(-EFAULT);
    return 0;
}

/* As glibc: both are prlimit on the caller, so a NULL limit is "nothing to read or write". */
int getrlimit(int resource, struct rlimit *limit)
{
    return prlimit(0, resource, NULL, limit);
}

int setrlimit(int resource, const struct rlimit *limit)
{
    return prlimit(0, resource, limit, NULL);
}
