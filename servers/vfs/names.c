/* vfs calls on names: mkdir, mknod, unlink, rename, link, symlink, readlink, access, chdir,
 * getcwd, truncate, chmod, utimens, exec_open. */
#include "vfs.h"

#include "kstring.h"

#define VFS_EXEC_ADDRESS 0x380000000000ul

/* Resolves the call's path bytes [from, to) from dir with flags. */
static long vfs_resolve(struct vfs_call *call, long dir, size_t from, size_t to, int flags,
                        struct path_result *found)
{
    const char *path;
    size_t length;
    long result = vfs_call_path(call, from, to, &path, &length);
    long start = result < 0 ? result : vfs_start_dir(call, dir);
    if (start < 0)
        return start;
    return path_resolve(&vfs.names, start, path, length, flags, found);
}

/* Where the second path of a two-path call starts, checked: -EINVAL when it is not just after a
 * NUL that ends the first. */
static long vfs_second_path(const struct vfs_call *call, long second)
{
    if (second <= 0 || (size_t)second > call->buffer_bytes || call->buffer[second - 1] != '\0')
        return -ARAMID_EINVAL;
    return second;
}

/* The two paths of a rename or a link (the second starts at second): the first in old_dir
 * (followed when follow says), the second's parent in new_dir. 0 or -errno. */
static long vfs_resolve_pair(struct vfs_call *call, long second, long old_dir, int follow,
                             long new_dir, struct path_result *from, struct path_result *to)
{
    second = vfs_second_path(call, second);
    long result =
        second < 0 ? second : vfs_resolve(call, old_dir, 0, (size_t)second - 1, follow, from);
    if (result == 0)
        result = vfs_resolve(call, new_dir, (size_t)second, call->buffer_bytes, PATH_PARENT, to);
    return result;
}

/* Creates the call's last component with mode (type and permissions). */
static long vfs_make(struct vfs_call *call, long dir, unsigned mode)
{
    struct path_result found;
    long result = vfs_resolve(call, dir, 0, call->buffer_bytes, PATH_PARENT, &found);
    if (result < 0)
        return result;
    if (found.inode != 0)
        return -ARAMID_EEXIST;
    if (found.trailing_slash && !TMPFS_IS_DIR(mode))
        return -ARAMID_ENOENT;
    result = tmpfs_create(&vfs.tmpfs, found.dir, found.name, found.name_length, mode, 0);
    return result < 0 ? result : 0;
}

enum vfs_action vfs_do_mkdir(struct vfs_call *call, const struct aramid_vfs_mkdir_request *request,
                             struct aramid_vfs_mkdir_reply *reply)
{
    reply->result =
        vfs_make(call, request->dir, TMPFS_S_IFDIR | ((unsigned)request->mode & 07777));
    return VFS_REPLY;
}

enum vfs_action vfs_do_mknod(struct vfs_call *call, const struct aramid_vfs_mknod_request *request,
                             struct aramid_vfs_mknod_reply *reply)
{
    unsigned type = (unsigned)request->mode & TMPFS_S_IFMT;
    if (type != TMPFS_S_IFIFO && type != TMPFS_S_IFREG && type != TMPFS_S_IFSOCK && type != 0)
        reply->result = -ARAMID_EPERM; /* devices are vfs's own */
    else
        reply->result = vfs_make(call, request->dir,
                                 (type == 0 ? TMPFS_S_IFREG : type) |
                                     ((unsigned)request->mode & 07777));
    return VFS_REPLY;
}

/* "." and ".." as the last component, as Linux's rmdir, unlink and rename see them. */
static bool vfs_is_dot(const struct path_result *found)
{
    return found->name[0] == '.' &&
           (found->name_length == 1 || (found->name_length == 2 && found->name[1] == '.'));
}

enum vfs_action vfs_do_unlink(struct vfs_call *call, const struct aramid_vfs_unlink_request *request,
                              struct aramid_vfs_unlink_reply *reply)
{
    struct path_result found;
    bool directory = (request->flags & VFS_AT_REMOVEDIR) != 0;
    long result = vfs_resolve(call, request->dir, 0, call->buffer_bytes, 0, &found);
    if (result == 0 && vfs_is_dot(&found) && directory)
        result = found.name_length == 1 ? -ARAMID_EINVAL : -ARAMID_ENOTEMPTY;
    else if (result == 0 && vfs_is_dot(&found))
        result = -ARAMID_EISDIR;
    else if (result == 0 && directory && mount_busy(&vfs.mounts, found.inode))
        result = -ARAMID_EBUSY;
    else if (result == 0 && !directory && vfs_shmfs_object(&found))
        result = vfs_shmfs_unlink(&found); /* shm_unlink */
    else if (result == 0)
        result = tmpfs_unlink(&vfs.tmpfs, found.dir, found.name, found.name_length, directory);
    reply->result = result;
    return VFS_REPLY;
}

enum vfs_action vfs_do_rename(struct vfs_call *call, const struct aramid_vfs_rename_request *request,
                              struct aramid_vfs_rename_reply *reply)
{
    struct path_result from, to;
    long result =
        vfs_resolve_pair(call, request->second, request->old_dir, 0, request->new_dir, &from, &to);
    if (result == 0 && (vfs_is_dot(&from) || vfs_is_dot(&to)))
        result = -ARAMID_EBUSY;
    else if (result == 0 && (mount_busy(&vfs.mounts, from.inode) ||
                             (to.inode != 0 && mount_busy(&vfs.mounts, to.inode))))
        result = -ARAMID_EBUSY;
    else if (result == 0 && to.trailing_slash && !TMPFS_IS_DIR(vfs.tmpfs.inodes[from.inode].mode))
        result = -ARAMID_ENOTDIR;
    else if (result == 0)
        result = tmpfs_rename(&vfs.tmpfs, from.dir, from.name, from.name_length, to.dir, to.name,
                              to.name_length);
    reply->result = result;
    return VFS_REPLY;
}

enum vfs_action vfs_do_link(struct vfs_call *call, const struct aramid_vfs_link_request *request,
                            struct aramid_vfs_link_reply *reply)
{
    struct path_result from, to;
    int follow = (request->flags & VFS_AT_SYMLINK_FOLLOW) ? PATH_FOLLOW : 0;
    long result = vfs_resolve_pair(call, request->second, request->old_dir, follow,
                                   request->new_dir, &from, &to);
    if (result == 0 && to.inode != 0)
        result = -ARAMID_EEXIST;
    else if (result == 0 && TMPFS_IS_DIR(vfs.tmpfs.inodes[from.inode].mode))
        result = -ARAMID_EPERM;
    else if (result == 0 && to.trailing_slash)
        result = -ARAMID_ENOENT;
    else if (result == 0)
        result = tmpfs_link(&vfs.tmpfs, to.dir, to.name, to.name_length, from.inode);
    reply->result = result;
    return VFS_REPLY;
}

enum vfs_action vfs_do_symlink(struct vfs_call *call,
                               const struct aramid_vfs_symlink_request *request,
                               struct aramid_vfs_symlink_reply *reply)
{
    struct path_result to;
    const char *target;
    size_t target_length;
    long second = vfs_second_path(call, request->second);
    long result = second < 0 ? second : vfs_call_path(call, 0, (size_t)second - 1, &target,
                                                      &target_length);
    if (result == 0 && target_length == 0)
        result = -ARAMID_ENOENT;
    if (result == 0)
        result = vfs_resolve(call, request->dir, (size_t)second, call->buffer_bytes, PATH_PARENT,
                             &to);
    if (result == 0 && to.inode != 0)
        result = -ARAMID_EEXIST;
    else if (result == 0 && to.trailing_slash)
        result = -ARAMID_ENOENT;
    if (result == 0) {
        long inode = tmpfs_create(&vfs.tmpfs, to.dir, to.name, to.name_length,
                                  TMPFS_S_IFLNK | 0777, 0);
        long written = inode < 0 ? inode : tmpfs_write(&vfs.tmpfs, inode, 0, target, target_length);
        if (written >= 0 && (size_t)written != target_length)
            written = -ARAMID_ENOSPC;
        if (written < 0 && inode > 0)
            (void)tmpfs_unlink(&vfs.tmpfs, to.dir, to.name, to.name_length, false);
        result = written < 0 ? written : 0;
    }
    reply->result = result;
    return VFS_REPLY;
}

enum vfs_action vfs_do_readlink(struct vfs_call *call,
                                const struct aramid_vfs_readlink_request *request,
                                struct aramid_vfs_readlink_reply *reply)
{
    struct path_result found;
    long result = vfs_resolve(call, request->dir, 0, call->buffer_bytes, 0, &found);
    if (result == 0 && !TMPFS_IS_LNK(vfs.tmpfs.inodes[found.inode].mode))
        result = -ARAMID_EINVAL;
    if (result == 0) {
        result = tmpfs_read(&vfs.tmpfs, found.inode, 0, call->reply_buffer,
                            ARAMID_IPC_BUFFER_SIZE);
        if (result >= 0)
            call->reply_bytes = (size_t)result;
    }
    reply->result = result;
    return VFS_REPLY;
}

/* Linux's access modes. */
#define VFS_R_OK 4
#define VFS_W_OK 2
#define VFS_X_OK 1

enum vfs_action vfs_do_access(struct vfs_call *call, const struct aramid_vfs_access_request *request,
                              struct aramid_vfs_access_reply *reply)
{
    struct path_result found;
    int flags = (request->flags & VFS_AT_SYMLINK_NOFOLLOW) ? 0 : PATH_FOLLOW;
    long result;
    if (request->mode & ~7l)
        result = -ARAMID_EINVAL;
    else
        result = vfs_resolve(call, request->dir, 0, call->buffer_bytes, flags, &found);
    /* The one user is root: reading and writing are allowed; executing needs an x bit (or a
     * directory), as for Linux's root. */
    if (result == 0 && (request->mode & VFS_X_OK)) {
        unsigned mode = vfs.tmpfs.inodes[found.inode].mode;
        if (!TMPFS_IS_DIR(mode) && (mode & 0111) == 0)
            result = -ARAMID_EACCES;
    }
    reply->result = result;
    return VFS_REPLY;
}

enum vfs_action vfs_do_chdir(struct vfs_call *call, const struct aramid_vfs_chdir_request *request,
                             struct aramid_vfs_chdir_reply *reply)
{
    struct path_result found;
    long result = vfs_resolve(call, request->dir, 0, call->buffer_bytes, PATH_FOLLOW, &found);
    if (result == 0 && !TMPFS_IS_DIR(vfs.tmpfs.inodes[found.inode].mode))
        result = -ARAMID_ENOTDIR;
    if (result == 0) {
        result = ofd_create(&vfs.ofds, call->process, OFD_FILE, VFS_O_RDONLY);
        if (result > 0) {
            vfs.ofds.ofds[result].inode = found.inode;
            tmpfs_open(&vfs.tmpfs, found.inode);
        }
    }
    reply->result = result;
    return VFS_REPLY;
}

enum vfs_action vfs_do_getcwd(struct vfs_call *call, const struct aramid_vfs_getcwd_request *request,
                              struct aramid_vfs_getcwd_reply *reply)
{
    long dir = vfs_start_dir(call, request->dir);
    long result = dir < 0 ? dir
                          : path_absolute(&vfs.names, dir, call->reply_buffer,
                                          ARAMID_IPC_BUFFER_SIZE);
    if (result >= 0)
        call->reply_bytes = (size_t)result + 1;
    reply->result = result;
    return VFS_REPLY;
}

enum vfs_action vfs_do_truncate(struct vfs_call *call,
                                const struct aramid_vfs_truncate_request *request,
                                struct aramid_vfs_truncate_reply *reply)
{
    struct path_result found;
    long result = request->length < 0
                      ? -ARAMID_EINVAL
                      : vfs_resolve(call, request->dir, 0, call->buffer_bytes, PATH_FOLLOW, &found);
    if (result == 0 && TMPFS_IS_DIR(vfs.tmpfs.inodes[found.inode].mode))
        result = -ARAMID_EISDIR;
    else if (result == 0 && !TMPFS_IS_REG(vfs.tmpfs.inodes[found.inode].mode))
        result = -ARAMID_EINVAL;
    else if (result == 0)
        result = tmpfs_truncate(&vfs.tmpfs, found.inode, (unsigned long)request->length);
    reply->result = result;
    return VFS_REPLY;
}

/* The inode a chmod/utimens names: the path, or the description dir with an empty path. */
static long vfs_target(struct vfs_call *call, long dir, long flags)
{
    if ((flags & VFS_AT_EMPTY_PATH) && call->buffer_bytes == 0) {
        struct ofd *ofd = ofd_find(&vfs.ofds, call->process, dir);
        if (ofd == NULL)
            return -ARAMID_EBADF;
        if (ofd->kind != OFD_FILE && ofd->kind != OFD_DEVICE)
            return -ARAMID_EINVAL;
        return ofd->inode;
    }
    struct path_result found;
    int follow = (flags & VFS_AT_SYMLINK_NOFOLLOW) ? 0 : PATH_FOLLOW;
    long result = vfs_resolve(call, dir, 0, call->buffer_bytes, follow, &found);
    return result < 0 ? result : found.inode;
}

enum vfs_action vfs_do_chmod(struct vfs_call *call, const struct aramid_vfs_chmod_request *request,
                             struct aramid_vfs_chmod_reply *reply)
{
    long inode = vfs_target(call, request->dir, request->flags);
    if (inode > 0) {
        struct tmpfs_inode *node = &vfs.tmpfs.inodes[inode];
        node->mode = (node->mode & TMPFS_S_IFMT) | ((unsigned)request->mode & 07777);
        node->ctime = vfs_now(NULL);
    }
    reply->result = inode < 0 ? inode : 0;
    return VFS_REPLY;
}

enum vfs_action vfs_do_utimens(struct vfs_call *call,
                               const struct aramid_vfs_utimens_request *request,
                               struct aramid_vfs_utimens_reply *reply)
{
    long inode = vfs_target(call, request->dir, request->flags);
    if (inode > 0) {
        struct tmpfs_inode *node = &vfs.tmpfs.inodes[inode];
        unsigned long now = vfs_now(NULL);
        if (request->atime != VFS_UTIME_OMIT)
            node->atime = request->atime == VFS_UTIME_NOW ? now : (unsigned long)request->atime;
        if (request->mtime != VFS_UTIME_OMIT)
            node->mtime = request->mtime == VFS_UTIME_NOW ? now : (unsigned long)request->mtime;
        node->ctime = now;
    }
    reply->result = inode < 0 ? inode : 0;
    return VFS_REPLY;
}

enum vfs_action vfs_do_exec_open(struct vfs_call *call,
                                 const struct aramid_vfs_exec_open_request *request,
                                 struct aramid_vfs_exec_open_reply *reply)
{
    struct path_result found;
    long result = vfs_resolve(call, request->dir, 0, call->buffer_bytes, PATH_FOLLOW, &found);
    const struct tmpfs_inode *node = result == 0 ? &vfs.tmpfs.inodes[found.inode] : NULL;
    if (result == 0 && (!TMPFS_IS_REG(node->mode) || (node->mode & 0111) == 0))
        result = -ARAMID_EACCES;
    else if (result == 0 && node->size == 0)
        result = -ARAMID_ENOEXEC;
    if (result < 0) {
        reply->result = result;
        return VFS_REPLY;
    }
    /* A copy of the file in a fresh memory object: the program's image stays what it was when
     * execve started even if the file changes later. */
    size_t size = (node->size + TMPFS_PAGE_SIZE - 1) & ~(TMPFS_PAGE_SIZE - 1);
    long object = sys_memory_object_create(size);
    if (object < 0) {
        reply->result = object;
        return VFS_REPLY;
    }
    result = sys_vm_map(vfs.space, VFS_EXEC_ADDRESS, size, ARAMID_PROT_READ | ARAMID_PROT_WRITE,
                        object, 0);
    if (result == 0) {
        result = tmpfs_read(&vfs.tmpfs, found.inode, 0, (void *)VFS_EXEC_ADDRESS, node->size);
        (void)sys_vm_unmap(vfs.space, VFS_EXEC_ADDRESS, size);
    }
    if (result < 0) {
        (void)sys_handle_close(object);
        reply->result = result;
        return VFS_REPLY;
    }
    /* The caller (proc, through posix-shim) reads and maps it; it cannot change the copy. */
    long reduced = sys_handle_duplicate(object, ARAMID_RIGHT_READ | ARAMID_RIGHT_MAP |
                                                    ARAMID_RIGHT_GRANT);
    (void)sys_handle_close(object);
    if (reduced < 0) {
        reply->result = reduced;
        return VFS_REPLY;
    }
    call->grant_out = reduced;
    reply->size = (long)node->size;
    reply->result = 0;
    return VFS_REPLY;
}
