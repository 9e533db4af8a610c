/* Timers and CPU time: alarm, setitimer and getrusage. */
#include "bench.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

static volatile long sink;

/* alarm(10) then alarm(0): arm and cancel (it never fires). */
static const char *step_alarm_cancel(void *state)
{
    (void)state;
    alarm(10);
    sink += alarm(0);
    return NULL;
}

/* setitimer(ITIMER_REAL) of 10 s, then setitimer to 0 reading the old value back. */
static const char *step_setitimer(void *state)
{
    (void)state;
    struct itimerval on = {{0, 0}, {10, 0}}, off = {{0, 0}, {0, 0}}, old;
    if (setitimer(ITIMER_REAL, &on, NULL) != 0 || setitimer(ITIMER_REAL, &off, &old) != 0)
        return bench_fail("setitimer");
    sink += old.it_value.tv_sec;
    return NULL;
}

static const char *step_getrusage(void *state)
{
    (void)state;
    struct rusage usage;
    if (getrusage(RUSAGE_SELF, &usage) != 0)
        return bench_fail("getrusage");
    sink += usage.ru_utime.tv_usec;
    return NULL;
}

static const struct bench_case cases[] = {
    {.name = "alarm_cancel",
     .quick_iterations = 50000,
     .full_iterations = 1000000,
     .step = step_alarm_cancel},
    {.name = "setitimer",
     .quick_iterations = 50000,
     .full_iterations = 1000000,
     .step = step_setitimer},
    {.name = "getrusage",
     .quick_iterations = 50000,
     .full_iterations = 1000000,
     .step = step_getrusage},
};

const struct bench_group bench_time_group = {cases, sizeof(cases) / sizeof(cases[0])};
