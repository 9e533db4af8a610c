/* POSIX timers: timer_create on CLOCK_MONOTONIC, CLOCK_REALTIME and the process CPU clock,
 * SIGEV_SIGNAL (si_code SI_TIMER, si_value) and SIGEV_NONE, intervals, TIMER_ABSTIME,
 * timer_gettime, timer_getoverrun, timer_delete, and their errors. */
#include <time.h>

#include "contract.h"

#define MS 1000000l

static volatile int fired;
static volatile int fired_code_timer;
static volatile int fired_value;

static void on_timer(int signal, siginfo_t *info, void *context)
{
    (void)signal;
    (void)context;
    fired++;
    fired_code_timer = info->si_code == SI_TIMER;
    fired_value = info->si_value.sival_int;
}

static int armed(const struct itimerspec *value)
{
    return value->it_value.tv_sec != 0 || value->it_value.tv_nsec != 0;
}

int main(void)
{
    contract_start();
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_timer;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &action, NULL);
    sigaction(SIGALRM, &action, NULL);

    struct sigevent event;
    memset(&event, 0, sizeof event);
    event.sigev_notify = SIGEV_SIGNAL;
    event.sigev_signo = SIGUSR1;
    event.sigev_value.sival_int = 42;
    timer_t timer;
    R(timer_create(CLOCK_MONOTONIC, &event, &timer));
    struct itimerspec value, old;
    R(timer_gettime(timer, &value));
    printf("a new timer is disarmed: %s\n", armed(&value) ? "no" : "yes");

    /* One shot of 50 ms. */
    struct itimerspec shot = {{0, 0}, {0, 50 * MS}};
    R(timer_settime(timer, 0, &shot, NULL));
    timer_gettime(timer, &value);
    printf("armed after settime: %s, not above 50 ms: %s\n", armed(&value) ? "yes" : "no",
           value.it_value.tv_sec == 0 && value.it_value.tv_nsec <= 50 * MS ? "yes" : "no");
    while (fired == 0)
        pause();
    printf("fired %d, si_code SI_TIMER %s, si_value %d\n", fired, fired_code_timer ? "yes" : "no",
           fired_value);
    timer_gettime(timer, &value);
    printf("disarmed after one shot: %s\n", armed(&value) ? "no" : "yes");

    /* Periodic: 20 ms five times, with the signal blocked for a while (overruns). */
    sigset_t blocked, empty;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGUSR1);
    sigemptyset(&empty);
    fired = 0;
    struct itimerspec periodic = {{0, 20 * MS}, {0, 20 * MS}};
    R(timer_settime(timer, 0, &periodic, NULL));
    while (fired < 5)
        pause();
    sigprocmask(SIG_BLOCK, &blocked, NULL);
    struct timespec nap = {0, 110 * MS};
    nanosleep(&nap, NULL);
    int before = fired;
    sigsuspend(&empty); /* the pending one arrives */
    printf("blocked expiries came as one signal: %s\n", fired == before + 1 ? "yes" : "no");
    printf("timer_getoverrun counted the rest: %s\n", timer_getoverrun(timer) >= 2 ? "yes" : "no");
    R(timer_settime(timer, 0, &(struct itimerspec){{0, 0}, {0, 0}}, &old));
    sigprocmask(SIG_UNBLOCK, &blocked, NULL);
    printf("old value had the interval: %s\n", old.it_interval.tv_nsec == 20 * MS ? "yes" : "no");

    /* TIMER_ABSTIME in the past fires at once; on CLOCK_REALTIME. */
    timer_t realtime;
    R(timer_create(CLOCK_REALTIME, NULL, &realtime));
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    fired = 0;
    struct itimerspec past = {{0, 0}, {now.tv_sec - 1, 0}};
    R(timer_settime(realtime, TIMER_ABSTIME, &past, NULL));
    while (fired == 0)
        pause();
    /* (si_value is the timer's id, which glibc's timer_t encodes its own way: not printed.) */
    printf("past absolute time fired SIGALRM as a timer: %s\n", fired_code_timer ? "yes" : "no");
    clock_gettime(CLOCK_REALTIME, &now);
    struct itimerspec future = {{0, 0}, {now.tv_sec + 100, 0}};
    R(timer_settime(realtime, TIMER_ABSTIME, &future, NULL));
    timer_gettime(realtime, &value);
    printf("absolute +100 s reads as 99..100 s left: %s\n",
           value.it_value.tv_sec >= 99 && value.it_value.tv_sec <= 100 ? "yes" : "no");
    R(timer_delete(realtime));

    /* SIGEV_NONE: counts down, no signal. */
    event.sigev_notify = SIGEV_NONE;
    timer_t silent;
    R(timer_create(CLOCK_MONOTONIC, &event, &silent));
    R(timer_settime(silent, 0, &(struct itimerspec){{0, 0}, {0, 30 * MS}}, NULL));
    fired = 0;
    nanosleep(&(struct timespec){0, 60 * MS}, NULL);
    timer_gettime(silent, &value);
    printf("SIGEV_NONE expired without a signal: %s\n",
           fired == 0 && !armed(&value) ? "yes" : "no");
    R(timer_delete(silent));

    /* A CPU-time timer fires only while the process runs. */
    event.sigev_notify = SIGEV_SIGNAL;
    event.sigev_signo = SIGUSR1;
    timer_t cpu;
    R(timer_create(CLOCK_PROCESS_CPUTIME_ID, &event, &cpu));
    fired = 0;
    R(timer_settime(cpu, 0, &(struct itimerspec){{0, 0}, {0, 40 * MS}}, NULL));
    nanosleep(&(struct timespec){0, 100 * MS}, NULL);
    printf("CPU timer while sleeping: %d\n", fired);
    volatile unsigned long sink = 0;
    while (fired == 0)
        sink++;
    printf("CPU timer after running: %d\n", fired);
    R(timer_delete(cpu));

    /* Errors. */
    R(timer_delete(timer));
    R(timer_delete(timer));
    R(timer_gettime(timer, &value));
    R(timer_settime(timer, 0, &shot, NULL));
    R(timer_getoverrun(timer));
    R(timer_create(12345, NULL, &timer));
    /* (A bad timer_t pointer: glibc stores the id itself and so dies of SIGSEGV; posix-shim
     * answers EFAULT. Not compared.) */
    event.sigev_notify = 12345;
    R(timer_create(CLOCK_MONOTONIC, &event, &timer));
    event.sigev_notify = SIGEV_SIGNAL;
    event.sigev_signo = 0;
    R(timer_create(CLOCK_MONOTONIC, &event, &timer));
    event.sigev_signo = SIGUSR1;
    R(timer_create(CLOCK_MONOTONIC, &event, &timer));
    R(timer_settime(timer, 0, &(struct itimerspec){{0, 0}, {0, 1000000000}}, NULL));
    R(timer_settime(timer, 0, contract_address(8), NULL));
    R(timer_gettime(timer, contract_address(8)));
    R(timer_delete(timer));
    return contract_pass();
}
