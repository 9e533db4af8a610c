/* /dev/shm: a directory that vfs fills from the ipc server's list of shared memory objects
 * and named semaphores whenever a path in it is used (ls, stat, open, unlink), as /proc. */
#include "vfs.h"

#include <aramid/proto/ipc.h>

#include "kstring.h"

/*
 * Linux shows every POSIX shared memory object as a file of /dev/shm (a named semaphore as
 * sem.NAME). Here the objects live in the ipc server; the files of /dev/shm are their images:
 * regular files with the object's mode and size and no data (a hole), rewritten at each
 * refresh (one shm_list call per 4 KiB of names), so stat, access and getdents need nothing
 * new. What reaches the object instead of its image: open (answered ARAMID_VFS_KIND_SHM with
 * the name: posix-shim opens the object, as shm_open) and unlink (the server's shm_unlink).
 * Invariant: after a refresh, the regular files of the directory are the server's objects.
 */

static bool vfs_shmfs_listed[TMPFS_INODES_MAX];

long vfs_shmfs_start(void)
{
    long dir = tmpfs_create(&vfs.tmpfs, vfs.dev_root, "shm", 3, TMPFS_S_IFDIR | 01777, 0);
    if (dir < 0)
        return dir;
    vfs.shm_root = dir;
    return 0;
}

/* The image of one object: made, or its mode and size brought up to date. */
static void vfs_shmfs_image(const struct aramid_ipcs_shm_entry *entry, const char *name)
{
    long inode = tmpfs_lookup(&vfs.tmpfs, vfs.shm_root, name, entry->length);
    unsigned mode = TMPFS_S_IFREG | (entry->mode & TMPFS_MODE_PERMISSIONS);
    if (inode > 0 && !TMPFS_IS_REG(vfs.tmpfs.inodes[inode].mode))
        return; /* a directory or a FIFO made there keeps the name */
    if (inode == -ARAMID_ENOENT)
        inode = tmpfs_create(&vfs.tmpfs, vfs.shm_root, name, entry->length, mode, 0);
    if (inode <= 0)
        return;
    unsigned long size = entry->size < TMPFS_FILE_SIZE_MAX ? entry->size : TMPFS_FILE_SIZE_MAX;
    if (vfs.tmpfs.inodes[inode].size != size)
        (void)tmpfs_truncate(&vfs.tmpfs, inode, size); /* a hole: no pages */
    vfs.tmpfs.inodes[inode].mode = mode;
    vfs_shmfs_listed[inode] = true;
}

void vfs_shmfs_refresh(void)
{
    if (vfs.ipc <= 0 || vfs.shm_root <= 0)
        return;
    memset(vfs_shmfs_listed, 0, sizeof(vfs_shmfs_listed));
    long start = 0;
    do {
        struct aramid_ipcs_shm_list_request request = {.start = start};
        struct aramid_ipcs_shm_list_reply reply;
        if (aramid_ipcs_call_shm_list(vfs.ipc, &request, 0, 0, &reply, NULL) < 0)
            return; /* the server does not answer: keep what is there */
        const unsigned char *records = (const unsigned char *)sys_ipc_buffer();
        size_t at = 0;
        for (long i = 0; i < reply.count; i++) {
            struct aramid_ipcs_shm_entry entry;
            memcpy(&entry, records + at, sizeof(entry));
            if (entry.length == 0 || entry.length > ARAMID_IPCS_NAME_MAX ||
                at + ARAMID_IPCS_SHM_ENTRY_BYTES(entry.length) > ARAMID_IPC_BUFFER_SIZE)
                break;
            vfs_shmfs_image(&entry, (const char *)records + at + sizeof(entry));
            at += ARAMID_IPCS_SHM_ENTRY_BYTES(entry.length);
        }
        start = reply.next;
    } while (start > 0);
    /* Images of objects that are gone go. */
    const struct tmpfs_inode *dir = &vfs.tmpfs.inodes[vfs.shm_root];
    for (long e = dir->first_entry, next; e >= 0; e = next) {
        const struct tmpfs_entry *entry = &vfs.tmpfs.entries[e];
        next = entry->next;
        if (TMPFS_IS_REG(vfs.tmpfs.inodes[entry->inode].mode) && !vfs_shmfs_listed[entry->inode])
            (void)tmpfs_unlink(&vfs.tmpfs, vfs.shm_root, entry->name, entry->name_length, false);
    }
}

bool vfs_shmfs_path(const struct vfs_call *call, long dir)
{
    static const char prefix[] = "/dev/shm";
    size_t prefix_length = sizeof(prefix) - 1;
    const char *path = call->buffer;
    size_t length = call->buffer_bytes;
    if (length > 0 && path[0] != '/') {
        struct ofd *ofd = dir == VFS_AT_ROOT ? NULL : ofd_find(&vfs.ofds, call->process, dir);
        return ofd != NULL && ofd->kind == OFD_FILE && ofd->inode == vfs.shm_root;
    }
    while (length > 1 && path[0] == '/' && path[1] == '/') {
        path++;
        length--;
    }
    return length >= prefix_length && memcmp(path, prefix, prefix_length) == 0 &&
           (length == prefix_length || path[prefix_length] == '/');
}

bool vfs_shmfs_object(const struct path_result *found)
{
    return vfs.shm_root > 0 && found->dir == vfs.shm_root &&
           (found->inode == 0 || TMPFS_IS_REG(vfs.tmpfs.inodes[found->inode].mode));
}

long vfs_shmfs_open(struct vfs_call *call, const struct path_result *found)
{
    memcpy(call->reply_buffer, found->name, found->name_length + 1);
    call->reply_bytes = found->name_length + 1;
    return 0;
}

long vfs_shmfs_unlink(const struct path_result *found)
{
    if (vfs.ipc <= 0)
        return -ARAMID_ENOENT;
    memcpy((void *)sys_ipc_buffer(), found->name, found->name_length + 1);
    struct aramid_ipcs_shm_unlink_request request;
    struct aramid_ipcs_shm_unlink_reply reply;
    long result = aramid_ipcs_call_shm_unlink(vfs.ipc, &request, found->name_length + 1, 0,
                                              &reply, NULL);
    if (result == 0 || result == -ARAMID_ENOENT)
        (void)tmpfs_unlink(&vfs.tmpfs, found->dir, found->name, found->name_length, false);
    return result;
}
