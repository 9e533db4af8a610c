/* posix-shim's <aio.h>: POSIX asynchronous I/O on worker threads (posix-shim/aio.c), as glibc
 * does it; glibc's values and struct aiocb fields. */
#ifndef POSIX_SHIM_AIO_H
#define POSIX_SHIM_AIO_H

#include <signal.h>
#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

struct aiocb {
    int aio_fildes;
    int aio_lio_opcode;
    int aio_reqprio;
    volatile void *aio_buf;
    size_t aio_nbytes;
    struct sigevent aio_sigevent;
    struct aiocb *__next_prio;
    int __abs_prio;
    int __policy;
    int __error_code;     /* EINPROGRESS until done (posix-shim/aio.c) */
    ssize_t __return_value;
    off_t aio_offset;
    char __glibc_reserved[32];
};

#define AIO_CANCELED 0
#define AIO_NOTCANCELED 1
#define AIO_ALLDONE 2
#define LIO_READ 0
#define LIO_WRITE 1
#define LIO_NOP 2
#define LIO_WAIT 0
#define LIO_NOWAIT 1
#define AIO_LISTIO_MAX 16 /* the least POSIX allows (_POSIX_AIO_LISTIO_MAX); more work too */

int aio_read(struct aiocb *request);
int aio_write(struct aiocb *request);
int aio_fsync(int operation, struct aiocb *request);
int aio_error(const struct aiocb *request);
ssize_t aio_return(struct aiocb *request);
int aio_suspend(const struct aiocb *const list[], int count, const struct timespec *timeout);
int aio_cancel(int descriptor, struct aiocb *request);
int lio_listio(int mode, struct aiocb *const list[], int count, struct sigevent *event);

#ifdef __cplusplus
}
#endif

#endif
