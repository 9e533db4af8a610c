/* Helpers for the benchmark groups: error reasons, the scratch directory, child processes, I/O. */
#include "bench.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define SCRATCH_FILE_BYTES 4096

static const char *const scratch_empty_entries[] = {"a", "b", "c"};
static char scratch_dir[256];

const char *bench_fail(const char *what)
{
    static char reason[160];
    int error = errno;
    snprintf(reason, sizeof(reason), "%s: %s (errno %d)", what, strerror(error), error);
    for (char *p = reason; *p != '\0'; p++)
        if (*p == '\n')
            *p = ' ';
    return reason;
}

int bench_is_aramid(void)
{
    struct utsname system;
    return uname(&system) == 0 && strcmp(system.sysname, "Aramid") == 0;
}

static int scratch_make_file(const char *path, size_t bytes)
{
    char block[SCRATCH_FILE_BYTES];
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    memset(block, 'x', sizeof(block));
    int result = bytes > 0 ? bench_write_full(fd, block, bytes) : 0;
    if (close(fd) != 0)
        result = -1;
    return result;
}

const char *bench_scratch_path(const char *entry)
{
    static char paths[2][300];
    char *path = paths[strcmp(entry, "file") == 0 ? 0 : 1];
    snprintf(path, sizeof(paths[0]), "%s/%s", scratch_dir, entry);
    return path;
}

const char *bench_scratch_dir(void)
{
    return scratch_dir;
}

const char *bench_scratch_prepare(void)
{
    static char reason[400];
    if (scratch_dir[0] != '\0')
        return NULL;
    const char *base = getenv("TMPDIR");
    if (base == NULL || base[0] == '\0')
        base = "/tmp";
    char template[sizeof(scratch_dir)];
    snprintf(template, sizeof(template), "%s/bench.XXXXXX", base);
    memcpy(scratch_dir, template, sizeof(scratch_dir));
    if (mkdtemp(scratch_dir) == NULL) {
        int error = errno;
        snprintf(reason, sizeof(reason), "scratch directory: mkdtemp %s: %s (errno %d)", template,
                 strerror(error), error);
        scratch_dir[0] = '\0';
        return reason;
    }
    char entry[300];
    int failed = scratch_make_file(bench_scratch_path("file"), SCRATCH_FILE_BYTES) != 0 ||
                 symlink("file", bench_scratch_path("link")) != 0;
    for (size_t i = 0; !failed && i < sizeof(scratch_empty_entries) / sizeof(char *); i++) {
        snprintf(entry, sizeof(entry), "%s/%s", scratch_dir, scratch_empty_entries[i]);
        failed = scratch_make_file(entry, 0) != 0;
    }
    if (failed) {
        int error = errno;
        snprintf(reason, sizeof(reason), "scratch directory: filling %s: %s (errno %d)",
                 scratch_dir, strerror(error), error);
        bench_scratch_remove();
        return reason;
    }
    return NULL;
}

void bench_scratch_remove(void)
{
    char entry[300];
    if (scratch_dir[0] == '\0')
        return;
    unlink(bench_scratch_path("file"));
    unlink(bench_scratch_path("link"));
    for (size_t i = 0; i < sizeof(scratch_empty_entries) / sizeof(char *); i++) {
        snprintf(entry, sizeof(entry), "%s/%s", scratch_dir, scratch_empty_entries[i]);
        unlink(entry);
    }
    if (rmdir(scratch_dir) != 0)
        fprintf(stderr, "bench: rmdir %s: %s\n", scratch_dir, strerror(errno));
    scratch_dir[0] = '\0';
}

int bench_spawn(int (*body)(void *argument), void *argument)
{
    fflush(NULL);
    int pid = fork();
    if (pid == 0)
        _exit(body(argument));
    return pid;
}

int bench_reap(int pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return status;
}

int bench_read_full(int fd, void *buffer, size_t len)
{
    char *p = buffer;
    while (len > 0) {
        ssize_t got = read(fd, p, len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            if (got == 0)
                errno = EPIPE;
            return -1;
        }
        p += got;
        len -= (size_t)got;
    }
    return 0;
}

int bench_write_full(int fd, const void *buffer, size_t len)
{
    const char *p = buffer;
    while (len > 0) {
        ssize_t put = write(fd, p, len);
        if (put < 0 && errno == EINTR)
            continue;
        if (put < 0)
            return -1;
        p += put;
        len -= (size_t)put;
    }
    return 0;
}
