/* setpgid, setsid, getpgid and getsid errors as Linux gives them: EINVAL, ESRCH, EACCES (a
 * child that has run execve) and EPERM (session leaders, other sessions). */
#include "contract.h"

/* A child that reports on a pipe what it did, then waits to be killed. exec: it runs execve of
 * ourselves first (argv[1] = "waiter"), new_session: it calls setsid first. */
static pid_t helper(int *report, int exec, int new_session)
{
    int fds[2];
    if (pipe(fds) != 0) {
        printf("pipe failed\n");
        exit(1);
    }
    pid_t child = contract_fork();
    if (child == 0) {
        close(fds[0]);
        if (new_session && setsid() != getpid())
            _exit(3);
        if (exec) {
            char fd[16];
            snprintf(fd, sizeof(fd), "%d", fds[1]);
            char *argv[] = {"process_setpgid_errors", "waiter", fd, NULL};
            execv(getenv("CONTRACT_SELF"), argv);
            _exit(4);
        }
        (void)!write(fds[1], "r", 1);
        for (;;)
            pause();
    }
    close(fds[1]);
    char byte;
    if (read(fds[0], &byte, 1) != 1)
        printf("helper did not report\n");
    *report = fds[0];
    return child;
}

static void finish(pid_t child, int report, const char *what)
{
    kill(child, SIGKILL);
    contract_reap(what, child);
    close(report);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "waiter") == 0) {
        (void)!write(atoi(argv[2]), "r", 1);
        for (;;)
            pause();
    }
    contract_start();
    int report;
    R(setpgid(0, -1));
    R(setpgid(getppid(), 0)); /* not ours */
    R(setpgid(-5, getpgrp()));
    R(getpgid(-1));
    R(getsid(-1));

    /* A child still running our program can be moved; one that ran execve cannot. */
    pid_t child = helper(&report, 0, 0);
    R(setpgid(child, child));
    R(setpgid(child, getpgrp()));
    finish(child, report, "plain child");
    child = helper(&report, 1, 0);
    R(setpgid(child, child));
    R(getpgid(child) == getpgrp());
    finish(child, report, "exec'd child");

    /* A child in its own session: out of reach of our setpgid; its group is not ours to join. */
    child = helper(&report, 0, 1);
    printf("child leads a session: %s\n", getsid(child) == child ? "yes" : "no");
    printf("child leads its group: %s\n", getpgid(child) == child ? "yes" : "no");
    R(setpgid(child, child));
    R(setpgid(child, getpgrp()));
    R(setpgid(0, child));
    finish(child, report, "session leader");
    R(getpgid(child));
    R(getsid(child));

    /* setsid: EPERM for a group leader; a session leader cannot change its group. */
    child = contract_fork();
    if (child == 0) {
        R(setpgid(0, 0));
        R(setsid());
        _exit(0);
    }
    contract_reap("group leader's setsid", child);
    child = contract_fork();
    if (child == 0) {
        printf("setsid() == getpid(): %s\n", setsid() == getpid() ? "yes" : "no");
        printf("getsid(0) == getpid(): %s\n", getsid(0) == getpid() ? "yes" : "no");
        printf("getpgrp() == getpid(): %s\n", getpgrp() == getpid() ? "yes" : "no");
        R(setsid());
        R(setpgid(0, 0));
        R(setpgid(0, getppid()));
        /* Its own child is in its session and may move into a new group. */
        pid_t grandchild = contract_fork();
        if (grandchild == 0) {
            for (;;)
                pause();
        }
        printf("grandchild in the new session: %s\n", getsid(grandchild) == getpid() ? "yes" : "no");
        R(setpgid(grandchild, grandchild));
        R(setpgid(grandchild, getpid()));
        kill(grandchild, SIGKILL);
        contract_reap("grandchild", grandchild);
        _exit(0);
    }
    contract_reap("new session", child);
    return contract_pass();
}
