/* Signals: SA_RESETHAND runs the handler once; the next delivery takes the default action (death). */
#include "contract.h"

static void handler(int signal)
{
    printf("handler: %s\n", signal_name(signal));
}

int main(void)
{
    contract_start();
    struct sigaction action, now;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    action.sa_flags = SA_RESETHAND;
    sigemptyset(&action.sa_mask);
    sigaction(SIGUSR2, &action, NULL);
    kill(getpid(), SIGUSR2);
    sigaction(SIGUSR2, NULL, &now);
    printf("handler reset to SIG_DFL: %s\n", now.sa_handler == SIG_DFL ? "yes" : "no");
    printf("sending SIGUSR2 again\n");
    kill(getpid(), SIGUSR2);
    printf("survived\n");
    return contract_pass();
}
