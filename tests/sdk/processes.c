/* SDK test: fork, execve, waitpid statuses, signals between processes, and death by a signal. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t processes_usr1;
static volatile sig_atomic_t processes_chld;

static void processes_on_usr1(int n)
{
    processes_usr1 += n == SIGUSR1;
}

static void processes_on_chld(int n)
{
    processes_chld += n == SIGCHLD;
}

static void processes_report(const char *what, int status)
{
    if (WIFEXITED(status))
        printf("%s: exited %d\n", what, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf("%s: signal %d\n", what, WTERMSIG(status));
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "exec") == 0) {
        printf("exec: %s, SIGUSR2 %s\n", argv[2],
               signal(SIGUSR2, SIG_DFL) == SIG_IGN ? "still ignored" : "not ignored");
        return 5;
    }
    if (argc > 1 && strcmp(argv[1], "die") == 0)
        raise(SIGUSR1); /* aramid-run exits with 128 + 10 */
    int status;
    pid_t child = fork();
    if (child == 0)
        _exit(3);
    printf("waitpid: %s\n", waitpid(child, &status, 0) == child ? "child" : strerror(errno));
    processes_report("fork", status);

    signal(SIGUSR2, SIG_IGN);
    child = fork();
    if (child == 0) {
        char *args[] = {argv[0], "exec", "argument", NULL};
        execve(argv[0], args, NULL);
        _exit(99);
    }
    waitpid(child, &status, 0);
    processes_report("execve", status);

    signal(SIGUSR1, processes_on_usr1);
    signal(SIGCHLD, processes_on_chld);
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigaddset(&block, SIGCHLD);
    sigprocmask(SIG_BLOCK, &block, &old);
    child = fork();
    if (child == 0) {
        kill(getppid(), SIGUSR1);
        _exit(0);
    }
    while (processes_usr1 == 0 || processes_chld == 0)
        sigsuspend(&old);
    printf("SIGUSR1 and SIGCHLD arrived\n");
    waitpid(child, &status, 0);
    sigprocmask(SIG_SETMASK, &old, NULL);

    child = fork();
    if (child == 0) {
        for (;;)
            pause();
    }
    kill(child, SIGTERM);
    waitpid(child, &status, 0);
    processes_report("kill", status);
    printf("waitpid again: %s\n", waitpid(-1, &status, 0) < 0 && errno == ECHILD ? "ECHILD" : "?");
    return 0;
}
