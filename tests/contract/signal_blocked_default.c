/* Signals: a blocked SIGTERM to oneself waits; unblocking it applies the default action (death). */
#include "contract.h"

int main(void)
{
    contract_start();
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    contract_result("sigprocmask(SIG_BLOCK, SIGTERM)", (long)sigprocmask(SIG_BLOCK, &set, NULL));
    contract_result("kill(self, SIGTERM)", (long)kill(getpid(), SIGTERM));
    printf("alive while SIGTERM is blocked\n");
    sigset_t old;
    sigprocmask(SIG_BLOCK, NULL, &old);
    printf("SIGTERM in the mask: %s\n", sigismember(&old, SIGTERM) ? "yes" : "no");
    printf("unblocking SIGTERM next\n");
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    printf("survived unblocking\n");
    return contract_pass();
}
