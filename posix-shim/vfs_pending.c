/* posix-shim calls that belong to the VFS server and are not written yet: each returns -1 (or
 * NULL) with errno ENOSYS, so programs such as dash and busybox link and run what they can. The
 * VFS client replaces these one by one; the list is in docs/status.md. */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <unistd.h>

#include "shim.h"

static int vfs_pending(void)
{
    return (int)shim_return(-ENOSYS);
}

/* ---- working directory ---- */

int chdir(const char *path)
{
    (void)path;
    return vfs_pending();
}

int fchdir(int fd)
{
    (void)fd;
    return vfs_pending();
}

/* ---- modes, owners, times, special files ---- */

int chmod(const char *path, mode_t mode)
{
    (void)path;
    (void)mode;
    return vfs_pending();
}

int fchmod(int fd, mode_t mode)
{
    (void)fd;
    (void)mode;
    return vfs_pending();
}

int chown(const char *path, uid_t owner, gid_t group)
{
    (void)path;
    (void)owner;
    (void)group;
    return vfs_pending();
}

int fchown(int fd, uid_t owner, gid_t group)
{
    (void)fd;
    (void)owner;
    (void)group;
    return vfs_pending();
}

int lchown(const char *path, uid_t owner, gid_t group)
{
    (void)path;
    (void)owner;
    (void)group;
    return vfs_pending();
}

int utimensat(int directory, const char *path, const struct timespec *times, int flags)
{
    (void)directory;
    (void)path;
    (void)times;
    (void)flags;
    return vfs_pending();
}

int futimens(int fd, const struct timespec *times)
{
    (void)fd;
    (void)times;
    return vfs_pending();
}

int utimes(const char *path, const struct timeval *times)
{
    (void)path;
    (void)times;
    return vfs_pending();
}

int mknod(const char *path, mode_t mode, dev_t device)
{
    (void)path;
    (void)mode;
    (void)device;
    return vfs_pending();
}

/* ---- directory streams (over getdents64) ---- */

DIR *opendir(const char *path)
{
    (void)path;
    vfs_pending();
    return NULL;
}

DIR *fdopendir(int fd)
{
    (void)fd;
    vfs_pending();
    return NULL;
}

struct dirent *readdir(DIR *directory)
{
    (void)directory;
    vfs_pending();
    return NULL;
}

int closedir(DIR *directory)
{
    (void)directory;
    return vfs_pending();
}

void rewinddir(DIR *directory)
{
    (void)directory;
    vfs_pending();
}

/* ---- file system statistics ---- */

int statfs(const char *path, struct statfs *buffer)
{
    (void)path;
    (void)buffer;
    return vfs_pending();
}

int fstatfs(int fd, struct statfs *buffer)
{
    (void)fd;
    (void)buffer;
    return vfs_pending();
}

int statvfs(const char *path, struct statvfs *buffer)
{
    (void)path;
    (void)buffer;
    return vfs_pending();
}

int fstatvfs(int fd, struct statvfs *buffer)
{
    (void)fd;
    (void)buffer;
    return vfs_pending();
}
