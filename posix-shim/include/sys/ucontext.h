/* posix-shim's <sys/ucontext.h>: the third argument of an SA_SIGINFO handler, in Linux's x86-64
 * layout (glibc's names; sigset_t is posix-shim's 64-bit one). */
#ifndef _SYS_UCONTEXT_H
#define _SYS_UCONTEXT_H

#include <sys/signal.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef long long greg_t;
#define NGREG 23
#define __NGREG NGREG
typedef greg_t gregset_t[NGREG];

#if defined(_GNU_SOURCE) || __GNU_VISIBLE
enum {
    REG_R8 = 0,
#define REG_R8 REG_R8
    REG_R9,
#define REG_R9 REG_R9
    REG_R10,
#define REG_R10 REG_R10
    REG_R11,
#define REG_R11 REG_R11
    REG_R12,
#define REG_R12 REG_R12
    REG_R13,
#define REG_R13 REG_R13
    REG_R14,
#define REG_R14 REG_R14
    REG_R15,
#define REG_R15 REG_R15
    REG_RDI,
#define REG_RDI REG_RDI
    REG_RSI,
#define REG_RSI REG_RSI
    REG_RBP,
#define REG_RBP REG_RBP
    REG_RBX,
#define REG_RBX REG_RBX
    REG_RDX,
#define REG_RDX REG_RDX
    REG_RAX,
#define REG_RAX REG_RAX
    REG_RCX,
#define REG_RCX REG_RCX
    REG_RSP,
#define REG_RSP REG_RSP
    REG_RIP,
#define REG_RIP REG_RIP
    REG_EFL,
#define REG_EFL REG_EFL
    REG_CSGSFS,
#define REG_CSGSFS REG_CSGSFS
    REG_ERR,
#define REG_ERR REG_ERR
    REG_TRAPNO,
#define REG_TRAPNO REG_TRAPNO
    REG_OLDMASK,
#define REG_OLDMASK REG_OLDMASK
    REG_CR2
#define REG_CR2 REG_CR2
};
#endif

struct _libc_fpxreg {
    unsigned short significand[4];
    unsigned short exponent;
    unsigned short __glibc_reserved1[3];
};

struct _libc_xmmreg {
    unsigned int element[4];
};

/* The FXSAVE image. */
struct _libc_fpstate {
    unsigned short cwd, swd, ftw, fop;
    unsigned long long rip, rdp;
    unsigned int mxcsr, mxcr_mask;
    struct _libc_fpxreg _st[8];
    struct _libc_xmmreg _xmm[16];
    unsigned int __glibc_reserved1[24];
};

typedef struct _libc_fpstate *fpregset_t;

typedef struct {
    gregset_t gregs;
    fpregset_t fpregs; /* the interrupted code's x87/SSE state; changes to it are applied */
    unsigned long long __reserved1[8];
} mcontext_t;

typedef struct ucontext_t {
    unsigned long uc_flags;
    struct ucontext_t *uc_link;
    stack_t uc_stack;
    mcontext_t uc_mcontext;
    sigset_t uc_sigmask;
    struct _libc_fpstate __fpregs_mem;
    unsigned long long __ssp[4];
} ucontext_t;

#ifdef __cplusplus
}
#endif

#endif
