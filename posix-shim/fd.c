/* posix-shim file descriptor table: descriptors -> shared open files -> backends. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "fd.h"
#include "shim.h"

/* Invariant: fd_table[d] is NULL or a file with references > 0, counted once per descriptor. */
static struct fd_file *fd_table[FD_MAX];
static bool fd_close_on_exec[FD_MAX];
/* Open files in chunks of FD_FILES_CHUNK: the first static, the others allocated when the
 * first FD_FILES_CHUNK are in use (a process rarely needs them: no memory, nothing for fork to
 * copy). */
#define FD_FILES_CHUNK 1024
static struct fd_file fd_files_first[FD_FILES_CHUNK];
static struct fd_file *fd_files[FD_FILES_MAX / FD_FILES_CHUNK] = {fd_files_first};

/* fd_files_hint: where the search for a free file starts (files below it were in use when it
 * moved there; a release moves it down). fd_high: fd_table_end(). */
static size_t fd_files_hint;
static int fd_high;

int fd_table_end(void)
{
    return fd_high;
}

struct fd_file *fd_file_create(const struct fd_backend *backend, int status_flags)
{
    for (size_t n = 0; n < FD_FILES_MAX; n++) {
        size_t i = (fd_files_hint + n) % FD_FILES_MAX;
        struct fd_file **chunk = &fd_files[i / FD_FILES_CHUNK];
        if (*chunk == NULL && (*chunk = calloc(FD_FILES_CHUNK, sizeof(**chunk))) == NULL)
            return NULL;
        struct fd_file *file = &(*chunk)[i % FD_FILES_CHUNK];
        if (file->references == 0) {
            fd_files_hint = i + 1;
            memset(file, 0, sizeof(*file));
            file->backend = backend;
            file->references = 1;
            file->status_flags = status_flags;
            return file;
        }
    }
    return NULL;
}

void fd_file_put(struct fd_file *file)
{
    if (--file->references != 0)
        return;
    if (fd_file_number(file) < fd_files_hint)
        fd_files_hint = fd_file_number(file);
    if (file->backend->release != NULL)
        file->backend->release(file);
}

int fd_install(struct fd_file *file, int minimum, int close_on_exec)
{
    if (minimum < 0)
        return -EINVAL;
    for (int descriptor = minimum; descriptor < FD_MAX; descriptor++) {
        if (fd_table[descriptor] == NULL) {
            fd_table[descriptor] = file;
            fd_close_on_exec[descriptor] = close_on_exec != 0;
            file->references++;
            if (descriptor >= fd_high)
                fd_high = descriptor + 1;
            return descriptor;
        }
    }
    return -EMFILE;
}

void fd_table_init(void)
{
    /* 0 and 1 share the open console of stdout; 2 is another open console, the stderr stream
     * (index), as with `program 2>file` on Linux: a dup2(2, 1) sends stdout to stderr. */
    struct fd_file *console = fd_file_create(&console_backend, O_RDWR);
    struct fd_file *errors = fd_file_create(&console_backend, O_RDWR);
    console->index = SHIM_CONSOLE_STDOUT;
    errors->index = SHIM_CONSOLE_STDERR;
    fd_install(console, 0, 0);
    fd_install(console, 1, 0);
    fd_install(errors, 2, 0);
    fd_file_put(console);
    fd_file_put(errors);
}

void fd_table_clear(void)
{
    for (int descriptor = 0; descriptor < fd_high; descriptor++) {
        if (fd_table[descriptor] != NULL)
            (void)fd_close(descriptor); /* an open descriptor: closing it cannot fail */
    }
}

unsigned long fd_file_number(const struct fd_file *file)
{
    for (size_t chunk = 0;; chunk++)
        if (fd_files[chunk] != NULL && file >= fd_files[chunk] &&
            file < fd_files[chunk] + FD_FILES_CHUNK)
            return chunk * FD_FILES_CHUNK + (unsigned long)(file - fd_files[chunk]);
}

struct fd_file *fd_lookup(int descriptor)
{
    if (descriptor < 0 || descriptor >= FD_MAX)
        return NULL;
    return fd_table[descriptor];
}

long fd_read(int descriptor, void *buffer, size_t length)
{
    struct fd_file *file = fd_lookup(descriptor);
    if (file == NULL || (file->status_flags & O_ACCMODE) == O_WRONLY)
        return -EBADF;
    if (file->backend->read == NULL)
        return -EINVAL;
    return file->backend->read(file, buffer, length);
}

long fd_write(int descriptor, const void *buffer, size_t length)
{
    struct fd_file *file = fd_lookup(descriptor);
    if (file == NULL || (file->status_flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    if (file->backend->write == NULL)
        return -EINVAL;
    return file->backend->write(file, buffer, length);
}

/* A positioned transfer through the backend's own operation, or around file->offset. */
static long fd_transfer_at(int descriptor, void *buffer, size_t length, off_t offset, bool write)
{
    struct fd_file *file = fd_lookup(descriptor);
    int denied = write ? O_RDONLY : O_WRONLY;
    if (file == NULL || (file->status_flags & O_ACCMODE) == denied)
        return -EBADF;
    if (file->backend->seek == NULL && file->backend->read_at == NULL)
        return -ESPIPE;
    if (offset < 0)
        return -EINVAL;
    if (write && file->backend->write_at != NULL)
        return file->backend->write_at(file, buffer, length, offset);
    if (!write && file->backend->read_at != NULL)
        return file->backend->read_at(file, buffer, length, offset);
    off_t saved = file->offset;
    file->offset = offset;
    long result = write ? fd_write(descriptor, buffer, length) : fd_read(descriptor, buffer, length);
    file->offset = saved;
    return result;
}

long fd_read_at(int descriptor, void *buffer, size_t length, off_t offset)
{
    return fd_transfer_at(descriptor, buffer, length, offset, false);
}

long fd_write_at(int descriptor, const void *buffer, size_t length, off_t offset)
{
    return fd_transfer_at(descriptor, (void *)buffer, length, offset, true);
}

long fd_seek(int descriptor, off_t offset, int whence)
{
    struct fd_file *file = fd_lookup(descriptor);
    if (file == NULL)
        return -EBADF;
    if (file->backend->seek == NULL)
        return -ESPIPE;
    return file->backend->seek(file, offset, whence);
}

long fd_stat(int descriptor, struct stat *status)
{
    struct fd_file *file = fd_lookup(descriptor);
    if (file == NULL)
        return -EBADF;
    memset(status, 0, sizeof(*status));
    return file->backend->stat(file, status);
}

long fd_is_terminal(int descriptor)
{
    struct fd_file *file = fd_lookup(descriptor);
    if (file == NULL)
        return -EBADF;
    if (file->backend->is_terminal == NULL || !file->backend->is_terminal(file))
        return -ENOTTY;
    return 1;
}

long fd_close(int descriptor)
{
    struct fd_file *file = fd_lookup(descriptor);
    if (file == NULL)
        return -EBADF;
    fd_table[descriptor] = NULL;
    fd_file_put(file);
    return 0;
}

long fd_duplicate(int descriptor, int minimum, int close_on_exec)
{
    struct fd_file *file = fd_lookup(descriptor);
    if (file == NULL)
        return -EBADF;
    if (minimum < 0 || minimum >= FD_MAX)
        return -EINVAL;
    return fd_install(file, minimum, close_on_exec);
}

long fd_duplicate_to(int descriptor, int target)
{
    struct fd_file *file = fd_lookup(descriptor);
    if (file == NULL || target < 0 || target >= FD_MAX)
        return -EBADF;
    if (target == descriptor)
        return target;
    /* Take the new reference first: closing target may drop the last one of another file. */
    file->references++;
    if (fd_table[target] != NULL)
        fd_close(target);
    fd_table[target] = file;
    if (target >= fd_high)
        fd_high = target + 1;
    fd_close_on_exec[target] = false;
    return target;
}

/* Status flags F_SETFL may change; the access mode never changes. */
#define FD_SETTABLE_FLAGS (O_APPEND | O_NONBLOCK)

long fd_control(int descriptor, int command, long argument)
{
    struct fd_file *file = fd_lookup(descriptor);
    if (file == NULL)
        return -EBADF;
    switch (command) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
        if (argument < 0 || argument >= FD_MAX)
            return -EINVAL;
        return fd_install(file, (int)argument, command == F_DUPFD_CLOEXEC);
    case F_GETFD:
        return fd_close_on_exec[descriptor] ? FD_CLOEXEC : 0;
    case F_SETFD:
        fd_close_on_exec[descriptor] = (argument & FD_CLOEXEC) != 0;
        return 0;
    case F_GETFL:
        return file->status_flags;
    case F_SETFL:
        file->status_flags =
            (file->status_flags & ~FD_SETTABLE_FLAGS) | ((int)argument & FD_SETTABLE_FLAGS);
        return 0;
    default:
        return -EINVAL;
    }
}

long fd_ioctl(int descriptor, unsigned long request, void *argument)
{
    struct fd_file *file = fd_lookup(descriptor);
    int value;
    if (file == NULL)
        return -EBADF;
    switch (request) {
    case FIOCLEX:
    case FIONCLEX:
        fd_close_on_exec[descriptor] = request == FIOCLEX;
        return 0;
    case FIONBIO:
        if (shim_copy_in(&value, argument, sizeof(value)) != 0)
            return -EFAULT;
        file->status_flags = value ? file->status_flags | O_NONBLOCK
                                   : file->status_flags & ~O_NONBLOCK;
        return 0;
    default:
        return file->backend->ioctl ? file->backend->ioctl(file, request, argument) : -ENOTTY;
    }
}

void fd_close_exec(void)
{
    for (int descriptor = 0; descriptor < fd_high; descriptor++) {
        if (fd_table[descriptor] != NULL && fd_close_on_exec[descriptor])
            (void)fd_close(descriptor); /* an open descriptor: closing it cannot fail */
    }
}
