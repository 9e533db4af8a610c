/* mmap of a file past its end: SIGBUS for pages wholly past it (MAP_SHARED and MAP_PRIVATE, also
 * after ftruncate shrinks or grows the file while mapped), zeros in the partial last page; a
 * private mapping's pages are the file's until it writes them. */
#include "contract.h"
#include "contract_fault.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>

#define PAGE 4096
#define PATH "/tmp/contract_mmap_past_end"

/* Whether every byte of [from, to) of map reads zero (none of it past the end). */
static const char *zeros(const char *map, int from, int to)
{
    for (int i = from; i < to; i++)
        if (map[i] != 0)
            return "no";
    return "yes";
}

static long file_size(int fd)
{
    struct stat status;
    return fstat(fd, &status) == 0 ? (long)status.st_size : -1;
}

/* A file of 100 bytes 'a'..: the size used by every part below. */
static int file_make(void)
{
    int fd = open(PATH, O_RDWR | O_CREAT | O_TRUNC, 0600);
    char bytes[100];
    for (int i = 0; i < 100; i++)
        bytes[i] = (char)('a' + i % 26);
    if (fd < 0 || write(fd, bytes, sizeof(bytes)) != (long)sizeof(bytes))
        printf("file: %s\n", errno_name(errno));
    return fd;
}

static void shared(void)
{
    int fd = file_make();
    char *map = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("shared: mapped %s\n", map == MAP_FAILED ? errno_name(errno) : "yes");
    if (map == MAP_FAILED)
        return;
    printf("shared page 0 byte 50: %s\n", contract_peek(map + 50));
    printf("shared page 0 past the end is zeros: %s\n", zeros(map, 100, PAGE));
    printf("shared page 1: %s\n", contract_peek(map + PAGE));
    printf("shared page 2 store: %s\n", contract_poke(map + 2 * PAGE + 7, 'x'));
    /* The partial last page: a store past the end is not the file's. */
    printf("shared store past the end in page 0: %s\n", contract_poke(map + 200, 'S'));
    printf("size after it: %ld\n", file_size(fd));
    char byte = 0;
    R(pread(fd, &byte, 1, 200));
    /* Grown while mapped: the mapping reaches the new pages. */
    R(ftruncate(fd, 2 * PAGE + 10));
    printf("grown page 1 is zeros: %s\n", zeros(map, PAGE, 2 * PAGE));
    printf("grown page 1 store: %s\n", contract_poke(map + PAGE + 5, 'G'));
    R(pread(fd, &byte, 1, PAGE + 5));
    printf("file has: %c\n", byte);
    printf("grown page 2 byte 9: %s\n", contract_peek(map + 2 * PAGE + 9));
    /* Grown by a write past the end: seen in the mapping. */
    R(ftruncate(fd, PAGE));
    printf("page 1 after shrink to one page: %s\n", contract_peek(map + PAGE + 5));
    R(pwrite(fd, "W", 1, PAGE + 100));
    printf("page 1 after a write past the end: %s\n", contract_peek(map + PAGE + 100));
    printf("page 1 byte 5 is zero again: %s\n", contract_peek(map + PAGE + 5));
    /* Shrunk while mapped: touched pages past the new end fault; the last page's tail is
     * zeroed. */
    R(ftruncate(fd, 10));
    printf("shrunk page 0 byte 5: %s\n", contract_peek(map + 5));
    printf("shrunk page 0 byte 50: %s\n", contract_peek(map + 50));
    printf("shrunk page 1: %s\n", contract_peek(map + PAGE + 100));
    printf("shrunk page 1 store: %s\n", contract_poke(map + PAGE, 'y'));
    R(ftruncate(fd, 0));
    printf("size 0, page 0: %s\n", contract_peek(map));
    R(ftruncate(fd, 100));
    printf("grown again, page 0 byte 50: %s\n", contract_peek(map + 50));
    /* A fork child shares the mapping and sees the end move too. */
    pid_t child = contract_fork();
    if (child == 0) {
        struct rlimit none = {0, 0}; /* no core file */
        setrlimit(RLIMIT_CORE, &none);
        signal(SIGBUS, SIG_DFL);
        char value = map[50]; /* inside: fine */
        (void)value;
        char past = *(volatile char *)(map + PAGE); /* past the end: SIGBUS kills it */
        (void)past;
        _exit(0);
    }
    contract_reap("child touching past the end", child);
    R(munmap(map, 3 * PAGE));
    /* A mapping from an offset past the end is made; every touch faults. */
    map = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 4 * PAGE);
    printf("shared at offset past the end: mapped %s\n",
           map == MAP_FAILED ? errno_name(errno) : "yes");
    if (map != MAP_FAILED) {
        printf("shared at offset past the end: %s\n", contract_peek(map));
        R(munmap(map, PAGE));
    }
    R(close(fd));
    R(unlink(PATH));
}

static void private(void)
{
    int fd = file_make();
    char *map = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("private: mapped %s\n", map == MAP_FAILED ? errno_name(errno) : "yes");
    if (map == MAP_FAILED)
        return;
    printf("private page 0 byte 50: %s\n", contract_peek(map + 50));
    printf("private page 0 past the end is zeros: %s\n", zeros(map, 100, PAGE));
    printf("private page 0 store past the end: %s\n", contract_poke(map + 300, 'p'));
    printf("private page 1: %s\n", contract_peek(map + PAGE));
    printf("private page 2 store: %s\n", contract_poke(map + 2 * PAGE + 1, 'q'));
    printf("size: %ld\n", file_size(fd));
    /* A fork child's stores are its own. */
    pid_t child = contract_fork();
    if (child == 0) {
        map[51] = 'c';
        _exit(map[50] == 'y' && map[300] == 'p' && map[51] == 'c' ? 0 : 1);
    }
    contract_reap("private child", child);
    printf("byte 51 after the child's store: %s\n", contract_peek(map + 51));
    R(munmap(map, 3 * PAGE));
    /* Grown: a new private mapping reaches further. */
    R(ftruncate(fd, PAGE + 1));
    map = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    printf("grown private: mapped %s\n", map == MAP_FAILED ? errno_name(errno) : "yes");
    if (map != MAP_FAILED) {
        printf("grown private page 1 byte 0: %s\n", contract_peek(map + PAGE));
        printf("grown private page 1 is zeros: %s\n", zeros(map, PAGE, 2 * PAGE));
        printf("grown private page 2: %s\n", contract_peek(map + 2 * PAGE));
        R(munmap(map, 3 * PAGE));
    }
    /* Shrunk: a new private mapping ends at the new end. */
    R(ftruncate(fd, 10));
    map = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("shrunk private: mapped %s\n", map == MAP_FAILED ? errno_name(errno) : "yes");
    if (map != MAP_FAILED) {
        printf("shrunk private page 0 byte 5: %s\n", contract_peek(map + 5));
        printf("shrunk private page 0 byte 50: %s\n", contract_peek(map + 50));
        printf("shrunk private page 1: %s\n", contract_peek(map + PAGE));
        /* mprotect over the whole mapping, the faulting part too. */
        R(mprotect(map, 2 * PAGE, PROT_READ));
        printf("read-only private page 1: %s\n", contract_peek(map + PAGE));
        R(munmap(map, 2 * PAGE));
    }
    /* From an offset past the end: made, every touch faults. */
    map = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 2 * PAGE);
    printf("private at offset past the end: mapped %s\n",
           map == MAP_FAILED ? errno_name(errno) : "yes");
    if (map != MAP_FAILED) {
        printf("private at offset past the end: %s\n", contract_poke(map, 'z'));
        R(munmap(map, PAGE));
    }
    /* While mapped: pages it did not write show the file's, a shrink takes pages past the new
     * end away (the written ones too), a growth brings the file's back. */
    R(ftruncate(fd, PAGE + 50));
    map = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("private while mapped: mapped %s\n", map == MAP_FAILED ? errno_name(errno) : "yes");
    if (map != MAP_FAILED) {
        printf("page 0 store: %s\n", contract_poke(map + 50, 'P'));
        printf("page 1 store: %s\n", contract_poke(map + PAGE + 1, 'Q'));
        R(pwrite(fd, "NM", 2, 5));
        R(pwrite(fd, "O", 1, PAGE + 2));
        printf("page 0 byte 5 (written page): %s\n", contract_peek(map + 5));
        printf("page 1 byte 2 (written page): %s\n", contract_peek(map + PAGE + 2));
        R(pwrite(fd, "T", 1, 2 * PAGE + 3));
        printf("page 2 byte 3 (grown by a write, unwritten page): %s\n",
               contract_peek(map + 2 * PAGE + 3));
        R(ftruncate(fd, 10));
        printf("shrunk: page 0 byte 50 (its copy): %s\n", contract_peek(map + 50));
        printf("shrunk: page 1 (its copy): %s\n", contract_peek(map + PAGE + 1));
        printf("shrunk: page 2: %s\n", contract_peek(map + 2 * PAGE + 3));
        R(ftruncate(fd, 3 * PAGE));
        printf("grown: page 1 byte 1: %s\n", contract_peek(map + PAGE + 1));
        printf("grown: page 2 store: %s\n", contract_poke(map + 2 * PAGE, 'g'));
        char byte = 1;
        R(pread(fd, &byte, 1, 2 * PAGE));
        printf("the file keeps: %s\n", byte == 0 ? "0" : "the store");
        R(munmap(map, 3 * PAGE));
    }
    R(ftruncate(fd, 10));
    /* Bad offsets and lengths: the good call, then the bad ones. */
    map = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
    printf("good private map past the end: %s\n", map == MAP_FAILED ? errno_name(errno) : "yes");
    if (map != MAP_FAILED)
        R(munmap(map, PAGE));
    map = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE + 1);
    printf("unaligned offset: %s\n", map == MAP_FAILED ? errno_name(errno) : "mapped");
    map = mmap(NULL, 0, PROT_READ, MAP_SHARED, fd, PAGE);
    printf("length 0: %s\n", map == MAP_FAILED ? errno_name(errno) : "mapped");
    map = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, -PAGE);
    printf("negative offset: %s\n", map == MAP_FAILED ? errno_name(errno) : "mapped");
    R(close(fd));
    R(unlink(PATH));
}

int main(void)
{
    contract_start();
    contract_fault_catch();
    shared();
    private();
    return contract_pass();
}
