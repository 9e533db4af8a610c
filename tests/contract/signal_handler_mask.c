/* Signals: a signal is blocked during its own handler, so raising it there nests only afterwards. */
#include "contract.h"

static volatile int depth;
static volatile int entries;

static void handler(int signal)
{
    int entry = ++entries;
    depth++;
    printf("enter %d, depth %d\n", entry, depth);
    if (entry == 1) {
        kill(getpid(), signal);
        sigset_t now;
        sigprocmask(SIG_BLOCK, NULL, &now);
        printf("inside handler: %s blocked %s, SIGUSR2 blocked %s\n", signal_name(signal),
               sigismember(&now, signal) ? "yes" : "no", sigismember(&now, SIGUSR2) ? "yes" : "no");
    }
    printf("leave %d\n", entry);
    depth--;
}

int main(void)
{
    contract_start();
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    sigaddset(&action.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &action, NULL);
    kill(getpid(), SIGUSR1);
    printf("after kill: %d entries\n", entries);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("mask restored: %s\n",
           !sigismember(&now, SIGUSR1) && !sigismember(&now, SIGUSR2) ? "yes" : "no");
    action.sa_flags = SA_NODEFER;
    entries = 0;
    sigaction(SIGUSR1, &action, NULL);
    kill(getpid(), SIGUSR1);
    printf("with SA_NODEFER: %d entries\n", entries);
    return contract_pass();
}
