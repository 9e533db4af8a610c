/* Memory: msync. Each good call first (MS_SYNC, MS_ASYNC, MS_INVALIDATE on shared, private,
 * PROT_NONE and file-copy mappings, the stack, lengths that are not page multiples, 0), then
 * the errors: EINVAL for an unaligned address, MS_SYNC with MS_ASYNC and unknown flags (before
 * anything else), ENOMEM for a range with a hole or not mapped at all. Data written to shared
 * memory and msync'ed is what a fork child and the parent see. */
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "contract.h"

#define PAGE 4096

static void check(const char *what, void *address, size_t length, int flags)
{
    errno = 0;
    int result = msync(address, length, flags);
    printf("%s: %d %s\n", what, result, result == 0 ? "-" : errno_name(errno));
}

int main(void)
{
    contract_start();
    char *shared = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    char *private = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
                         0);
    char *none = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED || private == MAP_FAILED || none == MAP_FAILED) {
        printf("mmap: %s\n", errno_name(errno));
        return 1;
    }
    check("shared, MS_SYNC", shared, 4 * PAGE, MS_SYNC);
    check("shared, MS_ASYNC", shared, 4 * PAGE, MS_ASYNC);
    check("shared, MS_INVALIDATE", shared, 4 * PAGE, MS_INVALIDATE);
    check("shared, MS_SYNC | MS_INVALIDATE", shared, 4 * PAGE, MS_SYNC | MS_INVALIDATE);
    check("shared, no flags", shared, 4 * PAGE, 0);
    check("shared, 100 bytes", shared + PAGE, 100, MS_SYNC);
    check("shared, 0 bytes", shared, 0, MS_SYNC);
    check("private", private, 2 * PAGE, MS_SYNC);
    check("PROT_NONE", none, PAGE, MS_ASYNC);
    char on_stack = 0;
    check("the stack", (void *)((uintptr_t)&on_stack & ~(uintptr_t)(PAGE - 1)), 1, MS_SYNC);

    char path[] = "/tmp/contract_msync_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, "file bytes", 10) != 10)
        printf("file: %s\n", errno_name(errno));
    char *copy = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    if (copy == MAP_FAILED)
        printf("file mmap: %s\n", errno_name(errno));
    else
        check("private file mapping", copy, PAGE, MS_SYNC);
    close(fd);
    unlink(path);

    check("unaligned", shared + 1, PAGE, MS_SYNC);
    check("MS_SYNC | MS_ASYNC", shared, PAGE, MS_SYNC | MS_ASYNC);
    check("unknown flag", shared, PAGE, 8);
    check("unaligned and unmapped", (void *)1, PAGE, MS_SYNC);

    munmap(shared + 2 * PAGE, PAGE);
    check("first two pages", shared, 2 * PAGE, MS_SYNC);
    check("across the hole", shared, 4 * PAGE, MS_SYNC);
    check("the last page", shared + 3 * PAGE, PAGE, MS_SYNC);
    check("just the hole", shared + 2 * PAGE, PAGE, MS_SYNC);
    check("across the hole again", shared + PAGE, 3 * PAGE, MS_ASYNC);
    check("first two pages again", shared, 2 * PAGE, MS_SYNC);
    munmap(private, 2 * PAGE);
    check("unmapped", private, 2 * PAGE, MS_SYNC);
    check("unmapped, 0 bytes", private, 0, MS_SYNC);

    pid_t child = fork();
    if (child == 0) {
        memcpy(shared, "from the child", 15);
        _exit(msync(shared, PAGE, MS_SYNC) == 0 ? 0 : 1);
    }
    int status;
    waitpid(child, &status, 0);
    contract_status("child", status);
    printf("parent reads: %s\n", shared);
    return contract_pass();
}
