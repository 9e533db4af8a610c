/* POSIX shared memory as files: /dev/shm lists the objects and named semaphores, stat, open
 * and unlink of /dev/shm/NAME, read, write, pread, pwrite, lseek on a shm descriptor, and
 * mappings past the end (SIGBUS) that see the object grow. */
#include "contract.h"
#include "contract_fault.h"

#include <dirent.h>
#include <fcntl.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define PREFIX "contract_shmfs_"

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of /dev/shm that are this test's, sorted (other programs' objects are skipped). */
static void list(const char *what)
{
    DIR *dir = opendir("/dev/shm");
    if (dir == NULL) {
        printf("%s: opendir %s\n", what, errno_name(errno));
        return;
    }
    static char names[16][256];
    char *sorted[16];
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL && count < 16) {
        if (strstr(entry->d_name, PREFIX) == NULL)
            continue;
        snprintf(names[count], sizeof(names[count]), "%s", entry->d_name);
        sorted[count] = names[count];
        count++;
    }
    R(closedir(dir));
    qsort(sorted, (size_t)count, sizeof(sorted[0]), compare_names);
    printf("%s:", what);
    for (int i = 0; i < count; i++)
        printf(" %s", sorted[i]);
    printf(" (%d)\n", count);
}

static void show_path(const char *path)
{
    struct stat status;
    if (stat(path, &status) != 0) {
        printf("stat %s: %s\n", path, errno_name(errno));
        return;
    }
    printf("stat %s: regular %s size %ld mode %o\n", path, S_ISREG(status.st_mode) ? "yes" : "no",
           (long)status.st_size, (unsigned)(status.st_mode & 0777));
}

static void directory(void)
{
    struct stat status;
    R(stat("/dev/shm", &status) == 0 && S_ISDIR(status.st_mode));
    list("before");
    int first = shm_open("/" PREFIX "first", O_RDWR | O_CREAT | O_EXCL, 0640);
    int second = shm_open(PREFIX "second", O_RDWR | O_CREAT | O_EXCL, 0600);
    R(first >= 0 && second >= 0);
    R(ftruncate(first, 5000));
    sem_t *semaphore = sem_open("/" PREFIX "sem", O_CREAT | O_EXCL, 0600, 3);
    R(semaphore != SEM_FAILED);
    list("made");
    show_path("/dev/shm/" PREFIX "first");
    show_path("/dev/shm/" PREFIX "second");
    struct stat sem_status;
    R(stat("/dev/shm/sem." PREFIX "sem", &sem_status) == 0 && S_ISREG(sem_status.st_mode));
    show_path("/dev/shm/" PREFIX "missing");
    R(access("/dev/shm/" PREFIX "first", R_OK | W_OK));
    /* chdir there: relative names are the same objects. */
    R(chdir("/dev/shm"));
    show_path(PREFIX "first");
    R(chdir("/"));
    /* unlink(2) of /dev/shm/NAME is shm_unlink. */
    R(unlink("/dev/shm/" PREFIX "second"));
    R(shm_unlink("/" PREFIX "second"));
    R(unlink("/dev/shm/" PREFIX "second"));
    R(shm_open(PREFIX "second", O_RDWR, 0));
    R(unlink("/dev/shm/sem." PREFIX "sem"));
    R(sem_unlink("/" PREFIX "sem"));
    R(sem_close(semaphore));
    list("unlinked");
    R(close(second));
    /* open(2) of /dev/shm/NAME is the object itself. */
    char *map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, first, 0);
    R(map != MAP_FAILED);
    strcpy(map, "written through the mapping");
    int opened = open("/dev/shm/" PREFIX "first", O_RDWR);
    R(opened >= 0);
    char text[64] = {0};
    R(read(opened, text, 11));
    printf("open's read: '%s'\n", text);
    R(fstat(opened, &status) == 0 && S_ISREG(status.st_mode) && status.st_size == 5000);
    R(write(opened, " WRITTEN", 8));
    printf("mapping sees: '%s'\n", map);
    R(close(opened));
    R(open("/dev/shm/" PREFIX "first", O_RDWR | O_CREAT | O_EXCL, 0600));
    R(open("/dev/shm/" PREFIX "missing", O_RDONLY));
    int created = open("/dev/shm/" PREFIX "third", O_RDWR | O_CREAT | O_EXCL, 0600);
    R(created >= 0);
    int same = shm_open(PREFIX "third", O_RDWR, 0);
    R(same >= 0);
    R(write(created, "abc", 3));
    memset(text, 0, sizeof(text));
    R(pread(same, text, sizeof(text), 0));
    printf("created by open, read by shm_open: '%s'\n", text);
    list("opened");
    R(close(same));
    R(close(created));
    R(unlink("/dev/shm/" PREFIX "third"));
    R(munmap(map, 4096));
    R(close(first));
    R(shm_unlink("/" PREFIX "first"));
    list("after");
}

static void transfers(void)
{
    int fd = shm_open("/" PREFIX "io", O_RDWR | O_CREAT | O_EXCL, 0600);
    R(fd >= 0);
    char text[64] = {0};
    R(read(fd, text, sizeof(text)));
    R(write(fd, "hello, world", 12));
    R(lseek(fd, 0, SEEK_CUR));
    R(lseek(fd, 0, SEEK_END));
    R(lseek(fd, -5, SEEK_END));
    R(read(fd, text, sizeof(text)));
    printf("tail: '%s'\n", text);
    R(read(fd, text, sizeof(text)));
    R(pwrite(fd, "HELLO", 5, 0));
    memset(text, 0, sizeof(text));
    R(pread(fd, text, sizeof(text), 0));
    printf("pread: '%s'\n", text);
    R(lseek(fd, 0, SEEK_CUR));
    R(pread(fd, text, 4, 100));
    R(pwrite(fd, "far", 3, 10000));
    struct stat status;
    R(fstat(fd, &status) == 0 ? status.st_size : -1);
    R(pread(fd, text, 4, 5000));
    printf("hole reads zero: %s\n", text[0] == 0 && text[3] == 0 ? "yes" : "no");
    /* Many pages in one call, then back. */
    static char big[3 * 4096 + 100], again[sizeof(big)];
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)('a' + i % 26);
    R(pwrite(fd, big, sizeof(big), 20000));
    R(pread(fd, again, sizeof(again), 20000));
    printf("big: %s\n", memcmp(big, again, sizeof(big)) == 0 ? "same" : "differs");
    R(fstat(fd, &status) == 0 ? status.st_size : -1);
    char *map = mmap(NULL, 32768, PROT_READ, MAP_SHARED, fd, 0);
    R(map != MAP_FAILED);
    printf("mapped: '%.5s' '%.3s' %s\n", map, map + 10000,
           memcmp(map + 20000, big, 100) == 0 ? "same" : "differs");
    R(munmap(map, 32768));
    /* Bad input. */
    R(lseek(fd, -1, SEEK_SET));
    R(lseek(fd, 0, 42));
    R(pread(fd, text, 4, -1));
    R(pwrite(fd, "x", 1, -1));
    R(read(fd, contract_address(8), 4096));
    R(write(fd, contract_address(8), 16));
    int reader = shm_open("/" PREFIX "io", O_RDONLY, 0);
    R(reader >= 0);
    R(write(reader, "x", 1));
    R(pread(reader, text, 5, 0));
    R(close(reader));
    R(close(fd));
    R(shm_unlink("/" PREFIX "io"));
}

static void mappings(void)
{
    contract_fault_catch();
    int fd = shm_open("/" PREFIX "map", O_RDWR | O_CREAT | O_EXCL, 0600);
    R(fd >= 0);
    R(ftruncate(fd, 4096));
    /* Three pages over an object of one: the mapping is made, past the end is SIGBUS. */
    char *map = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    R(map != MAP_FAILED);
    printf("page 0: %s\n", contract_poke(map, 'a'));
    printf("page 1: %s\n", contract_poke(map + 4096, 'b'));
    printf("page 2: %s\n", contract_poke(map + 2 * 4096 + 100, 'c'));
    /* Growing: the mapping made before reaches the new pages, shared with the object. */
    R(ftruncate(fd, 3 * 4096));
    printf("grown page 2: %s\n", contract_poke(map + 2 * 4096 + 100, 'C'));
    char byte = 0;
    R(pread(fd, &byte, 1, 2 * 4096 + 100));
    printf("object has: %c\n", byte);
    R(pwrite(fd, "W", 1, 4096 + 7));
    printf("mapping sees: %c\n", map[4096 + 7]);
    /* Growing by write past the end, too. */
    char *wide = mmap(NULL, 8 * 4096, PROT_READ, MAP_SHARED, fd, 0);
    R(wide != MAP_FAILED);
    R(pwrite(fd, "X", 1, 6 * 4096));
    printf("written past the end, seen: %c\n", wide[6 * 4096]);
    R(munmap(wide, 8 * 4096));
    R(munmap(map, 3 * 4096));
    /* Shrunk: a new mapping faults past the new end. */
    R(ftruncate(fd, 100));
    map = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    R(map != MAP_FAILED);
    printf("shrunk page 0: %s, byte 4096+7 gone: %s\n", contract_poke(map + 50, 'd'),
           contract_poke(map + 4096 + 7, 'e'));
    R(munmap(map, 2 * 4096));
    /* A new object of size 0: mapped all the same, SIGBUS until it grows. */
    int empty = shm_open("/" PREFIX "empty", O_RDWR | O_CREAT | O_EXCL, 0600);
    R(empty >= 0);
    char *none = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, empty, 0);
    R(none != MAP_FAILED);
    printf("size 0, page 0: %s\n", contract_poke(none, 'z'));
    R(ftruncate(empty, 4096));
    printf("grown, page 0: %s\n", contract_poke(none, 'z'));
    printf("grown, page 1: %s\n", contract_poke(none + 4096, 'z'));
    R(munmap(none, 2 * 4096));
    R(close(empty));
    R(shm_unlink("/" PREFIX "empty"));
    /* O_TRUNC: as ftruncate to 0. */
    int again = shm_open("/" PREFIX "map", O_RDWR | O_TRUNC, 0);
    R(again >= 0);
    struct stat status;
    R(fstat(fd, &status) == 0 ? status.st_size : -1);
    R(close(again));
    R(close(fd));
    R(shm_unlink("/" PREFIX "map"));
    R(signal(SIGBUS, SIG_DFL) == SIG_ERR);
    R(signal(SIGSEGV, SIG_DFL) == SIG_ERR);
}

int main(void)
{
    contract_start();
    directory();
    transfers();
    mappings();
    return contract_pass();
}
