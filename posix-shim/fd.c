/* posix-shim file descriptor table: descriptors -> shared open files -> backends. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/ioctl.h>

#include "fd.h"
#include "shim.h"

/* Invariant: fd_table[d] is NULL or a file with references > 0, counted once per descriptor. */
static struct fd_file *fd_table[FD_MAX];
static bool fd_close_on_exec[FD_MAX];
static struct fd_file fd_files[FD_FILES_MAX];
static int fd_descriptor_limit = FD_MAX;

void fd_limit_set(unsigned long soft)
{
    fd_descriptor_limit = soft < FD_MAX ? (int)soft : FD_MAX;
}

int fd_limit(void)
{
    return fd_descriptor_limit;
}

struct fd_file *fd_file_create(const struct fd_backend *backend, int status_flags)
{
    for (size_t i = 0; i < FD_FILES_MAX; i++) {
        struct fd_file *file = &fd_files[i];
        if (file->references == 0) {
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
    if (--file->references == 0 && file->backend->release != NULL)
        file->backend->release(file);
}

int fd_install(struct fd_file *file, int minimum, int close_on_exec)
{
    if (minimum < 0)
        return -EINVAL;
    for (int descriptor = minimum; descriptor < fd_descriptor_limit; descriptor++) {
        if (fd_table[descriptor] == NULL) {
            fd_table[descriptor] = file;
            fd_close_on_exec[descriptor] = close_on_exec != 0;
            file->references++;
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
    for (int descriptor = 0; descriptor < FD_MAX; descriptor++) {
        if (fd_table[descriptor] != NULL)
            (void)fd_close(descriptor); /* an open descriptor: closing it cannot fail */
    }
}

unsigned long fd_file_number(const struct fd_file *file)
{
    return (unsigned long)(file - fd_files);
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
    if (minimum < 0 || minimum >= fd_descriptor_limit)
        return -EINVAL;
    return fd_install(file, minimum, close_on_exec);
}

long fd_duplicate_to(int descriptor, int target)
{
    struct fd_file *file = fd_lookup(descriptor);
    if (file == NULL || target < 0 || target >= fd_descriptor_limit)
        return -EBADF;
    if (target == descriptor)
        return target;
    /* Take the new reference first: closing target may drop the last one of another file. */
    file->references++;
    if (fd_table[target] != NULL)
        fd_close(target);
    fd_table[target] = file;
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
        if (argument < 0 || argument >= fd_descriptor_limit)
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
    for (int descriptor = 0; descriptor < FD_MAX; descriptor++) {
        if (fd_table[descriptor] != NULL && fd_close_on_exec[descriptor])
            (void)fd_close(descriptor); /* an open descriptor: closing it cannot fail */
    }
}
