/* Memory: mprotect to read-only keeps the data readable; a write afterwards is killed by SIGSEGV. */
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
    contract_result("mprotect(middle page, PROT_READ)", (long)mprotect((void *)(p + 4096), 4096, PROT_READ));
    printf("middle page readable: %d\n", p[4096]);
    p[0] = 4;
    p[8192] = 5;
    printf("neighbours still writable: %d %d\n", p[0], p[8192]);
    contract_result("mprotect(middle page, read and write)",
                    (long)mprotect((void *)(p + 4096), 4096, PROT_READ | PROT_WRITE));
    p[4096] = 6;
    printf("middle page writable again: %d\n", p[4096]);
    contract_result("mprotect(all, PROT_READ)", (long)mprotect((void *)p, 3 * 4096, PROT_READ));
    printf("writing to a read-only page next\n");
    p[8192] = 7;
    printf("survived the write: %d\n", p[8192]);
    return contract_pass();
}
