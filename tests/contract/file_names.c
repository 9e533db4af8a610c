/* Names: mkdir, rmdir, unlink, rename, link, symlink, readlink, directories, the working directory. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dup3, pipe2, getdents64 (the host build defines it on its command line) */
#endif
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "contract.h"

static int compare(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in a directory, sorted (the order readdir gives differs between file systems). */
static void list(const char *path)
{
    char *names[64];
    int count = 0;
    DIR *dir = opendir(path);
    if (dir == NULL) {
        printf("opendir(%s) = %s\n", path, errno_name(errno));
        return;
    }
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL && count < 64)
        names[count++] = strdup(entry->d_name);
    qsort(names, count, sizeof(names[0]), compare);
    printf("%s:", path);
    for (int i = 0; i < count; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
    rewinddir(dir);
    int again = 0;
    while (readdir(dir) != NULL)
        again++;
    printf("after rewinddir: %d entries\n", again);
    closedir(dir);
}

static void touch(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    if (fd >= 0)
        close(fd);
}

int main(void)
{
    contract_start();
    char scratch[] = "/tmp/contract-XXXXXX";
    contract_scratch_start(scratch);
    char buffer[PATH_MAX];
    struct stat status;
    R(mkdir("d", 0755));
    R(mkdir("d", 0755));
    R(mkdir("d/", 0755));
    R(mkdir("missing/d", 0755));
    touch("d/f");
    R(mkdir("d/f/x", 0755));
    R(rmdir("d"));
    R(rmdir("d/f"));
    R(unlink("d"));
    R(rmdir("."));
    R(rmdir("d/.."));
    R(stat("d", &status));
    printf("d: dir %d nlink %ld\n", S_ISDIR(status.st_mode), (long)status.st_nlink);
    R(mkdir("d/sub", 0755));
    R(stat("d", &status));
    printf("d: nlink %ld\n", (long)status.st_nlink);
    list("d");
    /* rename */
    touch("a");
    R(rename("a", "b"));
    R(access("a", F_OK));
    touch("c");
    R(rename("b", "c"));
    R(rename("c", "d"));
    R(rename("d", "c"));
    R(rename("d", "d/sub/inner"));
    R(rename("nothing", "x"));
    R(mkdir("e", 0755));
    R(rename("d/sub", "e"));
    R(rename("e", "d/sub"));
    touch("e/full");
    R(rename("d", "e"));
    R(unlink("e/full"));
    R(rmdir("e"));
    /* links */
    R(link("c", "c2"));
    R(stat("c", &status));
    printf("c: nlink %ld\n", (long)status.st_nlink);
    R(link("c", "c2"));
    R(link("d", "d2"));
    R(link("none", "n2"));
    R(symlink("c", "s"));
    R(symlink("d", "sd"));
    R(symlink("nowhere", "dangling"));
    R(symlink("c", "s"));
    R(readlink("s", buffer, sizeof(buffer)));
    printf("s -> %.*s\n", 1, buffer);
    R(readlink("c", buffer, sizeof(buffer)));
    R(readlink("s", buffer, 0));
    R(lstat("s", &status));
    printf("s is a link: %d\n", S_ISLNK(status.st_mode));
    R(stat("s", &status));
    printf("s leads to a file: %d\n", S_ISREG(status.st_mode));
    R(stat("dangling", &status));
    R(lstat("dangling", &status));
    R(stat("sd/f", &status));
    R(symlink("loop", "loop"));
    R(stat("loop", &status));
    R(open("loop", O_RDONLY));
    R(open("s", O_RDONLY | O_NOFOLLOW));
    R(open("c", O_RDONLY | O_DIRECTORY));
    R(unlink("s"));
    R(access("c", F_OK));
    R(access("c", R_OK | W_OK));
    R(access("c", X_OK));
    R(access("d", X_OK));
    R(access("c", 99));
    R(chmod("c", 0755));
    R(access("c", X_OK));
    R(stat("c", &status));
    printf("c mode %o\n", status.st_mode & 07777);
    /* the working directory */
    R(chdir("d"));
    printf("cwd ends in d: %d\n", strcmp(strrchr(getcwd(buffer, sizeof(buffer)), '/'), "/d") == 0);
    R(chdir("f"));
    R(chdir("missing"));
    int fd = open("sub", O_RDONLY | O_DIRECTORY);
    R(fchdir(fd));
    R(close(fd));
    printf("cwd ends in sub: %d\n", strcmp(strrchr(getcwd(buffer, sizeof(buffer)), '/'), "/sub") == 0);
    R(chdir("../.."));
    printf("getcwd(buffer, 1): %s\n", getcwd(buffer, 1) == NULL ? errno_name(errno) : "ok");
    char *real = realpath("sd/../d/./f", NULL);
    printf("realpath ends in d/f: %d\n", real != NULL && strcmp(real + strlen(real) - 4, "/d/f") == 0);
    free(real);
    printf("realpath(missing): %s\n", realpath("missing/x", buffer) == NULL ? errno_name(errno) : "ok");
    /* *at calls from a directory descriptor */
    int dirfd = open("d", O_RDONLY | O_DIRECTORY);
    R(mkdirat(dirfd, "at", 0700));
    R(fstatat(dirfd, "at", &status, 0));
    printf("at mode %o\n", status.st_mode & 07777);
    R(unlinkat(dirfd, "at", AT_REMOVEDIR));
    R(faccessat(dirfd, "f", F_OK, 0));
    R(openat(dirfd, "f", O_RDONLY) >= 0);
    R(renameat(dirfd, "f", dirfd, "g"));
    R(linkat(dirfd, "g", AT_FDCWD, "g2", 0));
    R(symlinkat("g", dirfd, "sg"));
    R(readlinkat(dirfd, "sg", buffer, sizeof(buffer)));
    R(unlinkat(dirfd, "sg", 0));
    R(fstatat(99, "x", &status, 0));
    int file = open("c", O_RDONLY);
    R(fstatat(file, "x", &status, 0));
    R(close(file));
    R(close(dirfd));
    /* long names */
    char name[300];
    memset(name, 'n', sizeof(name));
    name[256] = '\0';
    R(open(name, O_RDONLY | O_CREAT, 0644));
    name[255] = '\0';
    R(mkdir(name, 0755));
    R(rmdir(name));
    char *path = malloc(5000);
    memset(path, 'p', 4999);
    path[4999] = '\0';
    R(open(path, O_RDONLY));
    R(stat(path, &status));
    R(mkdir(path, 0755));
    free(path);
    /* cleanup */
    R(unlink("c"));
    R(unlink("c2"));
    R(unlink("g2"));
    R(unlink("sd"));
    R(unlink("dangling"));
    R(unlink("loop"));
    R(unlink("d/g"));
    R(rmdir("d/sub"));
    R(rmdir("d"));
    R(chdir("/"));
    R(rmdir(scratch));
    return contract_pass();
}
