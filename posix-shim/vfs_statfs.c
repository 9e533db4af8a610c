/* statfs, fstatfs, statvfs, fstatvfs: answered by the vfs server for its files, by posix-shim
 * for descriptors of other servers (Linux's pseudo file systems). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

#include "fd.h"
#include "shim.h"
#include "vfs.h"

#define STATFS_SOCKFS_MAGIC 0x534f434bl
#define STATFS_ANON_INODE_MAGIC 0x09041934l
#define STATFS_PAGE 4096l
#define STATFS_ST_VALID 0x20l

/* Asks vfs about dir + the path already in the IPC buffer (bytes of it). */
static long statfs_call(long dir, long flags, size_t bytes, struct statfs *out)
{
    struct aramid_vfs_statfs_request request = {.dir = dir, .flags = flags};
    struct aramid_vfs_statfs_reply reply;
    size_t reply_bytes = 0, size;
    long result = 0;
    if (vfs_buffer(&size, &result) == NULL)
        return result; /* no session: none can be made */
    result = shim_error_from_sys(aramid_vfs_call_statfs(&request, bytes, &reply, &reply_bytes));
    if (result < 0)
        return result;
    struct aramid_vfs_statfs answer;
    if (reply_bytes != sizeof(answer))
        return -EIO;
    memcpy(&answer, (const void *)sys_ipc_buffer(), sizeof(answer));
    memset(out, 0, sizeof(*out));
    out->f_type = (long)answer.type;
    out->f_bsize = (long)answer.bsize;
    out->f_blocks = answer.blocks;
    out->f_bfree = answer.bfree;
    out->f_bavail = answer.bavail;
    out->f_files = answer.files;
    out->f_ffree = answer.ffree;
    out->f_fsid.__val[0] = (int)answer.fsid;
    out->f_namelen = (long)answer.namelen;
    out->f_frsize = (long)answer.frsize;
    out->f_flags = (long)answer.flags;
    return 0;
}

static long statfs_path(const char *path, struct statfs *out)
{
    if (!vfs_available())
        return -ENOSYS;
    long dir = VFS_AT_ROOT;
    long result = vfs_dir_of(AT_FDCWD, &dir);
    long bytes = result < 0 ? result : vfs_put_path(path, 0);
    if (bytes < 0)
        return bytes;
    if (bytes == 0)
        return -ENOENT;
    return statfs_call(dir, 0, (size_t)bytes, out);
}

static long statfs_descriptor(int fd, struct statfs *out)
{
    struct fd_file *file = fd_lookup(fd);
    if (file == NULL)
        return -EBADF;
    if (file->backend == &vfs_backend)
        return statfs_call(file->handle, VFS_AT_EMPTY_PATH, 0, out);
    if (file->backend == &console_backend)
        return statfs_path("/dev/console", out); /* the terminal lives in /dev */
    /* Sockets and event objects: Linux's sockfs and anonymous-inode file systems. */
    memset(out, 0, sizeof(*out));
    out->f_type = strcmp(file->backend->name, "socket") == 0 ? STATFS_SOCKFS_MAGIC
                                                            : STATFS_ANON_INODE_MAGIC;
    out->f_bsize = out->f_frsize = STATFS_PAGE;
    out->f_namelen = 255;
    out->f_flags = STATFS_ST_VALID;
    return 0;
}

/* glibc's conversion: the same counts, f_favail = f_ffree, flags without ST_VALID. */
static void statfs_to_statvfs(const struct statfs *in, struct statvfs *out)
{
    memset(out, 0, sizeof(*out));
    out->f_bsize = (unsigned long)in->f_bsize;
    out->f_frsize = (unsigned long)(in->f_frsize != 0 ? in->f_frsize : in->f_bsize);
    out->f_blocks = in->f_blocks;
    out->f_bfree = in->f_bfree;
    out->f_bavail = in->f_bavail;
    out->f_files = in->f_files;
    out->f_ffree = in->f_ffree;
    out->f_favail = in->f_ffree;
    out->f_fsid = (unsigned)in->f_fsid.__val[0] | (unsigned long)(unsigned)in->f_fsid.__val[1] << 32;
    out->f_flag = (unsigned long)(in->f_flags & ~STATFS_ST_VALID);
    out->f_namemax = (unsigned long)in->f_namelen;
}

/* Copies the answer out (EFAULT for a bad buffer, as the kernel would). */
static int statfs_return(long result, void *buffer, const void *answer, size_t size)
{
    if (result == 0 && shim_copy_out(buffer, answer, size) != 0)
        result = -EFAULT;
    return (int)shim_return(result);
}

int statfs(const char *path, struct statfs *buffer)
{
    struct statfs answer;
    return statfs_return(statfs_path(path, &answer), buffer, &answer, sizeof(answer));
}

int fstatfs(int fd, struct statfs *buffer)
{
    struct statfs answer;
    return statfs_return(statfs_descriptor(fd, &answer), buffer, &answer, sizeof(answer));
}

int statvfs(const char *path, struct statvfs *buffer)
{
    struct statfs answer;
    struct statvfs converted;
    long result = statfs_path(path, &answer);
    if (result == 0)
        statfs_to_statvfs(&answer, &converted);
    return statfs_return(result, buffer, &converted, sizeof(converted));
}

int fstatvfs(int fd, struct statvfs *buffer)
{
    struct statfs answer;
    struct statvfs converted;
    long result = statfs_descriptor(fd, &answer);
    if (result == 0)
        statfs_to_statvfs(&answer, &converted);
    return statfs_return(result, buffer, &converted, sizeof(converted));
}
