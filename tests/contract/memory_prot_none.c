/* Memory: reading a PROT_NONE page kills the process with SIGSEGV. */
#include <sys/mman.h>

#include "contract.h"

int main(void)
{
    contract_start();
    volatile unsigned char *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap(PROT_NONE) succeeded: %s\n", p != MAP_FAILED ? "yes" : "no");
    printf("reading a PROT_NONE page next\n");
    printf("read %d\n", p[100]);
    return contract_pass();
}
