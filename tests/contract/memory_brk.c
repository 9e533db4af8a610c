/* Memory: the break grows, the new memory is zero and writable, and it shrinks back. */
#include <stdint.h>

#include "contract.h"

#define GROWTH (1024 * 1024)

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0)
            return 0;
    return 1;
}

int main(void)
{
    contract_start();
    char *start = sbrk(0);
    char *old = sbrk(GROWTH);
    printf("sbrk(+1 MiB) returned the old break: %s\n", old == start ? "yes" : "no");
    printf("break moved by 1 MiB: %s\n", (char *)sbrk(0) == start + GROWTH ? "yes" : "no");
    printf("new memory is zero: %s\n", all_zero((unsigned char *)start, GROWTH) ? "yes" : "no");
    memset(start, 0xa5, GROWTH);
    printf("new memory is writable: %s\n", (unsigned char)start[GROWTH - 1] == 0xa5 ? "yes" : "no");
    old = sbrk(-GROWTH);
    printf("sbrk(-1 MiB) returned the grown break: %s\n", old == start + GROWTH ? "yes" : "no");
    printf("break back at start: %s\n", (char *)sbrk(0) == start ? "yes" : "no");
    sbrk(GROWTH);
    printf("regrown memory is zero again: %s\n",
           all_zero((unsigned char *)start, GROWTH) ? "yes" : "no");
    sbrk(-GROWTH);
    printf("sbrk(0) twice agrees: %s\n", sbrk(0) == sbrk(0) ? "yes" : "no");
    return contract_pass();
}
