/* vfs file mappings: a regular file's data in a memory object that clients map (map). */
#include "vfs.h"

/*
 * mmap of a file: MAP_SHARED maps the object, MAP_PRIVATE maps it privately (the kernel's
 * ARAMID_MAP_PRIVATE: copy-on-write, asked without PROT_WRITE). The first map of a regular file
 * makes a memory object for it, maps it in vfs's space at the inode's window
 * (VFS_WINDOWS_START + inode * TMPFS_FILE_SIZE_MAX) and moves the file's data pages into it (tmpfs_window_attach): from then on tmpfs reads and
 * writes those pages, so read and write see what mappings store and the other way round. A map
 * reaching further grows the object (memory_object_resize: existing mappings keep their range)
 * and the window with it; data past the window stays in ordinary pages, which no mapping can
 * reach. The object lives until the inode goes (window_release) and every mapping of it is
 * unmapped. Invariant: vfs_window_objects[inode] != 0 exactly when the inode has a window.
 *
 * Clients map it with ARAMID_MAP_PAST_END, so their faults stop at the object's size, which
 * vfs keeps at the file's end in pages (at most the window): a touch of a page wholly past the
 * end is SIGBUS, as on Linux, also after a truncate while mapped (the kernel takes the pages
 * past a shrink out of those mappings); the partial last page reads zeros past the end (tmpfs
 * zeroes it at a truncate) and stores there never change the file's size. vfs's own window
 * mapping reaches every page whatever the size.
 */
#define VFS_WINDOWS_START 0x400000000000ul
_Static_assert(VFS_WINDOWS_START + TMPFS_INODES_MAX * TMPFS_FILE_SIZE_MAX <= ARAMID_USER_TOP,
               "every inode's window fits vfs's space");

/* Linux's PROT_WRITE. */
#define VFS_PROT_WRITE 0x2

static aramid_handle_t vfs_window_objects[TMPFS_INODES_MAX];

static unsigned char *vfs_window_address(long inode)
{
    return (unsigned char *)(VFS_WINDOWS_START + (unsigned long)inode * TMPFS_FILE_SIZE_MAX);
}

void vfs_window_release(void *context, long inode)
{
    (void)context;
    struct tmpfs_inode *node = &vfs.tmpfs.inodes[inode];
    if (node->window_pages != 0)
        (void)sys_vm_unmap(vfs.space, (unsigned long)node->window,
                           node->window_pages * TMPFS_PAGE_SIZE);
    (void)sys_handle_close(vfs_window_objects[inode]); /* the mappings keep the memory */
    vfs_window_objects[inode] = 0;
}

/* The object's size follows the file's end (rounded up to pages, at most the window). */
static void vfs_window_size(long inode)
{
    struct tmpfs_inode *node = &vfs.tmpfs.inodes[inode];
    unsigned long pages = (node->size + TMPFS_PAGE_SIZE - 1) / TMPFS_PAGE_SIZE;
    if (pages > node->window_pages)
        pages = node->window_pages;
    /* Within the object's slots: only the size changes, which cannot fail. */
    (void)sys_memory_object_resize(vfs_window_objects[inode], pages * TMPFS_PAGE_SIZE);
}

void vfs_window_resize(void *context, long inode, unsigned long size)
{
    (void)context;
    (void)size;
    vfs_window_size(inode);
}

/* The inode's window reaches pages pages (its object made or grown, mapped in vfs): 0, -errno. */
static long vfs_window_reach(long inode, unsigned long pages)
{
    struct tmpfs_inode *node = &vfs.tmpfs.inodes[inode];
    unsigned long have = node->window_pages;
    if (pages <= have)
        return 0;
    long result;
    if (vfs_window_objects[inode] == 0) {
        long object = sys_memory_object_create(pages * TMPFS_PAGE_SIZE);
        if (object < 0)
            return object;
        vfs_window_objects[inode] = object;
    } else {
        result = sys_memory_object_resize(vfs_window_objects[inode], pages * TMPFS_PAGE_SIZE);
        if (result < 0)
            return result;
    }
    unsigned char *window = vfs_window_address(inode);
    result = sys_vm_map(vfs.space, (unsigned long)window + have * TMPFS_PAGE_SIZE,
                        (pages - have) * TMPFS_PAGE_SIZE, ARAMID_PROT_READ | ARAMID_PROT_WRITE,
                        vfs_window_objects[inode], have * TMPFS_PAGE_SIZE);
    if (result == 0) {
        result = tmpfs_window_attach(&vfs.tmpfs, inode, window, pages);
        /* What it did not take is unmapped again: the window is what tmpfs holds. */
        if (node->window_pages < pages)
            (void)sys_vm_unmap(vfs.space,
                               (unsigned long)window + node->window_pages * TMPFS_PAGE_SIZE,
                               (pages - node->window_pages) * TMPFS_PAGE_SIZE);
    }
    if (node->window_pages == 0) { /* nothing attached: no window after all */
        (void)sys_handle_close(vfs_window_objects[inode]);
        vfs_window_objects[inode] = 0;
    } else {
        vfs_window_size(inode);
    }
    return result;
}

enum vfs_action vfs_do_map(struct vfs_call *call, const struct aramid_vfs_map_request *request,
                           struct aramid_vfs_map_reply *reply)
{
    struct ofd *ofd = ofd_find(&vfs.ofds, call->process, request->ofd);
    int access = ofd == NULL ? 0 : ofd->flags & VFS_O_ACCMODE;
    unsigned long offset = (unsigned long)request->offset;
    unsigned long length = (unsigned long)request->length;
    if (ofd == NULL) {
        reply->result = -ARAMID_EBADF;
        return VFS_REPLY;
    }
    if (ofd->kind != OFD_FILE || !TMPFS_IS_REG(vfs.tmpfs.inodes[ofd->inode].mode))
        reply->result = -ARAMID_ENODEV;
    else if (access == VFS_O_WRONLY ||
             ((request->prot & VFS_PROT_WRITE) && access != VFS_O_RDWR))
        reply->result = -ARAMID_EACCES;
    else if (offset % TMPFS_PAGE_SIZE != 0 || length == 0)
        reply->result = -ARAMID_EINVAL;
    else if (offset > TMPFS_FILE_SIZE_MAX || length > TMPFS_FILE_SIZE_MAX - offset)
        reply->result = -ARAMID_ENOMEM;
    else
        reply->result = vfs_window_reach(
            ofd->inode, (offset + length + TMPFS_PAGE_SIZE - 1) / TMPFS_PAGE_SIZE);
    if (reply->result == -ARAMID_ENOSPC)
        reply->result = -ARAMID_ENOMEM;
    if (reply->result < 0)
        return VFS_REPLY;
    unsigned long rights = ARAMID_RIGHT_READ | ARAMID_RIGHT_EXECUTE | ARAMID_RIGHT_MAP |
                           ARAMID_RIGHT_GRANT | (access == VFS_O_RDWR ? ARAMID_RIGHT_WRITE : 0);
    long copy = sys_handle_duplicate(vfs_window_objects[ofd->inode], rights);
    if (copy < 0) {
        reply->result = copy;
        return VFS_REPLY;
    }
    call->grant_out = copy;
    reply->result = 0;
    return VFS_REPLY;
}
