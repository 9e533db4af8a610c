/* Signals: kill to oneself with a sigaction handler runs the handler before kill returns. */
#include "contract.h"

static volatile int calls;

static void handler(int signal)
{
    calls++;
    printf("handler: %s\n", signal_name(signal));
}

int main(void)
{
    contract_start();
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    contract_result("sigaction(SIGUSR2)", (long)sigaction(SIGUSR2, &action, NULL));
    printf("before kill\n");
    contract_result("kill(self, SIGUSR2)", (long)kill(getpid(), SIGUSR2));
    printf("after kill, calls %d\n", calls);
    struct sigaction old;
    contract_result("sigaction(SIGUSR2, NULL, &old)", (long)sigaction(SIGUSR2, NULL, &old));
    printf("old handler is ours: %s\n", old.sa_handler == handler ? "yes" : "no");
    return contract_pass();
}
