/* Processes: waitpid rejects unknown options with EINVAL and pids that are not children with ECHILD. */
#include "contract.h"

int main(void)
{
    contract_start();
    int status;
    contract_result("waitpid(-1, bad options)", (long)waitpid(-1, &status, 0x4000000));
    pid_t child = contract_fork();
    if (child == 0)
        _exit(0);
    contract_result("waitpid(not a child)", (long)waitpid(child + 100000, &status, 0));
    contract_reap("child", child);
    contract_result("waitpid(child) twice", (long)waitpid(child, &status, 0));
    contract_result("waitpid(-1) with none left", (long)waitpid(-1, &status, WNOHANG));
    return contract_pass();
}
