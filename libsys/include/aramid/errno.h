/* Error numbers libsys returns (negated) and the kernel's system calls give back: Linux's values. */
#ifndef ARAMID_ERRNO_H
#define ARAMID_ERRNO_H

/*
 * Prefixed so they never clash with a C library's <errno.h> (newlib's values differ from
 * Linux's); libsys/abi.c checks each against the kernel's kerrno.h at compile time.
 */
#define ARAMID_EPERM 1
#define ARAMID_ENOENT 2
#define ARAMID_ESRCH 3
#define ARAMID_EINTR 4
#define ARAMID_EIO 5
#define ARAMID_E2BIG 7
#define ARAMID_ENOEXEC 8
#define ARAMID_EBADF 9
#define ARAMID_ECHILD 10
#define ARAMID_EAGAIN 11
#define ARAMID_ENOMEM 12
#define ARAMID_EACCES 13
#define ARAMID_EFAULT 14
#define ARAMID_EBUSY 16
#define ARAMID_EEXIST 17
#define ARAMID_EINVAL 22
/* Socket and event errors the sock and event servers return (Linux's values). */
#define ARAMID_EPROTO 71
#define ARAMID_ENOTSOCK 88
#define ARAMID_EDESTADDRREQ 89
#define ARAMID_EPROTOTYPE 91
#define ARAMID_ENOPROTOOPT 92
#define ARAMID_EPROTONOSUPPORT 93
#define ARAMID_ESOCKTNOSUPPORT 94
#define ARAMID_EOPNOTSUPP 95
#define ARAMID_EAFNOSUPPORT 97
#define ARAMID_EADDRINUSE 98
#define ARAMID_EADDRNOTAVAIL 99
#define ARAMID_ECONNABORTED 103
#define ARAMID_ECONNRESET 104
#define ARAMID_ENOBUFS 105
#define ARAMID_EISCONN 106
#define ARAMID_ENOTCONN 107
#define ARAMID_ECONNREFUSED 111
#define ARAMID_ENOSPC 28
#define ARAMID_EMFILE 24
#define ARAMID_ENOTTY 25
#define ARAMID_ENOSPC 28
#define ARAMID_EPIPE 32
#define ARAMID_ENOSPC 28
#define ARAMID_ERANGE 34
#define ARAMID_ENOSYS 38
#define ARAMID_ETIMEDOUT 110
#define ARAMID_EMSGSIZE 90

/* File-system and descriptor errors the vfs server returns (Linux's values). */
#define ARAMID_ENXIO 6
#define ARAMID_EACCES 13
#define ARAMID_ENOTBLK 15
#define ARAMID_EXDEV 18
#define ARAMID_ENODEV 19
#define ARAMID_ENOTDIR 20
#define ARAMID_EISDIR 21
#define ARAMID_ENFILE 23
#define ARAMID_ENOTTY 25
#define ARAMID_ETXTBSY 26
#define ARAMID_EFBIG 27
#define ARAMID_ENOSPC 28
#define ARAMID_ESPIPE 29
#define ARAMID_EROFS 30
#define ARAMID_EMLINK 31
#define ARAMID_EDEADLK 35
#define ARAMID_ENAMETOOLONG 36
#define ARAMID_ENOLCK 37
#define ARAMID_ENOTEMPTY 39
#define ARAMID_ELOOP 40
#define ARAMID_EOVERFLOW 75
#define ARAMID_ENOMSG 42
#define ARAMID_EIDRM 43
#define ARAMID_EINPROGRESS 115
#define ARAMID_ECANCELED 125
#define ARAMID_ETOOMANYREFS 109

/* Largest errno a system call may return negated: results in [-ARAMID_ERRNO_MAX, -1] are errors. */
#define ARAMID_ERRNO_MAX 4095

#endif
