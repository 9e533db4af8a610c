/* Processes: abort ends the process by SIGABRT, without atexit handlers. */
#include "contract.h"

static void handler(void)
{
    printf("atexit handler ran\n");
}

int main(void)
{
    contract_start();
    atexit(handler);
    printf("calling abort\n");
    abort();
}
