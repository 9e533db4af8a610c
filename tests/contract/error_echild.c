/* Errors: wait calls without any child fail with ECHILD. */
#include "contract.h"

int main(void)
{
    contract_start();
    int status = 12345;
    contract_result("wait", (long)wait(&status));
    contract_result("wait(NULL)", (long)wait(NULL));
    contract_result("waitpid(-1, 0)", (long)waitpid(-1, &status, 0));
    contract_result("waitpid(-1, WNOHANG)", (long)waitpid(-1, &status, WNOHANG));
    contract_result("waitpid(absent pid)", (long)waitpid(0x7ffffff0, &status, 0));
    contract_result("waitpid(0)", (long)waitpid(0, &status, 0));
    printf("status untouched: %s\n", status == 12345 ? "yes" : "no");
    return contract_pass();
}
