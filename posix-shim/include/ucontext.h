/* posix-shim's <ucontext.h>: ucontext_t for signal handlers (getcontext, setcontext,
 * makecontext and swapcontext are not there: docs/status.md). */
#ifndef _UCONTEXT_H
#define _UCONTEXT_H

#include <sys/ucontext.h>

#endif
