/* posix-shim overlay of newlib's <sched.h>: declares sched_yield, which newlib hides without
 * _POSIX_PRIORITY_SCHEDULING (the other scheduling calls do not exist). */
#ifndef POSIX_SHIM_SCHED_H
#define POSIX_SHIM_SCHED_H

#include_next <sched.h>

#if !defined(_POSIX_THREADS) && !defined(_POSIX_PRIORITY_SCHEDULING)
#ifdef __cplusplus
extern "C" {
#endif
int sched_yield(void);
#ifdef __cplusplus
}
#endif
#endif

#endif
