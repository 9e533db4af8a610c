/* Process groups: children moved into a new group, killed with killpg and kill(-pgid), reaped
 * with waitpid(-pgid) and waitpid(0); the caller's own group and session. */
#include <time.h>

#include "contract.h"

/* A child that waits to be killed. */
static pid_t sleeper(void)
{
    pid_t child = contract_fork();
    if (child == 0) {
        for (;;)
            pause();
    }
    return child;
}

/* Reaps with waitpid(which) until ECHILD; prints each status (same signal: order-free). */
static void reap_all(const char *what, pid_t which)
{
    int status;
    pid_t got;
    for (;;) {
        do {
            got = waitpid(which, &status, 0);
        } while (got < 0 && errno == EINTR);
        if (got < 0)
            break;
        contract_status(what, status);
    }
    printf("%s: then %s\n", what, errno_name(errno));
}

int main(void)
{
    contract_start();
    /* Our own group first: kill(0, ...) below must not reach whoever started us (started alone
     * by aramid-run, we lead a session and a group already). */
    if (getsid(0) != getpid() && setpgid(0, 0) != 0)
        printf("setpgid(0, 0) = -1 %s\n", errno_name(errno));
    printf("getpgrp() == getpid(): %s\n", getpgrp() == getpid() ? "yes" : "no");
    printf("getpgrp() == getpgid(0): %s\n", getpgrp() == getpgid(0) ? "yes" : "no");
    printf("getpgid(getpid()) == getpgrp(): %s\n", getpgid(getpid()) == getpgrp() ? "yes" : "no");
    printf("getsid(0) == getsid(getpid()): %s\n", getsid(0) == getsid(getpid()) ? "yes" : "no");

    pid_t leader = sleeper();
    printf("child starts in our group: %s\n", getpgid(leader) == getpgrp() ? "yes" : "no");
    printf("child starts in our session: %s\n", getsid(leader) == getsid(0) ? "yes" : "no");
    R(setpgid(leader, leader));
    printf("getpgid(child) == child: %s\n", getpgid(leader) == leader ? "yes" : "no");
    pid_t member = sleeper();
    R(setpgid(member, leader));
    printf("second child in the first's group: %s\n", getpgid(member) == leader ? "yes" : "no");
    R(setpgid(member, leader)); /* again: already there */
    pid_t outsider = sleeper(); /* stays in our group */

    int status;
    R(waitpid(-leader, &status, WNOHANG));
    R(killpg(leader, SIGTERM));
    reap_all("waitpid(-group) after killpg SIGTERM", -leader);
    R(killpg(leader, SIGTERM));
    R(kill(-leader, 0));
    R(killpg(-1, SIGTERM));

    /* kill(-pgid) and waitpid(0): a new group of one, then our own group's child. */
    leader = sleeper();
    R(setpgid(leader, 0));
    R(waitpid(0, &status, WNOHANG)); /* outsider is in our group and alive */
    R(kill(-leader, SIGUSR1));
    reap_all("waitpid(-group) after kill(-group, SIGUSR1)", -leader);
    R(kill(outsider, SIGKILL));
    reap_all("waitpid(0) after SIGKILL", 0);

    /* kill(0, ...): the whole group, the caller included. */
    signal(SIGUSR2, SIG_IGN);
    R(kill(0, SIGUSR2));
    R(killpg(0, 0));
    return contract_pass();
}
