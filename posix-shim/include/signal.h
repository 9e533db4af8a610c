/* posix-shim's <signal.h>, replacing newlib's: Linux's numbering from <sys/signal.h>, and
 * signal/raise/psignal implemented by posix-shim (newlib's keep their own handler table). */
#ifndef _SIGNAL_H_
#define _SIGNAL_H_

#include "_ansi.h"
#include <sys/cdefs.h>
#include <sys/signal.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int sig_atomic_t;
typedef _sig_func_ptr sig_t;
typedef _sig_func_ptr sighandler_t;

_sig_func_ptr signal(int signal, _sig_func_ptr handler);
int raise(int signal);
void psignal(int signal, const char *prefix);
int pause(void);

#ifdef __cplusplus
}
#endif

#endif
