/* Process and identity system calls: getpid, gettid, getuid, getpriority, uname, clocks, fork,
 * process groups. */
#include "bench.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile long sink;

static const char *step_getpid(void *state)
{
    (void)state;
    sink += getpid();
    return NULL;
}

static const char *step_gettid(void *state)
{
    (void)state;
    sink += gettid();
    return NULL;
}

static const char *step_getuid(void *state)
{
    (void)state;
    sink += getuid();
    return NULL;
}

/* getpriority may legitimately return -1, so failure is told by errno. */
static const char *step_getpriority(void *state)
{
    (void)state;
    errno = 0;
    int priority = getpriority(PRIO_PROCESS, 0);
    if (priority == -1 && errno != 0)
        return bench_fail("getpriority");
    sink += priority;
    return NULL;
}

static const char *step_uname(void *state)
{
    struct utsname system;
    (void)state;
    if (uname(&system) != 0)
        return bench_fail("uname");
    return NULL;
}

static const char *step_clock_gettime(void *state)
{
    struct timespec now;
    (void)state;
    if (clock_gettime(CLOCK_MONOTONIC, &now) != 0)
        return bench_fail("clock_gettime");
    sink += now.tv_nsec;
    return NULL;
}

static const char *step_sched_yield(void *state)
{
    (void)state;
    if (sched_yield() != 0)
        return bench_fail("sched_yield");
    return NULL;
}

/* One iteration: fork, the child _exits at once, the parent waits for it. */
static const char *step_fork_exit(void *state)
{
    (void)state;
    int pid = fork();
    if (pid == 0)
        _exit(0);
    if (pid < 0)
        return bench_fail("fork");
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return bench_fail("waitpid");
    return NULL;
}

/* waitid with WNOHANG and no children: ECHILD is the expected answer. */
static const char *step_waitid(void *state)
{
    siginfo_t info;
    (void)state;
    if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG) == 0) {
        errno = EEXIST;
        return bench_fail("waitid found a child");
    }
    if (errno != ECHILD)
        return bench_fail("waitid");
    return NULL;
}

/* setpgid_getpgid: a child that only waits to be killed; each step moves it into its own group
 * (setpgid(child, child)) and reads its group back (getpgid). The bench process itself may
 * lead a session (Aramid's run= program does), where setpgid(0, 0) is EPERM, so a child. */
static pid_t group_child;

static const char *setup_group_child(void **state)
{
    (void)state;
    group_child = fork();
    if (group_child < 0)
        return bench_fail("fork");
    if (group_child == 0) {
        for (;;)
            pause();
    }
    return NULL;
}

static const char *step_setpgid_getpgid(void *state)
{
    (void)state;
    if (setpgid(group_child, group_child) != 0)
        return bench_fail("setpgid");
    pid_t group = getpgid(group_child);
    if (group != group_child)
        return bench_fail("getpgid");
    sink += group;
    return NULL;
}

static void teardown_group_child(void *state)
{
    (void)state;
    int status;
    kill(group_child, SIGKILL);
    waitpid(group_child, &status, 0);
}

static const struct bench_case cases[] = {
    {.name = "getpid", .quick_iterations = 100000, .full_iterations = 2000000, .step = step_getpid},
    {.name = "gettid", .quick_iterations = 100000, .full_iterations = 2000000, .step = step_gettid},
    {.name = "getuid", .quick_iterations = 100000, .full_iterations = 2000000, .step = step_getuid},
    {.name = "getpriority",
     .quick_iterations = 100000,
     .full_iterations = 2000000,
     .step = step_getpriority},
    {.name = "uname", .quick_iterations = 50000, .full_iterations = 1000000, .step = step_uname},
    {.name = "clock_gettime",
     .quick_iterations = 500000,
     .full_iterations = 10000000,
     .step = step_clock_gettime},
    {.name = "sched_yield",
     .quick_iterations = 50000,
     .full_iterations = 1000000,
     .step = step_sched_yield},
    {.name = "fork_exit", .quick_iterations = 100, .full_iterations = 2000, .step = step_fork_exit},
    {.name = "waitid", .quick_iterations = 50000, .full_iterations = 1000000, .step = step_waitid},
    {.name = "setpgid_getpgid",
     .quick_iterations = 50000,
     .full_iterations = 1000000,
     .setup = setup_group_child,
     .step = step_setpgid_getpgid,
     .teardown = teardown_group_child},
};

const struct bench_group bench_process_group = {cases, sizeof(cases) / sizeof(cases[0])};
