/* Signals: an SA_SIGINFO SIGCHLD handler gets the child's pid, si_code and si_status for an
 * exit, a death by signal, a stop and a continue. */
#include <time.h>

#include "contract.h"

static volatile sig_atomic_t seen, code, status;
static volatile pid_t from;

static void on_sigchld(int signal, siginfo_t *info, void *context)
{
    (void)signal;
    (void)context;
    code = info->si_code;
    status = info->si_status;
    from = info->si_pid;
    seen++;
}

static const char *code_name(int value)
{
    switch (value) {
    case CLD_EXITED:
        return "CLD_EXITED";
    case CLD_KILLED:
        return "CLD_KILLED";
    case CLD_STOPPED:
        return "CLD_STOPPED";
    case CLD_CONTINUED:
        return "CLD_CONTINUED";
    case SI_USER:
        return "SI_USER";
    default:
        return "other";
    }
}

/* Waits (up to a second) for the handler to run once more, then prints what it saw. */
static void report(const char *what, pid_t child, int before, int exited)
{
    struct timespec tick = {0, 1000000};
    for (int i = 0; i < 1000 && seen == before; i++)
        nanosleep(&tick, NULL);
    printf("%s: %s, status %s, pid %s\n", what, code_name(code),
           exited ? (status == 3 ? "3" : "other") : signal_name(status),
           from == child ? "right" : "other");
}

static pid_t child_that(int how)
{
    pid_t child = contract_fork();
    if (child == 0) {
        setpgid(0, 0);
        if (how == 0)
            _exit(3);
        for (;;)
            pause();
    }
    setpgid(child, child);
    return child;
}

int main(void)
{
    contract_start();
    struct sigaction action = {0};
    action.sa_sigaction = on_sigchld;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    R(sigaction(SIGCHLD, &action, NULL));
    int before = seen;
    pid_t child = child_that(0);
    report("exit", child, before, 1);
    contract_reap("exit", child);

    child = child_that(1);
    before = seen;
    R(kill(child, SIGSTOP));
    report("stop", child, before, 0);
    before = seen;
    R(kill(child, SIGCONT));
    report("continue", child, before, 0);
    before = seen;
    R(kill(child, SIGTERM));
    report("SIGTERM", child, before, 0);
    contract_reap("SIGTERM", child);

    before = seen;
    R(kill(getpid(), SIGCHLD));
    printf("kill(self, SIGCHLD): handler ran %s, %s\n", seen != before ? "yes" : "no",
           code_name(code));
    return contract_pass();
}
