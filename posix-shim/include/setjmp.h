/* posix-shim's <setjmp.h>, replacing newlib's: jmp_buf and sigjmp_buf one type as in glibc (the
 * registers, then whether the mask was saved and the mask), and the functions in setjmp.S. */
#ifndef _SETJMP_H_
#define _SETJMP_H_

#include "_ansi.h"
#include <sys/cdefs.h>

#ifdef __cplusplus
extern "C" {
#endif

/* rbx rbp r12 r13 r14 r15 rsp rip, then savemask, the signal mask and posix-shim's upcall
 * in progress (setjmp.S, signal_context.c). */
typedef long long jmp_buf[11];
typedef long long sigjmp_buf[11];

int setjmp(jmp_buf env) __attribute__((__returns_twice__));
void longjmp(jmp_buf env, int value) __attribute__((__noreturn__));
int _setjmp(jmp_buf env) __attribute__((__returns_twice__));
void _longjmp(jmp_buf env, int value) __attribute__((__noreturn__));
int sigsetjmp(sigjmp_buf env, int savemask) __attribute__((__returns_twice__));
void siglongjmp(sigjmp_buf env, int value) __attribute__((__noreturn__));

#ifdef __cplusplus
}
#endif

#endif
