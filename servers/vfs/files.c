/* vfs open file descriptions: open, close, seek, stat, getdents, ftruncate, setfl, pipe, lock. */
#include "vfs.h"

#include "kstring.h"

long vfs_call_path(const struct vfs_call *call, size_t from, size_t to, const char **path,
                   size_t *length)
{
    if (from > to || to > call->buffer_bytes)
        return -ARAMID_EINVAL;
    size_t bytes = to - from;
    if (bytes >= TMPFS_PATH_MAX)
        return -ARAMID_ENAMETOOLONG;
    for (size_t i = 0; i < bytes; i++) {
        if (call->buffer[from + i] == '\0')
            return -ARAMID_EINVAL;
    }
    *path = call->buffer + from;
    *length = bytes;
    return 0;
}

long vfs_start_dir(struct vfs_call *call, long dir)
{
    if (dir == VFS_AT_ROOT)
        return vfs.root;
    struct ofd *ofd = ofd_find(&vfs.ofds, call->process, dir);
    if (ofd == NULL)
        return -ARAMID_EBADF;
    if (ofd->kind != OFD_FILE || !TMPFS_IS_DIR(vfs.tmpfs.inodes[ofd->inode].mode))
        return -ARAMID_ENOTDIR;
    return ofd->inode;
}

void vfs_stat_fill(long inode, struct aramid_vfs_stat *stat)
{
    const struct tmpfs_inode *node = &vfs.tmpfs.inodes[inode];
    *stat = (struct aramid_vfs_stat){
        .dev = node->fs + 1,
        .ino = (unsigned long)inode,
        .mode = node->mode,
        .nlink = node->nlink,
        .uid = node->uid,
        .gid = node->gid,
        .rdev = node->rdev,
        .size = TMPFS_IS_DIR(node->mode) ? 40 + 20 * node->entries : node->size,
        .blksize = TMPFS_PAGE_SIZE,
        .blocks = node->pages * (TMPFS_PAGE_SIZE / 512),
        .atime = node->atime,
        .mtime = node->mtime,
        .ctime = node->ctime,
    };
}

/* The pipe object of a FIFO inode, made on its first open. */
static long vfs_fifo_pipe(long inode)
{
    long free = -1;
    for (long i = 0; i < VFS_PIPES_MAX; i++) {
        if (vfs.pipes[i].used && vfs.pipes[i].inode == inode)
            return i;
        if (!vfs.pipes[i].used && free < 0)
            free = i;
    }
    if (free < 0)
        return -ARAMID_ENFILE;
    vfs.pipes[free] = (struct vfs_pipe_object){.used = true, .inode = inode};
    pipe_init(&vfs.pipes[free].pipe);
    return free;
}

/* A new description of pipe object for the caller: its end by access mode (O_RDWR, only a
 * FIFO's: both ends in one description). */
static long vfs_pipe_end(unsigned long process, long object, int flags)
{
    int access = flags & VFS_O_ACCMODE;
    enum ofd_kind kind = access == VFS_O_RDONLY ? OFD_PIPE_READ
                         : access == VFS_O_RDWR ? OFD_PIPE_BOTH
                                                : OFD_PIPE_WRITE;
    long ofd = ofd_create(&vfs.ofds, process, kind, flags);
    if (ofd < 0)
        return ofd;
    vfs_pipe_ring_retire(object); /* a FIFO's new end: the ring's holders are not alone now */
    struct ofd *end = &vfs.ofds.ofds[ofd];
    end->object = object;
    struct vfs_pipe_object *pipe = &vfs.pipes[object];
    /* A reader's version: hung up (POLLHUP) only when a writer came after it (Linux). */
    if (ofd_pipe_writes(end)) {
        pipe->pipe.writers++;
        pipe->writer_opens++;
        pipe->read_events++;
    }
    if (ofd_pipe_reads(end)) {
        pipe->pipe.readers++;
        pipe->write_events++;
        end->version = pipe->writer_opens;
    }
    vfs_ready_link(ofd);
    return ofd;
}

/* Frees a pipe object no end refers to. */
static void vfs_pipe_put(long object)
{
    struct vfs_pipe_object *pipe = &vfs.pipes[object];
    if (pipe->pipe.readers != 0 || pipe->pipe.writers != 0)
        return;
    vfs_pipe_ring_leave(object, 0, VFS_PIPE_RING_READ_LEFT | VFS_PIPE_RING_WRITE_LEFT);
    pipe_release(&pipe->pipe, vfs_page_free, NULL);
    pipe->used = false;
}

long vfs_ofd_close(unsigned long process, long id)
{
    long last = ofd_release(&vfs.ofds, process, id);
    if (last < 0)
        return last;
    struct ofd *ofd = &vfs.ofds.ofds[id];
    if (ofd->kind == OFD_FILE || ofd->kind == OFD_DEVICE)
        lock_release(&vfs.locks, process, ofd->inode); /* POSIX: any close drops the locks */
    if (last == 0)
        return 0;
    vfs_ready_gone(id); /* its watchers first: the other end's hear of the close below */
    if (ofd_is_pipe(ofd))
        vfs_ready_unlink(id);
    switch (ofd->kind) {
    case OFD_FILE:
    case OFD_DEVICE:
        tmpfs_close(&vfs.tmpfs, ofd->inode);
        break;
    case OFD_PIPE_READ:
    case OFD_PIPE_WRITE:
    case OFD_PIPE_BOTH: {
        struct vfs_pipe_object *pipe = &vfs.pipes[ofd->object];
        if (ofd_pipe_reads(ofd)) {
            pipe->pipe.readers--;
            pipe->write_events++;
        }
        if (ofd_pipe_writes(ofd)) {
            pipe->pipe.writers--;
            pipe->read_events++;
        }
        /* The closed end left the ring (and so did the closer's other end: posix-shim leaves
         * a pipe's view whole); a reader left takes the ring's bytes from the queue. */
        vfs_pipe_ring_leave(ofd->object, process,
                            (ofd_pipe_reads(ofd) ? VFS_PIPE_RING_READ_LEFT : 0) |
                                (ofd_pipe_writes(ofd) ? VFS_PIPE_RING_WRITE_LEFT : 0));
        vfs_wait_retry(VFS_WAIT_PIPE, ofd->object); /* EOF or EPIPE for whoever waits */
        vfs_pipe_put(ofd->object);
        break;
    }
    case OFD_FREE:
        break;
    }
    ofd_free(&vfs.ofds, id);
    vfs_wait_retry(VFS_WAIT_LOCK, 0);
    return 0;
}

/* Resolves the call's path from dir for open: creating a regular file with O_CREAT. 0, 1 for
 * a name in /dev/shm (the client opens the ipc server's object), or -errno. */
static long vfs_open_inode(struct vfs_call *call, const struct aramid_vfs_open_request *request,
                           long *inode)
{
    const char *path;
    size_t length;
    struct path_result found;
    long result = vfs_call_path(call, 0, call->buffer_bytes, &path, &length);
    long start = result < 0 ? result : vfs_start_dir(call, request->dir);
    if (start < 0)
        return start;
    bool create = (request->flags & VFS_O_CREAT) != 0;
    int flags = (create ? PATH_PARENT : 0) | ((request->flags & VFS_O_NOFOLLOW) ? 0 : PATH_FOLLOW);
    if (create && (request->flags & VFS_O_EXCL))
        flags &= ~PATH_FOLLOW; /* O_EXCL: a symlink there counts as existing */
    result = path_resolve(&vfs.names, start, path, length, flags, &found);
    if (result < 0)
        return result;
    if (vfs_shmfs_object(&found) && !(request->flags & VFS_O_DIRECTORY))
        return vfs_shmfs_open(call, &found) == 0 ? 1 : -ARAMID_EINVAL; /* 1: an ipc object */
    if (found.inode == 0) {
        if (found.trailing_slash)
            return -ARAMID_EISDIR;
        unsigned mode = TMPFS_S_IFREG | ((unsigned)request->mode & TMPFS_MODE_PERMISSIONS);
        result = tmpfs_create(&vfs.tmpfs, found.dir, found.name, found.name_length, mode, 0);
        if (result < 0)
            return result;
        *inode = result;
        return 0;
    }
    if (create && (request->flags & VFS_O_EXCL))
        return -ARAMID_EEXIST;
    const struct tmpfs_inode *node = &vfs.tmpfs.inodes[found.inode];
    if (TMPFS_IS_LNK(node->mode))
        return -ARAMID_ELOOP; /* O_NOFOLLOW on a symlink */
    *inode = found.inode;
    return 0;
}

enum vfs_action vfs_do_open(struct vfs_call *call, const struct aramid_vfs_open_request *request,
                            struct aramid_vfs_open_reply *reply)
{
    long inode;
    long result = vfs_open_inode(call, request, &inode);
    if (result != 0) {
        reply->result = result < 0 ? result : 0;
        reply->kind = result < 0 ? 0 : ARAMID_VFS_KIND_SHM; /* the name in the reply's buffer */
        return VFS_REPLY;
    }
    struct tmpfs_inode *node = &vfs.tmpfs.inodes[inode];
    int access = (int)request->flags & VFS_O_ACCMODE;
    int status = (int)request->flags & (VFS_O_ACCMODE | VFS_O_APPEND | VFS_O_NONBLOCK);
    unsigned type = node->mode & TMPFS_S_IFMT;
    if ((request->flags & VFS_O_DIRECTORY) && type != TMPFS_S_IFDIR)
        result = -ARAMID_ENOTDIR;
    else if (type == TMPFS_S_IFDIR && access != VFS_O_RDONLY)
        result = -ARAMID_EISDIR;
    else if (access == 3)
        result = -ARAMID_EINVAL;
    else if (type == TMPFS_S_IFSOCK)
        result = -ARAMID_ENXIO; /* a socket file: connect(2) reaches its socket, open never */
    if (result < 0) {
        reply->result = result;
        return VFS_REPLY;
    }
    if (type == TMPFS_S_IFIFO) {
        long object = vfs_fifo_pipe(inode);
        long ofd = object < 0 ? object : vfs_pipe_end(call->process, object, status);
        reply->result = ofd;
        reply->kind = ARAMID_VFS_KIND_PIPE;
        reply->status = status;
        if (ofd < 0) {
            if (object >= 0)
                vfs_pipe_put(object);
            return VFS_REPLY;
        }
        /* Each end's open waits for the other end (as Linux), and lets one that waits go on;
         * O_NONBLOCK: a reader opens at once, a writer without readers gets ENXIO. O_RDWR is
         * both ends, so never alone: it never waits (Linux's fifo_open). */
        const struct pipe *pipe = &vfs.pipes[object].pipe;
        vfs_wait_retry(VFS_WAIT_PIPE, object);
        bool reader = access == VFS_O_RDONLY;
        bool alone = reader ? pipe->writers == 0 : pipe->readers == 0;
        if (alone && (status & VFS_O_NONBLOCK) && !reader) {
            (void)vfs_ofd_close(call->process, ofd);
            reply->result = -ARAMID_ENXIO;
        } else if (alone && !(status & VFS_O_NONBLOCK)) {
            return vfs_wait_hold(call, ARAMID_VFS_open, VFS_WAIT_PIPE, object, ofd, status, false,
                                 NULL, &reply->result);
        }
        return VFS_REPLY;
    }
    bool device = type == TMPFS_S_IFCHR;
    long ofd = ofd_create(&vfs.ofds, call->process, device ? OFD_DEVICE : OFD_FILE, status);
    if (ofd < 0) {
        reply->result = ofd;
        return VFS_REPLY;
    }
    vfs.ofds.ofds[ofd].inode = inode;
    tmpfs_open(&vfs.tmpfs, inode);
    if ((request->flags & VFS_O_TRUNC) && type == TMPFS_S_IFREG && access != VFS_O_RDONLY)
        (void)tmpfs_truncate(&vfs.tmpfs, inode, 0); /* a regular file: cannot fail */
    reply->result = ofd;
    reply->kind = device                       ? ARAMID_VFS_KIND_DEVICE
                  : type == TMPFS_S_IFDIR      ? ARAMID_VFS_KIND_DIRECTORY
                                               : ARAMID_VFS_KIND_FILE;
    reply->rdev = (long)node->rdev;
    reply->status = status;
    return VFS_REPLY;
}

enum vfs_action vfs_do_close(struct vfs_call *call, const struct aramid_vfs_close_request *request,
                             struct aramid_vfs_close_reply *reply)
{
    reply->result = vfs_ofd_close(call->process, request->ofd);
    return VFS_REPLY;
}

/* Linux's lseek whence values. */
#define VFS_SEEK_SET 0
#define VFS_SEEK_CUR 1
#define VFS_SEEK_END 2

enum vfs_action vfs_do_seek(struct vfs_call *call, const struct aramid_vfs_seek_request *request,
                            struct aramid_vfs_seek_reply *reply)
{
    struct ofd *ofd = ofd_find(&vfs.ofds, call->process, request->ofd);
    if (ofd == NULL) {
        reply->result = -ARAMID_EBADF;
        return VFS_REPLY;
    }
    if (ofd_is_pipe(ofd)) {
        reply->result = -ARAMID_ESPIPE;
        return VFS_REPLY;
    }
    if (ofd->kind == OFD_DEVICE) {
        reply->result = 0; /* Linux: seeking a character device succeeds at 0 */
        return VFS_REPLY;
    }
    long base;
    switch (request->whence) {
    case VFS_SEEK_SET:
        base = 0;
        break;
    case VFS_SEEK_CUR:
        base = (long)ofd->offset;
        break;
    case VFS_SEEK_END:
        base = (long)vfs.tmpfs.inodes[ofd->inode].size;
        break;
    default:
        reply->result = -ARAMID_EINVAL;
        return VFS_REPLY;
    }
    bool directory = TMPFS_IS_DIR(vfs.tmpfs.inodes[ofd->inode].mode);
    long target;
    if (__builtin_add_overflow(base, request->offset, &target))
        reply->result = -ARAMID_EOVERFLOW;
    else if (target < 0 || (directory && request->whence == VFS_SEEK_END))
        reply->result = -ARAMID_EINVAL;
    else
        reply->result = (long)(ofd->offset = (unsigned long)target);
    return VFS_REPLY;
}

/* The inode a stat or statfs names: dir itself (VFS_AT_EMPTY_PATH with an empty path) or the
 * path from dir. A pipe has no inode: 0 with *pipe set. -> the inode or -errno. */
static long vfs_stat_target(struct vfs_call *call, long dir, long flags, const struct ofd **pipe)
{
    *pipe = NULL;
    if ((flags & VFS_AT_EMPTY_PATH) && call->buffer_bytes == 0) {
        struct ofd *ofd = ofd_find(&vfs.ofds, call->process, dir);
        if (ofd == NULL)
            return -ARAMID_EBADF;
        if (ofd_is_pipe(ofd)) {
            *pipe = ofd;
            return 0;
        }
        return ofd->inode;
    }
    const char *path;
    size_t length;
    struct path_result found;
    long result = vfs_call_path(call, 0, call->buffer_bytes, &path, &length);
    long start = result < 0 ? result : vfs_start_dir(call, dir);
    if (start < 0)
        return start;
    int follow = (flags & VFS_AT_SYMLINK_NOFOLLOW) ? 0 : PATH_FOLLOW;
    result = path_resolve(&vfs.names, start, path, length, follow, &found);
    return result < 0 ? result : found.inode;
}

enum vfs_action vfs_do_stat(struct vfs_call *call, const struct aramid_vfs_stat_request *request,
                            struct aramid_vfs_stat_reply *reply)
{
    const struct ofd *pipe;
    long inode = vfs_stat_target(call, request->dir, request->flags, &pipe);
    struct aramid_vfs_stat stat;
    if (inode < 0) {
        reply->result = inode;
        return VFS_REPLY;
    }
    if (pipe != NULL)
        stat = (struct aramid_vfs_stat){.mode = TMPFS_S_IFIFO | 0600, .nlink = 1,
                                        .ino = (unsigned long)pipe->object + 1,
                                        .blksize = TMPFS_PAGE_SIZE, .dev = 100};
    else
        vfs_stat_fill(inode, &stat);
    memcpy(call->reply_buffer, &stat, sizeof(stat));
    call->reply_bytes = sizeof(stat);
    reply->result = 0;
    return VFS_REPLY;
}

/* Linux's magic numbers and flags for statfs. */
#define VFS_TMPFS_MAGIC 0x01021994ul
#define VFS_PIPEFS_MAGIC 0x50495045ul
#define VFS_PROC_MAGIC 0x9fa0ul
#define VFS_ST_VALID 0x20ul
#define VFS_ST_RELATIME 0x1000ul

/*
 * statfs: the file system of the inode. Sizes in pages. /tmp (a page limit) reports its
 * limit; a file system without one (/, /dev) what it holds plus the machine's free frames,
 * which is all it could grow to (Linux's tmpfs reports a configured size instead); /proc, as
 * Linux's, no sizes at all. files: the inode table all file systems share.
 */
enum vfs_action vfs_do_statfs(struct vfs_call *call, const struct aramid_vfs_statfs_request *request,
                              struct aramid_vfs_statfs_reply *reply)
{
    const struct ofd *pipe;
    long inode = vfs_stat_target(call, request->dir, request->flags, &pipe);
    struct aramid_vfs_statfs statfs = {.bsize = TMPFS_PAGE_SIZE, .frsize = TMPFS_PAGE_SIZE,
                                       .namelen = TMPFS_NAME_MAX, .flags = VFS_ST_VALID};
    if (inode < 0) {
        reply->result = inode;
        return VFS_REPLY;
    }
    if (pipe != NULL) {
        statfs.type = VFS_PIPEFS_MAGIC;
    } else if (vfs.tmpfs.inodes[inode].fs == vfs.tmpfs.inodes[vfs.proc_root].fs) {
        statfs.type = VFS_PROC_MAGIC;
        statfs.flags |= VFS_ST_RELATIME;
    } else {
        unsigned fs_number = vfs.tmpfs.inodes[inode].fs;
        const struct tmpfs_fs *fs = &vfs.tmpfs.file_systems[fs_number];
        struct aramid_memory_stats memory = {0};
        if (sys_kernel_stats(ARAMID_STATS_MEMORY, &memory, sizeof(memory)) < 0)
            memory.free_frames = 0;
        unsigned long free_inodes = 0;
        for (long i = 1; i < TMPFS_INODES_MAX; i++)
            free_inodes += vfs.tmpfs.inodes[i].mode == 0;
        statfs.type = VFS_TMPFS_MAGIC;
        statfs.flags |= VFS_ST_RELATIME;
        statfs.fsid = fs_number;
        if (fs->page_limit != 0) {
            statfs.blocks = fs->page_limit;
            statfs.bfree = fs->pages_used < fs->page_limit ? fs->page_limit - fs->pages_used : 0;
        } else {
            statfs.blocks = fs->pages_used + memory.free_frames;
            statfs.bfree = memory.free_frames;
        }
        statfs.bavail = statfs.bfree;
        statfs.files = TMPFS_INODES_MAX - 1;
        statfs.ffree = free_inodes;
    }
    memcpy(call->reply_buffer, &statfs, sizeof(statfs));
    call->reply_bytes = sizeof(statfs);
    reply->result = 0;
    return VFS_REPLY;
}

/* getdents: records packed into the session's shared buffer. */
struct vfs_dirent_writer {
    unsigned char *out;
    size_t length;
    size_t used;
};

static int vfs_dirent_emit(void *context, long inode, unsigned type, const char *name,
                           size_t length, unsigned long next_cookie)
{
    struct vfs_dirent_writer *writer = context;
    size_t name_at = __builtin_offsetof(struct aramid_vfs_dirent, name);
    size_t record = (name_at + length + 1 + 7) & ~(size_t)7;
    if (writer->used + record > writer->length)
        return 1;
    struct aramid_vfs_dirent header = {.ino = (unsigned long)inode,
                                       .off = (long)next_cookie,
                                       .reclen = (unsigned short)record,
                                       .type = (unsigned char)type};
    unsigned char *at = writer->out + writer->used;
    memset(at, 0, record);
    memcpy(at, &header, name_at);
    memcpy(at + name_at, name, length);
    writer->used += record;
    return 0;
}

enum vfs_action vfs_do_getdents(struct vfs_call *call,
                                const struct aramid_vfs_getdents_request *request,
                                struct aramid_vfs_getdents_reply *reply)
{
    struct ofd *ofd = ofd_find(&vfs.ofds, call->process, request->ofd);
    if (ofd == NULL) {
        reply->result = -ARAMID_EBADF;
        return VFS_REPLY;
    }
    if (ofd->kind != OFD_FILE || !TMPFS_IS_DIR(vfs.tmpfs.inodes[ofd->inode].mode)) {
        reply->result = -ARAMID_ENOTDIR;
        return VFS_REPLY;
    }
    size_t length = (unsigned long)request->length;
    if (length > VFS_SESSION_BUFFER)
        length = VFS_SESSION_BUFFER;
    struct vfs_dirent_writer writer = {.out = call->shared, .length = length};
    long emitted = tmpfs_readdir(&vfs.tmpfs, ofd->inode, &ofd->offset, vfs_dirent_emit, &writer);
    if (emitted == 0 && writer.used == 0 && ofd->offset < 2 + vfs.tmpfs.inodes[ofd->inode].entries)
        reply->result = -ARAMID_EINVAL; /* the buffer cannot hold the next record */
    else
        reply->result = emitted < 0 ? emitted : (long)writer.used;
    return VFS_REPLY;
}

enum vfs_action vfs_do_ftruncate(struct vfs_call *call,
                                 const struct aramid_vfs_ftruncate_request *request,
                                 struct aramid_vfs_ftruncate_reply *reply)
{
    struct ofd *ofd = ofd_find(&vfs.ofds, call->process, request->ofd);
    if (ofd == NULL)
        reply->result = -ARAMID_EBADF;
    else if (request->length < 0)
        reply->result = -ARAMID_EINVAL;
    else if (ofd->kind != OFD_FILE || !TMPFS_IS_REG(vfs.tmpfs.inodes[ofd->inode].mode) ||
             (ofd->flags & VFS_O_ACCMODE) == VFS_O_RDONLY)
        reply->result = -ARAMID_EINVAL; /* Linux: not a regular file open for writing */
    else
        reply->result = tmpfs_truncate(&vfs.tmpfs, ofd->inode, (unsigned long)request->length);
    return VFS_REPLY;
}

enum vfs_action vfs_do_setfl(struct vfs_call *call, const struct aramid_vfs_setfl_request *request,
                             struct aramid_vfs_setfl_reply *reply)
{
    struct ofd *ofd = ofd_find(&vfs.ofds, call->process, request->ofd);
    if (ofd == NULL) {
        reply->result = -ARAMID_EBADF;
        return VFS_REPLY;
    }
    int settable = VFS_O_APPEND | VFS_O_NONBLOCK;
    ofd->flags = (ofd->flags & ~settable) | ((int)request->status & settable);
    reply->result = 0;
    return VFS_REPLY;
}

enum vfs_action vfs_do_pipe(struct vfs_call *call, const struct aramid_vfs_pipe_request *request,
                            struct aramid_vfs_pipe_reply *reply)
{
    long object = -1;
    for (long i = 0; i < VFS_PIPES_MAX && object < 0; i++) {
        if (!vfs.pipes[i].used)
            object = i;
    }
    if (object < 0) {
        reply->result = -ARAMID_ENFILE;
        return VFS_REPLY;
    }
    vfs.pipes[object] = (struct vfs_pipe_object){.used = true};
    pipe_init(&vfs.pipes[object].pipe);
    int nonblock = (int)request->flags & VFS_O_NONBLOCK;
    long read_end = vfs_pipe_end(call->process, object, VFS_O_RDONLY | nonblock);
    long write_end = read_end < 0 ? read_end : vfs_pipe_end(call->process, object, VFS_O_WRONLY | nonblock);
    if (write_end < 0) {
        if (read_end >= 0)
            (void)vfs_ofd_close(call->process, read_end);
        else
            vfs_pipe_put(object);
        reply->result = write_end;
        return VFS_REPLY;
    }
    reply->result = read_end;
    reply->write = write_end;
    return VFS_REPLY;
}

enum vfs_action vfs_do_lock(struct vfs_call *call, const struct aramid_vfs_lock_request *request,
                            struct aramid_vfs_lock_reply *reply)
{
    struct ofd *ofd = ofd_find(&vfs.ofds, call->process, request->ofd);
    if (ofd == NULL) {
        reply->result = -ARAMID_EBADF;
        return VFS_REPLY;
    }
    if (ofd->kind != OFD_FILE) {
        reply->result = -ARAMID_EINVAL;
        return VFS_REPLY;
    }
    int access = ofd->flags & VFS_O_ACCMODE;
    if ((request->type == LOCK_READ && access == VFS_O_WRONLY && request->command != VFS_LOCK_GET) ||
        (request->type == LOCK_WRITE && access == VFS_O_RDONLY && request->command != VFS_LOCK_GET)) {
        reply->result = -ARAMID_EBADF;
        return VFS_REPLY;
    }
    long base;
    if (request->whence == VFS_SEEK_SET)
        base = 0;
    else if (request->whence == VFS_SEEK_CUR)
        base = (long)ofd->offset;
    else if (request->whence == VFS_SEEK_END)
        base = (long)vfs.tmpfs.inodes[ofd->inode].size;
    else {
        reply->result = -ARAMID_EINVAL;
        return VFS_REPLY;
    }
    long start = base + request->start, length = request->length;
    if (length < 0) {
        start += length;
        length = -length;
    }
    if (start < 0) {
        reply->result = -ARAMID_EINVAL;
        return VFS_REPLY;
    }
    unsigned long end = length == 0 ? LOCK_END_OF_FILE : (unsigned long)(start + length);
    if (request->command == VFS_LOCK_GET) {
        struct lock_range conflict;
        if (request->type != LOCK_READ && request->type != LOCK_WRITE) {
            reply->result = -ARAMID_EINVAL;
        } else if (lock_test(&vfs.locks, ofd->inode, call->process, (int)request->type,
                             (unsigned long)start, end, &conflict)) {
            reply->type = LOCK_UNLOCK;
            reply->start = start;
            reply->length = length;
        } else {
            reply->type = conflict.type;
            reply->start = (long)conflict.start;
            reply->length =
                conflict.end == LOCK_END_OF_FILE ? 0 : (long)(conflict.end - conflict.start);
            reply->pid = (long)conflict.owner; /* the kernel id; posix-shim cannot map it yet */
        }
        return VFS_REPLY;
    }
    long result = lock_set(&vfs.locks, ofd->inode, call->process, (int)request->type,
                           (unsigned long)start, end);
    if (result == -ARAMID_EAGAIN && request->command == VFS_LOCK_WAIT) {
        struct vfs_lock_wait wait = {.inode = ofd->inode, .type = (int)request->type,
                                     .start = (unsigned long)start, .end = end};
        return vfs_wait_hold(call, ARAMID_VFS_lock, VFS_WAIT_LOCK, 0, request->ofd, 0, false, &wait,
                             &reply->result);
    }
    if (result == 0)
        vfs_wait_retry(VFS_WAIT_LOCK, 0);
    reply->result = result;
    return VFS_REPLY;
}
