/* Device numbers (posix-shim; glibc's <sys/sysmacros.h>): Linux's encoding of major and minor.
 * newlib's dev_t has 16 bits, so a device number keeps 8 bits of each (Linux's old encoding, which
 * the full one reduces to for numbers below 256). */
#ifndef _SYS_SYSMACROS_H
#define _SYS_SYSMACROS_H

#define major(device) ((unsigned int)((((unsigned long long)(device) >> 32) & 0xfffff000u) | \
                                      (((unsigned long long)(device) >> 8) & 0xfffu)))
#define minor(device) ((unsigned int)((((unsigned long long)(device) >> 12) & 0xffffff00u) | \
                                      ((unsigned long long)(device) & 0xffu)))
#define makedev(major, minor) \
    ((((unsigned long long)(major) & 0xfffff000u) << 32) | \
     (((unsigned long long)(major) & 0xfffu) << 8) | \
     (((unsigned long long)(minor) & 0xffffff00u) << 12) | ((unsigned long long)(minor) & 0xffu))

#endif
