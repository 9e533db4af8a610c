/* Directory and file compatibility calls: scandir with alphasort and versionsort, readdir_r,
 * telldir/seekdir, lockf between processes, futimes/lutimes, get_current_dir_name, confstr,
 * getdtablesize, eaccess, mknodat. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* versionsort, get_current_dir_name, eaccess (the host gets it from -D) */
#endif
#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "contract.h"

static int not_dots(const struct dirent *entry)
{
    return strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0;
}

static void list(const char *what, int (*compare)(const struct dirent **, const struct dirent **))
{
    struct dirent **entries;
    int count = scandir(".", &entries, not_dots, compare);
    printf("%s: %d:", what, count);
    for (int i = 0; i < count; i++) {
        printf(" %s", entries[i]->d_name);
        free(entries[i]);
    }
    if (count >= 0)
        free(entries);
    printf("\n");
}

int main(void)
{
    contract_start();
    char scratch[] = "/tmp/contract-dir-XXXXXX";
    contract_scratch_start(scratch);
    const char *names[] = {"b10", "b9", "a", "b1", "c"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        close(open(names[i], O_CREAT | O_WRONLY, 0644));
    list("alphasort", alphasort);
    list("versionsort", versionsort);
    errno = 0;
    struct dirent **none;
    int missing = scandir("/no/such/dir", &none, NULL, alphasort);
    printf("scandir(missing) = %d %s\n", missing, errno_name(errno));

    DIR *stream = opendir(".");
    struct dirent entry, *result;
    int count = 0;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations" /* glibc deprecates readdir_r */
    while (readdir_r(stream, &entry, &result) == 0 && result != NULL)
        count++;
#pragma GCC diagnostic pop
    printf("readdir_r entries: %d\n", count);
    rewinddir(stream);
    (void)readdir(stream);
    (void)readdir(stream);
    long where = telldir(stream);
    struct dirent *next = readdir(stream);
    char name[256];
    snprintf(name, sizeof name, "%s", next ? next->d_name : "");
    while (readdir(stream) != NULL)
        continue;
    seekdir(stream, where);
    next = readdir(stream);
    printf("seekdir to telldir's place gives the same entry: %s\n",
           next != NULL && strcmp(next->d_name, name) == 0 ? "yes" : "no");
    closedir(stream);

    int fd = open("a", O_RDWR);
    R(lockf(fd, F_TLOCK, 0));
    R(lockf(fd, F_TEST, 0));
    pid_t child = contract_fork();
    if (child == 0) {
        int mine = open("a", O_RDWR);
        R(lockf(mine, F_TLOCK, 0));
        _exit(0);
    }
    contract_reap("lockf child", child);
    R(lockf(fd, F_ULOCK, 0));
    R(lockf(fd, 99, 0));

    struct timeval times[2] = {{1000000000, 250000}, {1200000000, 500000}};
    R(futimes(fd, times));
    struct stat status;
    fstat(fd, &status);
    printf("futimes: atime %ld mtime %ld.%06ld\n", (long)status.st_atime, (long)status.st_mtime,
           status.st_mtim.tv_nsec / 1000);
    close(fd);
    symlink("a", "link");
    times[1].tv_sec = 1300000000;
    R(lutimes("link", times));
    lstat("link", &status);
    printf("lutimes: the link's mtime %ld\n", (long)status.st_mtime);
    stat("a", &status);
    printf("lutimes: the target's mtime %ld\n", (long)status.st_mtime);

    char *here = get_current_dir_name();
    char cwd[512];
    printf("get_current_dir_name equals getcwd: %s\n",
           here != NULL && getcwd(cwd, sizeof cwd) && strcmp(here, cwd) == 0 ? "yes" : "no");
    free(here);
    char path[64];
    size_t needed = confstr(_CS_PATH, path, sizeof path);
    printf("confstr(_CS_PATH) = %zu [%s]\n", needed, path);
    struct rlimit limit = {40, 40};
    setrlimit(RLIMIT_NOFILE, &limit);
    printf("getdtablesize() = %d\n", getdtablesize());
    R(eaccess("a", R_OK));
    R(eaccess("missing", R_OK));

    int here_fd = open(".", O_RDONLY | O_DIRECTORY);
    R(mknodat(here_fd, "fifo", S_IFIFO | 0600, 0));
    printf("mknodat made a FIFO: %s\n", stat("fifo", &status) == 0 && S_ISFIFO(status.st_mode) ? "yes" : "no");
    R(mknodat(here_fd, "fifo", S_IFIFO | 0600, 0));
    close(here_fd);

    const char *all[] = {"b10", "b9", "a", "b1", "c", "link", "fifo"};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        unlink(all[i]);
    chdir("/");
    R(rmdir(scratch));
    return contract_pass();
}
