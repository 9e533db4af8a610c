/* CPU time: CLOCK_PROCESS_CPUTIME_ID and CLOCK_THREAD_CPUTIME_ID, getrusage (self, children),
 * wait4's rusage, times(), ITIMER_VIRTUAL and ITIMER_PROF, and their errors. Durations are
 * never printed: only whether each figure lies where it must. */
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>

#include "contract.h"

#define MS 1000000ll

static long long now_ns(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (long long)t.tv_sec * 1000000000ll + t.tv_nsec;
}

/* Runs on the CPU for at least ms milliseconds of its own CPU time. */
static void burn(long ms)
{
    long long start = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    volatile unsigned long sink = 0;
    while (now_ns(CLOCK_PROCESS_CPUTIME_ID) - start < ms * MS)
        for (int i = 0; i < 10000; i++)
            sink += (unsigned long)i;
}

static long long timeval_ns(const struct timeval *t)
{
    return (long long)t->tv_sec * 1000000000ll + (long long)t->tv_usec * 1000;
}

static long long rusage_ns(int who)
{
    struct rusage usage;
    if (getrusage(who, &usage) != 0)
        return -1;
    return timeval_ns(&usage.ru_utime) + timeval_ns(&usage.ru_stime);
}

static volatile int vtalrms, profs;

static void on_timer(int signal)
{
    if (signal == SIGVTALRM)
        vtalrms++;
    else
        profs++;
}

int main(void)
{
    contract_start();
    long long wall0 = now_ns(CLOCK_MONOTONIC);
    long long process0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    long long thread0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
    burn(200);
    long long wall = now_ns(CLOCK_MONOTONIC) - wall0;
    long long process = now_ns(CLOCK_PROCESS_CPUTIME_ID) - process0;
    long long thread = now_ns(CLOCK_THREAD_CPUTIME_ID) - thread0;
    printf("process CPU time grew by the burn: %s\n", process >= 200 * MS ? "yes" : "no");
    printf("no more than the wall time: %s\n", process <= wall + 20 * MS ? "yes" : "no");
    printf("thread CPU time grew too: %s\n", thread >= 150 * MS ? "yes" : "no");

    long long before_sleep = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    struct timespec pause_time = {0, 200 * MS};
    nanosleep(&pause_time, NULL);
    printf("sleeping costs (almost) no CPU time: %s\n",
           now_ns(CLOCK_PROCESS_CPUTIME_ID) - before_sleep < 50 * MS ? "yes" : "no");

    long long self = rusage_ns(RUSAGE_SELF);
    printf("getrusage(RUSAGE_SELF) covers the burn: %s\n", self >= 200 * MS ? "yes" : "no");
    printf("getrusage(RUSAGE_CHILDREN) before any child: %s\n",
           rusage_ns(RUSAGE_CHILDREN) == 0 ? "0" : "not 0");

    struct tms before, after;
    times(&before);
    pid_t child = contract_fork();
    if (child == 0) {
        burn(150);
        _exit(0);
    }
    struct rusage child_usage;
    int status;
    pid_t reaped = wait4(child, &status, 0, &child_usage);
    printf("wait4 reaped the child: %s\n", reaped == child ? "yes" : "no");
    printf("wait4's rusage has the child's burn: %s\n",
           timeval_ns(&child_usage.ru_utime) + timeval_ns(&child_usage.ru_stime) >= 150 * MS
               ? "yes"
               : "no");
    long long children = rusage_ns(RUSAGE_CHILDREN);
    printf("getrusage(RUSAGE_CHILDREN) after wait: %s\n", children >= 150 * MS ? "yes" : "no");
    times(&after);
    printf("times() children's time grew: %s\n",
           after.tms_cutime + after.tms_cstime > before.tms_cutime + before.tms_cstime ? "yes"
                                                                                     : "no");
    printf("times() own time covers the burn: %s\n",
           after.tms_utime + after.tms_stime > 0 ? "yes" : "no");

    /* ITIMER_VIRTUAL counts only running time: a 50 ms one does not fire in 200 ms of sleep. */
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_timer;
    sigaction(SIGVTALRM, &action, NULL);
    sigaction(SIGPROF, &action, NULL);
    struct itimerval value = {{0, 0}, {0, 50000}}, old;
    R(setitimer(ITIMER_VIRTUAL, &value, NULL));
    getitimer(ITIMER_VIRTUAL, &old);
    printf("ITIMER_VIRTUAL armed: %s\n", old.it_value.tv_sec || old.it_value.tv_usec ? "yes" : "no");
    nanosleep(&pause_time, NULL);
    printf("SIGVTALRM while sleeping: %d\n", vtalrms);
    burn(120);
    printf("SIGVTALRM after running: %d\n", vtalrms);
    getitimer(ITIMER_VIRTUAL, &old);
    printf("ITIMER_VIRTUAL after it fired: %s\n",
           old.it_value.tv_sec || old.it_value.tv_usec ? "armed" : "disarmed");

    /* ITIMER_PROF with an interval: three expiries while running, then off. */
    value = (struct itimerval){{0, 30000}, {0, 30000}};
    R(setitimer(ITIMER_PROF, &value, NULL));
    long long start = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    while (profs < 3 && now_ns(CLOCK_PROCESS_CPUTIME_ID) - start < 2000 * MS)
        burn(5);
    struct itimerval off = {{0, 0}, {0, 0}};
    R(setitimer(ITIMER_PROF, &off, &old));
    printf("SIGPROF at least three times: %s\n", profs >= 3 ? "yes" : "no");
    printf("old ITIMER_PROF had its interval: %s\n", old.it_interval.tv_usec == 30000 ? "yes" : "no");

    /* Errors. */
    struct timespec t;
    R(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t));
    R(clock_gettime(CLOCK_PROCESS_CPUTIME_ID, contract_address(8)));
    R(clock_getres(CLOCK_THREAD_CPUTIME_ID, &t));
    R(getrusage(RUSAGE_SELF, &child_usage));
    R(getrusage(12345, &child_usage));
    R(getrusage(RUSAGE_SELF, contract_address(8)));
    R(getitimer(ITIMER_PROF, &old));
    R(getitimer(ITIMER_PROF, contract_address(8)));
    value = (struct itimerval){{0, 0}, {0, 2000000}};
    R(setitimer(ITIMER_VIRTUAL, &value, NULL));
    return contract_pass();
}
