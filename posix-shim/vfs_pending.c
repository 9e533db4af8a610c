/* posix-shim calls that belong to the VFS server and are not written yet: each returns -1 with
 * errno ENOSYS, so programs such as busybox's df link and run what they can. The list is in
 * docs/status.md. */
#include <errno.h>
#include <stddef.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

#include "shim.h"

static int vfs_pending(void)
{
    return (int)shim_return(-ENOSYS);
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
