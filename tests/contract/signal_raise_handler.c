/* Signals: raise with a signal() handler runs the handler before raise returns; SIG_IGN ignores. */
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
    printf("signal(SIGUSR1) previous is SIG_DFL: %s\n", signal(SIGUSR1, handler) == SIG_DFL ? "yes" : "no");
    printf("before raise\n");
    contract_result("raise(SIGUSR1)", (long)raise(SIGUSR1));
    printf("after raise, calls %d\n", calls);
    signal(SIGUSR1, handler);
    raise(SIGUSR1);
    printf("calls %d\n", calls);
    printf("signal(SIGUSR1, SIG_IGN) previous is the handler: %s\n",
           signal(SIGUSR1, SIG_IGN) == handler ? "yes" : "no");
    contract_result("raise(SIGUSR1) while ignored", (long)raise(SIGUSR1));
    printf("calls %d\n", calls);
    return contract_pass();
}
