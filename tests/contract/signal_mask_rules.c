/* Signals: sigprocmask keeps what was asked, cannot block SIGKILL or SIGSTOP, and rejects bad how. */
#include "contract.h"

int main(void)
{
    contract_start();
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGKILL);
    sigaddset(&set, SIGSTOP);
    contract_result("sigprocmask(SIG_BLOCK, USR1 KILL STOP)", (long)sigprocmask(SIG_BLOCK, &set, NULL));
    sigprocmask(SIG_BLOCK, NULL, &old);
    printf("SIGUSR1 blocked: %s\n", sigismember(&old, SIGUSR1) ? "yes" : "no");
    printf("SIGKILL blocked: %s\n", sigismember(&old, SIGKILL) ? "yes" : "no");
    printf("SIGSTOP blocked: %s\n", sigismember(&old, SIGSTOP) ? "yes" : "no");
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_SETMASK, &set, &old);
    printf("SIG_SETMASK returned the old mask with SIGUSR1: %s\n", sigismember(&old, SIGUSR1) ? "yes" : "no");
    sigprocmask(SIG_UNBLOCK, &set, &old);
    printf("old mask had SIGUSR2 only: %s\n",
           sigismember(&old, SIGUSR2) && !sigismember(&old, SIGUSR1) ? "yes" : "no");
    sigprocmask(SIG_BLOCK, NULL, &old);
    printf("mask empty now: %s\n", !sigismember(&old, SIGUSR1) && !sigismember(&old, SIGUSR2) ? "yes" : "no");
    contract_result("sigprocmask(99, ...)", (long)sigprocmask(99, &set, NULL));
    contract_result("sigprocmask(99, NULL, ...)", (long)sigprocmask(99, NULL, &old));
    return contract_pass();
}
