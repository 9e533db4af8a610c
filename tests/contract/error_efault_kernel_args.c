/* Errors: system calls given unmapped pointers for their results fail with EFAULT. */
#include <sys/stat.h>
#include <time.h>

#include "contract.h"

int main(void)
{
    contract_start();
    void *bad = contract_address(8);
    contract_result("fstat(1, bad)", (long)fstat(1, bad));
    contract_result("nanosleep(bad, NULL)", (long)nanosleep(bad, NULL));
    printf("still running\n");
    return contract_pass();
}
