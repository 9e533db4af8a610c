/* posix-shim clocks and sleeping: the kernel information page's clocks (no system call) and
 * sys_sleep behind the POSIX time calls. */
#define _GNU_SOURCE /* CLOCK_BOOTTIME */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

#define NANOSECONDS_PER_SECOND 1000000000ull

static uint64_t time_now(void)
{
    return aramid_clock_monotonic_ns();
}

static void time_split(uint64_t nanoseconds, struct timespec *out)
{
    out->tv_sec = (time_t)(nanoseconds / NANOSECONDS_PER_SECOND);
    out->tv_nsec = (long)(nanoseconds % NANOSECONDS_PER_SECOND);
}

int clock_gettime(clockid_t clock, struct timespec *out)
{
    switch (clock) {
    case CLOCK_MONOTONIC:
        time_split(time_now(), out);
        return 0;
    case CLOCK_REALTIME:
        time_split(aramid_clock_realtime_ns(), out);
        return 0;
    case CLOCK_BOOTTIME: /* the machine does not suspend */
        time_split(time_now(), out);
        return 0;
    case CLOCK_PROCESS_CPUTIME_ID:
    case CLOCK_THREAD_CPUTIME_ID: {
        struct timespec value;
        long result = cputime_clock_read(clock, &value);
        if (result == 0 && shim_copy_out(out, &value, sizeof(value)) != 0)
            result = -EFAULT;
        return (int)shim_return(result);
    }
    default:
        return (int)shim_return(-EINVAL);
    }
}

int clock_getres(clockid_t clock, struct timespec *out)
{
    if (clock != CLOCK_MONOTONIC && clock != CLOCK_REALTIME && clock != CLOCK_BOOTTIME &&
        clock != CLOCK_PROCESS_CPUTIME_ID && clock != CLOCK_THREAD_CPUTIME_ID)
        return (int)shim_return(-EINVAL);
    if (out != NULL) {
        out->tv_sec = 0;
        out->tv_nsec = 1;
    }
    return 0;
}

int gettimeofday(struct timeval *out, void *zone)
{
    (void)zone; /* obsolete; always UTC */
    if (out != NULL) {
        uint64_t now = aramid_clock_realtime_ns();
        out->tv_sec = (time_t)(now / NANOSECONDS_PER_SECOND);
        out->tv_usec = (suseconds_t)(now % NANOSECONDS_PER_SECOND / 1000);
    }
    return 0;
}

int nanosleep(const struct timespec *user_request, struct timespec *remaining)
{
    struct timespec copy;
    const struct timespec *request = &copy;
    if (user_request == NULL || shim_copy_in(&copy, user_request, sizeof(copy)) != 0)
        return (int)shim_return(-EFAULT);
    if (request->tv_sec < 0 || request->tv_nsec < 0 ||
        request->tv_nsec >= (long)NANOSECONDS_PER_SECOND)
        return (int)shim_return(-EINVAL);
    uint64_t seconds = (uint64_t)request->tv_sec;
    /* Beyond ~584 years the sum overflows; sleep that long in one call anyway. */
    uint64_t nanoseconds = seconds > UINT64_MAX / NANOSECONDS_PER_SECOND - 1
                               ? UINT64_MAX
                               : seconds * NANOSECONDS_PER_SECOND + (uint64_t)request->tv_nsec;
    /* A handler ends the sleep with EINTR and the time left (never restarted, as on Linux);
     * signals that are ignored or blocked only wake it up to sleep the rest. */
    struct signal_watch watch;
    signal_watch_start(&watch);
    uint64_t deadline =
        nanoseconds > UINT64_MAX - time_now() ? UINT64_MAX : time_now() + nanoseconds;
    for (;;) {
        pthread_testcancel(); /* nanosleep, sleep and usleep are cancellation points */
        long result = shim_error_from_sys(sys_sleep(nanoseconds));
        uint64_t now = time_now();
        uint64_t left = now < deadline ? deadline - now : 0;
        if (result == -EINTR && signal_watch_interrupts(&watch, false)) {
            if (remaining != NULL) {
                struct timespec left_split;
                time_split(left, &left_split);
                if (shim_copy_out(remaining, &left_split, sizeof(left_split)) != 0)
                    return (int)shim_return(-EFAULT);
            }
            return (int)shim_return(-EINTR);
        }
        if (result < 0 && result != -EINTR)
            return (int)shim_return(result);
        /* The kernel sleeps in timer ticks; the promise is about the clock the program reads
         * (calibrated separately), so sleep again until that clock has passed the deadline. */
        if (left == 0)
            break;
        nanoseconds = left;
    }
    /* As on Linux, remaining is written only when a signal ends the sleep early. */
    return 0;
}

unsigned sleep(unsigned seconds)
{
    struct timespec request = {.tv_sec = seconds, .tv_nsec = 0}, left = {0, 0};
    if (nanosleep(&request, &left) == 0)
        return 0;
    return (unsigned)left.tv_sec + (left.tv_nsec > 0); /* rounded up, as glibc */
}

int usleep(useconds_t microseconds)
{
    struct timespec request = {.tv_sec = microseconds / 1000000,
                               .tv_nsec = (long)(microseconds % 1000000) * 1000};
    return nanosleep(&request, NULL);
}
