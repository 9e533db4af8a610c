/* posix-shim's additions to newlib's <sys/stat.h>: lstat, mknod and the utimensat specials. */
#ifndef POSIX_SHIM_SYS_STAT_H
#define POSIX_SHIM_SYS_STAT_H

#include_next <sys/stat.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Linux's values (newlib defines them only for Cygwin). */
#ifndef UTIME_NOW
#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)
#endif

int lstat(const char *__restrict path, struct stat *__restrict status);
int mknod(const char *path, mode_t mode, dev_t device);

#ifdef __cplusplus
}
#endif

#endif
