/* Processes: exit runs atexit handlers last-registered first; _exit in a child runs none. */
#include "contract.h"

static void first(void)
{
    printf("atexit: first registered\n");
}

static void second(void)
{
    printf("atexit: second registered\n");
}

int main(void)
{
    contract_start();
    atexit(first);
    atexit(second);
    printf("returning 5 from main\n");
    return 5;
}
