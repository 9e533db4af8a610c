/* Time: alarm, setitimer/getitimer (ITIMER_REAL) and clock_nanosleep, their values and errors. */
#include <sys/time.h>
#include <time.h>

#include "contract.h"

static volatile int alarms;

static void on_alarm(int signal)
{
    (void)signal;
    alarms++;
}

static void print_value(const char *what, const struct itimerval *value)
{
    printf("%s: armed %s, interval %s\n", what,
           value->it_value.tv_sec || value->it_value.tv_usec ? "yes" : "no",
           value->it_interval.tv_sec || value->it_interval.tv_usec ? "yes" : "no");
}

int main(void)
{
    contract_start();
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_alarm;
    sigemptyset(&action.sa_mask);
    sigaction(SIGALRM, &action, NULL);

    printf("alarm(0) with none armed = %u\n", alarm(0));
    alarm(5);
    printf("alarm(0) after alarm(5) = %u\n", alarm(0));

    struct itimerval value = {{0, 0}, {0, 200000}}, old;
    contract_result("setitimer 200 ms", setitimer(ITIMER_REAL, &value, NULL));
    getitimer(ITIMER_REAL, &old);
    print_value("after setitimer", &old);
    int paused = pause();
    printf("pause = %d %s, alarms %d\n", paused, errno_name(errno), alarms);
    getitimer(ITIMER_REAL, &old);
    print_value("after it fired", &old);

    /* Periodic: three periods of 50 ms, then off (the old value reports the period). */
    sigset_t blocked, empty;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGALRM);
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &blocked, NULL);
    alarms = 0;
    value = (struct itimerval){{0, 50000}, {0, 50000}};
    setitimer(ITIMER_REAL, &value, NULL);
    while (alarms < 3)
        sigsuspend(&empty);
    struct itimerval off = {{0, 0}, {0, 0}};
    contract_result("setitimer off", setitimer(ITIMER_REAL, &off, &old));
    print_value("old value of the periodic timer", &old);
    sigprocmask(SIG_UNBLOCK, &blocked, NULL);
    printf("periodic alarms %d\n", alarms);

    value = (struct itimerval){{0, 0}, {0, 1000000}};
    contract_result("setitimer usec 1000000", setitimer(ITIMER_REAL, &value, NULL));
    value = (struct itimerval){{0, 0}, {-1, 0}};
    contract_result("setitimer negative", setitimer(ITIMER_REAL, &value, NULL));
    contract_result("setitimer bad which", setitimer(99, &off, NULL));
    contract_result("getitimer bad which", getitimer(99, &old));
    contract_result("setitimer NULL", setitimer(ITIMER_REAL, NULL, NULL));
    contract_result("getitimer bad pointer", getitimer(ITIMER_REAL, (struct itimerval *)8));

    /* A forked child has no alarm; the default action of SIGALRM ends a process. */
    alarm(10);
    pid_t child = contract_fork();
    if (child == 0) {
        getitimer(ITIMER_REAL, &old);
        print_value("child's timer", &old);
        signal(SIGALRM, SIG_DFL);
        value = (struct itimerval){{0, 0}, {0, 100000}};
        setitimer(ITIMER_REAL, &value, NULL);
        for (;;)
            pause();
    }
    contract_reap("child killed by its alarm", child);
    printf("parent's alarm still set: %s\n", alarm(0) > 0 ? "yes" : "no");

    struct timespec ten_ms = {0, 10000000}, past = {0, 1}, bad = {0, 1000000000}, now;
    printf("clock_nanosleep relative = %d\n", clock_nanosleep(CLOCK_MONOTONIC, 0, &ten_ms, NULL));
    printf("clock_nanosleep past absolute = %d\n",
           clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL));
    clock_gettime(CLOCK_REALTIME, &now);
    now.tv_nsec += 20000000;
    if (now.tv_nsec >= 1000000000) {
        now.tv_sec++;
        now.tv_nsec -= 1000000000;
    }
    printf("clock_nanosleep realtime absolute = %d\n",
           clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &now, NULL));
    struct timespec after;
    clock_gettime(CLOCK_REALTIME, &after);
    printf("woke after the deadline: %s\n",
           after.tv_sec > now.tv_sec || (after.tv_sec == now.tv_sec && after.tv_nsec >= now.tv_nsec)
               ? "yes" : "no");
    printf("clock_nanosleep bad nsec = %s\n",
           errno_name(clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL)));
    printf("clock_nanosleep bad clock = %s\n", errno_name(clock_nanosleep(99, 0, &ten_ms, NULL)));
    return contract_pass();
}
