/* File-descriptor and path system calls on /dev/null, /dev/zero and the scratch directory. */
#include "bench.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define IO_BYTES 64
#define READ_ZERO_BYTES 4096

/* The descriptor a case works on, and a buffer for its transfers. */
struct file_state {
    int fd;
    char buffer[READ_ZERO_BYTES];
};

static struct file_state file_state = {.fd = -1};

static const char *file_open(void **state, const char *path, int flags)
{
    file_state.fd = open(path, flags);
    if (file_state.fd < 0)
        return bench_fail(path);
    *state = &file_state;
    return NULL;
}

static void file_close(void *state)
{
    struct file_state *file = state;
    close(file->fd);
    file->fd = -1;
}

static const char *setup_dev_null_read(void **state)
{
    return file_open(state, "/dev/null", O_RDONLY);
}

static const char *setup_dev_null_write(void **state)
{
    return file_open(state, "/dev/null", O_WRONLY);
}

static const char *setup_dev_zero(void **state)
{
    return file_open(state, "/dev/zero", O_RDONLY);
}

/* For the path cases: the scratch directory must exist; no descriptor is kept. */
static const char *setup_scratch(void **state)
{
    (void)state;
    return bench_scratch_prepare();
}

static const char *setup_scratch_file(void **state)
{
    const char *reason = bench_scratch_prepare();
    return reason != NULL ? reason : file_open(state, bench_scratch_path("file"), O_RDONLY);
}

static const char *setup_scratch_dir(void **state)
{
    const char *reason = bench_scratch_prepare();
    return reason != NULL ? reason : file_open(state, bench_scratch_dir(), O_RDONLY | O_DIRECTORY);
}

/* read of 1 byte from /dev/null (end of file at once). */
static const char *step_read_null(void *state)
{
    struct file_state *file = state;
    if (read(file->fd, file->buffer, 1) != 0)
        return bench_fail("read /dev/null");
    return NULL;
}

static const char *step_write_null(void *state)
{
    struct file_state *file = state;
    if (write(file->fd, file->buffer, IO_BYTES) != IO_BYTES)
        return bench_fail("write /dev/null");
    return NULL;
}

static const char *step_pread(void *state)
{
    struct file_state *file = state;
    if (pread(file->fd, file->buffer, IO_BYTES, 0) != IO_BYTES)
        return bench_fail("pread");
    return NULL;
}

/* writev of four 16-byte pieces to /dev/null. */
static const char *step_writev(void *state)
{
    struct file_state *file = state;
    struct iovec pieces[4];
    for (int i = 0; i < 4; i++) {
        pieces[i].iov_base = file->buffer + i * (IO_BYTES / 4);
        pieces[i].iov_len = IO_BYTES / 4;
    }
    if (writev(file->fd, pieces, 4) != IO_BYTES)
        return bench_fail("writev /dev/null");
    return NULL;
}

static const char *step_read_zero(void *state)
{
    struct file_state *file = state;
    if (read(file->fd, file->buffer, READ_ZERO_BYTES) != READ_ZERO_BYTES)
        return bench_fail("read /dev/zero");
    return NULL;
}

static const char *step_open_close(void *state)
{
    (void)state;
    int fd = open(bench_scratch_path("file"), O_RDONLY);
    if (fd < 0)
        return bench_fail("open");
    if (close(fd) != 0)
        return bench_fail("close");
    return NULL;
}

static const char *step_stat(void *state)
{
    struct stat info;
    (void)state;
    if (stat(bench_scratch_path("file"), &info) != 0)
        return bench_fail("stat");
    return NULL;
}

static const char *step_fstat(void *state)
{
    struct file_state *file = state;
    struct stat info;
    if (fstat(file->fd, &info) != 0)
        return bench_fail("fstat");
    return NULL;
}

static const char *step_access(void *state)
{
    (void)state;
    if (access(bench_scratch_path("file"), R_OK) != 0)
        return bench_fail("access");
    return NULL;
}

static const char *step_readlink(void *state)
{
    char target[64];
    (void)state;
    if (readlink(bench_scratch_path("link"), target, sizeof(target)) != 4)
        return bench_fail("readlink");
    return NULL;
}

static const char *step_getcwd(void *state)
{
    char path[PATH_MAX];
    (void)state;
    if (getcwd(path, sizeof(path)) == NULL)
        return bench_fail("getcwd");
    return NULL;
}

/* Rewind the scratch directory and read all of it (6 entries with . and ..) in one call. */
static const char *step_getdents64(void *state)
{
    struct file_state *file = state;
    if (lseek(file->fd, 0, SEEK_SET) != 0)
        return bench_fail("lseek directory");
    if (getdents64(file->fd, file->buffer, sizeof(file->buffer)) <= 0)
        return bench_fail("getdents64");
    return NULL;
}

static const char *step_dup_close(void *state)
{
    struct file_state *file = state;
    int copy = dup(file->fd);
    if (copy < 0)
        return bench_fail("dup");
    if (close(copy) != 0)
        return bench_fail("close");
    return NULL;
}

static const char *step_lseek(void *state)
{
    struct file_state *file = state;
    if (lseek(file->fd, 0, SEEK_SET) != 0)
        return bench_fail("lseek");
    return NULL;
}

static const char *step_fcntl_getfl(void *state)
{
    struct file_state *file = state;
    if (fcntl(file->fd, F_GETFL) < 0)
        return bench_fail("fcntl F_GETFL");
    return NULL;
}

#define FILE_CASE(case_name, quick, full, setup_function, step_function)                           \
    {                                                                                              \
        .name = case_name, .quick_iterations = quick, .full_iterations = full,                     \
        .setup = setup_function, .step = step_function, .teardown = file_close                     \
    }

static const struct bench_case cases[] = {
    FILE_CASE("read_null", 50000, 1000000, setup_dev_null_read, step_read_null),
    FILE_CASE("write_null", 50000, 1000000, setup_dev_null_write, step_write_null),
    FILE_CASE("pread", 25000, 500000, setup_scratch_file, step_pread),
    FILE_CASE("writev", 25000, 500000, setup_dev_null_write, step_writev),
    FILE_CASE("read_zero", 10000, 200000, setup_dev_zero, step_read_zero),
    FILE_CASE("open_close", 2500, 50000, setup_scratch, step_open_close),
    FILE_CASE("stat", 5000, 100000, setup_scratch, step_stat),
    FILE_CASE("fstat", 5000, 100000, setup_scratch_file, step_fstat),
    FILE_CASE("access", 5000, 100000, setup_scratch, step_access),
    FILE_CASE("readlink", 5000, 100000, setup_scratch, step_readlink),
    FILE_CASE("getcwd", 5000, 100000, NULL, step_getcwd),
    FILE_CASE("getdents64", 10000, 200000, setup_scratch_dir, step_getdents64),
    FILE_CASE("dup_close", 50000, 1000000, setup_scratch_file, step_dup_close),
    FILE_CASE("lseek", 100000, 2000000, setup_scratch_file, step_lseek),
    FILE_CASE("fcntl_getfl", 100000, 2000000, setup_scratch_file, step_fcntl_getfl),
};

const struct bench_group bench_file_group = {cases, sizeof(cases) / sizeof(cases[0])};
