/* MAP_SHARED of a file: stores seen by read and by other processes' mappings, writes seen there. */
#include "contract.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define PAGE 4096

/* Prints n bytes of a mapping at offset, NULs as '.'. */
static void show(const char *what, const char *mapping, long offset, int n)
{
    printf("%s: \"", what);
    for (int i = 0; i < n; i++)
        putchar(mapping[offset + i] == '\0' ? '.' : mapping[offset + i]);
    printf("\"\n");
}

/* Prints n bytes of the file at offset, read with pread. */
static void show_file(const char *what, int fd, long offset, int n)
{
    char buffer[64] = {0};
    long got = pread(fd, buffer, (size_t)n, offset);
    printf("%s: pread = %ld \"", what, got);
    for (long i = 0; i < got; i++)
        putchar(buffer[i] == '\0' ? '.' : buffer[i]);
    printf("\"\n");
}

static void show_size(int fd)
{
    struct stat status;
    if (fstat(fd, &status) == 0)
        printf("size: %ld\n", (long)status.st_size);
}

static void try_map(const char *what, int fd, int prot, long offset)
{
    void *p = mmap(NULL, PAGE, prot, MAP_SHARED, fd, offset);
    printf("%s: %s\n", what, p == MAP_FAILED ? errno_name(errno) : "mapped");
    if (p != MAP_FAILED)
        munmap(p, PAGE);
}

int main(void)
{
    contract_start();
    char scratch[] = "/tmp/contract-XXXXXX";
    contract_scratch_start(scratch);
    int fd = open("file", O_RDWR | O_CREAT | O_TRUNC, 0600);
    R(write(fd, "hello world", 11));
    R(ftruncate(fd, 2 * PAGE));

    char *map = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("mmap(MAP_SHARED, file): %s\n", map == MAP_FAILED ? errno_name(errno) : "mapped");
    if (map == MAP_FAILED)
        return 1;
    show("file's bytes in the mapping", map, 0, 11);
    show("zeros after them", map, 11, 5);

    /* A store is what read sees; a write is what the mapping sees. */
    memcpy(map + 100, "STORE", 5);
    show_file("store seen by pread", fd, 100, 5);
    memcpy(map + PAGE + 8, "second", 6);
    show_file("store in page 2", fd, PAGE + 8, 6);
    R(pwrite(fd, "WRITE", 5, 200));
    show("pwrite seen by the mapping", map, 200, 5);
    R(lseek(fd, 300, SEEK_SET));
    R(write(fd, "sequential", 10));
    show("write seen by the mapping", map, 300, 10);

    /* Another process: its own mapping of the file, and the one fork kept. */
    pid_t child = contract_fork();
    if (child == 0) {
        int own = open("file", O_RDWR);
        char *other = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, own, 0);
        if (other == MAP_FAILED)
            _exit(2);
        int same = memcmp(other + 100, "STORE", 5) == 0;
        memcpy(other + 400, "child", 5);
        memcpy(map + 500, "inherited", 9);
        _exit(same ? 0 : 1);
    }
    contract_reap("child", child);
    show("child's store, its own mapping", map, 400, 5);
    show("child's store, the inherited mapping", map, 500, 9);
    show_file("child's store by pread", fd, 400, 5);

    /* A mapping at an offset sees the same bytes. */
    char *second = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, PAGE);
    printf("mmap at offset %d: %s\n", PAGE, second == MAP_FAILED ? errno_name(errno) : "mapped");
    if (second != MAP_FAILED) {
        show("page 2 at offset", second, 8, 6);
        memcpy(map + PAGE + 20, "both", 4);
        show("store through the first, seen by the second", second, 20, 4);
        R(munmap(second, PAGE));
    }

    /* Written past the mapping's end; a larger mapping then reaches it. */
    R(pwrite(fd, "tail", 4, 2 * PAGE + 10));
    show_size(fd);
    char *larger = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("larger mapping: %s\n", larger == MAP_FAILED ? errno_name(errno) : "mapped");
    if (larger != MAP_FAILED) {
        show("the tail in it", larger, 2 * PAGE + 10, 4);
        show("older stores in it", larger, 100, 5);
        memcpy(larger + 2 * PAGE + 10, "TAIL", 4);
        show_file("store in the new page", fd, 2 * PAGE + 10, 4);
        memcpy(larger + 2 * PAGE + 20, "grown", 5);
        show_file("store past the end, in the last page", fd, 2 * PAGE + 20, 5);
        show("a store through the first", larger, 500, 9);
        R(munmap(larger, 3 * PAGE));
    }

    /* ftruncate: the bytes past the end go; grown again, they read as zeros. */
    R(ftruncate(fd, 50));
    show_size(fd);
    show("first page after truncate", map, 0, 11);
    show("past the end in that page", map, 100, 5);
    R(ftruncate(fd, 2 * PAGE));
    show("grown again", map, PAGE + 8, 6);
    show_file("pread of it", fd, PAGE + 8, 6);
    memcpy(map + PAGE + 30, "new", 3);
    show_file("a store after the regrowth", fd, PAGE + 30, 3);

    /* Who may map. */
    int read_only = open("file", O_RDONLY);
    int write_only = open("file", O_WRONLY);
    try_map("O_RDONLY, PROT_READ", read_only, PROT_READ, 0);
    try_map("O_RDONLY, PROT_WRITE", read_only, PROT_READ | PROT_WRITE, 0);
    try_map("O_WRONLY, PROT_WRITE", write_only, PROT_WRITE, 0);
    try_map("unaligned offset", fd, PROT_READ, 100);
    int directory = open(".", O_RDONLY);
    try_map("a directory", directory, PROT_READ, 0);
    try_map("a closed descriptor", 99, PROT_READ, 0);
    char *reading = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, read_only, 0);
    if (reading != MAP_FAILED) {
        show("read-only mapping", reading, 0, 11);
        R(mprotect(reading, PAGE, PROT_READ | PROT_WRITE));
        R(munmap(reading, PAGE));
    }
    R(close(directory));
    R(close(read_only));
    R(close(write_only));

    /* The mapping outlives the descriptor and the name. */
    R(close(fd));
    R(unlink("file"));
    memcpy(map, "still", 5);
    show("after close and unlink", map, 0, 5);
    R(munmap(map, 2 * PAGE));
    R(chdir("/"));
    R(rmdir(scratch));
    return contract_pass();
}
