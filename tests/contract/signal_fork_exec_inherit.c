/* Signals: a child inherits handlers and mask; execve resets handlers but keeps the mask and SIG_IGN. */
#include "contract.h"

static void handler(int signal)
{
    printf("child handler: %s\n", signal_name(signal));
}

static void report(const char *who)
{
    struct sigaction usr1, term;
    sigaction(SIGUSR1, NULL, &usr1);
    sigaction(SIGTERM, NULL, &term);
    sigset_t mask;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    printf("%s: SIGUSR1 %s, SIGTERM %s, SIGUSR2 blocked %s\n", who,
           usr1.sa_handler == SIG_DFL ? "default" : usr1.sa_handler == SIG_IGN ? "ignored" : "handled",
           term.sa_handler == SIG_IGN ? "ignored" : "not ignored",
           sigismember(&mask, SIGUSR2) ? "yes" : "no");
}

int main(int argc, char **argv)
{
    contract_start();
    if (argc == 2 && strcmp(argv[1], "exec") == 0) {
        report("after execve");
        return 0;
    }
    signal(SIGUSR1, handler);
    signal(SIGTERM, SIG_IGN);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    pid_t child = contract_fork();
    if (child == 0) {
        report("forked child");
        raise(SIGUSR1);
        _exit(0);
    }
    contract_reap("forked child", child);
    child = contract_fork();
    if (child == 0) {
        char *child_argv[] = {argv[0], "exec", NULL};
        char *envp[] = {NULL};
        const char *self = getenv("CONTRACT_SELF");
        execve(self != NULL ? self : "", child_argv, envp);
        printf("execve failed: %s\n", errno_name(errno));
        _exit(127);
    }
    contract_reap("exec'd child", child);
    return contract_pass();
}
