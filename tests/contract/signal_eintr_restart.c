/* Signals: a handler interrupts waitpid with EINTR, unless installed with SA_RESTART. */
#include <time.h>

#include "contract.h"

static volatile int handled;

static void handler(int signal)
{
    (void)signal;
    handled++;
}

/* Forks a child that sleeps 1.5 s and one that signals us after 0.3 s; waits for the sleeper. */
static void trial(const char *what, int flags)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    action.sa_flags = flags;
    sigemptyset(&action.sa_mask);
    sigaction(SIGUSR1, &action, NULL);
    handled = 0;
    pid_t parent = getpid();
    pid_t sleeper = contract_fork();
    if (sleeper == 0) {
        struct timespec t = {1, 500000000};
        nanosleep(&t, NULL);
        _exit(0);
    }
    pid_t signaller = contract_fork();
    if (signaller == 0) {
        struct timespec t = {0, 300000000};
        nanosleep(&t, NULL);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    int status;
    pid_t got = waitpid(sleeper, &status, 0);
    if (got < 0)
        printf("%s: waitpid = -1 %s, handled %d\n", what, errno_name(errno), handled);
    else
        printf("%s: waitpid returned the sleeper, handled %d\n", what, handled);
    if (got < 0)
        contract_reap("sleeper", sleeper);
    contract_reap("signaller", signaller);
}

int main(void)
{
    contract_start();
    trial("without SA_RESTART", 0);
    trial("with SA_RESTART", SA_RESTART);
    return contract_pass();
}
