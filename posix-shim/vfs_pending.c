/* posix-shim calls that belong to the vfs server and are not written yet: each returns -1 with
 * errno ENOSYS, so programs such as busybox's df link (docs/status.md). */
#include <errno.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

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
