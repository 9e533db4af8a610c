/* posix-shim overlay of newlib's <unistd.h>: adds what glibc declares there and newlib lacks
 * (pause, gettid). */
#ifndef POSIX_SHIM_UNISTD_H
#define POSIX_SHIM_UNISTD_H

#include_next <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

/* confstr's one name (newlib defines the _CS_* names only for Cygwin); glibc's number. */
#ifndef _CS_PATH
#define _CS_PATH 0
#endif

/* Waits for a signal (posix-shim's signal.c). */
int pause(void);

#if __BSD_VISIBLE || __GNU_VISIBLE
/* Sets the program break (over sbrk; Linux's brk(2) semantics: ENOMEM). */
int brk(void *address);
#endif

#if __GNU_VISIBLE
/* The calling thread's id (the kernel's thread id; not equal to getpid() for the first thread). */
pid_t gettid(void);
#endif

#ifdef __cplusplus
}
#endif

#endif
