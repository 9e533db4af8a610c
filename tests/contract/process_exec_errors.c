/* Processes: execve of a missing file, an empty path and a non-executable file fails and returns. */
#include "contract.h"

int main(void)
{
    contract_start();
    char *argv[] = {"nothing", NULL};
    char *envp[] = {NULL};
    contract_result("execve(/nonexistent/program)", (long)execve("/nonexistent/program", argv, envp));
    contract_result("execve(\"\")", (long)execve("", argv, envp));
    contract_result("execve(/)", (long)execve("/", argv, envp));
    printf("still running after failed execve calls\n");
    return contract_pass();
}
