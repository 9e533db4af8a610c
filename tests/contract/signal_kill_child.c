/* Signals: a parent's kill reaches a child: handled, ignored, or terminating by default. */
#include <sys/mman.h>
#include <time.h>

#include "contract.h"

static volatile int *shared;

static void handler(int signal)
{
    shared[1] = signal == SIGUSR1 ? 1 : 2;
}

int main(void)
{
    contract_start();
    shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    struct timespec tick = {0, 2000000};
    pid_t child = contract_fork();
    if (child == 0) {
        signal(SIGUSR1, handler);
        signal(SIGTERM, SIG_IGN);
        shared[0] = 1;
        while (shared[1] == 0)
            nanosleep(&tick, NULL);
        while (shared[2] == 0)
            nanosleep(&tick, NULL);
        _exit(shared[1] == 1 ? 0 : 1);
    }
    while (shared[0] == 0)
        nanosleep(&tick, NULL);
    contract_result("kill(child, SIGUSR1)", (long)kill(child, SIGUSR1));
    contract_result("kill(child, SIGTERM) (ignored)", (long)kill(child, SIGTERM));
    shared[2] = 1;
    contract_reap("handled and ignored", child);
    child = contract_fork();
    if (child == 0) {
        for (;;)
            nanosleep(&tick, NULL);
    }
    contract_result("kill(child, SIGTERM)", (long)kill(child, SIGTERM));
    contract_reap("default SIGTERM", child);
    return contract_pass();
}
