/* posix-shim's <sys/ipc.h>: System V IPC keys and permissions (the ipc server), Linux's values
 * and x86-64 glibc's struct ipc_perm layout. */
#ifndef _SYS_IPC_H
#define _SYS_IPC_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IPC_CREAT 01000
#define IPC_EXCL 02000
#define IPC_NOWAIT 04000
#define IPC_RMID 0
#define IPC_SET 1
#define IPC_STAT 2
#define IPC_INFO 3
#define IPC_PRIVATE ((key_t)0)

/* 48 bytes as glibc's; uid, gid and mode are 32-bit there (newlib's uid_t is 16-bit). */
struct ipc_perm {
    int __key; /* key_t is 64-bit in newlib, 32-bit in glibc */
    unsigned int uid;
    unsigned int gid;
    unsigned int cuid;
    unsigned int cgid;
    unsigned int mode;
    unsigned short __seq;
    unsigned short __pad2;
    unsigned long __glibc_reserved1;
    unsigned long __glibc_reserved2;
};

/* glibc's: (id & 0xff) << 24 | (st_dev & 0xff) << 16 | (st_ino & 0xffff); -1 when path cannot
 * be stat'ed. */
key_t ftok(const char *path, int id);

#ifdef __cplusplus
}
#endif

#endif
