/* Errors: waitpid given an unmapped status pointer fails with EFAULT after the child exits. */
#include "contract.h"

int main(void)
{
    contract_start();
    pid_t child = contract_fork();
    if (child == 0)
        _exit(1);
    contract_result("waitpid(child, bad)", (long)waitpid(child, contract_address(8), 0));
    return contract_pass();
}
