/* posix-shim file calls (newlib's system-call layer and unistd/fcntl): the POSIX boundary over
 * fd.c and the vfs client (vfs.c); the boot modules (bootfs.c) where there is no vfs. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootfs.h"
#include "fd.h"
#include "ipc_client.h"
#include "shim.h"
#include "vfs.h"

int openat(int dirfd, const char *path, int flags, ...)
{
    shim_cancel_point();
    mode_t mode = 0;
    if (flags & O_CREAT) {
        va_list arguments;
        va_start(arguments, flags);
        mode = (mode_t)va_arg(arguments, int);
        va_end(arguments);
    }
    long bad = shim_check_string(path);
    if (bad < 0)
        return (int)shim_return(bad);
    if (!vfs_available())
        return (int)shim_return(bootfs_open(path, flags));
    return (int)shim_return(vfs_open_at(dirfd, path, flags, mode));
}

int open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & O_CREAT) {
        va_list arguments;
        va_start(arguments, flags);
        mode = (mode_t)va_arg(arguments, int);
        va_end(arguments);
    }
    return openat(AT_FDCWD, path, flags, mode);
}

int creat(const char *path, mode_t mode)
{
    return openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int close(int descriptor)
{
    shim_cancel_point();
    return (int)shim_return(fd_close(descriptor));
}

/* newlib declares read and write returning _READ_WRITE_RETURN_TYPE (int on this target). */
_READ_WRITE_RETURN_TYPE read(int descriptor, void *buffer, size_t length)
{
    shim_cancel_point();
    if (length > __INT_MAX__)
        length = __INT_MAX__; /* a short read, so the count fits the return type */
    return (_READ_WRITE_RETURN_TYPE)shim_return(fd_read(descriptor, buffer, length));
}

_READ_WRITE_RETURN_TYPE write(int descriptor, const void *buffer, size_t length)
{
    shim_cancel_point();
    if (length > __INT_MAX__)
        length = __INT_MAX__; /* a short write, so the count fits the return type */
    return (_READ_WRITE_RETURN_TYPE)shim_return(fd_write(descriptor, buffer, length));
}

off_t lseek(int descriptor, off_t offset, int whence)
{
    return shim_return(fd_seek(descriptor, offset, whence));
}

int fstat(int descriptor, struct stat *status)
{
    struct stat result;
    long error = fd_stat(descriptor, &result);
    if (error == 0)
        error = shim_copy_out(status, &result, sizeof(result));
    return (int)shim_return(error);
}

int fstatat(int dirfd, const char *path, struct stat *status, int flags)
{
    struct stat result;
    long error = shim_check_string(path);
    if (error < 0)
        return (int)shim_return(error);
    if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0)
        return (int)shim_return(-EINVAL);
    if (!vfs_available())
        error = bootfs_stat_path(path, &result);
    else if (path[0] == '\0' && (flags & AT_EMPTY_PATH) && dirfd != AT_FDCWD)
        error = fd_stat(dirfd, &result);
    else
        error = vfs_stat_at(dirfd, path, flags, &result);
    if (error == 0)
        error = shim_copy_out(status, &result, sizeof(result));
    return (int)shim_return(error);
}

int stat(const char *path, struct stat *status)
{
    return fstatat(AT_FDCWD, path, status, 0);
}

int lstat(const char *path, struct stat *status)
{
    return fstatat(AT_FDCWD, path, status, AT_SYMLINK_NOFOLLOW);
}

int isatty(int descriptor)
{
    long result = fd_is_terminal(descriptor);
    return result < 0 ? (int)shim_return(result) + 1 : 1;
}

/* Linux's l_type values (vfs speaks them) from newlib's and back. */
static long fcntl_lock_type(short type)
{
    return type == F_RDLCK ? 0 : type == F_WRLCK ? 1 : type == F_UNLCK ? 2 : -1;
}

/* F_GETLK, F_SETLK, F_SETLKW through vfs. */
static long fcntl_lock(struct fd_file *file, int command, struct flock *user_lock)
{
    struct flock lock;
    if (shim_copy_in(&lock, user_lock, sizeof(lock)) < 0)
        return -EFAULT;
    if (file->backend != &vfs_backend || file->index != ARAMID_VFS_KIND_FILE)
        return -EINVAL;
    long type = fcntl_lock_type(lock.l_type);
    if (type < 0 || (command == F_GETLK && type == 2))
        return -EINVAL;
    if ((command != F_GETLK) && ((type == 0 && (file->status_flags & O_ACCMODE) == O_WRONLY) ||
                                 (type == 1 && (file->status_flags & O_ACCMODE) == O_RDONLY)))
        return -EBADF;
    struct signal_watch watch;
    signal_watch_start(&watch);
    for (;;) {
        struct aramid_vfs_lock_request request = {
            .ofd = file->handle,
            .command = command == F_GETLK ? VFS_LOCK_GET
                       : command == F_SETLK ? VFS_LOCK_SET
                                            : VFS_LOCK_WAIT,
            .type = type,
            .start = (long)lock.l_start,
            .length = (long)lock.l_len,
            .whence = lock.l_whence,
        };
        struct aramid_vfs_lock_reply reply;
        long result = shim_error_from_sys(aramid_vfs_call_lock(&request, 0, &reply, NULL));
        /* F_SETLKW ended by a signal: EINTR whenever a handler ran (never restarted). */
        if (result == -EINTR && !signal_watch_interrupts(&watch, false))
            continue;
        if (result < 0)
            return result;
        if (command != F_GETLK)
            return 0;
        lock.l_type = reply.type == 0 ? F_RDLCK : reply.type == 1 ? F_WRLCK : F_UNLCK;
        if (reply.type != 2) {
            lock.l_whence = SEEK_SET;
            lock.l_start = (off_t)reply.start;
            lock.l_len = (off_t)reply.length;
            lock.l_pid = getpid(); /* vfs knows the owner's kernel id, not its pid */
        }
        return shim_copy_out(user_lock, &lock, sizeof(lock));
    }
}

int fcntl(int descriptor, int command, ...)
{
    va_list arguments;
    va_start(arguments, command);
    long argument = 0;
    void *pointer = NULL;
    /* Only these commands take an argument; reading one for the others would be undefined. */
    if (command == F_DUPFD || command == F_DUPFD_CLOEXEC || command == F_SETFD ||
        command == F_SETFL || command == F_SETPIPE_SZ)
        argument = va_arg(arguments, int);
    else if (command == F_GETLK || command == F_SETLK || command == F_SETLKW)
        pointer = va_arg(arguments, void *);
    va_end(arguments);
    struct fd_file *file = fd_lookup(descriptor);
    if (file == NULL)
        return (int)shim_return(-EBADF);
    switch (command) {
    case F_GETLK:
    case F_SETLK:
    case F_SETLKW:
        return (int)shim_return(fcntl_lock(file, command, pointer));
    case F_GETPIPE_SZ:
    case F_SETPIPE_SZ:
        if (file->backend != &vfs_backend || file->index != ARAMID_VFS_KIND_PIPE)
            return (int)shim_return(-EBADF);
        return (int)shim_return(command == F_SETPIPE_SZ && argument > PIPE_CAPACITY_BYTES
                                    ? -EPERM
                                    : PIPE_CAPACITY_BYTES);
    case F_SETFL:
        if (file->backend == &vfs_backend) {
            if (argument & O_APPEND)
                vfs_offset_publish(file); /* vfs chooses where appends go */
            struct aramid_vfs_setfl_request request = {
                .ofd = file->handle, .status = vfs_flags_to_linux((int)argument)};
            struct aramid_vfs_setfl_reply reply;
            long result = shim_error_from_sys(aramid_vfs_call_setfl(&request, 0, &reply, NULL));
            if (result < 0)
                return (int)shim_return(result);
        }
        break;
    default:
        break;
    }
    return (int)shim_return(fd_control(descriptor, command, argument));
}

int dup(int descriptor)
{
    return (int)shim_return(fd_duplicate(descriptor, 0, 0));
}

int dup2(int descriptor, int target)
{
    return (int)shim_return(fd_duplicate_to(descriptor, target));
}

int dup3(int descriptor, int target, int flags)
{
    if ((flags & ~O_CLOEXEC) != 0 || descriptor == target)
        return (int)shim_return(fd_lookup(descriptor) == NULL ? -EBADF : -EINVAL);
    long result = fd_duplicate_to(descriptor, target);
    if (result >= 0 && (flags & O_CLOEXEC))
        (void)fd_control((int)result, F_SETFD, FD_CLOEXEC);
    return (int)shim_return(result);
}

/* A descriptor for pipe end ofd (kind pipe), or -errno (then ofd is closed). */
static long pipe_install(long ofd, int status_flags, int close_on_exec)
{
    struct fd_file *file = fd_file_create(&vfs_backend, status_flags);
    if (file == NULL) {
        struct aramid_vfs_close_request request = {.ofd = ofd};
        struct aramid_vfs_close_reply reply;
        (void)aramid_vfs_call_close(&request, 0, &reply, NULL);
        return -ENFILE;
    }
    file->handle = ofd;
    file->index = ARAMID_VFS_KIND_PIPE;
    int descriptor = fd_install(file, 0, close_on_exec);
    fd_file_put(file);
    return descriptor;
}

int pipe2(int fds[2], int flags)
{
    if ((flags & ~(O_NONBLOCK | O_CLOEXEC)) != 0)
        return (int)shim_return(-EINVAL);
    size_t size;
    long error = 0;
    if (vfs_buffer(&size, &error) == NULL)
        return (int)shim_return(error);
    struct aramid_vfs_pipe_request request = {.flags = vfs_flags_to_linux(flags)};
    struct aramid_vfs_pipe_reply reply;
    long result = shim_error_from_sys(aramid_vfs_call_pipe(&request, 0, &reply, NULL));
    if (result < 0)
        return (int)shim_return(result);
    int nonblock = flags & O_NONBLOCK, cloexec = (flags & O_CLOEXEC) != 0;
    long read_end = pipe_install(result, O_RDONLY | nonblock, cloexec);
    long write_end = pipe_install(reply.write, O_WRONLY | nonblock, cloexec);
    if (read_end < 0 || write_end < 0) {
        if (read_end >= 0)
            (void)fd_close((int)read_end);
        if (write_end >= 0)
            (void)fd_close((int)write_end);
        return (int)shim_return(-EMFILE);
    }
    int pair[2] = {(int)read_end, (int)write_end};
    if (shim_copy_out(fds, pair, sizeof(pair)) < 0) {
        (void)fd_close(pair[0]);
        (void)fd_close(pair[1]);
        return (int)shim_return(-EFAULT);
    }
    return 0;
}

int pipe(int fds[2])
{
    return pipe2(fds, 0);
}

int ftruncate(int descriptor, off_t length)
{
    struct fd_file *file = fd_lookup(descriptor);
    if (file == NULL)
        return (int)shim_return(-EBADF);
    if (file->backend == &shm_backend)
        return (int)shim_return(shm_truncate(file, length));
    if (file->backend != &vfs_backend)
        return (int)shim_return(-EINVAL);
    struct aramid_vfs_ftruncate_request request = {.ofd = file->handle, .length = (long)length};
    struct aramid_vfs_ftruncate_reply reply;
    return (int)shim_return(
        shim_error_from_sys(aramid_vfs_call_ftruncate(&request, 0, &reply, NULL)));
}

/* tmpfs has nothing to write back: syncing an open descriptor succeeds. */
int fsync(int descriptor)
{
    shim_cancel_point();
    return (int)shim_return(fd_lookup(descriptor) == NULL ? -EBADF : 0);
}

int fdatasync(int descriptor)
{
    return fsync(descriptor);
}
