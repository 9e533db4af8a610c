/* Memory: MAP_FIXED replaces exactly the pages asked for, with fresh zero pages. */
#include <stdint.h>
#include <sys/mman.h>

#include "contract.h"

int main(void)
{
    contract_start();
    unsigned char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                            -1, 0);
    if (p == MAP_FAILED)
        return 1;
    memset(p, 0x11, 4 * 4096);
    unsigned char *q = mmap(p + 4096, 2 * 4096, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("MAP_FIXED returned the address asked for: %s\n", q == p + 4096 ? "yes" : "no");
    printf("replaced pages are zero: %s\n", p[4096] == 0 && p[3 * 4096 - 1] == 0 ? "yes" : "no");
    printf("page before kept: %s\n", p[4095] == 0x11 ? "yes" : "no");
    printf("page after kept: %s\n", p[3 * 4096] == 0x11 ? "yes" : "no");
    q = mmap(p + 4096, 4096, PROT_READ, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("MAP_FIXED shared over private: %s\n", q == p + 4096 ? "yes" : "no");
    printf("shared replacement is zero: %s\n", p[4096] == 0 ? "yes" : "no");
    contract_result("munmap(all four pages)", (long)munmap(p, 4 * 4096));
    q = mmap(p, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("MAP_FIXED into a hole: %s\n", q == p ? "yes" : "no");
    q[10] = 3;
    printf("usable: %s\n", q[10] == 3 ? "yes" : "no");
    contract_result("munmap", (long)munmap(q, 4096));
    return contract_pass();
}
