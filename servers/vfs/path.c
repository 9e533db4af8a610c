/* Path resolution over the tmpfs inodes and the mount table: `.`, `..`, symlinks (pure logic). */
#include "path.h"

#include <aramid/errno.h>

#include "kstring.h"

long path_parent(const struct path_namespace *space, long inode)
{
    /* Climb out of mounted roots first: ".." of /tmp's root is the parent of the covered dir. */
    for (;;) {
        long covered = mount_covered(space->mounts, inode);
        if (covered == 0)
            break;
        inode = covered;
    }
    return space->tmpfs->inodes[inode].parent;
}

/* The remaining path after a symlink: target, then "/" and rest when rest is not empty. */
static long path_splice(char *out, const char *target, size_t target_length, const char *rest)
{
    size_t rest_length = strlen(rest);
    size_t total = target_length + (rest_length != 0 ? 1 + rest_length : 0);
    if (total >= TMPFS_PATH_MAX)
        return -ARAMID_ENAMETOOLONG;
    memmove(out, target, target_length);
    if (rest_length != 0) {
        out[target_length] = '/';
        memmove(out + target_length + 1, rest, rest_length);
    }
    out[total] = '\0';
    return 0;
}

long path_resolve(const struct path_namespace *space, long start, const char *path, size_t length,
                  int flags, struct path_result *result)
{
    char buffers[2][TMPFS_PATH_MAX];
    char target[TMPFS_PATH_MAX];
    struct tmpfs *tmpfs = space->tmpfs;
    long root = mount_system_root(space->mounts);
    if (length >= TMPFS_PATH_MAX)
        return -ARAMID_ENAMETOOLONG;
    if (length == 0)
        return -ARAMID_ENOENT;
    memcpy(buffers[0], path, length);
    buffers[0][length] = '\0';
    int current = 0;
    const char *p = buffers[0];
    long at = p[0] == '/' ? root : start;
    unsigned links = 0;
    for (;;) {
        struct tmpfs_inode *dir = tmpfs_inode(tmpfs, at);
        if (dir == NULL)
            return -ARAMID_ENOENT;
        while (*p == '/')
            p++;
        if (*p == '\0') {
            /* "/" or a path that ended at a directory through a symlink: the directory itself. */
            if (!TMPFS_IS_DIR(dir->mode))
                return -ARAMID_ENOTDIR;
            *result = (struct path_result){.dir = at, .inode = at, .name_length = 1,
                                           .trailing_slash = true};
            result->name[0] = '.';
            return 0;
        }
        if (!TMPFS_IS_DIR(dir->mode))
            return -ARAMID_ENOTDIR;
        const char *end = p;
        while (*end != '\0' && *end != '/')
            end++;
        size_t name_length = (size_t)(end - p);
        if (name_length > TMPFS_NAME_MAX)
            return -ARAMID_ENAMETOOLONG;
        const char *after = end;
        while (*after == '/')
            after++;
        bool last = *after == '\0';
        bool trailing = last && end != after;
        bool dot = name_length == 1 && p[0] == '.';
        bool dot_dot = name_length == 2 && p[0] == '.' && p[1] == '.';
        long next;
        if (dot)
            next = at;
        else if (dot_dot)
            next = at == root ? root : path_parent(space, at);
        else {
            next = tmpfs_lookup(tmpfs, at, p, name_length);
            if (next == -ARAMID_ENOENT && last && (flags & PATH_PARENT))
                next = 0;
            else if (next < 0)
                return next;
            else
                next = mount_enter(space->mounts, next);
        }
        struct tmpfs_inode *node = next != 0 ? tmpfs_inode(tmpfs, next) : NULL;
        if (node != NULL && TMPFS_IS_LNK(node->mode) &&
            (!last || trailing || (flags & PATH_FOLLOW))) {
            if (++links > PATH_SYMLINKS_MAX)
                return -ARAMID_ELOOP;
            long target_length = tmpfs_read(tmpfs, next, 0, target, sizeof(target) - 1);
            if (target_length < 0)
                return target_length;
            if (target_length == 0)
                return -ARAMID_ENOENT;
            /* end (not after) keeps a trailing slash: "link/" must name a directory. */
            long spliced = path_splice(buffers[1 - current], target, (size_t)target_length, end);
            if (spliced < 0)
                return spliced;
            current = 1 - current;
            p = buffers[current];
            if (p[0] == '/')
                at = root;
            continue;
        }
        if (last) {
            if (trailing && node != NULL && !TMPFS_IS_DIR(node->mode))
                return -ARAMID_ENOTDIR;
            *result = (struct path_result){.dir = at, .inode = next, .name_length = name_length,
                                           .trailing_slash = trailing};
            memcpy(result->name, p, name_length);
            result->name[name_length] = '\0';
            return 0;
        }
        at = next;
        p = end;
    }
}

long path_absolute(const struct path_namespace *space, long inode, char *buffer, size_t size)
{
    struct tmpfs *tmpfs = space->tmpfs;
    long root = mount_system_root(space->mounts);
    /* Built backwards from the end of buffer, then moved to its start. */
    size_t at = size;
    if (size < 2)
        return -ARAMID_ERANGE;
    buffer[--at] = '\0';
    long node = inode;
    while (node != root) {
        if (tmpfs_inode(tmpfs, node) == NULL || tmpfs->inodes[node].nlink == 0)
            return -ARAMID_ENOENT;
        long named = node;
        while (mount_covered(space->mounts, named) != 0)
            named = mount_covered(space->mounts, named);
        long parent = tmpfs->inodes[named].parent;
        const struct tmpfs_entry *found = NULL;
        for (long e = tmpfs->inodes[parent].first_entry; e >= 0; e = tmpfs->entries[e].next) {
            if (tmpfs->entries[e].inode == named) {
                found = &tmpfs->entries[e];
                break;
            }
        }
        if (found == NULL)
            return -ARAMID_ENOENT;
        if (at < found->name_length + 1 + 1)
            return -ARAMID_ERANGE;
        at -= found->name_length;
        memcpy(buffer + at, found->name, found->name_length);
        buffer[--at] = '/';
        node = parent;
    }
    if (at == size - 1)
        buffer[--at] = '/';
    size_t length = size - 1 - at;
    memmove(buffer, buffer + at, length + 1);
    return (long)length;
}
