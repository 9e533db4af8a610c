/* posix-shim path calls over the boot files: access, readlink, symlink, rmdir, getcwd, sync. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bootfs.h"
#include "shim.h"

/* The boot files are read-only: W_OK fails with EROFS; X_OK follows the mode's execute bits. */
int access(const char *path, int mode)
{
    struct stat status;
    long bad = shim_check_string(path);
    if (bad < 0)
        return (int)shim_return(bad);
    if ((mode & ~(R_OK | W_OK | X_OK)) != 0)
        return (int)shim_return(-EINVAL);
    long found = bootfs_stat_path(path, &status);
    if (found < 0)
        return (int)shim_return(found);
    if (mode & W_OK)
        return (int)shim_return(-EROFS);
    if ((mode & X_OK) && !(status.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH)))
        return (int)shim_return(-EACCES);
    return 0;
}

/* There are no symbolic links: an existing file is not one (EINVAL). */
ssize_t readlink(const char *path, char *buffer, size_t size)
{
    struct stat status;
    (void)buffer;
    (void)size;
    if (path == NULL)
        return shim_return(-EFAULT);
    long found = bootfs_stat_path(path, &status);
    return shim_return(found < 0 ? found : -EINVAL);
}

int symlink(const char *target, const char *path)
{
    if (target == NULL || path == NULL)
        return (int)shim_return(-EFAULT);
    long exists = bootfs_modify(path);
    return (int)shim_return(exists == -ENOENT ? -EROFS : -EEXIST);
}

int rmdir(const char *path)
{
    if (path == NULL)
        return (int)shim_return(-EFAULT);
    long exists = bootfs_modify(path);
    return (int)shim_return(exists == -ENOENT ? -ENOENT : -ENOTDIR);
}

/* There is no VFS and so no chdir: the working directory is always the root. */
char *getcwd(char *buffer, size_t size)
{
    static const char root[] = "/";
    if (buffer == NULL && size == 0)
        size = sizeof(root); /* glibc's extension: allocate what is needed */
    if (size < sizeof(root)) {
        shim_return(size == 0 ? -EINVAL : -ERANGE);
        return NULL;
    }
    if (buffer == NULL) {
        buffer = malloc(size);
        if (buffer == NULL)
            return NULL; /* errno ENOMEM from malloc */
    }
    if (shim_copy_out(buffer, root, sizeof(root)) != 0) {
        shim_return(-EFAULT);
        return NULL;
    }
    return buffer;
}

/* Nothing is ever written back: the only files are read-only boot modules. */
void sync(void)
{
}
