/* posix-shim's <sys/signal.h>, replacing newlib's: Linux's signal numbers, sigset_t, sigaction,
 * siginfo_t and flags, so that statuses and numbers mean the same as on Linux. */
#ifndef _SYS_SIGNAL_H
#define _SYS_SIGNAL_H

#include <sys/cdefs.h>
#include <sys/features.h>
#include <sys/types.h>
#include <sys/_sigset.h>
#include <sys/_timespec.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bit N-1 is signal N (N = 1..64), as in Linux's kernel sigset. */
#if !defined(_SIGSET_T_DECLARED)
#define _SIGSET_T_DECLARED
typedef __sigset_t sigset_t;
#endif

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGIOT SIGABRT
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCLD SIGCHLD
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPOLL SIGIO
#define SIGPWR 30
#define SIGSYS 31
#define SIGRTMIN 34
#define SIGRTMAX 64
#define NSIG 65
#define _NSIG NSIG

typedef void (*_sig_func_ptr)(int);

#define SIG_DFL ((_sig_func_ptr)0)
#define SIG_IGN ((_sig_func_ptr)1)
#define SIG_ERR ((_sig_func_ptr)-1)

union sigval {
    int sival_int;
    void *sival_ptr;
};

#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1
#define SIGEV_THREAD 2

struct sigevent {
    union sigval sigev_value;
    int sigev_signo;
    int sigev_notify;
    void (*sigev_notify_function)(union sigval);
    void *sigev_notify_attributes;
};

/* Linux's layout (128 bytes); the fields posix-shim fills: signo, code, pid, uid, status, addr. */
typedef struct {
    int si_signo;
    int si_errno;
    int si_code;
    int __si_pad0;
    union {
        int __si_pad[28];
        struct {
            pid_t __si_pid;
            uid_t __si_uid;
            int __si_status;
            union sigval __si_value;
            int __si_overrun; /* a POSIX timer's */
        } __si_process;
        struct {
            void *__si_addr;
        } __si_fault;
    } __si_fields;
} siginfo_t;

#define si_pid __si_fields.__si_process.__si_pid
#define si_uid __si_fields.__si_process.__si_uid
#define si_status __si_fields.__si_process.__si_status
#define si_value __si_fields.__si_process.__si_value
#define si_overrun __si_fields.__si_process.__si_overrun
#define si_addr __si_fields.__si_fault.__si_addr

/* si_code values (Linux's). */
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE -1
#define SI_TIMER -2
#define SI_MESGQ -3
#define SI_ASYNCIO -4
#define SI_TKILL -6
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRALN 1
#define BUS_ADRERR 2
#define ILL_ILLOPC 1
#define FPE_INTDIV 1
#define TRAP_BRKPT 1
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_TRAPPED 4
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

struct sigaction {
    union {
        _sig_func_ptr __sa_handler;
        void (*__sa_sigaction)(int, siginfo_t *, void *);
    } __sa_handlers;
    sigset_t sa_mask;
    int sa_flags;
    void (*sa_restorer)(void);
};
#define sa_handler __sa_handlers.__sa_handler
#define sa_sigaction __sa_handlers.__sa_sigaction

/* sa_flags (Linux's values). */
#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO 0x00000004
#define SA_ONSTACK 0x08000000
#define SA_RESTART 0x10000000
#define SA_NODEFER 0x40000000
#define SA_RESETHAND 0x80000000
#define SA_NOMASK SA_NODEFER
#define SA_ONESHOT SA_RESETHAND

#define MINSIGSTKSZ 2048
#define SIGSTKSZ 8192
#define SS_ONSTACK 1
#define SS_DISABLE 2

typedef struct sigaltstack {
    void *ss_sp;
    int ss_flags;
    size_t ss_size;
} stack_t;

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

int sigprocmask(int how, const sigset_t *set, sigset_t *old);
int pthread_sigmask(int how, const sigset_t *set, sigset_t *old);
int kill(pid_t pid, int signal);
int sigqueue(pid_t pid, int signal, const union sigval value);
int killpg(pid_t group, int signal);
int sigaction(int signal, const struct sigaction *action, struct sigaction *old);
int sigaddset(sigset_t *set, int signal);
int sigdelset(sigset_t *set, int signal);
int sigismember(const sigset_t *set, int signal);
int sigfillset(sigset_t *set);
int sigemptyset(sigset_t *set);
int sigpending(sigset_t *set);
int sigsuspend(const sigset_t *mask);
int sigaltstack(const stack_t *__restrict stack, stack_t *__restrict old);

#ifdef __cplusplus
}
#endif

#endif
