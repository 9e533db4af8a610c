/* posix-shim's older and GNU/BSD file and directory calls, expressed with the current ones:
 * eaccess, euidaccess, lockf, futimes, lutimes, getwd, get_current_dir_name, ftime,
 * getdtablesize, confstr, ctermid, readdir_r, scandir, alphasort, versionsort, fdclosedir,
 * telldir, seekdir, secure_getenv, issetugid, sched_getcpu, daemon. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/timeb.h>
#include <unistd.h>

#include "fd.h"

/* One user, root: the effective ids are the real ones. */
int eaccess(const char *path, int mode)
{
    return access(path, mode);
}

int euidaccess(const char *path, int mode)
{
    return access(path, mode);
}

/* lockf over fcntl's record locks, from the current offset for length bytes (0: to the end). */
int lockf(int descriptor, int command, off_t length)
{
    struct flock lock = {.l_whence = SEEK_CUR, .l_start = 0, .l_len = length};
    switch (command) {
    case F_ULOCK:
        lock.l_type = F_UNLCK;
        return fcntl(descriptor, F_SETLK, &lock);
    case F_LOCK:
        lock.l_type = F_WRLCK;
        return fcntl(descriptor, F_SETLKW, &lock);
    case F_TLOCK:
        lock.l_type = F_WRLCK;
        return fcntl(descriptor, F_SETLK, &lock); /* EAGAIN when held, as glibc's */
    case F_TEST:
        lock.l_type = F_WRLCK;
        if (fcntl(descriptor, F_GETLK, &lock) != 0)
            return -1;
        if (lock.l_type == F_UNLCK || lock.l_pid == getpid())
            return 0;
        errno = EACCES;
        return -1;
    default:
        errno = EINVAL;
        return -1;
    }
}

/* timeval pairs as timespec pairs for utimensat/futimens; NULL means now. */
static const struct timespec *file_times(const struct timeval *times, struct timespec out[2])
{
    if (times == NULL)
        return NULL;
    for (int i = 0; i < 2; i++) {
        out[i].tv_sec = times[i].tv_sec;
        out[i].tv_nsec = times[i].tv_usec * 1000;
    }
    return out;
}

int futimes(int descriptor, const struct timeval *times)
{
    struct timespec converted[2];
    return futimens(descriptor, file_times(times, converted));
}

int lutimes(const char *path, const struct timeval *times)
{
    struct timespec converted[2];
    return utimensat(AT_FDCWD, path, file_times(times, converted), AT_SYMLINK_NOFOLLOW);
}

char *getwd(char *buffer)
{
    if (getcwd(buffer, PATH_MAX) != NULL)
        return buffer;
    strncpy(buffer, strerror(errno), PATH_MAX - 1);
    buffer[PATH_MAX - 1] = '\0';
    return NULL;
}

char *get_current_dir_name(void)
{
    return getcwd(NULL, 0);
}

int ftime(struct timeb *now)
{
    struct timeval time;
    if (gettimeofday(&time, NULL) != 0)
        return -1;
    now->time = time.tv_sec;
    now->millitm = (unsigned short)(time.tv_usec / 1000);
    now->timezone = 0;
    now->dstflag = 0;
    return 0;
}

int getdtablesize(void)
{
    return fd_limit();
}

/* _CS_PATH (the default search path, as execvp's; the only name newlib's headers give
 * outside Cygwin, added by posix-shim's <unistd.h>); anything else EINVAL. */
size_t confstr(int name, char *buffer, size_t length)
{
    const char *value = "/bin:/usr/bin";
    if (name != _CS_PATH) {
        errno = EINVAL;
        return 0;
    }
    size_t needed = strlen(value) + 1;
    if (buffer != NULL && length > 0) {
        size_t copied = needed < length ? needed : length;
        memcpy(buffer, value, copied - 1);
        buffer[copied - 1] = '\0';
    }
    return needed;
}

char *ctermid(char *buffer)
{
    static char name[] = "/dev/tty";
    return buffer != NULL ? strcpy(buffer, name) : name;
}

int readdir_r(DIR *stream, struct dirent *entry, struct dirent **result)
{
    int saved = errno;
    errno = 0;
    struct dirent *next = readdir(stream);
    int error = errno;
    errno = saved;
    if (next == NULL) {
        *result = NULL;
        return error;
    }
    memcpy(entry, next, sizeof(*entry));
    *result = entry;
    return 0;
}

int alphasort(const struct dirent **a, const struct dirent **b)
{
    return strcoll((*a)->d_name, (*b)->d_name);
}

int versionsort(const struct dirent **a, const struct dirent **b)
{
    return strverscmp((*a)->d_name, (*b)->d_name);
}

/* The entries filter keeps, in a malloc'd array sorted by compare (if given). */
int scandir(const char *path, struct dirent ***list, int (*filter)(const struct dirent *),
            int (*compare)(const struct dirent **, const struct dirent **))
{
    DIR *stream = opendir(path);
    if (stream == NULL)
        return -1;
    struct dirent **entries = NULL, *entry;
    size_t count = 0, capacity = 0;
    int error = 0;
    errno = 0;
    while ((entry = readdir(stream)) != NULL) {
        if (filter != NULL && !filter(entry))
            continue;
        if (count == capacity) {
            capacity = capacity ? capacity * 2 : 16;
            struct dirent **grown = realloc(entries, capacity * sizeof(*grown));
            if (grown == NULL) {
                error = ENOMEM;
                break;
            }
            entries = grown;
        }
        entries[count] = malloc(sizeof(*entry));
        if (entries[count] == NULL) {
            error = ENOMEM;
            break;
        }
        memcpy(entries[count++], entry, sizeof(*entry));
    }
    if (error == 0)
        error = errno;
    closedir(stream);
    if (error != 0) {
        while (count > 0)
            free(entries[--count]);
        free(entries);
        errno = error;
        return -1;
    }
    if (compare != NULL && count > 1)
        qsort(entries, count, sizeof(*entries), (int (*)(const void *, const void *))compare);
    *list = entries;
    return (int)count;
}

/* Ends the stream and hands back its descriptor, still open. */
int fdclosedir(DIR *stream)
{
    int descriptor = dirfd(stream);
    free(stream);
    return descriptor;
}

/* Nothing runs set-user-id (one user): secure_getenv is getenv, issetugid 0. */
char *secure_getenv(const char *name)
{
    return getenv(name);
}

int issetugid(void)
{
    return 0;
}

/* Only the boot CPU runs (docs/status.md). */
int sched_getcpu(void)
{
    return 0;
}

/* As glibc: fork (the parent exits), a new session, / as the directory unless nochdir, and
 * 0-2 on /dev/null unless noclose. Fails with setsid's error where there are no sessions. */
int daemon(int nochdir, int noclose)
{
    pid_t child = fork();
    if (child < 0)
        return -1;
    if (child > 0)
        _exit(0);
    if (setsid() < 0)
        return -1;
    if (!nochdir && chdir("/") != 0)
        return -1;
    if (!noclose) {
        int null = open("/dev/null", O_RDWR);
        if (null < 0)
            return -1;
        for (int fd = 0; fd <= 2; fd++)
            (void)dup2(null, fd);
        if (null > 2)
            close(null);
    }
    return 0;
}

/* A directory stream's position: the vfs's cookie of the next entry, which is the d_off of the
 * entry readdir returned last (0 before the first). */
long telldir(DIR *stream)
{
    size_t at = 0;
    long cookie = 0;
    while (at < stream->dd_position && at < stream->dd_size) {
        const struct dirent *entry = (const struct dirent *)(stream->dd_buffer + at);
        cookie = (long)entry->d_off;
        at += entry->d_reclen;
    }
    return cookie;
}

/* Moves the stream to a position telldir gave: the next getdents starts there. */
void seekdir(DIR *stream, long position)
{
    if (lseek(stream->dd_fd, position, SEEK_SET) >= 0)
        stream->dd_position = stream->dd_size = 0;
}
