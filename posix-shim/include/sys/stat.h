/* posix-shim overlay of newlib's <sys/stat.h>: declares lstat (file.c) and mknod (vfs_pending.c), which
 * newlib declares only for a few other systems, and Linux's UTIME_NOW and UTIME_OMIT. */
#ifndef POSIX_SHIM_SYS_STAT_H
#define POSIX_SHIM_SYS_STAT_H

#include_next <sys/stat.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The special tv_nsec values of utimensat and futimens (Linux's). */
#ifndef UTIME_NOW
#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)
#endif

int lstat(const char *__restrict path, struct stat *__restrict buffer);
int mknod(const char *path, mode_t mode, dev_t device);

#ifdef __cplusplus
}
#endif

#endif
