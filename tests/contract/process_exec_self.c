/* Processes: execve replaces the image with new arguments and environment, keeping the pid. */
#include "contract.h"

int main(int argc, char **argv)
{
    contract_start();
    const char *self = getenv("CONTRACT_SELF");
    if (argc == 3 && strcmp(argv[1], "second") == 0) {
        printf("second image: argc %d, argv[1] [%s], argv[2] [%s]\n", argc, argv[1], argv[2]);
        printf("environment: GREETING=[%s]\n", getenv("GREETING") ? getenv("GREETING") : "(none)");
        printf("pid kept across execve: %s\n",
               getenv("OLD_PID") != NULL && atoi(getenv("OLD_PID")) == getpid() ? "yes" : "no");
        return contract_pass();
    }
    printf("first image: argc %d\n", argc);
    char pid_text[32], self_text[600];
    snprintf(pid_text, sizeof pid_text, "OLD_PID=%d", (int)getpid());
    snprintf(self_text, sizeof self_text, "CONTRACT_SELF=%s", self != NULL ? self : "");
    char *new_argv[] = {argv[0], "second", "two words", NULL};
    char *new_envp[] = {"GREETING=hello there", pid_text, self_text, NULL};
    execve(self != NULL ? self : "", new_argv, new_envp);
    printf("execve failed: %s\n", errno_name(errno));
    return 1;
}
