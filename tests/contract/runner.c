/* Contract runner: runs each contract program as a child (fork + execve), output between markers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "contract.h"

/*
 * usage: runner TOKEN DIRECTORY NAME...
 * For each NAME it prints "contract-runner:TOKEN:begin:NAME", runs DIRECTORY/NAME with argv
 * {NAME} and the environment {CONTRACT_SELF=DIRECTORY/NAME}, and prints
 * "contract-runner:TOKEN:end:NAME:exit N" or "...:end:NAME:signal SIGNAME".
 * If fork or execve is not available (the first attempt fails with ENOSYS or the child cannot
 * exec the first program) it prints "contract-runner:TOKEN:unsupported:CALL:ENAME" and exits 3,
 * and tests/contract/contract.py boots each program separately instead.
 */
#define RUNNER_UNSUPPORTED 3
#define RUNNER_EXEC_FAILED 127

static const char *runner_token;

static void runner_unsupported(const char *call, int error)
{
    printf("contract-runner:%s:unsupported:%s:%s\n", runner_token, call, errno_name(error));
    exit(RUNNER_UNSUPPORTED);
}

/* Runs one program; returns 0, or -1 when execve failed in the child (its errno in *error). */
static int runner_run(const char *directory, const char *name, int first)
{
    char path[512];
    char self[600];
    snprintf(path, sizeof path, "%s/%s", directory, name);
    snprintf(self, sizeof self, "CONTRACT_SELF=%s", path);
    char *argv[] = {(char *)name, NULL};
    char *envp[] = {self, NULL};

    /* The child reports an execve failure through a status the programs never use. */
    printf("contract-runner:%s:begin:%s\n", runner_token, name);
    pid_t child = fork();
    if (child < 0) {
        if (first)
            runner_unsupported("fork", errno);
        printf("contract-runner:%s:end:%s:fork failed %s\n", runner_token, name,
               errno_name(errno));
        return 0;
    }
    if (child == 0) {
        execve(path, argv, envp);
        printf("contract-runner:%s:exec-failed:%s:%s\n", runner_token, name, errno_name(errno));
        _exit(RUNNER_EXEC_FAILED);
    }
    int status;
    pid_t got;
    do {
        got = waitpid(child, &status, 0);
    } while (got < 0 && errno == EINTR);
    if (got != child) {
        if (first)
            runner_unsupported("waitpid", errno);
        printf("contract-runner:%s:end:%s:waitpid failed %s\n", runner_token, name,
               errno_name(errno));
        return 0;
    }
    if (WIFEXITED(status)) {
        if (first && WEXITSTATUS(status) == RUNNER_EXEC_FAILED)
            return -1;
        printf("contract-runner:%s:end:%s:exit %d\n", runner_token, name, WEXITSTATUS(status));
    } else if (WIFSIGNALED(status)) {
        printf("contract-runner:%s:end:%s:signal %s\n", runner_token, name,
               signal_name(WTERMSIG(status)));
    } else {
        printf("contract-runner:%s:end:%s:status other\n", runner_token, name);
    }
    return 0;
}

int main(int argc, char **argv)
{
    contract_start();
    if (argc < 3) {
        fprintf(stderr, "usage: runner TOKEN DIRECTORY NAME...\n");
        return 2;
    }
    runner_token = argv[1];
    for (int i = 3; i < argc; i++) {
        if (runner_run(argv[2], argv[i], i == 3) < 0) {
            printf("contract-runner:%s:unsupported:execve:%s\n", runner_token, argv[i]);
            return RUNNER_UNSUPPORTED;
        }
    }
    printf("contract-runner:%s:done\n", runner_token);
    return 0;
}
