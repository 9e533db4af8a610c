/* Memory: munmap of a middle page leaves its neighbours; touching the hole kills with SIGSEGV. */
#include <sys/mman.h>

#include "contract.h"

int main(void)
{
    contract_start();
    volatile unsigned char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
                                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 1;
    p[0] = 1;
    p[4096] = 2;
    p[8192] = 3;
    contract_result("munmap(middle page)", (long)munmap((void *)(p + 4096), 4096));
    printf("first and last pages kept: %d %d\n", p[0], p[8192]);
    printf("touching the unmapped page next\n");
    p[4096] = 9;
    printf("survived\n");
    return contract_pass();
}
