/* File system statistics, POSIX form (posix-shim; Linux's struct statvfs for x86-64). statvfs and
 * fstatvfs are answered by the vfs server (vfs_statfs.c). */
#ifndef _SYS_STATVFS_H
#define _SYS_STATVFS_H

#include <sys/cdefs.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Fields are unsigned long as on Linux (newlib's fsfilcnt_t has only 32 bits). */
struct statvfs {
    unsigned long f_bsize;
    unsigned long f_frsize;
    unsigned long f_blocks;
    unsigned long f_bfree;
    unsigned long f_bavail;
    unsigned long f_files;
    unsigned long f_ffree;
    unsigned long f_favail;
    unsigned long f_fsid;
    unsigned long f_flag;
    unsigned long f_namemax;
    int __f_spare[6];
};

#define ST_RDONLY 1
#define ST_NOSUID 2

int statvfs(const char *__restrict path, struct statvfs *__restrict buffer);
int fstatvfs(int fd, struct statvfs *buffer);

#ifdef __cplusplus
}
#endif

#endif
