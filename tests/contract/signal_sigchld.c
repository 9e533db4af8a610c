/* Signals: a child's exit sends SIGCHLD to the parent, whose handler runs; the status is then waited. */
#include "contract.h"

static volatile int sigchld_count;

static void on_child(int signal)
{
    if (signal == SIGCHLD)
        sigchld_count++;
}

int main(void)
{
    contract_start();
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_child;
    sigemptyset(&action.sa_mask);
    sigaction(SIGCHLD, &action, NULL);
    sigset_t block, empty;
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &block, NULL);
    pid_t child = contract_fork();
    if (child == 0)
        _exit(2);
    while (sigchld_count == 0)
        sigsuspend(&empty);
    printf("SIGCHLD handled: %d\n", sigchld_count);
    contract_reap("child", child);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    signal(SIGCHLD, SIG_IGN);
    child = contract_fork();
    if (child == 0)
        _exit(3);
    int status;
    pid_t got = waitpid(child, &status, 0);
    printf("with SIGCHLD ignored, children are reaped automatically: %s %s\n",
           got < 0 ? "yes" : "no", got < 0 ? errno_name(errno) : "");
    return contract_pass();
}
