/* Errors: every call that is a system call on Linux fails with EFAULT for a bad pointer (paths,
 * result buffers, iovecs, argv) instead of killing the caller; mmap refuses an unaligned offset
 * (EINVAL) and a 64 TiB anonymous mapping (ENOMEM). */
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/utsname.h>

#include "contract.h"

/* getrandom: glibc's wrapper and posix-shim's share this prototype (<sys/random.h>). */
ssize_t getrandom(void *buffer, size_t length, unsigned int flags);

int main(void)
{
    contract_start();
    char *bad = contract_address(8);
    char *kernel = contract_address(0xffff800000001000ull);
    struct stat st;
    char buffer[64];

    contract_result("stat(\"/\", &st)", (long)stat("/", &st));
    contract_result("stat(bad, &st)", (long)stat(bad, &st));
    contract_result("stat(kernel, &st)", (long)stat(kernel, &st));
    contract_result("open(bad, O_RDONLY)", (long)open(bad, O_RDONLY));
    contract_result("access(bad, F_OK)", (long)access(bad, F_OK));
    contract_result("access(\"/\", F_OK)", (long)access("/", F_OK));
    contract_result("uname(bad)", (long)uname((struct utsname *)bad));
    contract_result("getcwd(buffer, 64) is buffer", getcwd(buffer, sizeof(buffer)) == buffer);
    contract_result("getcwd(bad, 64) is NULL", getcwd(bad, 64) == NULL);
    printf("getcwd(bad) errno: %s\n", errno_name(errno));
    sigset_t set;
    contract_result("sigpending(&set)", (long)sigpending(&set));
    contract_result("sigpending(bad)", (long)sigpending((sigset_t *)bad));

    struct iovec good[1] = {{"writev ok\n", 10}};
    contract_result("writev(1, good, 1)", (long)writev(1, good, 1));
    contract_result("writev(1, bad, 1)", (long)writev(1, (struct iovec *)bad, 1));
    struct iovec bad_base[1] = {{bad, 10}};
    contract_result("writev(1, {bad base}, 1)", (long)writev(1, bad_base, 1));
    contract_result("readv(0, bad, 1)", (long)readv(0, (struct iovec *)bad, 1));

    contract_result("getrandom(buffer, 16, 0)", (long)getrandom(buffer, 16, 0));
    contract_result("getrandom(bad, 16, 0)", (long)getrandom(bad, 16, 0));

    char *argv[] = {"x", NULL};
    contract_result("execve(bad, argv, NULL)", (long)execve(bad, argv, NULL));
    /* CONTRACT_SELF names this program on both sides: a path that exists, so argv is read. */
    const char *self = getenv("CONTRACT_SELF");
    contract_result("execve(self, bad argv, NULL)",
                    (long)execve(self != NULL ? self : "", (char **)bad, NULL));
    char *bad_entry[] = {"x", bad, NULL};
    contract_result("execve(self, {\"x\", bad}, NULL)",
                    (long)execve(self != NULL ? self : "", bad_entry, NULL));

    void *unaligned = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 1);
    contract_result("mmap(offset 1) failed", unaligned == MAP_FAILED);
    printf("mmap(offset 1) errno: %s\n", errno_name(errno));
    void *huge = mmap(NULL, 64ull << 40, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                      -1, 0);
    contract_result("mmap(64 TiB) failed", huge == MAP_FAILED);
    printf("mmap(64 TiB) errno: %s\n", errno_name(errno));
    printf("still running\n");
    return contract_pass();
}
