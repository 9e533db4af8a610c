/* posix-shim overlay of newlib's <limits.h>: adds SSIZE_MAX, which POSIX puts here, and says
 * what the vfs's pipes promise (PIPE_BUF, as Linux). */
#ifndef POSIX_SHIM_LIMITS_H
#define POSIX_SHIM_LIMITS_H

#include_next <limits.h>

#ifndef SSIZE_MAX
#define SSIZE_MAX __LONG_MAX__
#endif

/* Writes of up to this many bytes to a pipe are never split (servers/vfs/pipe.h). */
#undef PIPE_BUF
#define PIPE_BUF 4096

#endif
