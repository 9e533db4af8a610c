/* posix-shim overlay of newlib's <limits.h>: adds SSIZE_MAX, which POSIX puts here. */
#ifndef POSIX_SHIM_LIMITS_H
#define POSIX_SHIM_LIMITS_H

#include_next <limits.h>

#ifndef SSIZE_MAX
#define SSIZE_MAX __LONG_MAX__
#endif

#endif
