/* POSIX shared memory: shm_open/shm_unlink names and flags, ftruncate, fstat, mmap shared
 * between a parent and a child that opens the object by name, persistence until unmapped. */
#include "contract.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define NAME "/contract_ipc_shm"

static void show_stat(const char *what, int fd)
{
    struct stat status;
    if (fstat(fd, &status) != 0) {
        printf("%s: fstat %s\n", what, errno_name(errno));
        return;
    }
    printf("%s: regular %s size %ld mode %o\n", what, S_ISREG(status.st_mode) ? "yes" : "no",
           (long)status.st_size, (unsigned)(status.st_mode & 0777));
}

static void names(void)
{
    char long_name[300];
    long_name[0] = '/';
    memset(long_name + 1, 'n', 256);
    long_name[257] = 0;
    R(shm_open("/a/b", O_RDWR | O_CREAT, 0600));
    R(shm_open("/", O_RDWR | O_CREAT, 0600));
    R(shm_open("", O_RDWR | O_CREAT, 0600));
    R(shm_open(long_name, O_RDWR | O_CREAT, 0600));
    long_name[256] = 0; /* 255 bytes after the slash: allowed */
    int fd = shm_open(long_name, O_RDWR | O_CREAT | O_EXCL, 0600);
    printf("255-byte name: %s\n", fd >= 0 ? "opened" : errno_name(errno));
    R(shm_unlink(long_name));
    R(close(fd));
    /* glibc skips leading slashes: a name without one is the same object. */
    fd = shm_open("contract_ipc_noslash", O_RDWR | O_CREAT | O_EXCL, 0600);
    printf("no slash: %s\n", fd >= 0 ? "opened" : errno_name(errno));
    R(shm_open("//contract_ipc_noslash", O_RDWR | O_CREAT | O_EXCL, 0600));
    R(shm_unlink("/contract_ipc_noslash"));
    R(close(fd));
    R(shm_unlink(NAME));
    R(shm_open(NAME, O_RDWR, 0));
}

static void flags_and_sizes(void)
{
    int fd = shm_open(NAME, O_RDWR | O_CREAT | O_EXCL, 0640);
    printf("create: %s\n", fd >= 0 ? "ok" : errno_name(errno));
    R(shm_open(NAME, O_RDWR | O_CREAT | O_EXCL, 0600));
    show_stat("new", fd);
    R(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    R(ftruncate(fd, 5000));
    show_stat("sized", fd);
    char *map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("map: %s\n", map != MAP_FAILED ? "ok" : errno_name(errno));
    strcpy(map, "kept across growth");
    R(ftruncate(fd, 100000));
    show_stat("grown", fd);
    char *grown = mmap(NULL, 100000, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("grown map: %s, '%s', tail %d\n", grown != MAP_FAILED ? "ok" : errno_name(errno),
           grown, grown[99999]);
    R(munmap(grown, 100000));
    R(munmap(map, 8192));
    int reader = shm_open(NAME, O_RDONLY, 0);
    printf("read-only open: %s\n", reader >= 0 ? "ok" : errno_name(errno));
    R(ftruncate(reader, 10));
    printf("shared writable map of read-only: %s\n",
           mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, reader, 0) == MAP_FAILED
               ? errno_name(errno)
               : "mapped");
    char *view = mmap(NULL, 4096, PROT_READ, MAP_SHARED, reader, 0);
    printf("read-only view: '%s'\n", view != MAP_FAILED ? view : errno_name(errno));
    char *copy = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, reader, 0);
    if (copy != MAP_FAILED) {
        strcpy(copy, "private");
        printf("private copy: '%s', object: '%s'\n", copy, view);
        R(munmap(copy, 4096));
    }
    R(munmap(view, 4096));
    R(close(reader));
    int truncating = shm_open(NAME, O_RDWR | O_TRUNC, 0);
    show_stat("O_TRUNC", truncating);
    R(ftruncate(truncating, -1));
    R(close(truncating));
    R(close(fd));
}

static void parent_and_child(void)
{
    int fd = shm_open(NAME, O_RDWR, 0);
    R(ftruncate(fd, 4096));
    volatile int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    R(close(fd));
    shared[0] = 1;
    pid_t child = contract_fork();
    if (child == 0) {
        /* The child opens the object by its name and maps it itself. */
        int own = shm_open(NAME, O_RDWR, 0);
        volatile int *mine = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, own, 0);
        if (mine == MAP_FAILED)
            _exit(2);
        mine[1] = mine[0] + 41;
        _exit(0);
    }
    contract_reap("child", child);
    printf("child wrote %d\n", shared[1]);
    R(shm_unlink(NAME));
    R(shm_open(NAME, O_RDWR, 0));
    printf("after unlink, still mapped: %d\n", shared[1]);
    R(munmap((void *)shared, 4096));
}

static void unlinked_at_once(void)
{
    /* The anonymous-memory idiom: open, unlink, then size and map. */
    int fd = shm_open(NAME, O_RDWR | O_CREAT | O_EXCL, 0600);
    R(shm_unlink(NAME));
    R(ftruncate(fd, 4096));
    show_stat("unlinked", fd);
    char *map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    printf("unlinked map: %s\n", map != MAP_FAILED ? "ok" : errno_name(errno));
    R(close(fd));
    strcpy(map, "still here");
    printf("after close: '%s'\n", map);
    R(munmap(map, 4096));
    R(shm_unlink(NAME));
}

int main(void)
{
    contract_start();
    umask(022);
    shm_unlink(NAME);
    names();
    flags_and_sizes();
    parent_and_child();
    unlinked_at_once();
    return contract_pass();
}
