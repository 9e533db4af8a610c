/* posix-shim positioned and vectored I/O: pread, pwrite, readv, writev, preadv, pwritev over fd.c.
 */
#include <errno.h>
#include <limits.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "event.h"
#include "fd.h"
#include "shim.h"

/* Checks a vector: count within [0, UIO_MAXIOV], total length within ssize_t. */
static long uio_check(const struct iovec *vector, int count)
{
    if (count < 0 || count > UIO_MAXIOV)
        return -EINVAL;
    if (count > 0 && shim_check_readable(vector, (size_t)count * sizeof(vector[0])) != 0)
        return -EFAULT;
    size_t total = 0;
    for (int i = 0; i < count; i++) {
        if (vector[i].iov_len > (size_t)SSIZE_MAX - total)
            return -EINVAL;
        total += vector[i].iov_len;
    }
    return 0;
}

/* Transfers piece by piece; stops after a short transfer. Returns bytes moved, or the first
 * piece's -errno if nothing moved. */
static long uio_transfer(int fd, const struct iovec *vector, int count, int writing)
{
    long checked = uio_check(vector, count);
    if (checked < 0)
        return checked;
    size_t total = 0;
    for (int i = 0; i < count; i++)
        total += vector[i].iov_len;
    struct fd_file *file = fd_lookup(fd);
    if (total != 0 && file != NULL && file->backend == &socket_backend) {
        /* One sendmsg or recvmsg of the whole vector: a datagram or seqpacket socket moves
         * one message, as Linux's sock_write_iter and sock_read_iter. */
        struct msghdr message = {.msg_iov = (struct iovec *)vector, .msg_iovlen = (size_t)count};
        ssize_t moved = writing ? sendmsg(fd, &message, 0) : recvmsg(fd, &message, 0);
        return moved < 0 ? -errno : (long)moved;
    }
    long done = 0;
    for (int i = 0; i < count; i++) {
        if (vector[i].iov_len == 0)
            continue;
        long moved = writing ? fd_write(fd, vector[i].iov_base, vector[i].iov_len)
                             : fd_read(fd, vector[i].iov_base, vector[i].iov_len);
        if (moved < 0)
            return done > 0 ? done : moved;
        done += moved;
        if ((size_t)moved < vector[i].iov_len)
            break;
    }
    return done;
}

/* At an offset, leaving the description's offset as it was (fd_read_at / fd_write_at): piece
 * by piece, stopping after a short transfer. */
static long uio_transfer_at(int fd, const struct iovec *vector, int count, off_t offset,
                            int writing)
{
    long checked = uio_check(vector, count);
    if (checked < 0)
        return checked;
    if (fd_lookup(fd) == NULL)
        return -EBADF;
    long done = 0;
    for (int i = 0; i < count; i++) {
        if (vector[i].iov_len == 0)
            continue;
        long moved = writing ? fd_write_at(fd, vector[i].iov_base, vector[i].iov_len, offset + done)
                             : fd_read_at(fd, vector[i].iov_base, vector[i].iov_len, offset + done);
        if (moved < 0)
            return done > 0 ? done : moved;
        done += moved;
        if ((size_t)moved < vector[i].iov_len)
            break;
    }
    if (count == 0)
        return writing ? fd_write_at(fd, NULL, 0, offset) : fd_read_at(fd, NULL, 0, offset);
    return done;
}

ssize_t readv(int fd, const struct iovec *vector, int count)
{
    shim_cancel_point();
    return shim_return(uio_transfer(fd, vector, count, 0));
}

ssize_t writev(int fd, const struct iovec *vector, int count)
{
    shim_cancel_point();
    return shim_return(uio_transfer(fd, vector, count, 1));
}

ssize_t preadv(int fd, const struct iovec *vector, int count, off_t offset)
{
    shim_cancel_point();
    return shim_return(uio_transfer_at(fd, vector, count, offset, 0));
}

ssize_t pwritev(int fd, const struct iovec *vector, int count, off_t offset)
{
    shim_cancel_point();
    return shim_return(uio_transfer_at(fd, vector, count, offset, 1));
}

ssize_t pread(int fd, void *buffer, size_t length, off_t offset)
{
    shim_cancel_point();
    struct iovec piece = {.iov_base = buffer, .iov_len = length};
    return preadv(fd, &piece, 1, offset);
}

ssize_t pwrite(int fd, const void *buffer, size_t length, off_t offset)
{
    shim_cancel_point();
    struct iovec piece = {.iov_base = (void *)buffer, .iov_len = length};
    return pwritev(fd, &piece, 1, offset);
}
