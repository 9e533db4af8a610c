/* posix-shim overlay of newlib's <sys/features.h>: announces the POSIX options the shim provides.
 */
#ifndef POSIX_SHIM_SYS_FEATURES_H
#define POSIX_SHIM_SYS_FEATURES_H

#include_next <sys/features.h>

/* clock_gettime, clock_getres, nanosleep (time.c); CLOCK_MONOTONIC from sys_clock_monotonic. */
#ifndef _POSIX_TIMERS
#define _POSIX_TIMERS 1
#endif
#ifndef _POSIX_MONOTONIC_CLOCK
#define _POSIX_MONOTONIC_CLOCK 200112L
#endif
/* CLOCK_PROCESS_CPUTIME_ID and CLOCK_THREAD_CPUTIME_ID (cputime.c). */
#ifndef _POSIX_CPUTIME
#define _POSIX_CPUTIME 200112L
#endif
#ifndef _POSIX_THREAD_CPUTIME
#define _POSIX_THREAD_CPUTIME 200112L
#endif
/* clock_nanosleep (timer.c). */
#ifndef _POSIX_CLOCK_SELECTION
#define _POSIX_CLOCK_SELECTION 200112L
#endif

#endif
