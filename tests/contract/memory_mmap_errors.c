/* Memory: mmap, munmap and mprotect reject bad lengths, flags, alignment and descriptors. */
#include <stdint.h>
#include <sys/mman.h>

#include "contract.h"

static void try_mmap(const char *what, void *address, size_t length, int prot, int flags, int fd)
{
    errno = 0;
    void *p = mmap(address, length, prot, flags, fd, 0);
    if (p == MAP_FAILED)
        printf("%s: MAP_FAILED %s\n", what, errno_name(errno));
    else
        printf("%s: mapped\n", what);
}

int main(void)
{
    contract_start();
    int rw = PROT_READ | PROT_WRITE;
    try_mmap("length 0", NULL, 0, rw, MAP_PRIVATE | MAP_ANONYMOUS, -1);
    try_mmap("neither shared nor private", NULL, 4096, rw, MAP_ANONYMOUS, -1);
    try_mmap("shared and private", NULL, 4096, rw, MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS, -1);
    char *base = mmap(NULL, 2 * 4096, rw, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    try_mmap("MAP_FIXED unaligned", base + 1, 4096, rw, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1);
    try_mmap("file mapping of fd -1", NULL, 4096, rw, MAP_PRIVATE, -1);
    try_mmap("file mapping of fd 99", NULL, 4096, rw, MAP_PRIVATE, 99);
    contract_result("munmap unaligned", (long)munmap(base + 1, 4096));
    contract_result("munmap length 0", (long)munmap(base, 0));
    contract_result("mprotect unaligned", (long)mprotect(base + 1, 4096, PROT_READ));
    contract_result("mprotect aligned", (long)mprotect(base, 4096, PROT_READ));
    contract_result("munmap", (long)munmap(base, 2 * 4096));
    return contract_pass();
}
