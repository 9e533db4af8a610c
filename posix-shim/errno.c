/* posix-shim errors: libsys's Linux errno values to newlib's, and the errno/-1 POSIX boundary. */
#include <errno.h>

#include "shim.h"

/* newlib names it only with __LINUX_ERRNO_EXTENSIONS__; the value is its own (124). */
#ifndef ESOCKTNOSUPPORT
#define ESOCKTNOSUPPORT 124
#endif

long shim_error_from_sys(long result)
{
    if (result >= 0 || result < -ARAMID_ERRNO_MAX)
        return result;
    switch (-result) {
    case ARAMID_EPERM:
        return -EPERM;
    case ARAMID_ENOENT:
        return -ENOENT;
    case ARAMID_ESRCH:
        return -ESRCH;
    case ARAMID_EINTR:
        return -EINTR;
    case ARAMID_EIO:
        return -EIO; /* a server died (aramid/proto/proto.h) */
    case ARAMID_E2BIG:
        return -E2BIG;
    case ARAMID_ENOEXEC:
        return -ENOEXEC;
    case ARAMID_EBADF:
        return -EBADF;
    case ARAMID_ECHILD:
        return -ECHILD;
    case ARAMID_EAGAIN:
        return -EAGAIN;
    case ARAMID_ENOMEM:
        return -ENOMEM;
    case ARAMID_EFAULT:
        return -EFAULT;
    case ARAMID_EBUSY:
        return -EBUSY;
    case ARAMID_EEXIST:
        return -EEXIST;
    case ARAMID_EINVAL:
        return -EINVAL;
    case ARAMID_EMFILE:
        return -EMFILE;
    case ARAMID_EPIPE:
        return -EPIPE;
    case ARAMID_ERANGE:
        return -ERANGE;
    case ARAMID_ENOSYS:
        return -ENOSYS;
    case ARAMID_ETIMEDOUT:
        return -ETIMEDOUT;
    /* The sock and event servers' errors. */
    case ARAMID_EPROTO:
        return -EPROTO;
    case ARAMID_ENOTSOCK:
        return -ENOTSOCK;
    case ARAMID_EDESTADDRREQ:
        return -EDESTADDRREQ;
    case ARAMID_EPROTOTYPE:
        return -EPROTOTYPE;
    case ARAMID_ENOPROTOOPT:
        return -ENOPROTOOPT;
    case ARAMID_EPROTONOSUPPORT:
        return -EPROTONOSUPPORT;
    case ARAMID_ESOCKTNOSUPPORT:
        return -ESOCKTNOSUPPORT;
    case ARAMID_EOPNOTSUPP:
        return -EOPNOTSUPP;
    case ARAMID_EAFNOSUPPORT:
        return -EAFNOSUPPORT;
    case ARAMID_EADDRINUSE:
        return -EADDRINUSE;
    case ARAMID_EADDRNOTAVAIL:
        return -EADDRNOTAVAIL;
    case ARAMID_ECONNABORTED:
        return -ECONNABORTED;
    case ARAMID_ECONNRESET:
        return -ECONNRESET;
    case ARAMID_ENOBUFS:
        return -ENOBUFS;
    case ARAMID_EISCONN:
        return -EISCONN;
    case ARAMID_ENOTCONN:
        return -ENOTCONN;
    case ARAMID_ECONNREFUSED:
        return -ECONNREFUSED;
    case ARAMID_ELOOP:
        return -ELOOP;
    case ARAMID_ENFILE:
        return -ENFILE;
    case ARAMID_ENOTDIR:
        return -ENOTDIR;
    case ARAMID_ENAMETOOLONG:
        return -ENAMETOOLONG;
    case ARAMID_EMSGSIZE:
        return -EMSGSIZE;
    case ARAMID_ENXIO:
        return -ENXIO;
    case ARAMID_EACCES:
        return -EACCES;
    case ARAMID_EXDEV:
        return -EXDEV;
    case ARAMID_ENODEV:
        return -ENODEV;
    case ARAMID_EISDIR:
        return -EISDIR;
    case ARAMID_ENOTTY:
        return -ENOTTY;
    case ARAMID_ETXTBSY:
        return -ETXTBSY;
    case ARAMID_EFBIG:
        return -EFBIG;
    case ARAMID_ENOSPC:
        return -ENOSPC;
    case ARAMID_ESPIPE:
        return -ESPIPE;
    case ARAMID_EROFS:
        return -EROFS;
    case ARAMID_EMLINK:
        return -EMLINK;
    case ARAMID_EDEADLK:
        return -EDEADLK;
    case ARAMID_ENOLCK:
        return -ENOLCK;
    case ARAMID_ENOTEMPTY:
        return -ENOTEMPTY;
    case ARAMID_EOVERFLOW:
        return -EOVERFLOW;
    case ARAMID_ENOMSG:
        return -ENOMSG;
    case ARAMID_EIDRM:
        return -EIDRM;
    case ARAMID_EINPROGRESS:
        return -EINPROGRESS;
    case ARAMID_ECANCELED:
        return -ECANCELED;
    case ARAMID_ETOOMANYREFS:
        return -ETOOMANYREFS;
    default:
        return -EIO; /* a kernel error the shim does not know yet */
    }
}

long shim_return(long result)
{
    if (result >= 0)
        return result;
    errno = (int)-result;
    return -1;
}
