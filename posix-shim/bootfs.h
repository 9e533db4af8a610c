/* posix-shim boot files: open and stat boot modules by name (read-only). */
#ifndef POSIX_SHIM_BOOTFS_H
#define POSIX_SHIM_BOOTFS_H

#include <sys/stat.h>

/* A read-only descriptor for the module named path, or -errno (-EROFS for any write access). */
long bootfs_open(const char *path, int flags);
long bootfs_stat_path(const char *path, struct stat *status);
/* True for the paths of the (only) directory, the root: "/", ".", "/./"... */
int bootfs_is_directory(const char *path);
/* The answer to link/unlink/mkdir on path: -ENOENT where nothing is, else -EROFS. */
long bootfs_modify(const char *path);

#endif
