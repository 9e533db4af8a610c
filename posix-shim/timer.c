/* posix-shim timers: alarm, setitimer and getitimer (ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF),
 * the POSIX timers (timer_create and friends) and clock_nanosleep.
 *
 * Every timer of the process is a row of one table. Each kind of clock has one kernel timer on
 * the process's signal notification, armed at the earliest deadline of its rows: real time on
 * the kernel's monotonic clock (timer_set) and CPU time (cpu_timer_set: VIRTUAL counts user
 * time, PROF user plus system time). The kernel timers signal only posix-shim's kick bit
 * (SHIM_SIGNAL_KICK, signal 32's: signal.c takes it as "look"); the upcall then calls
 * timer_expire, which posts the signal of every row that is due to the process through the same notification (so
 * masks, handlers and routing to threads are signal.c's as for kill), re-arms intervals and
 * re-programs the kernel.
 *
 * Invariants: rows change only under timer_lock. An upcall can interrupt a holder on its own
 * thread, so the upcall only tries the lock; when it is held it leaves timer_expire_wanted set
 * and the holder runs the expiry when it unlocks. kernel_deadline[kind] is what the kernel has
 * armed for kind (0: nothing). */
#define _GNU_SOURCE /* CLOCK_BOOTTIME */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

#define NANOSECONDS_PER_SECOND 1000000000ull
#define NANOSECONDS_PER_MICROSECOND 1000ull
#define TIMER_KICK SHIM_SIGNAL_KICK

enum timer_kind { TIMER_KIND_REAL, TIMER_KIND_VIRTUAL, TIMER_KIND_PROF, TIMER_KINDS };

/* Rows 0..2 are the interval timers (their index is their ITIMER_ number); POSIX timer id N
 * is row TIMER_POSIX_FIRST + N. */
#define TIMER_POSIX_FIRST 3
#define TIMER_POSIX_MAX 64
#define TIMER_ROWS (TIMER_POSIX_FIRST + TIMER_POSIX_MAX)

struct shim_timer {
    bool used;
    enum timer_kind kind;
    clockid_t clock;   /* POSIX timers: the clock it was created on (absolute times) */
    int notify;        /* SIGEV_SIGNAL or SIGEV_NONE */
    int signal;        /* SIGEV_SIGNAL: the signal it posts */
    union sigval value; /* what the handler finds in si_value */
    uint64_t deadline; /* on its kind's clock; 0: disarmed */
    uint64_t period;   /* 0: one shot */
    int overrun;       /* expiries since its signal was posted, beyond the first */
    int overrun_seen;  /* what timer_getoverrun reports: overrun when its signal was delivered */
};

static struct shim_timer timers[TIMER_ROWS] = {
    [ITIMER_REAL] = {.used = true, .kind = TIMER_KIND_REAL, .notify = SIGEV_SIGNAL,
                     .signal = SIGALRM},
    [ITIMER_VIRTUAL] = {.used = true, .kind = TIMER_KIND_VIRTUAL, .notify = SIGEV_SIGNAL,
                        .signal = SIGVTALRM},
    [ITIMER_PROF] = {.used = true, .kind = TIMER_KIND_PROF, .notify = SIGEV_SIGNAL,
                     .signal = SIGPROF},
};
static uint64_t kernel_deadline[TIMER_KINDS];
/* Rows at or above this one have never been used (scans stop there). */
static int timer_rows_end = TIMER_POSIX_FIRST;
/* Signals posted by a timer and not yet delivered: bit N-1 for signal N (timer_fill_siginfo),
 * and for each the row that posted it last. */
static volatile unsigned long timer_posted;
static int timer_posted_row[65];
static volatile int timer_lock_word;
static volatile int timer_expire_wanted;

/* The current time on kind's clock. */
static uint64_t timer_clock_now(enum timer_kind kind)
{
    if (kind == TIMER_KIND_REAL) /* the kernel's clock, read from the information page */
        return aramid_clock_monotonic_ns();
    struct aramid_cpu_time time;
    if (sys_cpu_time(0, &time) < 0)
        return 0;
    return kind == TIMER_KIND_VIRTUAL ? time.process_user_ns
                                      : time.process_user_ns + time.process_system_ns;
}

/* Arms the kernel's timer of kind at the earliest deadline among its rows (or disarms it). */
static long timer_program(enum timer_kind kind)
{
    uint64_t earliest = 0;
    for (int i = 0; i < timer_rows_end; i++)
        if (timers[i].used && timers[i].kind == kind && timers[i].deadline != 0 &&
            (earliest == 0 || timers[i].deadline < earliest))
            earliest = timers[i].deadline;
    if (earliest == kernel_deadline[kind])
        return 0;
    long result;
    if (kind == TIMER_KIND_REAL)
        result = sys_timer_set(aramid_proc_self.signals, earliest, 0, earliest ? TIMER_KICK : 0);
    else
        result = sys_cpu_timer_set(aramid_proc_self.signals,
                                   kind == TIMER_KIND_VIRTUAL ? ARAMID_CPU_TIMER_VIRTUAL
                                                              : ARAMID_CPU_TIMER_PROF,
                                   earliest, earliest ? TIMER_KICK : 0);
    if (result < 0)
        return shim_error_from_sys(result);
    kernel_deadline[kind] = earliest;
    return 0;
}

/* Posts the signals of the rows that are due and moves their deadlines on. Locked. */
static void timer_expire_locked(void)
{
    for (int kind = 0; kind < TIMER_KINDS; kind++) {
        if (kernel_deadline[kind] == 0)
            continue;
        uint64_t now = timer_clock_now(kind);
        if (now < kernel_deadline[kind])
            continue;
        for (int i = 0; i < timer_rows_end; i++) {
            struct shim_timer *timer = &timers[i];
            if (!timer->used || timer->kind != (enum timer_kind)kind || timer->deadline == 0 ||
                timer->deadline > now)
                continue;
            uint64_t missed = 0;
            if (timer->period != 0) {
                missed = (now - timer->deadline) / timer->period;
                timer->deadline += (missed + 1) * timer->period;
            } else {
                timer->deadline = 0;
            }
            if (timer->notify != SIGEV_SIGNAL)
                continue;
            unsigned long bit = 1ul << (timer->signal - 1);
            if (timer_posted & bit) { /* its signal from last time is still pending */
                timer->overrun += (int)missed + 1;
                continue;
            }
            timer->overrun = (int)missed;
            timer_posted_row[timer->signal] = i;
            __atomic_fetch_or(&timer_posted, bit, __ATOMIC_SEQ_CST);
            (void)sys_notify_signal(aramid_proc_self.signals, bit);
        }
        kernel_deadline[kind] = 0; /* the kernel's one-shot has fired */
        (void)timer_program(kind);
    }
}

static bool timer_lock_try(void)
{
    return __atomic_exchange_n(&timer_lock_word, 1, __ATOMIC_ACQUIRE) == 0;
}

static void timer_lock(void)
{
    while (!timer_lock_try())
        (void)sys_yield();
}

static void timer_unlock(void)
{
    for (;;) {
        __atomic_store_n(&timer_lock_word, 0, __ATOMIC_RELEASE);
        if (!__atomic_exchange_n(&timer_expire_wanted, 0, __ATOMIC_ACQ_REL) || !timer_lock_try())
            return;
        timer_expire_locked();
    }
}

void timer_expire(void)
{
    if (kernel_deadline[TIMER_KIND_REAL] == 0 && kernel_deadline[TIMER_KIND_VIRTUAL] == 0 &&
        kernel_deadline[TIMER_KIND_PROF] == 0)
        return;
    __atomic_store_n(&timer_expire_wanted, 1, __ATOMIC_RELEASE);
    if (!timer_lock_try())
        return; /* the holder runs it when it unlocks */
    __atomic_store_n(&timer_expire_wanted, 0, __ATOMIC_RELEASE);
    timer_expire_locked();
    timer_unlock();
}

void timer_fill_siginfo(int signal, siginfo_t *info)
{
    if (signal < 1 || signal > 64)
        return;
    unsigned long bit = 1ul << (signal - 1);
    if (!(__atomic_fetch_and(&timer_posted, ~bit, __ATOMIC_SEQ_CST) & bit))
        return;
    int row = timer_posted_row[signal];
    struct shim_timer *timer = &timers[row];
    timer->overrun_seen = timer->overrun; /* as Linux: the count at delivery */
    timer->overrun = 0;
    if (row < TIMER_POSIX_FIRST)
        return; /* the interval timers' signals look sent by the kernel: SI_KERNEL on Linux */
    info->si_code = SI_TIMER;
    info->si_value = timer->value;
    info->si_overrun = timer->overrun_seen;
}

void timer_fork_child(void)
{
    /* POSIX: a child has no timers; its signal notification and CPU time are its own. */
    for (int i = 0; i < TIMER_ROWS; i++) {
        timers[i].deadline = timers[i].period = 0;
        timers[i].overrun = timers[i].overrun_seen = 0;
        if (i >= TIMER_POSIX_FIRST)
            timers[i].used = false;
    }
    for (int kind = 0; kind < TIMER_KINDS; kind++)
        kernel_deadline[kind] = 0;
    timer_posted = 0;
    timer_rows_end = TIMER_POSIX_FIRST;
    timer_lock_word = timer_expire_wanted = 0;
}

/* Arms row to fire after delay nanoseconds of its clock, then every period (delay 0 disarms);
 * *old_left and *old_period (may be NULL) get what was armed. Locked by the caller. */
static long timer_arm_locked(struct shim_timer *timer, uint64_t delay, uint64_t period)
{
    if (!shim_started_by_proc)
        return -ENOSYS; /* a root task has no signals */
    uint64_t now = timer_clock_now(timer->kind);
    timer->deadline = delay == 0 ? 0 : (delay > UINT64_MAX - now ? UINT64_MAX : now + delay);
    timer->period = timer->deadline ? period : 0;
    timer->overrun = 0;
    return timer_program(timer->kind);
}

/* What is left of row (0: disarmed). Locked by the caller. */
static uint64_t timer_left_locked(const struct shim_timer *timer)
{
    if (timer->deadline == 0)
        return 0;
    uint64_t now = timer_clock_now(timer->kind);
    /* Due but not yet expired (the upcall is on its way): the next period, or a moment. */
    if (timer->deadline <= now)
        return timer->period != 0 ? timer->period - (now - timer->deadline) % timer->period : 1;
    return timer->deadline - now;
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

static void timer_itimerval_locked(const struct shim_timer *timer, struct itimerval *out)
{
    uint64_t left = timer_left_locked(timer);
    timer_to_timeval(left, &out->it_value);
    timer_to_timeval(left ? timer->period : 0, &out->it_interval);
}

static bool timer_timeval_valid(const struct timeval *value)
{
    return value->tv_sec >= 0 && value->tv_usec >= 0 && value->tv_usec < 1000000;
}

int getitimer(int which, struct itimerval *user_value)
{
    if (which != ITIMER_REAL && which != ITIMER_VIRTUAL && which != ITIMER_PROF)
        return (int)shim_return(-EINVAL);
    struct itimerval value;
    timer_lock();
    timer_itimerval_locked(&timers[which], &value);
    timer_unlock();
    if (shim_copy_out(user_value, &value, sizeof(value)) != 0)
        return (int)shim_return(-EFAULT);
    return 0;
}

int setitimer(int which, const struct itimerval *user_value, struct itimerval *user_old)
{
    struct itimerval value = {{0, 0}, {0, 0}}, old;
    if (which != ITIMER_REAL && which != ITIMER_VIRTUAL && which != ITIMER_PROF)
        return (int)shim_return(-EINVAL);
    /* A NULL new value disarms, as Linux (deprecated there, but programs rely on it). */
    if (user_value != NULL && shim_copy_in(&value, user_value, sizeof(value)) != 0)
        return (int)shim_return(-EFAULT);
    if (!timer_timeval_valid(&value.it_value) || !timer_timeval_valid(&value.it_interval))
        return (int)shim_return(-EINVAL);
    timer_lock();
    timer_itimerval_locked(&timers[which], &old);
    long result = 0;
    if (user_old != NULL && shim_copy_out(user_old, &old, sizeof(old)) != 0)
        result = -EFAULT;
    if (result == 0)
        result = timer_arm_locked(&timers[which], timer_from_timeval(&value.it_value),
                                  timer_from_timeval(&value.it_interval));
    timer_unlock();
    return (int)shim_return(result);
}

unsigned alarm(unsigned seconds)
{
    struct itimerval old;
    timer_lock();
    timer_itimerval_locked(&timers[ITIMER_REAL], &old);
    (void)timer_arm_locked(&timers[ITIMER_REAL], (uint64_t)seconds * NANOSECONDS_PER_SECOND, 0);
    timer_unlock();
    /* As glibc: the seconds left, rounded to the nearest, and never 0 while one was armed. */
    unsigned left = (unsigned)old.it_value.tv_sec;
    if ((left == 0 && old.it_value.tv_usec != 0) || old.it_value.tv_usec >= 500000)
        left++;
    return left;
}

/* The POSIX timers. */

static struct shim_timer *timer_posix_row(timer_t id)
{
    if (id >= TIMER_POSIX_MAX || !timers[TIMER_POSIX_FIRST + id].used)
        return NULL;
    return &timers[TIMER_POSIX_FIRST + id];
}

int timer_create(clockid_t clock, struct sigevent *user_event, timer_t *user_id)
{
    enum timer_kind kind;
    switch (clock) {
    case CLOCK_REALTIME:
    case CLOCK_MONOTONIC:
    case CLOCK_BOOTTIME:
        kind = TIMER_KIND_REAL;
        break;
    case CLOCK_PROCESS_CPUTIME_ID:
        kind = TIMER_KIND_PROF;
        break;
    case CLOCK_THREAD_CPUTIME_ID:
        return (int)shim_return(-ENOTSUP); /* one CPU-time timer per process and kind */
    default:
        return (int)shim_return(-EINVAL);
    }
    struct sigevent event = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGALRM};
    bool given = user_event != NULL;
    if (given && shim_copy_in(&event, user_event, sizeof(event)) != 0)
        return (int)shim_return(-EFAULT);
    if (event.sigev_notify == SIGEV_THREAD)
        return (int)shim_return(-ENOTSUP); /* docs/status.md */
    if (event.sigev_notify != SIGEV_SIGNAL && event.sigev_notify != SIGEV_NONE)
        return (int)shim_return(-EINVAL);
    if (event.sigev_notify == SIGEV_SIGNAL && (event.sigev_signo < 1 || event.sigev_signo > 64))
        return (int)shim_return(-EINVAL);
    if (!shim_started_by_proc)
        return (int)shim_return(-ENOSYS);
    timer_lock();
    long result = -EAGAIN;
    for (timer_t id = 0; id < TIMER_POSIX_MAX; id++) {
        struct shim_timer *timer = &timers[TIMER_POSIX_FIRST + id];
        if (timer->used)
            continue;
        if (shim_copy_out(user_id, &id, sizeof(id)) != 0) {
            result = -EFAULT;
            break;
        }
        *timer = (struct shim_timer){.used = true,
                                     .kind = kind,
                                     .clock = clock,
                                     .notify = event.sigev_notify,
                                     .signal = event.sigev_signo,
                                     .value = event.sigev_value};
        if (!given) /* as Linux: si_value carries the timer id */
            timer->value.sival_int = (int)id;
        if (TIMER_POSIX_FIRST + (int)id >= timer_rows_end)
            timer_rows_end = TIMER_POSIX_FIRST + (int)id + 1;
        result = 0;
        break;
    }
    timer_unlock();
    return (int)shim_return(result);
}

int timer_delete(timer_t id)
{
    timer_lock();
    struct shim_timer *timer = timer_posix_row(id);
    long result = -EINVAL;
    if (timer != NULL) {
        timer->used = false;
        timer->deadline = 0;
        result = timer_program(timer->kind);
    }
    timer_unlock();
    return (int)shim_return(result);
}

static bool timer_timespec_valid(const struct timespec *value)
{
    return value->tv_sec >= 0 && value->tv_nsec >= 0 &&
           value->tv_nsec < (long)NANOSECONDS_PER_SECOND;
}

static uint64_t timer_from_timespec(const struct timespec *value)
{
    uint64_t seconds = (uint64_t)value->tv_sec;
    if (seconds > UINT64_MAX / NANOSECONDS_PER_SECOND - 1)
        return UINT64_MAX;
    return seconds * NANOSECONDS_PER_SECOND + (uint64_t)value->tv_nsec;
}

static void timer_to_timespec(uint64_t nanoseconds, struct timespec *out)
{
    out->tv_sec = (time_t)(nanoseconds / NANOSECONDS_PER_SECOND);
    out->tv_nsec = (long)(nanoseconds % NANOSECONDS_PER_SECOND);
}

static void timer_itimerspec_locked(const struct shim_timer *timer, struct itimerspec *out)
{
    uint64_t left = timer_left_locked(timer);
    timer_to_timespec(left, &out->it_value);
    timer_to_timespec(left ? timer->period : 0, &out->it_interval);
}

int timer_gettime(timer_t id, struct itimerspec *user_value)
{
    struct itimerspec value;
    timer_lock();
    struct shim_timer *timer = timer_posix_row(id);
    if (timer != NULL)
        timer_itimerspec_locked(timer, &value);
    timer_unlock();
    if (timer == NULL)
        return (int)shim_return(-EINVAL);
    if (shim_copy_out(user_value, &value, sizeof(value)) != 0)
        return (int)shim_return(-EFAULT);
    return 0;
}

/* The delay until an absolute time on clock (0 fires at once: given as 1 ns). */
static uint64_t timer_absolute_delay(clockid_t clock, uint64_t when)
{
    uint64_t now;
    if (clock == CLOCK_PROCESS_CPUTIME_ID) {
        now = timer_clock_now(TIMER_KIND_PROF);
    } else {
        struct timespec current;
        clock_gettime(clock == CLOCK_BOOTTIME ? CLOCK_MONOTONIC : clock, &current);
        now = timer_from_timespec(&current);
    }
    return when > now ? when - now : 1;
}

int timer_settime(timer_t id, int flags, const struct itimerspec *user_value,
                  struct itimerspec *user_old)
{
    struct itimerspec value, old;
    if (user_value == NULL || shim_copy_in(&value, user_value, sizeof(value)) != 0)
        return (int)shim_return(-EFAULT);
    if (!timer_timespec_valid(&value.it_value) || !timer_timespec_valid(&value.it_interval) ||
        (flags & ~TIMER_ABSTIME))
        return (int)shim_return(-EINVAL);
    timer_lock();
    struct shim_timer *timer = timer_posix_row(id);
    long result = timer == NULL ? -EINVAL : 0;
    if (result == 0) {
        timer_itimerspec_locked(timer, &old);
        if (user_old != NULL && shim_copy_out(user_old, &old, sizeof(old)) != 0)
            result = -EFAULT;
    }
    if (result == 0) {
        uint64_t delay = timer_from_timespec(&value.it_value);
        /* An absolute time becomes a delay on the kernel's clock: exact, as the real-time
         * clock cannot be set here and so moves with the monotonic one. */
        if ((flags & TIMER_ABSTIME) && delay != 0)
            delay = timer_absolute_delay(timer->clock, delay);
        result = timer_arm_locked(timer, delay, timer_from_timespec(&value.it_interval));
    }
    timer_unlock();
    return (int)shim_return(result);
}

int timer_getoverrun(timer_t id)
{
    timer_lock();
    struct shim_timer *timer = timer_posix_row(id);
    int overrun = timer != NULL ? timer->overrun_seen : -1;
    timer_unlock();
    return timer != NULL ? overrun : (int)shim_return(-EINVAL);
}

int clock_nanosleep(clockid_t clock, int flags, const struct timespec *user_request,
                    struct timespec *remaining)
{
    struct timespec request, now;
    if (clock == CLOCK_PROCESS_CPUTIME_ID)
        return ENOTSUP; /* sleeping until the own CPU clock reaches a time: docs/status.md */
    if (clock != CLOCK_MONOTONIC && clock != CLOCK_REALTIME && clock != CLOCK_BOOTTIME)
        return EINVAL;
    if (user_request == NULL || shim_copy_in(&request, user_request, sizeof(request)) != 0)
        return EFAULT;
    if (request.tv_nsec < 0 || request.tv_nsec >= (long)NANOSECONDS_PER_SECOND)
        return EINVAL;
    if (flags & TIMER_ABSTIME) {
        clock_gettime(clock == CLOCK_BOOTTIME ? CLOCK_MONOTONIC : clock, &now);
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
