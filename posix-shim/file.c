/* posix-shim file calls (newlib's system-call layer and unistd/fcntl): the POSIX boundary over
 * fd.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootfs.h"
#include "fd.h"
#include "shim.h"

int open(const char *path, int flags, ...)
{
    long bad = shim_check_string(path);
    if (bad < 0)
        return (int)shim_return(bad);
    return (int)shim_return(bootfs_open(path, flags));
}

int close(int descriptor)
{
    return (int)shim_return(fd_close(descriptor));
}

/* newlib declares read and write returning _READ_WRITE_RETURN_TYPE (int on this target). */
_READ_WRITE_RETURN_TYPE read(int descriptor, void *buffer, size_t length)
{
    if (length > __INT_MAX__)
        length = __INT_MAX__; /* a short read, so the count fits the return type */
    return (_READ_WRITE_RETURN_TYPE)shim_return(fd_read(descriptor, buffer, length));
}

_READ_WRITE_RETURN_TYPE write(int descriptor, const void *buffer, size_t length)
{
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

int stat(const char *path, struct stat *status)
{
    struct stat result;
    long error = shim_check_string(path);
    if (error == 0)
        error = bootfs_stat_path(path, &result);
    if (error == 0)
        error = shim_copy_out(status, &result, sizeof(result));
    return (int)shim_return(error);
}

/* There are no symbolic links yet, so lstat is stat. */
int lstat(const char *path, struct stat *status)
{
    return stat(path, status);
}

int isatty(int descriptor)
{
    long result = fd_is_terminal(descriptor);
    return result < 0 ? (int)shim_return(result) + 1 : 1;
}

int fcntl(int descriptor, int command, ...)
{
    va_list arguments;
    va_start(arguments, command);
    long argument = 0;
    /* Only these commands take an argument; reading one for the others would be undefined. */
    if (command == F_DUPFD || command == F_DUPFD_CLOEXEC || command == F_SETFD ||
        command == F_SETFL)
        argument = va_arg(arguments, int);
    va_end(arguments);
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

int link(const char *existing, const char *new_path)
{
    if (existing == NULL || new_path == NULL)
        return (int)shim_return(-EFAULT);
    long target = bootfs_modify(new_path);
    return (int)shim_return(target == -ENOENT ? -EROFS : -EEXIST);
}

int unlink(const char *path)
{
    return (int)shim_return(path == NULL ? -EFAULT : bootfs_modify(path));
}

int mkdir(const char *path, mode_t mode)
{
    (void)mode;
    if (path == NULL)
        return (int)shim_return(-EFAULT);
    long exists = bootfs_modify(path);
    return (int)shim_return(exists == -ENOENT ? -EROFS : -EEXIST);
}
