/* POSIX shared memory: a MAP_PRIVATE mapping past the object's end (SIGBUS there; the object's
 * bytes until it writes them, writable through a read-only descriptor), a shrink under a
 * MAP_SHARED mapping, and one file offset shared by a parent and its fork children. */
#include "contract.h"
#include "contract_fault.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define PAGE 4096
#define NAME "/contract_shm_private_fork"

static void private_past_end(void)
{
    int fd = shm_open(NAME, O_RDWR | O_CREAT | O_EXCL, 0600);
    R(fd >= 0);
    R(ftruncate(fd, 100));
    R(pwrite(fd, "private", 7, 40));
    char *map = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    printf("private past the end: mapped %s\n", map == MAP_FAILED ? errno_name(errno) : "yes");
    if (map != MAP_FAILED) {
        printf("page 0 byte 40: %s\n", contract_peek(map + 40));
        printf("page 0 byte 200: %s\n", contract_peek(map + 200));
        printf("page 0 store: %s\n", contract_poke(map + 41, 'R'));
        char byte = 0;
        R(pread(fd, &byte, 1, 41));
        printf("object keeps: %c\n", byte);
        printf("page 1: %s\n", contract_peek(map + PAGE));
        printf("page 2 store: %s\n", contract_poke(map + 2 * PAGE + 5, 'x'));
        R(munmap(map, 3 * PAGE));
    }
    /* Through a read-only descriptor, writable: its stores are its own; pages it did not
     * write show the object's. */
    int reader = shm_open(NAME, O_RDONLY, 0);
    R(reader >= 0);
    map = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, reader, 0);
    printf("writable private of a read-only descriptor: %s\n",
           map == MAP_FAILED ? errno_name(errno) : "mapped");
    if (map != MAP_FAILED) {
        R(pwrite(fd, "L", 1, 43));
        printf("unwritten page sees the object: %s\n", contract_peek(map + 43));
        printf("store: %s\n", contract_poke(map + 43, 'M'));
        R(pwrite(fd, "K", 1, 44));
        printf("written page keeps its copy: %s\n", contract_peek(map + 44));
        char byte = 0;
        R(pread(fd, &byte, 1, 43));
        printf("object has: %c\n", byte);
        R(munmap(map, 2 * PAGE));
    }
    R(mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, reader, 0) == MAP_FAILED);
    R(close(reader));
    /* Read-only, and from an offset past the end. */
    map = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    printf("read-only private: mapped %s\n", map == MAP_FAILED ? errno_name(errno) : "yes");
    if (map != MAP_FAILED) {
        printf("read-only page 0 byte 42: %s\n", contract_peek(map + 42));
        printf("read-only page 1: %s\n", contract_peek(map + PAGE));
        R(munmap(map, 2 * PAGE));
    }
    map = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 2 * PAGE);
    printf("private from past the end: mapped %s\n", map == MAP_FAILED ? errno_name(errno) : "yes");
    if (map != MAP_FAILED) {
        printf("its page 0: %s\n", contract_poke(map, 'z'));
        R(munmap(map, PAGE));
    }
    /* Bad offsets: the good call, then each bad one. */
    map = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
    printf("good: %s\n", map == MAP_FAILED ? errno_name(errno) : "mapped");
    if (map != MAP_FAILED)
        R(munmap(map, PAGE));
    map = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100);
    printf("unaligned offset: %s\n", map == MAP_FAILED ? errno_name(errno) : "mapped");
    map = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, -PAGE);
    printf("negative offset: %s\n", map == MAP_FAILED ? errno_name(errno) : "mapped");
    map = mmap(NULL, 0, PROT_READ, MAP_PRIVATE, fd, 0);
    printf("length 0: %s\n", map == MAP_FAILED ? errno_name(errno) : "mapped");
    R(close(fd));
}

static void shared_shrink(void)
{
    int fd = shm_open(NAME, O_RDWR, 0);
    R(fd >= 0);
    R(ftruncate(fd, 3 * PAGE));
    char *map = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("shared: mapped %s\n", map == MAP_FAILED ? errno_name(errno) : "yes");
    if (map == MAP_FAILED)
        return;
    printf("page 2 store: %s\n", contract_poke(map + 2 * PAGE, 's'));
    printf("page 1 store: %s\n", contract_poke(map + PAGE, 't'));
    /* Shrunk while mapped: the pages touched before fault now. */
    R(ftruncate(fd, PAGE));
    printf("shrunk page 0: %s\n", contract_peek(map + 40));
    printf("shrunk page 1: %s\n", contract_peek(map + PAGE));
    printf("shrunk page 2: %s\n", contract_peek(map + 2 * PAGE));
    R(ftruncate(fd, 2 * PAGE));
    printf("grown page 1: %s\n", contract_peek(map + PAGE));
    R(munmap(map, 3 * PAGE));
    R(close(fd));
}

static void offsets_after_fork(void)
{
    int fd = shm_open(NAME, O_RDWR | O_TRUNC, 0);
    R(fd >= 0);
    R(write(fd, "abcdefghij", 10));
    R(lseek(fd, 2, SEEK_SET));
    pid_t child = contract_fork();
    if (child == 0) {
        char two[3] = {0};
        if (read(fd, two, 2) != 2)
            _exit(1);
        if (strcmp(two, "cd") != 0)
            _exit(2);
        if (write(fd, "XY", 2) != 2) /* at 4 */
            _exit(3);
        _exit(0);
    }
    contract_reap("child reading and writing", child);
    R(lseek(fd, 0, SEEK_CUR));
    char text[11] = {0};
    R(read(fd, text, 4));
    printf("parent reads on: %s\n", text);
    /* A dup and a second fork: still the one offset. */
    int copy = dup(fd);
    R(copy >= 0);
    child = contract_fork();
    if (child == 0) {
        _exit(lseek(copy, 1, SEEK_SET) == 1 ? 0 : 1);
    }
    contract_reap("child seeking", child);
    R(lseek(fd, 0, SEEK_CUR));
    R(read(fd, text, 3));
    printf("after the child's seek: %.3s\n", text);
    /* A grandchild moves it too, after its parent closed its copies. */
    child = contract_fork();
    if (child == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0)
            _exit(lseek(fd, 0, SEEK_END) == 10 ? 0 : 1);
        int status = 0;
        waitpid(grandchild, &status, 0);
        close(fd);
        close(copy);
        _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 9);
    }
    contract_reap("grandchild seeking", child);
    R(lseek(fd, 0, SEEK_CUR));
    R(read(fd, text, 1));
    /* Two separate opens keep two offsets. */
    int other = shm_open(NAME, O_RDONLY, 0);
    R(other >= 0);
    R(lseek(other, 0, SEEK_CUR));
    R(close(other));
    R(close(copy));
    R(close(fd));
}

int main(void)
{
    contract_start();
    contract_fault_catch();
    shm_unlink(NAME);
    private_past_end();
    shared_shrink();
    offsets_after_fork();
    R(shm_unlink(NAME));
    return contract_pass();
}
