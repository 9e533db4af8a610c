/* Processes: children forked before an execve are still the new image's to wait for, through
 * the execl/execv family; after they are reaped, waitpid reports ECHILD. */
#include "contract.h"

int main(int argc, char **argv)
{
    contract_start();
    const char *self = getenv("CONTRACT_SELF");
    if (argc == 2 && strcmp(argv[1], "after") == 0) {
        int status = 0;
        pid_t reaped = waitpid(-1, &status, 0);
        printf("after execl: reaped a child: %s\n", reaped > 0 ? "yes" : "no");
        printf("its exit status: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        contract_result("waitpid(-1, WNOHANG) with no children left",
                        (long)waitpid(-1, &status, WNOHANG));
        return contract_pass();
    }
    pid_t child = fork();
    if (child == 0) {
        usleep(20000);
        _exit(7);
    }
    printf("forked: %s\n", child > 0 ? "yes" : "no");
    execl(self != NULL ? self : "", argv[0], "after", (char *)NULL);
    printf("execl failed: %s\n", errno_name(errno));
    return 1;
}
