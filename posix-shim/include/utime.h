/* posix-shim overlay of newlib's <utime.h>: self-contained, as glibc's (newlib's needs time_t). */
#ifndef POSIX_SHIM_UTIME_H
#define POSIX_SHIM_UTIME_H

#include <sys/types.h>
#include_next <utime.h>

#endif
