/* Signals: blocked signals wait as pending and run their handlers when unblocked, lowest first. */
#include "contract.h"

static void handler(int signal)
{
    printf("handler: %s\n", signal_name(signal));
}

int main(void)
{
    contract_start();
    int signals[] = {SIGTERM, SIGQUIT, SIGINT, SIGHUP};
    sigset_t block;
    sigemptyset(&block);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    for (int i = 0; i < 4; i++) {
        sigaction(signals[i], &action, NULL);
        sigaddset(&block, signals[i]);
    }
    sigprocmask(SIG_BLOCK, &block, NULL);
    for (int i = 0; i < 4; i++)
        kill(getpid(), signals[i]);
    kill(getpid(), SIGTERM);
    sigset_t pending;
    sigpending(&pending);
    for (int i = 0; i < 4; i++)
        printf("%s pending: %s\n", signal_name(signals[i]),
               sigismember(&pending, signals[i]) ? "yes" : "no");
    printf("SIGUSR1 pending: %s\n", sigismember(&pending, SIGUSR1) ? "yes" : "no");
    printf("unblocking\n");
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    printf("unblocked\n");
    sigpending(&pending);
    printf("SIGTERM still pending: %s\n", sigismember(&pending, SIGTERM) ? "yes" : "no");
    return contract_pass();
}
