/* Path resolution over the tmpfs inodes and the mount table: `.`, `..`, symlinks (pure logic). */
#ifndef VFS_PATH_H
#define VFS_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "mount.h"
#include "tmpfs.h"

#define PATH_SYMLINKS_MAX 40 /* Linux's MAXSYMLINKS: one more gives ELOOP */

/* Flags of path_resolve. */
#define PATH_FOLLOW 0x1 /* follow a symlink in the last component */
#define PATH_PARENT 0x2 /* the last component need not exist: resolve its directory */

struct path_namespace {
    struct tmpfs *tmpfs;
    const struct mount_table *mounts;
};

/* What a resolution found: the directory holding the last component (dir), the component
 * (name, with "." and ".." kept as such) and its inode (0 when it does not exist, only with
 * PATH_PARENT). trailing_slash: the path ended in '/'. For "/" itself dir = inode = the root
 * and name is ".". */
struct path_result {
    long dir;
    long inode;
    char name[TMPFS_NAME_MAX + 1];
    size_t name_length;
    bool trailing_slash;
};

/*
 * Resolves path (length bytes, no NUL inside) from directory start (relative paths; the cwd or
 * a directory fd). -ENOENT (empty path, a missing component), -ENOTDIR, -ENAMETOOLONG
 * (length >= TMPFS_PATH_MAX, a component > TMPFS_NAME_MAX, a symlink expansion too long),
 * -ELOOP (more than PATH_SYMLINKS_MAX symlinks). A trailing '/' on an existing non-directory
 * is -ENOTDIR.
 */
long path_resolve(const struct path_namespace *space, long start, const char *path, size_t length,
                  int flags, struct path_result *result);

/* The parent directory of directory inode across mounts (the system root is its own). */
long path_parent(const struct path_namespace *space, long inode);

/* Writes the absolute path of directory inode (NUL-terminated) into buffer -> its length
 * without the NUL. -ENOENT for a removed directory, -ERANGE when size is too small. */
long path_absolute(const struct path_namespace *space, long inode, char *buffer, size_t size);

#endif
