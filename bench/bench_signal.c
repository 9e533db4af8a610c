/* Signal system calls: installing a handler, changing the mask, delivering a signal to oneself. */
#include "bench.h"

#include <setjmp.h>
#include <signal.h>
#include <string.h>

static volatile sig_atomic_t delivered;
static struct sigaction previous_action;

static void count_signal(int signal_number)
{
    (void)signal_number;
    delivered++;
}

static const char *step_sigaction(void *state)
{
    struct sigaction action;
    (void)state;
    memset(&action, 0, sizeof(action));
    action.sa_handler = count_signal;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGUSR1, &action, NULL) != 0)
        return bench_fail("sigaction");
    return NULL;
}

/* Block SIGUSR1 and unblock it again: two sigprocmask calls. */
static const char *step_sigprocmask(void *state)
{
    sigset_t set;
    (void)state;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
        return bench_fail("sigprocmask block");
    if (sigprocmask(SIG_UNBLOCK, &set, NULL) != 0)
        return bench_fail("sigprocmask unblock");
    return NULL;
}

static const char *setup_signal_delivery(void **state)
{
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = count_signal;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGUSR1, &action, &previous_action) != 0)
        return bench_fail("sigaction");
    *state = &previous_action;
    return NULL;
}

/* raise() returns after the handler has run. */
static const char *step_signal_delivery(void *state)
{
    (void)state;
    sig_atomic_t before = delivered;
    if (raise(SIGUSR1) != 0)
        return bench_fail("raise");
    if (delivered == before)
        return "raise returned before the handler ran";
    return NULL;
}

static void teardown_signal_delivery(void *state)
{
    sigaction(SIGUSR1, state, NULL);
}

/* A non-local exit with the mask: sigsetjmp(env, 1) saves it, siglongjmp restores it (Linux:
 * one rt_sigprocmask each; posix-shim keeps the mask in memory). */
static sigjmp_buf jump_buffer;

static const char *step_sigsetjmp_siglongjmp(void *state)
{
    static volatile int jumps;
    (void)state;
    int before = jumps;
    if (sigsetjmp(jump_buffer, 1) == 0) {
        jumps++;
        siglongjmp(jump_buffer, 1);
    }
    if (jumps != before + 1)
        return "siglongjmp did not come back once";
    return NULL;
}

static const struct bench_case cases[] = {
    {.name = "sigaction",
     .quick_iterations = 50000,
     .full_iterations = 1000000,
     .step = step_sigaction},
    {.name = "sigprocmask",
     .quick_iterations = 25000,
     .full_iterations = 500000,
     .step = step_sigprocmask},
    {.name = "signal_delivery",
     .quick_iterations = 10000,
     .full_iterations = 200000,
     .setup = setup_signal_delivery,
     .step = step_signal_delivery,
     .teardown = teardown_signal_delivery},
    {.name = "sigsetjmp_siglongjmp",
     .quick_iterations = 50000,
     .full_iterations = 1000000,
     .step = step_sigsetjmp_siglongjmp},
};

const struct bench_group bench_signal_group = {cases, sizeof(cases) / sizeof(cases[0])};
