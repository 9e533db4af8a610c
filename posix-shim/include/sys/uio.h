/* Scatter/gather I/O (posix-shim): struct iovec, readv/writev, preadv/pwritev over descriptors. */
#ifndef _SYS_UIO_H_
#define _SYS_UIO_H_

#include <sys/cdefs.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct iovec {
    void *iov_base;
    size_t iov_len;
};

#ifndef UIO_MAXIOV
#define UIO_MAXIOV 1024
#endif

ssize_t readv(int fd, const struct iovec *vector, int count);
ssize_t writev(int fd, const struct iovec *vector, int count);
ssize_t preadv(int fd, const struct iovec *vector, int count, off_t offset);
ssize_t pwritev(int fd, const struct iovec *vector, int count, off_t offset);

#ifdef __cplusplus
}
#endif

#endif
