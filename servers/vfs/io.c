/* vfs read and write: regular files, pipes and FIFOs, and the /dev devices. */
#include "vfs.h"

#include "kstring.h"

/* Fills buffer with /dev/random's bytes (xorshift64* over the RDRAND-or-clock seed). */
static void vfs_random_fill(unsigned char *buffer, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        if (i % 8 == 0) {
            unsigned long x = vfs.random_state;
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            vfs.random_state = x;
        }
        buffer[i] = (unsigned char)((vfs.random_state * 0x2545f4914f6cdd1dul) >> (8 * (i % 8)));
    }
}

static long vfs_device_read(unsigned long rdev, unsigned char *buffer, size_t length)
{
    switch (rdev) {
    case VFS_DEVICE_ZERO:
    case VFS_DEVICE_FULL:
        memset(buffer, 0, length);
        return (long)length;
    case VFS_DEVICE_RANDOM:
    case VFS_DEVICE_URANDOM:
        vfs_random_fill(buffer, length);
        return (long)length;
    default:
        return 0; /* null; the console reads end of file until the tty lands */
    }
}

static long vfs_device_write(unsigned long rdev, const unsigned char *buffer, size_t length)
{
    switch (rdev) {
    case VFS_DEVICE_FULL:
        return -ARAMID_ENOSPC;
    case VFS_DEVICE_TTY:
    case VFS_DEVICE_CONSOLE: {
        long result = sys_debug_write((const char *)buffer, length);
        return result < 0 ? result : (long)length;
    }
    default:
        return (long)length;
    }
}

/* read and write's positional bits past ARAMID_VFS_POSITIONAL: only NO_WAIT and PROBE, and a
 * probe only of a pipe. Out of line: only pipe transfers of shared-buffer threads have them. */
static __attribute__((noinline)) bool vfs_io_bits_valid(const struct ofd *ofd, long positional)
{
    bool pipe =
        ofd->kind == OFD_PIPE_READ || ofd->kind == OFD_PIPE_WRITE || ofd->kind == OFD_PIPE_BOTH;
    return !(positional & ~(long)(ARAMID_VFS_POSITIONAL | ARAMID_VFS_NO_WAIT | ARAMID_VFS_PROBE)) &&
           (pipe || !(positional & ARAMID_VFS_PROBE));
}

/* Checks the description, the length and the positional bits for a transfer through the shared
 * buffer. Inlined into read and write: pread is a benchmark. */
static inline __attribute__((always_inline)) struct ofd *vfs_io_ofd(struct vfs_call *call, long id,
                                                                    long length, long positional,
                                                                    int denied_access, long *error)
{
    struct ofd *ofd = ofd_find(&vfs.ofds, call->process, id);
    if (ofd == NULL || (ofd->flags & VFS_O_ACCMODE) == denied_access) {
        *error = -ARAMID_EBADF;
        return NULL;
    }
    if (length < 0 || (unsigned long)length > VFS_SESSION_BUFFER ||
        ((positional & ~(long)ARAMID_VFS_POSITIONAL) && !vfs_io_bits_valid(ofd, positional))) {
        *error = -ARAMID_EINVAL;
        return NULL;
    }
    return ofd;
}

long vfs_pipe_read(struct ofd *ofd, unsigned long process, unsigned char *buffer,
                   size_t length)
{
    if (!ofd_pipe_reads(ofd))
        return -ARAMID_EBADF;
    /* The caller does not use the ring (it would not ask here): the ring's bytes, older than
     * anything queued, come into the queue first. */
    vfs_pipe_ring_leave(ofd->object, process, VFS_PIPE_RING_READ_LEFT);
    long result = length == 0 ? 0 : pipe_read(&vfs.pipes[ofd->object].pipe, buffer, length);
    if (result > 0)
        vfs.pipes[ofd->object].write_events++; /* room for the writers: their event */
    return result;
}

long vfs_pipe_write(struct ofd *ofd, unsigned long process, const unsigned char *buffer,
                    size_t length)
{
    if (!ofd_pipe_writes(ofd))
        return -ARAMID_EBADF;
    vfs_pipe_ring_leave(ofd->object, process, VFS_PIPE_RING_WRITE_LEFT);
    long result = pipe_write(&vfs.pipes[ofd->object].pipe, buffer, length, vfs_page_alloc, NULL);
    if (result > 0)
        vfs.pipes[ofd->object].read_events++; /* each write is an edge for the readers */
    return result;
}

long vfs_pipe_probe(struct ofd *ofd, unsigned long process, bool write, size_t length)
{
    if (write ? !ofd_pipe_writes(ofd) : !ofd_pipe_reads(ofd))
        return -ARAMID_EBADF;
    /* The ring's bytes count too: the caller does not use the ring (it asks here). */
    vfs_pipe_ring_leave(ofd->object, process,
                        write ? VFS_PIPE_RING_WRITE_LEFT : VFS_PIPE_RING_READ_LEFT);
    const struct pipe *pipe = &vfs.pipes[ofd->object].pipe;
    if (!write)
        return pipe_readable(pipe) != 0 || pipe->writers == 0 ? 0 : -ARAMID_EAGAIN;
    /* A write of up to PIPE_BUF bytes goes in whole; a larger one as soon as a byte fits. */
    size_t needed = length <= PIPE_ATOMIC ? length : 1;
    return pipe->readers == 0 || pipe_writable(pipe) >= needed ? 0 : -ARAMID_EAGAIN;
}

/* A pipe read, write or probe (label; positional: its ARAMID_VFS_* bits) of length bytes
 * through the call's buffer, after its ring: between two processes, one whose ring the other
 * uses goes back to it (ARAMID_VFS_RING_USE, nothing done); else the transfer, kept (blocking)
 * or -EAGAIN (O_NONBLOCK, ARAMID_VFS_NO_WAIT) when it cannot go on, and one that moved bytes
 * lets the other side's held calls go on; the reply offers a ring when the pipe may have one
 * now. */
static enum vfs_action vfs_pipe_transfer(struct vfs_call *call, unsigned label, struct ofd *ofd,
                                         long id, size_t length, long positional, long *result,
                                         long *ring)
{
    if (vfs_pipe_ring_redirect(ofd->object, call->process)) {
        *ring = ARAMID_VFS_RING_USE;
        return VFS_REPLY;
    }
    bool write = label == ARAMID_VFS_write;
    *result = (positional & ARAMID_VFS_PROBE) ? vfs_pipe_probe(ofd, call->process, write, length)
              : write ? vfs_pipe_write(ofd, call->process, call->shared, length)
                      : vfs_pipe_read(ofd, call->process, call->shared, length);
    enum vfs_action action = VFS_REPLY;
    if (*result == -ARAMID_EAGAIN && !(ofd->flags & VFS_O_NONBLOCK) &&
        !(positional & ARAMID_VFS_NO_WAIT))
        action = vfs_wait_hold(call, label, VFS_WAIT_PIPE, ofd->object, id, (long)length,
                               (positional & ARAMID_VFS_PROBE) != 0, NULL, result);
    else if (*result > 0)
        vfs_wait_retry(VFS_WAIT_PIPE, ofd->object);
    *ring = (long)vfs_pipe_ring_offer(ofd->object, call->process);
    return action;
}

enum vfs_action vfs_do_read(struct vfs_call *call, const struct aramid_vfs_read_request *request,
                            struct aramid_vfs_read_reply *reply)
{
    long error = 0;
    struct ofd *ofd =
        vfs_io_ofd(call, request->ofd, request->length, request->positional, VFS_O_WRONLY, &error);
    if (ofd == NULL) {
        reply->result = error;
        return VFS_REPLY;
    }
    unsigned char *buffer = call->shared;
    size_t length = (size_t)request->length;
    switch (ofd->kind) {
    case OFD_FILE: {
        if (TMPFS_IS_DIR(vfs.tmpfs.inodes[ofd->inode].mode)) {
            reply->result = -ARAMID_EISDIR;
            break;
        }
        if ((request->positional & ARAMID_VFS_POSITIONAL) && request->offset < 0) {
            reply->result = -ARAMID_EINVAL;
            break;
        }
        bool positional = request->positional & ARAMID_VFS_POSITIONAL;
        unsigned long offset = positional ? (unsigned long)request->offset : ofd->offset;
        long result = tmpfs_read(&vfs.tmpfs, ofd->inode, offset, buffer, length);
        if (result > 0 && !positional)
            ofd->offset += (unsigned long)result;
        reply->result = result;
        break;
    }
    case OFD_DEVICE:
        reply->result = vfs_device_read(vfs.tmpfs.inodes[ofd->inode].rdev, buffer, length);
        break;
    case OFD_PIPE_READ:
    case OFD_PIPE_BOTH:
        if (request->positional & ARAMID_VFS_POSITIONAL) {
            reply->result = -ARAMID_ESPIPE;
            break;
        }
        return vfs_pipe_transfer(call, ARAMID_VFS_read, ofd, request->ofd, length,
                                 request->positional, &reply->result, &reply->ring);
    default:
        reply->result = -ARAMID_EBADF;
        break;
    }
    return VFS_REPLY;
}

enum vfs_action vfs_do_write(struct vfs_call *call, const struct aramid_vfs_write_request *request,
                             struct aramid_vfs_write_reply *reply)
{
    long error = 0;
    struct ofd *ofd =
        vfs_io_ofd(call, request->ofd, request->length, request->positional, VFS_O_RDONLY, &error);
    if (ofd == NULL) {
        reply->result = error;
        return VFS_REPLY;
    }
    const unsigned char *buffer = call->shared;
    size_t length = (size_t)request->length;
    switch (ofd->kind) {
    case OFD_FILE: {
        struct tmpfs_inode *node = &vfs.tmpfs.inodes[ofd->inode];
        if ((request->positional & ARAMID_VFS_POSITIONAL) && request->offset < 0) {
            reply->result = -ARAMID_EINVAL;
            break;
        }
        /* O_APPEND: every write goes at the end (pwrite too, as Linux does). */
        bool positional = request->positional & ARAMID_VFS_POSITIONAL;
        unsigned long offset = (ofd->flags & VFS_O_APPEND) ? node->size
                               : positional                ? (unsigned long)request->offset
                                                           : ofd->offset;
        long result = tmpfs_write(&vfs.tmpfs, ofd->inode, offset, buffer, length);
        if (result > 0 && !positional)
            ofd->offset = offset + (unsigned long)result;
        reply->result = result;
        break;
    }
    case OFD_DEVICE:
        reply->result = vfs_device_write(vfs.tmpfs.inodes[ofd->inode].rdev, buffer, length);
        break;
    case OFD_PIPE_WRITE:
    case OFD_PIPE_BOTH:
        if (request->positional & ARAMID_VFS_POSITIONAL) {
            reply->result = -ARAMID_ESPIPE;
            break;
        }
        return vfs_pipe_transfer(call, ARAMID_VFS_write, ofd, request->ofd, length,
                                 request->positional, &reply->result, &reply->ring);
    default:
        reply->result = -ARAMID_EBADF;
        break;
    }
    return VFS_REPLY;
}
