/* posix-shim's additions to newlib's <fcntl.h>: Linux's pipe-size commands. */
#ifndef POSIX_SHIM_FCNTL_H
#define POSIX_SHIM_FCNTL_H

#include_next <fcntl.h>

#define F_SETPIPE_SZ 1031
#define F_GETPIPE_SZ 1032

#endif
