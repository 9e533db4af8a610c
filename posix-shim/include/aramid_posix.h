/* Aramid-native access for programs built with the SDK: posix-shim's boot information and error
 * numbering. */
#ifndef ARAMID_POSIX_H
#define ARAMID_POSIX_H

#include <aramid/bootinfo.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The process's boot information: handles to its own process and address space, the boot
 * modules. Read-only; valid for the whole life of the process. */
const struct aramid_bootinfo *aramid_posix_bootinfo(void);

/* A libsys/kernel result (>= 0, or -errno in Linux's numbering) in this C library's numbering:
 * >= 0 unchanged, else -E... as <errno.h> defines it. */
long aramid_posix_error(long sys_result);

#ifdef __cplusplus
}
#endif

#endif
