/* Memory: a shared anonymous mapping is zero and writable like a private one within a process. */
#include <sys/mman.h>

#include "contract.h"

int main(void)
{
    contract_start();
    size_t length = 8 * 4096;
    unsigned char *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                            -1, 0);
    printf("mmap(MAP_SHARED) succeeded: %s\n", p != MAP_FAILED ? "yes" : "no");
    if (p == MAP_FAILED)
        return 1;
    int zero = 1;
    for (size_t i = 0; i < length; i++)
        if (p[i] != 0)
            zero = 0;
    printf("zero filled: %s\n", zero ? "yes" : "no");
    memset(p, 0x5a, length);
    printf("written: %s\n", p[length - 1] == 0x5a && p[0] == 0x5a ? "yes" : "no");
    contract_result("mprotect(read only)", (long)mprotect(p, length, PROT_READ));
    printf("still readable: %s\n", p[4096] == 0x5a ? "yes" : "no");
    contract_result("munmap", (long)munmap(p, length));
    return contract_pass();
}
