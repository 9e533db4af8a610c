/* Signals: a fatal default action takes effect when the signal is sent. A paused child sent
 * SIGTERM then SIGKILL dies of SIGTERM; a blocked one of SIGKILL; one with a handler or ignoring
 * it lives on. */
#include <sys/mman.h>
#include <time.h>

#include "contract.h"

static volatile int *shared;

static void handler(int signal)
{
    (void)signal;
    shared[1]++;
}

/* mode 0: default; 1: SIGTERM blocked; 2: SIGTERM handled; 3: SIGTERM ignored. */
static pid_t paused(int mode)
{
    shared[0] = shared[1] = 0;
    pid_t child = contract_fork();
    if (child == 0) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGTERM);
        if (mode == 1)
            sigprocmask(SIG_BLOCK, &set, NULL);
        if (mode == 2)
            signal(SIGTERM, handler);
        if (mode == 3)
            signal(SIGTERM, SIG_IGN);
        shared[0] = 1;
        for (;;)
            pause();
    }
    struct timespec tick = {0, 1000000};
    while (shared[0] == 0)
        nanosleep(&tick, NULL);
    return child;
}

int main(void)
{
    contract_start();
    shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    static const char *const modes[] = {"default", "blocked", "handled", "ignored"};
    for (int mode = 0; mode < 4; mode++) {
        pid_t child = paused(mode);
        R(kill(child, SIGTERM));
        R(kill(child, SIGKILL));
        char what[64];
        snprintf(what, sizeof(what), "SIGTERM (%s) then SIGKILL", modes[mode]);
        contract_reap(what, child);
    }
    /* The same for SIGINT and SIGHUP, sent back to back with SIGUSR1. */
    pid_t child = paused(0);
    R(kill(child, SIGHUP));
    R(kill(child, SIGUSR1));
    contract_reap("SIGHUP then SIGUSR1", child);
    child = paused(0);
    R(kill(child, SIGINT));
    R(kill(child, SIGTERM));
    contract_reap("SIGINT then SIGTERM", child);
    return contract_pass();
}
