/* File system statistics (posix-shim; Linux's struct statfs for x86-64). statfs and fstatfs
 * are answered by the vfs server (vfs_statfs.c). */
#ifndef _SYS_STATFS_H
#define _SYS_STATFS_H

#include <sys/cdefs.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    int __val[2];
} fsid_t;

struct statfs {
    long f_type;
    long f_bsize;
    unsigned long f_blocks;
    unsigned long f_bfree;
    unsigned long f_bavail;
    unsigned long f_files;
    unsigned long f_ffree;
    fsid_t f_fsid;
    long f_namelen;
    long f_frsize;
    long f_flags;
    long f_spare[4];
};

int statfs(const char *path, struct statfs *buffer);
int fstatfs(int fd, struct statfs *buffer);

#ifdef __cplusplus
}
#endif

#endif
