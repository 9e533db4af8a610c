/* Processes: fork, execve of a program in the child, and its exit status in the parent. */
#include "contract.h"

int main(int argc, char **argv)
{
    contract_start();
    if (argc == 2 && strcmp(argv[1], "child") == 0) {
        printf("exec'd child running\n");
        return 5;
    }
    const char *self = getenv("CONTRACT_SELF");
    pid_t child = contract_fork();
    if (child == 0) {
        char *child_argv[] = {argv[0], "child", NULL};
        char *envp[] = {NULL};
        execve(self != NULL ? self : "", child_argv, envp);
        printf("execve failed: %s\n", errno_name(errno));
        _exit(127);
    }
    contract_reap("exec'd child", child);
    return contract_pass();
}
