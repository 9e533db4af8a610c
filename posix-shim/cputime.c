/* posix-shim CPU time: CLOCK_PROCESS_CPUTIME_ID and CLOCK_THREAD_CPUTIME_ID, getrusage and
 * times() over the kernel's accounting (cpu_time) and proc's sums of reaped children. */
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <time.h>

#include "shim.h"

#define NANOSECONDS_PER_SECOND 1000000000ull

static void cputime_to_timeval(unsigned long nanoseconds, struct timeval *out)
{
    out->tv_sec = (time_t)(nanoseconds / NANOSECONDS_PER_SECOND);
    out->tv_usec = (suseconds_t)(nanoseconds % NANOSECONDS_PER_SECOND / 1000);
}

/* The CPU time of the calling process's reaped children (0 without proc). */
static void cputime_children(unsigned long *user, unsigned long *system)
{
    struct aramid_proc_rusage_children_request request;
    struct aramid_proc_rusage_children_reply reply;
    *user = *system = 0;
    if (shim_started_by_proc && aramid_proc_call_rusage_children(&request, 0, &reply) == 0) {
        *user = (unsigned long)reply.user_ns;
        *system = (unsigned long)reply.system_ns;
    }
}

long cputime_clock_read(clockid_t clock, struct timespec *out)
{
    struct aramid_cpu_time time;
    long result = shim_error_from_sys(sys_cpu_time(0, &time));
    if (result < 0)
        return result;
    unsigned long nanoseconds = clock == CLOCK_THREAD_CPUTIME_ID
                                    ? time.thread_user_ns + time.thread_system_ns
                                    : time.process_user_ns + time.process_system_ns;
    out->tv_sec = (time_t)(nanoseconds / NANOSECONDS_PER_SECOND);
    out->tv_nsec = (long)(nanoseconds % NANOSECONDS_PER_SECOND);
    return 0;
}

int getrusage(int who, struct rusage *user_usage)
{
    struct rusage usage;
    memset(&usage, 0, sizeof(usage));
    unsigned long user, system;
    if (who == RUSAGE_CHILDREN) {
        cputime_children(&user, &system);
    } else if (who == RUSAGE_SELF || who == RUSAGE_THREAD) {
        struct aramid_cpu_time time;
        long result = shim_error_from_sys(sys_cpu_time(0, &time));
        if (result < 0)
            return (int)shim_return(result);
        user = who == RUSAGE_SELF ? time.process_user_ns : time.thread_user_ns;
        system = who == RUSAGE_SELF ? time.process_system_ns : time.thread_system_ns;
    } else {
        return (int)shim_return(-EINVAL);
    }
    cputime_to_timeval(user, &usage.ru_utime);
    cputime_to_timeval(system, &usage.ru_stime);
    if (shim_copy_out(user_usage, &usage, sizeof(usage)) != 0)
        return (int)shim_return(-EFAULT);
    return 0;
}

/* clock_t counts CLOCKS_PER_SEC per second (newlib: 1000; newlib's clock() sums utime and
 * stime). The result is the monotonic clock in the same unit. */
clock_t times(struct tms *user_out)
{
    unsigned long per_tick = NANOSECONDS_PER_SECOND / CLOCKS_PER_SEC;
    if (user_out != NULL) {
        struct aramid_cpu_time time = {0};
        (void)sys_cpu_time(0, &time);
        unsigned long children_user, children_system;
        cputime_children(&children_user, &children_system);
        struct tms out = {
            .tms_utime = (clock_t)(time.process_user_ns / per_tick),
            .tms_stime = (clock_t)(time.process_system_ns / per_tick),
            .tms_cutime = (clock_t)(children_user / per_tick),
            .tms_cstime = (clock_t)(children_system / per_tick),
        };
        if (shim_copy_out(user_out, &out, sizeof(out)) != 0)
            return (clock_t)shim_return(-EFAULT);
    }
    return (clock_t)(aramid_clock_monotonic_ns() / per_tick);
}
