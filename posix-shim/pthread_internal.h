/* posix-shim threads, internal: the thread control block at each thread's FS base, and the
 * futex helpers the synchronization objects share. */
#ifndef POSIX_SHIM_PTHREAD_INTERNAL_H
#define POSIX_SHIM_PTHREAD_INTERNAL_H

#include <pthread.h>
#include <aramid/syscall.h>
#include <reent.h>
#include <signal.h>
#include <stdbool.h>
#include <time.h>

/*
 * Layout of a created thread's one mapping (low to high): guard page(s), stack, TLS block,
 * control block. FS base = &control block (x86-64 TLS variant II: __thread variables sit just
 * below it, and self, the first word, is what %fs:0 reads). The main thread's block is mapped
 * at start (pthread_thread_init_main) and uses newlib's global struct _reent.
 * Invariants: exited is 1 while the thread runs and 0 once the kernel ended it
 * (thread_exit_wake); only then may its mapping go. detached is set once (pthread_detach or the
 * attribute); a detached thread's mapping is freed by a later pthread_create once exited is 0.
 */
struct shim_thread {
    struct shim_thread *self;
    struct _reent *reent;
    struct shim_thread *next; /* on the list of all threads (pthread.c), under its lock */
    void *(*start)(void *);
    void *argument;
    void *result;
    volatile unsigned exited;
    volatile int detached;
    volatile int joining;
    unsigned id;        /* the kernel's thread id: mutex owners */
    void *map;          /* the thread's mapping (NULL for the main thread) */
    size_t map_size;
    size_t map_guard;   /* its first map_guard bytes are PROT_NONE */
    volatile unsigned long signals_blocked; /* the thread's mask (signal.c) */
    volatile unsigned long signals_pending; /* sent to this thread (pthread_kill, routing) */
    long signals_notification;              /* its upcall notification; 0: the process's */
    struct aramid_upcall_frame *upcall_frame; /* of the upcall running handlers (signal.c) */
    unsigned long altstack_base; /* sigaltstack (sigaltstack.c); size 0: none */
    unsigned long altstack_size;
    volatile int cancel_pending;  /* pthread_cancel was called */
    int cancel_disabled;          /* PTHREAD_CANCEL_DISABLE */
    unsigned cancel_deferred;     /* newlib locks held (pthread_newlib.c): no cancellation */
    volatile int cancel_async;    /* PTHREAD_CANCEL_ASYNCHRONOUS: acted on in its upcalls */
    bool cancel_rekick;           /* its notification's timer kicks it (signal.c) */
    struct __pthread_cleanup *cleanup; /* innermost handler first */
    struct aramid_robust_head robust_head; /* robust mutexes it holds (pthread_sync.c) */
    unsigned robust_registered; /* the thread id the kernel has robust_head for (0: none) */
    void *ipc_buffer;          /* the thread's IPC buffer once asked (shm.c), for thread */
    unsigned ipc_buffer_owner; /* the id it was asked for: a fork child's thread is another */
    unsigned char *vfs_buffer; /* its vfs shared buffer once it moved data (vfs.c), NULL: none */
    unsigned vfs_buffer_index; /* that buffer's number in the vfs session */
    const void *values[PTHREAD_KEYS_MAX];
    unsigned key_sequence[PTHREAD_KEYS_MAX];
    struct _reent own_reent;
};

/* Not volatile, so the compiler may merge reads; code around a change of FS base (fork) reads
 * it with shim_thread_self_now instead. */
static inline struct shim_thread *shim_thread_self(void)
{
    struct shim_thread *self;
    __asm__("mov %%fs:0, %0" : "=r"(self));
    return self;
}

static inline struct shim_thread *shim_thread_self_now(void)
{
    struct shim_thread *self;
    __asm__ volatile("mov %%fs:0, %0" : "=r"(self) : : "memory");
    return self;
}

/* newlib's global struct _reent, the main thread's (pthread_newlib.c, which this reference
 * links into every program ahead of libc.a's lock.o). */
struct _reent *pthread_newlib_main_reent(void);
/* Sets up the main thread's TLS and control block: before anything uses errno. */
void pthread_thread_init_main(void);
/* A fork child: the caller's FS base again, only the caller on the thread list, atfork child
 * handlers. prepare/parent run around the fork in fork() itself. */
void pthread_fork_prepare(void);
void pthread_fork_parent(void);
void pthread_fork_child_tls(struct shim_thread *self);
void pthread_fork_child(struct shim_thread *self);

/* Signals per thread (signal.c): a new thread's notification and upcall, its exit, and a
 * signal for one thread (-errno). pthread_find_unblocked: a live thread that does not block
 * bit, NULL if none or the thread list is busy (pthread.c). */
int signal_thread_start(struct shim_thread *self);
void signal_thread_exit(struct shim_thread *self);
long signal_send_thread(struct shim_thread *thread, int n);
/* Interrupts thread's blocking call (its upcall runs; the call returns EINTR or retries). */
void signal_kick_thread(struct shim_thread *thread);
struct shim_thread *pthread_find_unblocked(unsigned long bit);
/* pthread_exit of the thread holding the process's signal notification (signal.c). */
__attribute__((noreturn)) void signal_thread_linger(struct shim_thread *self);
bool signal_upcall_wants_altstack(const struct aramid_upcall_frame *frame, unsigned long bits);

/* Asynchronous cancellation (signal.c's upcall, pthread.c): true when self may be cancelled
 * now (a cancel pending, enabled, not deferred, not inside a posix-shim section that holds
 * handlers off). */
bool pthread_cancel_async_due(const struct shim_thread *self);

/* Handlers' ucontext_t (signal_context.c): runs an SA_SIGINFO handler with the registers of
 * the upcall the thread is in (or of the caller for a signal delivered without one) and
 * writes the handler's changes back; returns the mask to restore. */
unsigned long signal_context_run(int n, const struct sigaction *action, siginfo_t *info,
                                 unsigned long saved);
/* sigaltstack.c: a fork child's thread gets its alternate stack back from the kernel. */
void sigaltstack_fork_child(void);
/* The stack_t a handler's ucontext_t reports for interrupted stack pointer sp. */
void sigaltstack_describe(const struct shim_thread *thread, unsigned long sp, stack_t *out);

/* pthread_exit: every robust mutex the thread still holds is released with its owner dead
 * (the next locker gets EOWNERDEAD). A fork child's thread holds none (pthread_fork_child). */
void pthread_mutex_robust_exit(struct shim_thread *self);
void pthread_mutex_robust_fork_child(struct shim_thread *self);

/* Futex words: wait while *word == value until woken, a signal or deadline (absolute monotonic
 * ns, 0: none). 0, -EAGAIN, -ETIMEDOUT or -EINTR (newlib's numbers). */
long pthread_futex_wait(volatile unsigned *word, unsigned value, unsigned long deadline);
void pthread_futex_wake(volatile unsigned *word, unsigned count);
/* abstime on clock as a monotonic deadline; -EINVAL for a bad timespec. */
long pthread_deadline(clockid_t clock, const struct timespec *abstime, unsigned long *deadline);

#endif
