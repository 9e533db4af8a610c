/* Memory: a break growth far beyond any limit fails with ENOMEM and leaves the break alone. */
#include <stdint.h>

#include "contract.h"

int main(void)
{
    contract_start();
    char *start = sbrk(0);
    errno = 0;
    void *result = sbrk((intptr_t)1 << 46); /* 64 TiB */
    printf("sbrk(+64 TiB) failed: %s %s\n", result == (void *)-1 ? "yes" : "no",
           errno_name(errno));
    printf("break unchanged: %s\n", (char *)sbrk(0) == start ? "yes" : "no");
    result = sbrk(4096);
    printf("a small growth still works: %s\n", result == start ? "yes" : "no");
    sbrk(-4096);
    return contract_pass();
}
