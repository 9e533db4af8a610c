/* Signals: sigaction rejects SIGKILL, SIGSTOP and out-of-range numbers with EINVAL. */
#include "contract.h"

static void handler(int signal)
{
    (void)signal;
}

int main(void)
{
    contract_start();
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    contract_result("sigaction(SIGKILL)", (long)sigaction(SIGKILL, &action, NULL));
    contract_result("sigaction(SIGSTOP)", (long)sigaction(SIGSTOP, &action, NULL));
    contract_result("sigaction(0)", (long)sigaction(0, &action, NULL));
    contract_result("sigaction(1000)", (long)sigaction(1000, &action, NULL));
    contract_result("sigaction(SIGKILL, NULL, &old)", (long)sigaction(SIGKILL, NULL, &action));
    printf("SIGKILL disposition is SIG_DFL: %s\n", action.sa_handler == SIG_DFL ? "yes" : "no");
    contract_result("signal(SIGKILL) is SIG_ERR", signal(SIGKILL, handler) == SIG_ERR ? -1 : 0);
    return contract_pass();
}
