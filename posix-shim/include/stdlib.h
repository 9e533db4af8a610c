/* posix-shim overlay of newlib's <stdlib.h>: hides newlib's itoa and utoa, which glibc does not
 * have, so Linux programs that define functions of those names (busybox does) compile; newlib's
 * __itoa and __utoa stay declared. Adds glibc's clearenv (environment.c). */
#ifndef POSIX_SHIM_STDLIB_H
#define POSIX_SHIM_STDLIB_H

#define itoa posix_shim_hidden_newlib_itoa
#define utoa posix_shim_hidden_newlib_utoa
#include_next <stdlib.h>
#undef itoa
#undef utoa

#ifdef __cplusplus
extern "C" {
#endif

int clearenv(void);

#ifdef __cplusplus
}
#endif

#endif
