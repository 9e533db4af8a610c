/* posix-shim timers: alarm, setitimer and getitimer (ITIMER_REAL) over the kernel's timer on
 * the process's signal notification, and clock_nanosleep over nanosleep. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

#define NANOSECONDS_PER_SECOND 1000000000ull
#define NANOSECONDS_PER_MICROSECOND 1000ull

/* The armed ITIMER_REAL, on the kernel's monotonic clock (sys_clock_monotonic), which is the
 * clock its deadlines are checked against: 0 when disarmed. The kernel re-arms a periodic timer
 * by itself; timer_left follows it. */
static uint64_t timer_deadline, timer_period;

static uint64_t timer_kernel_now(void)
{
    return (uint64_t)sys_clock_monotonic();
}

/* What is left of the armed timer (0: none), following the kernel's re-arming. */
static uint64_t timer_left(void)
{
    if (timer_deadline == 0)
        return 0;
    uint64_t now = timer_kernel_now();
    if (timer_deadline <= now && timer_period != 0)
        timer_deadline += ((now - timer_deadline) / timer_period + 1) * timer_period;
    if (timer_deadline <= now) {
        timer_deadline = 0;
        return 0;
    }
    return timer_deadline - now;
}

/* Arms SIGALRM after delay nanoseconds, then every period (delay 0 disarms). */
static long timer_arm(uint64_t delay, uint64_t period)
{
    uint64_t now = timer_kernel_now();
    uint64_t deadline = delay == 0 ? 0 : (delay > UINT64_MAX - now ? UINT64_MAX : now + delay);
    long result = sys_timer_set(aramid_proc_self.signals, deadline, deadline ? period : 0,
                                ARAMID_PROC_SIGNAL_BIT(SIGALRM));
    if (result < 0)
        return shim_started_by_proc ? result : -ENOSYS; /* a root task has no signals */
    timer_deadline = deadline;
    timer_period = deadline ? period : 0;
    return 0;
}

void timer_fork_child(void)
{
    /* POSIX: a child starts with no alarm; its signal notification is its own. */
    timer_deadline = timer_period = 0;
}

static uint64_t timer_from_timeval(const struct timeval *value)
{
    return (uint64_t)value->tv_sec * NANOSECONDS_PER_SECOND +
           (uint64_t)value->tv_usec * NANOSECONDS_PER_MICROSECOND;
}

static void timer_to_timeval(uint64_t nanoseconds, struct timeval *out)
{
    out->tv_sec = (time_t)(nanoseconds / NANOSECONDS_PER_SECOND);
    /* Rounded up, so that an armed timer never reads as 0 (Linux does the same). */
    out->tv_usec = (suseconds_t)((nanoseconds % NANOSECONDS_PER_SECOND +
                                  NANOSECONDS_PER_MICROSECOND - 1) / NANOSECONDS_PER_MICROSECOND);
    if (out->tv_usec == 1000000) {
        out->tv_sec++;
        out->tv_usec = 0;
    }
}

static long timer_current(struct itimerval *out)
{
    uint64_t left = timer_left();
    timer_to_timeval(left, &out->it_value);
    timer_to_timeval(left ? timer_period : 0, &out->it_interval);
    return 0;
}

/* ITIMER_VIRTUAL and ITIMER_PROF need CPU-time accounting (docs/status.md). */
static long timer_check_which(int which)
{
    if (which == ITIMER_REAL)
        return 0;
    return which == ITIMER_VIRTUAL || which == ITIMER_PROF ? -ENOSYS : -EINVAL;
}

int getitimer(int which, struct itimerval *user_value)
{
    struct itimerval value;
    long result = timer_check_which(which);
    if (result == 0)
        result = timer_current(&value);
    if (result == 0 && shim_copy_out(user_value, &value, sizeof(value)) != 0)
        result = -EFAULT;
    return (int)shim_return(result);
}

int setitimer(int which, const struct itimerval *user_value, struct itimerval *user_old)
{
    struct itimerval value = {{0, 0}, {0, 0}}, old;
    long result = timer_check_which(which);
    /* A NULL new value disarms, as Linux (deprecated there, but programs rely on it). */
    if (result == 0 && user_value != NULL && shim_copy_in(&value, user_value, sizeof(value)) != 0)
        result = -EFAULT;
    if (result == 0 && (value.it_value.tv_sec < 0 || value.it_value.tv_usec < 0 ||
                        value.it_value.tv_usec >= 1000000 || value.it_interval.tv_sec < 0 ||
                        value.it_interval.tv_usec < 0 || value.it_interval.tv_usec >= 1000000))
        result = -EINVAL;
    if (result == 0)
        result = timer_current(&old);
    if (result == 0 && user_old != NULL && shim_copy_out(user_old, &old, sizeof(old)) != 0)
        result = -EFAULT;
    if (result == 0)
        result = timer_arm(timer_from_timeval(&value.it_value),
                           timer_from_timeval(&value.it_interval));
    return (int)shim_return(result);
}

unsigned alarm(unsigned seconds)
{
    struct itimerval old;
    timer_current(&old);
    (void)timer_arm((uint64_t)seconds * NANOSECONDS_PER_SECOND, 0);
    /* As glibc: the seconds left, rounded to the nearest, and never 0 while one was armed. */
    unsigned left = (unsigned)old.it_value.tv_sec;
    if ((left == 0 && old.it_value.tv_usec != 0) || old.it_value.tv_usec >= 500000)
        left++;
    return left;
}

int clock_nanosleep(clockid_t clock, int flags, const struct timespec *user_request,
                    struct timespec *remaining)
{
    struct timespec request, now;
    if (clock != CLOCK_MONOTONIC && clock != CLOCK_REALTIME)
        return EINVAL;
    if (user_request == NULL || shim_copy_in(&request, user_request, sizeof(request)) != 0)
        return EFAULT;
    if (request.tv_nsec < 0 || request.tv_nsec >= (long)NANOSECONDS_PER_SECOND)
        return EINVAL;
    if (flags & TIMER_ABSTIME) {
        clock_gettime(clock, &now);
        int64_t left = ((int64_t)request.tv_sec - (int64_t)now.tv_sec) *
                           (int64_t)NANOSECONDS_PER_SECOND +
                       (request.tv_nsec - now.tv_nsec);
        if (left <= 0)
            return 0;
        request.tv_sec = (time_t)(left / (int64_t)NANOSECONDS_PER_SECOND);
        request.tv_nsec = (long)(left % (int64_t)NANOSECONDS_PER_SECOND);
        remaining = NULL; /* an absolute sleep has no time left to report */
    } else if (request.tv_sec < 0) {
        return EINVAL;
    }
    int saved = errno;
    int result = nanosleep(&request, remaining) == 0 ? 0 : errno;
    errno = saved; /* clock_nanosleep reports through its result, not errno */
    return result;
}
