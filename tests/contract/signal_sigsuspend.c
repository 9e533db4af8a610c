/* Signals: sigsuspend waits with a temporary mask, returns EINTR after the handler, restores the mask. */
#include "contract.h"

static volatile int handled;

static void handler(int signal)
{
    handled = signal == SIGUSR1;
    printf("handler ran\n");
}

int main(void)
{
    contract_start();
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    sigaction(SIGUSR1, &action, NULL);
    sigset_t block, wait_mask, now;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    pid_t parent = getpid();
    pid_t child = contract_fork();
    if (child == 0) {
        kill(parent, SIGUSR1);
        _exit(0);
    }
    contract_reap("child", child);
    printf("handled before sigsuspend: %d\n", handled);
    sigemptyset(&wait_mask);
    int result = sigsuspend(&wait_mask);
    printf("sigsuspend = %d %s, handled %d\n", result, errno_name(errno), handled);
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("SIGUSR1 blocked again: %s\n", sigismember(&now, SIGUSR1) ? "yes" : "no");
    return contract_pass();
}
