/* posix-shim calls on names over the vfs: access, links, directories, rename, the working
 * directory, realpath, modes and times. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "bootfs.h"
#include "fd.h"
#include "shim.h"
#include "vfs.h"

/* The directory ofd and path bytes (in the IPC buffer) of a one-path *at call. */
static long path_prepare(int dirfd, const char *path, long *dir)
{
    if (path == NULL)
        return -EFAULT;
    if (!vfs_available())
        return -ENOSYS;
    size_t size;
    long error = 0;
    if (vfs_buffer(&size, &error) == NULL)
        return error;
    long result = vfs_dir_of(dirfd, dir);
    long bytes = result < 0 ? result : vfs_put_path(path, 0);
    if (bytes == 0)
        return -ENOENT;
    return bytes;
}

/* Two paths, "first\0second", for rename, link and symlink: -> total bytes; *second = where
 * the second starts. */
static long path_prepare_two(const char *first, const char *second_path, size_t *second)
{
    if (first == NULL || second_path == NULL)
        return -EFAULT;
    if (!vfs_available())
        return -ENOSYS;
    size_t size;
    long error = 0;
    if (vfs_buffer(&size, &error) == NULL)
        return error;
    long first_end = vfs_put_path(first, 0);
    if (first_end < 0)
        return first_end;
    if (first_end + 1 > ARAMID_IPC_BUFFER_SIZE)
        return -ENAMETOOLONG;
    ((char *)sys_ipc_buffer())[first_end] = '\0';
    *second = (size_t)first_end + 1;
    long end = vfs_put_path(second_path, *second);
    if (end < 0)
        return end;
    if (first_end == 0 || (size_t)end == *second)
        return -ENOENT;
    return end;
}

/* path_prepare_two for a link or a rename, and the directories of its two paths (old_dirfd's,
 * new_dirfd's). -> the bytes to send, or -errno. */
static long path_prepare_pair(int old_dirfd, const char *old_path, int new_dirfd,
                              const char *new_path, size_t *second, long *old_dir, long *new_dir)
{
    long bytes = path_prepare_two(old_path, new_path, second);
    *old_dir = VFS_AT_ROOT;
    *new_dir = VFS_AT_ROOT;
    long result = bytes < 0 ? bytes : vfs_dir_of(old_dirfd, old_dir);
    if (result == 0)
        result = vfs_dir_of(new_dirfd, new_dir);
    return result < 0 ? result : bytes;
}

int faccessat(int dirfd, const char *path, int mode, int flags)
{
    if ((mode & ~(R_OK | W_OK | X_OK)) != 0 || (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW)))
        return (int)shim_return(-EINVAL);
    if (path != NULL && !vfs_available()) {
        struct stat status;
        long found = bootfs_stat_path(path, &status);
        if (found == 0 && (mode & X_OK) && !(status.st_mode & 0111))
            found = -EACCES;
        return (int)shim_return(found == 0 && (mode & W_OK) ? -EROFS : found);
    }
    long dir = VFS_AT_ROOT;
    long bytes = path_prepare(dirfd, path, &dir);
    if (bytes < 0)
        return (int)shim_return(bytes);
    /* Linux's R_OK 4, W_OK 2, X_OK 1 are newlib's values too. */
    struct aramid_vfs_access_request request = {
        .dir = dir,
        .mode = mode,
        .flags = (flags & AT_SYMLINK_NOFOLLOW) ? VFS_AT_SYMLINK_NOFOLLOW : 0};
    struct aramid_vfs_access_reply reply;
    return (int)shim_return(
        shim_error_from_sys(aramid_vfs_call_access(&request, (size_t)bytes, &reply, NULL)));
}

int access(const char *path, int mode)
{
    return faccessat(AT_FDCWD, path, mode, 0);
}

ssize_t readlinkat(int dirfd, const char *path, char *buffer, size_t size)
{
    long dir = VFS_AT_ROOT;
    long bytes = path_prepare(dirfd, path, &dir);
    if (bytes < 0)
        return shim_return(bytes);
    if (size == 0)
        return shim_return(-EINVAL);
    struct aramid_vfs_readlink_request request = {.dir = dir};
    struct aramid_vfs_readlink_reply reply;
    size_t reply_bytes = 0;
    long result = shim_error_from_sys(
        aramid_vfs_call_readlink(&request, (size_t)bytes, &reply, &reply_bytes));
    if (result < 0)
        return shim_return(result);
    size_t length = reply_bytes < size ? reply_bytes : size;
    if (shim_copy_out(buffer, (const void *)sys_ipc_buffer(), length) < 0)
        return shim_return(-EFAULT);
    return (ssize_t)length;
}

ssize_t readlink(const char *path, char *buffer, size_t size)
{
    return readlinkat(AT_FDCWD, path, buffer, size);
}

int symlinkat(const char *target, int dirfd, const char *path)
{
    size_t second;
    long bytes = path_prepare_two(target, path, &second);
    long dir = VFS_AT_ROOT;
    long result = bytes < 0 ? bytes : vfs_dir_of(dirfd, &dir);
    if (result < 0)
        return (int)shim_return(result);
    struct aramid_vfs_symlink_request request = {.dir = dir, .second = (long)second};
    struct aramid_vfs_symlink_reply reply;
    return (int)shim_return(
        shim_error_from_sys(aramid_vfs_call_symlink(&request, (size_t)bytes, &reply, NULL)));
}

int symlink(const char *target, const char *path)
{
    return symlinkat(target, AT_FDCWD, path);
}

int linkat(int old_dirfd, const char *existing, int new_dirfd, const char *new_path, int flags)
{
    if (flags & ~AT_SYMLINK_FOLLOW)
        return (int)shim_return(-EINVAL);
    size_t second;
    long old_dir, new_dir;
    long bytes =
        path_prepare_pair(old_dirfd, existing, new_dirfd, new_path, &second, &old_dir, &new_dir);
    if (bytes < 0)
        return (int)shim_return(bytes);
    struct aramid_vfs_link_request request = {
        .old_dir = old_dir,
        .new_dir = new_dir,
        .second = (long)second,
        .flags = (flags & AT_SYMLINK_FOLLOW) ? VFS_AT_SYMLINK_FOLLOW : 0};
    struct aramid_vfs_link_reply reply;
    return (int)shim_return(
        shim_error_from_sys(aramid_vfs_call_link(&request, (size_t)bytes, &reply, NULL)));
}

int link(const char *existing, const char *new_path)
{
    return linkat(AT_FDCWD, existing, AT_FDCWD, new_path, 0);
}

int renameat(int old_dirfd, const char *old_path, int new_dirfd, const char *new_path)
{
    size_t second;
    long old_dir, new_dir;
    long bytes =
        path_prepare_pair(old_dirfd, old_path, new_dirfd, new_path, &second, &old_dir, &new_dir);
    if (bytes < 0)
        return (int)shim_return(bytes);
    struct aramid_vfs_rename_request request = {
        .old_dir = old_dir, .new_dir = new_dir, .second = (long)second};
    struct aramid_vfs_rename_reply reply;
    return (int)shim_return(
        shim_error_from_sys(aramid_vfs_call_rename(&request, (size_t)bytes, &reply, NULL)));
}

int rename(const char *old_path, const char *new_path)
{
    return renameat(AT_FDCWD, old_path, AT_FDCWD, new_path);
}

int unlinkat(int dirfd, const char *path, int flags)
{
    if (flags & ~AT_REMOVEDIR)
        return (int)shim_return(-EINVAL);
    long dir = VFS_AT_ROOT;
    long bytes = path_prepare(dirfd, path, &dir);
    if (bytes < 0)
        return (int)shim_return(bytes);
    struct aramid_vfs_unlink_request request = {
        .dir = dir, .flags = (flags & AT_REMOVEDIR) ? VFS_AT_REMOVEDIR : 0};
    struct aramid_vfs_unlink_reply reply;
    return (int)shim_return(
        shim_error_from_sys(aramid_vfs_call_unlink(&request, (size_t)bytes, &reply, NULL)));
}

int unlink(const char *path)
{
    return unlinkat(AT_FDCWD, path, 0);
}

int rmdir(const char *path)
{
    return unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
    long dir = VFS_AT_ROOT;
    long bytes = path_prepare(dirfd, path, &dir);
    if (bytes < 0)
        return (int)shim_return(bytes);
    struct aramid_vfs_mkdir_request request = {.dir = dir, .mode = (long)(mode & ~umask_current() & 07777)};
    struct aramid_vfs_mkdir_reply reply;
    return (int)shim_return(
        shim_error_from_sys(aramid_vfs_call_mkdir(&request, (size_t)bytes, &reply, NULL)));
}

int mkdir(const char *path, mode_t mode)
{
    return mkdirat(AT_FDCWD, path, mode);
}

/* Only FIFOs and regular files: devices are vfs's own (EPERM, as for an unprivileged user). */
int mknodat(int dirfd, const char *path, mode_t mode, dev_t device)
{
    (void)device;
    long dir = VFS_AT_ROOT;
    long bytes = path_prepare(dirfd, path, &dir);
    if (bytes < 0)
        return (int)shim_return(bytes);
    struct aramid_vfs_mknod_request request = {
        .dir = dir, .mode = (long)((mode & S_IFMT) | (mode & ~umask_current() & 07777))};
    struct aramid_vfs_mknod_reply reply;
    return (int)shim_return(
        shim_error_from_sys(aramid_vfs_call_mknod(&request, (size_t)bytes, &reply, NULL)));
}

int mknod(const char *path, mode_t mode, dev_t device)
{
    return mknodat(AT_FDCWD, path, mode, device);
}

/* A FIFO: mknodat's, whatever type bits mode has. */
int mkfifoat(int dirfd, const char *path, mode_t mode)
{
    return mknodat(dirfd, path, S_IFIFO | (mode & 07777), 0);
}

int mkfifo(const char *path, mode_t mode)
{
    return mkfifoat(AT_FDCWD, path, mode);
}

/* chdir from dirfd to path ("." for fchdir). */
static long path_chdir(int dirfd, const char *path)
{
    long dir = VFS_AT_ROOT;
    long bytes = path_prepare(dirfd, path, &dir);
    if (bytes < 0)
        return bytes;
    struct aramid_vfs_chdir_request request = {.dir = dir};
    struct aramid_vfs_chdir_reply reply;
    long ofd = shim_error_from_sys(aramid_vfs_call_chdir(&request, (size_t)bytes, &reply, NULL));
    return ofd < 0 ? ofd : vfs_cwd_set(ofd);
}

int chdir(const char *path)
{
    return (int)shim_return(path_chdir(AT_FDCWD, path));
}

int fchdir(int descriptor)
{
    struct fd_file *file = fd_lookup(descriptor);
    if (file == NULL)
        return (int)shim_return(-EBADF);
    return (int)shim_return(path_chdir(descriptor, "."));
}

/* The working directory, from the path posix-shim keeps (asked from vfs at each chdir). */
char *getcwd(char *buffer, size_t size)
{
    char cwd[PATH_MAX];
    size_t length = vfs_cwd_path(cwd) + 1;
    if (buffer == NULL && size == 0)
        size = length; /* glibc's extension: allocate what is needed */
    if (size == 0) {
        shim_return(-EINVAL);
        return NULL;
    }
    if (size < length) {
        shim_return(-ERANGE);
        return NULL;
    }
    if (buffer == NULL) {
        buffer = malloc(size);
        if (buffer == NULL)
            return NULL; /* errno ENOMEM from malloc */
    }
    if (shim_copy_out(buffer, cwd, length) < 0) {
        shim_return(-EFAULT);
        return NULL;
    }
    return buffer;
}

/*
 * realpath: every symlink resolved, "." and ".." gone. Built a component at a time from the
 * working directory; links are read with readlink and spliced in (at most 40, then ELOOP).
 */
char *realpath(const char *path, char *resolved)
{
    char work[PATH_MAX], out[PATH_MAX], link[PATH_MAX];
    if (path == NULL) {
        shim_return(-EINVAL);
        return NULL;
    }
    size_t length = strnlen(path, PATH_MAX);
    if (length >= PATH_MAX) {
        shim_return(-ENAMETOOLONG);
        return NULL;
    }
    if (length == 0) {
        shim_return(-ENOENT);
        return NULL;
    }
    memcpy(work, path, length + 1);
    size_t out_length = 0;
    if (work[0] != '/') {
        out_length = vfs_cwd_path(out);
        if (out_length == 1)
            out_length = 0; /* "/": components are appended after it */
    }
    out[out_length] = '\0';
    int links = 0;
    char *rest = work;
    while (*rest != '\0') {
        while (*rest == '/')
            rest++;
        if (*rest == '\0')
            break;
        char *end = rest;
        while (*end != '\0' && *end != '/')
            end++;
        size_t name = (size_t)(end - rest);
        if (name == 1 && rest[0] == '.') {
            rest = end;
            continue;
        }
        if (name == 2 && rest[0] == '.' && rest[1] == '.') {
            while (out_length > 0 && out[out_length - 1] != '/')
                out_length--;
            if (out_length > 0)
                out_length--;
            out[out_length] = '\0';
            rest = end;
            continue;
        }
        if (out_length + 1 + name >= PATH_MAX) {
            shim_return(-ENAMETOOLONG);
            return NULL;
        }
        out[out_length] = '/';
        memcpy(out + out_length + 1, rest, name);
        size_t before = out_length;
        out_length += 1 + name;
        out[out_length] = '\0';
        struct stat status;
        if (lstat(out, &status) != 0)
            return NULL;
        if (S_ISLNK(status.st_mode)) {
            if (++links > 40) {
                shim_return(-ELOOP);
                return NULL;
            }
            ssize_t target = readlink(out, link, sizeof(link) - 1);
            if (target < 0)
                return NULL;
            size_t tail = strlen(end);
            if ((size_t)target + tail >= PATH_MAX) {
                shim_return(-ENAMETOOLONG);
                return NULL;
            }
            memmove(work + target, end, tail + 1);
            memcpy(work, link, (size_t)target);
            rest = work;
            out_length = link[0] == '/' ? 0 : before;
            out[out_length] = '\0';
            continue;
        }
        if (*end == '/' && !S_ISDIR(status.st_mode)) {
            shim_return(-ENOTDIR);
            return NULL;
        }
        rest = end;
    }
    if (out_length == 0) {
        out[0] = '/';
        out[1] = '\0';
        out_length = 1;
    }
    if (resolved == NULL) {
        resolved = malloc(out_length + 1);
        if (resolved == NULL)
            return NULL;
    }
    memcpy(resolved, out, out_length + 1);
    return resolved;
}

int truncate(const char *path, off_t length)
{
    long dir = VFS_AT_ROOT;
    long bytes = path_prepare(AT_FDCWD, path, &dir);
    if (bytes < 0)
        return (int)shim_return(bytes);
    struct aramid_vfs_truncate_request request = {.dir = dir, .length = (long)length};
    struct aramid_vfs_truncate_reply reply;
    return (int)shim_return(
        shim_error_from_sys(aramid_vfs_call_truncate(&request, (size_t)bytes, &reply, NULL)));
}

/* chmod and utimens name a path, or (empty path) the description descriptor. */
static long path_target(int dirfd, const char *path, int flags, long *dir, int *linux_flags)
{
    *linux_flags = (flags & AT_SYMLINK_NOFOLLOW) ? VFS_AT_SYMLINK_NOFOLLOW : 0;
    if (path == NULL) {
        struct fd_file *file = fd_lookup(dirfd);
        if (file == NULL)
            return -EBADF;
        if (file->backend != &vfs_backend)
            return -EINVAL;
        size_t size;
        long error = 0;
        if (vfs_buffer(&size, &error) == NULL)
            return error;
        *dir = file->handle;
        *linux_flags |= VFS_AT_EMPTY_PATH;
        return 0;
    }
    return path_prepare(dirfd, path, dir);
}

int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
    long dir = VFS_AT_ROOT;
    int linux_flags;
    long bytes = path_target(dirfd, path, flags, &dir, &linux_flags);
    if (bytes < 0)
        return (int)shim_return(bytes);
    struct aramid_vfs_chmod_request request = {.dir = dir, .mode = mode, .flags = linux_flags};
    struct aramid_vfs_chmod_reply reply;
    return (int)shim_return(
        shim_error_from_sys(aramid_vfs_call_chmod(&request, (size_t)bytes, &reply, NULL)));
}

int chmod(const char *path, mode_t mode)
{
    if (path == NULL)
        return (int)shim_return(-EFAULT);
    return fchmodat(AT_FDCWD, path, mode, 0);
}

int fchmod(int descriptor, mode_t mode)
{
    return fchmodat(descriptor, NULL, mode, 0);
}

/* There is one user: changing owners is accepted where the file exists. */
int fchownat(int dirfd, const char *path, uid_t owner, gid_t group, int flags)
{
    (void)owner, (void)group;
    struct stat status;
    if (path == NULL)
        return (int)shim_return(-EFAULT);
    return fstatat(dirfd, path, &status, flags);
}

int chown(const char *path, uid_t owner, gid_t group)
{
    return fchownat(AT_FDCWD, path, owner, group, 0);
}

int lchown(const char *path, uid_t owner, gid_t group)
{
    return fchownat(AT_FDCWD, path, owner, group, AT_SYMLINK_NOFOLLOW);
}

int fchown(int descriptor, uid_t owner, gid_t group)
{
    (void)owner, (void)group;
    return (int)shim_return(fd_lookup(descriptor) == NULL ? -EBADF : 0);
}

/* A timespec of utimensat as vfs's nanoseconds (UTIME_NOW and UTIME_OMIT kept). */
static long path_time(const struct timespec *time, long *nanoseconds)
{
    if (time->tv_nsec == UTIME_NOW) {
        *nanoseconds = VFS_UTIME_NOW;
        return 0;
    }
    if (time->tv_nsec == UTIME_OMIT) {
        *nanoseconds = VFS_UTIME_OMIT;
        return 0;
    }
    if (time->tv_nsec < 0 || time->tv_nsec >= 1000000000l || time->tv_sec < 0)
        return -EINVAL;
    *nanoseconds = (long)time->tv_sec * 1000000000l + time->tv_nsec;
    return 0;
}

int utimensat(int dirfd, const char *path, const struct timespec *times, int flags)
{
    long atime = VFS_UTIME_NOW, mtime = VFS_UTIME_NOW;
    if (times != NULL) {
        struct timespec copy[2];
        if (shim_copy_in(copy, times, sizeof(copy)) < 0)
            return (int)shim_return(-EFAULT);
        long result = path_time(&copy[0], &atime);
        if (result == 0)
            result = path_time(&copy[1], &mtime);
        if (result < 0)
            return (int)shim_return(result);
    }
    if (flags & ~AT_SYMLINK_NOFOLLOW)
        return (int)shim_return(-EINVAL);
    long dir = VFS_AT_ROOT;
    int linux_flags;
    long bytes = path_target(dirfd, path, flags, &dir, &linux_flags);
    if (bytes < 0)
        return (int)shim_return(bytes);
    struct aramid_vfs_utimens_request request = {
        .dir = dir, .flags = linux_flags, .atime = atime, .mtime = mtime};
    struct aramid_vfs_utimens_reply reply;
    return (int)shim_return(
        shim_error_from_sys(aramid_vfs_call_utimens(&request, (size_t)bytes, &reply, NULL)));
}

int futimens(int descriptor, const struct timespec *times)
{
    return utimensat(descriptor, NULL, times, 0);
}

int utimes(const char *path, const struct timeval *times)
{
    if (times == NULL)
        return utimensat(AT_FDCWD, path, NULL, 0);
    struct timespec converted[2] = {
        {.tv_sec = times[0].tv_sec, .tv_nsec = times[0].tv_usec * 1000},
        {.tv_sec = times[1].tv_sec, .tv_nsec = times[1].tv_usec * 1000},
    };
    return utimensat(AT_FDCWD, path, converted, 0);
}

/* tmpfs has nothing to write back. */
void sync(void)
{
}
