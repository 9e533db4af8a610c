/* Signals: raise(SIGUSR1) with the default action ends the process by SIGUSR1. */
#include "contract.h"

int main(void)
{
    contract_start();
    printf("raising SIGUSR1 next\n");
    raise(SIGUSR1);
    printf("survived SIGUSR1\n");
    return contract_pass();
}
