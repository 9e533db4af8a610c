/* Processes: getpid is positive and stable, getppid is a positive other process. */
#include "contract.h"

int main(void)
{
    contract_start();
    pid_t pid = getpid();
    printf("getpid positive: %s\n", pid > 0 ? "yes" : "no");
    printf("getpid stable: %s\n", getpid() == pid ? "yes" : "no");
    printf("getppid positive: %s\n", getppid() > 0 ? "yes" : "no");
    printf("getppid differs from getpid: %s\n", getppid() != pid ? "yes" : "no");
    return contract_pass();
}
