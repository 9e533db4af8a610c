/* Memory: a private anonymous mapping is zero, page aligned, writable, and goes away on munmap. */
#include <stdint.h>
#include <sys/mman.h>

#include "contract.h"

int main(void)
{
    contract_start();
    size_t length = 16 * 4096;
    unsigned char *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                            -1, 0);
    printf("mmap succeeded: %s\n", p != MAP_FAILED ? "yes" : "no");
    if (p == MAP_FAILED)
        return 1;
    printf("page aligned: %s\n", ((uintptr_t)p & 4095) == 0 ? "yes" : "no");
    int zero = 1;
    for (size_t i = 0; i < length; i++)
        if (p[i] != 0)
            zero = 0;
    printf("zero filled: %s\n", zero ? "yes" : "no");
    for (size_t i = 0; i < length; i++)
        p[i] = (unsigned char)(i * 7);
    int kept = 1;
    for (size_t i = 0; i < length; i++)
        if (p[i] != (unsigned char)(i * 7))
            kept = 0;
    printf("pattern kept: %s\n", kept ? "yes" : "no");
    unsigned char *q = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("second mapping distinct: %s\n", q != MAP_FAILED && (q + 4096 <= p || q >= p + length) ? "yes" : "no");
    contract_result("munmap(first)", (long)munmap(p, length));
    contract_result("munmap(second)", (long)munmap(q, 4096));
    contract_result("munmap(first) again", (long)munmap(p, length));
    unsigned char *odd = mmap(NULL, 5000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                              -1, 0);
    odd[8191] = 1;
    printf("5000-byte mapping usable to its page end: %s\n", odd[8191] == 1 ? "yes" : "no");
    contract_result("munmap(5000 bytes)", (long)munmap(odd, 5000));
    return contract_pass();
}
