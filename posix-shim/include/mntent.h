/* Mounted file system tables (posix-shim; glibc's <mntent.h>): reading /proc/mounts-style files
 * with stdio (mntent.c). */
#ifndef _MNTENT_H
#define _MNTENT_H

#include <stdio.h>
#include <sys/cdefs.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MNTTAB "/etc/fstab"
#define MOUNTED "/etc/mtab"

#define MNTTYPE_IGNORE "ignore"
#define MNTTYPE_NFS "nfs"
#define MNTTYPE_SWAP "swap"
#define MNTOPT_DEFAULTS "defaults"
#define MNTOPT_RO "ro"
#define MNTOPT_RW "rw"
#define MNTOPT_SUID "suid"
#define MNTOPT_NOSUID "nosuid"
#define MNTOPT_NOAUTO "noauto"

struct mntent {
    char *mnt_fsname;
    char *mnt_dir;
    char *mnt_type;
    char *mnt_opts;
    int mnt_freq;
    int mnt_passno;
};

FILE *setmntent(const char *path, const char *mode);
struct mntent *getmntent(FILE *stream);
struct mntent *getmntent_r(FILE *stream, struct mntent *entry, char *buffer, int size);
int addmntent(FILE *stream, const struct mntent *entry);
int endmntent(FILE *stream);
char *hasmntopt(const struct mntent *entry, const char *option);

#ifdef __cplusplus
}
#endif

#endif
