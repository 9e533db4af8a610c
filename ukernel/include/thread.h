/* Threads: kernel stack, saved user registers, FPU state, and what a blocked thread waits for. */
#ifndef ARAMID_THREAD_H
#define ARAMID_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "cputime.h"
#include "futex_queue.h"
#include "list.h"
#include "runqueue.h"
#include "timer_queue.h"
#include "trap.h"

#define KERNEL_STACK_SIZE 16384
#define THREAD_PRIORITY_DEFAULT 16
#define REPLY_NONE UINT32_MAX

struct process;
struct handle_table;
struct fpu_state;
struct notification;

enum thread_state {
    THREAD_READY,   /* on a run queue */
    THREAD_RUNNING, /* the CPU's current thread */
    THREAD_BLOCKED, /* waiting: see wait */
    THREAD_DEAD,    /* exited; its stack is freed by the next switch */
};

enum thread_wait {
    WAIT_NONE,
    WAIT_SLEEP,
    WAIT_IPC_SEND,      /* on an endpoint's sender queue, message in its user frame */
    WAIT_IPC_RECEIVE,   /* on an endpoint's receiver queue */
    WAIT_IPC_REPLY,     /* called; a server holds the call (see reply_index) */
    WAIT_NOTIFICATION,
    WAIT_PROCESS_EXIT,
    WAIT_FUTEX,         /* on the wait-on-address queue by futex (futex.c) */
    WAIT_STOPPED,       /* ready to run, but its process is stopped (process_stop): on no queue */
};

/*
 * Invariant (stackless switching): a thread that is not running keeps no state on its kernel
 * stack except its user registers, the struct trap_frame at the very top of that stack. It is
 * resumed by returning to user mode through that frame; a blocking system call stores its result
 * in frame->rax before the thread runs again. Kernel threads (idle) restart at their entry.
 */
struct thread {
    struct process *process; /* NULL for kernel threads */
    struct handle_table *handles; /* &process->handles (one load on the IPC fastpath) */
    void *kernel_stack;      /* KERNEL_STACK_SIZE bytes */
    uint64_t stack_top;      /* kernel_stack + KERNEL_STACK_SIZE (one load on the IPC fastpath) */
    void (*kernel_entry)(void);
    struct fpu_state *fpu;
    struct rq_entry run_link;
    struct list_node process_link; /* on process->threads */
    struct list_node wait_link;    /* on an endpoint queue or a wait list while blocked */
    struct futex_waiter futex;     /* on the futex queue while blocked in WAIT_FUTEX */
    uint64_t fs_base;              /* its TLS pointer, loaded into FS.base when it runs */
    struct timer_entry timeout;    /* on the scheduler's timeout queue while a deadline runs */
    void *wait_object;             /* endpoint, notification or process waited on */
    uint64_t call_badge;  /* while queued in WAIT_IPC_SEND: the badge of the handle it used */
    uint64_t last_reply;  /* server side: token of the call it received last (0: none) */
    uint32_t reply_index; /* caller side: its slot in the reply table (REPLY_NONE: none) */
    struct notification *bound_notification; /* its bits also end this thread's IPC waits */
    struct notification *upcall_notification; /* signalling it upcalls this thread */
    uint64_t upcall_entry;                     /* user address of the upcall handler */
    bool upcall_pending;                       /* deliver at the next return to user mode */
    uint64_t upcall_stack_base; /* upcall_stack_set: frames go to its top unless rsp is on it */
    uint64_t upcall_stack_size; /* 0: frames go on the interrupted stack */
    uint64_t ipc_buffer_phys;    /* the frame behind this thread's IPC buffer page */
    uint64_t ipc_buffer_address; /* where that page is mapped in the process */
    struct cputime cpu_time; /* what it has run (cputime.h) */
    uint32_t id;
    uint32_t refcount; /* handles + 1 while alive */
    enum thread_state state;
    enum thread_wait wait;
    uint8_t priority;
    uint32_t better_priorities; /* the run-queue levels above priority: (1 << priority) - 1 */
    uint64_t robust_head; /* robust_list_set: user address of its list head, 0: none */
};

static inline struct trap_frame *thread_user_frame(const struct thread *thread)
{
    return (struct trap_frame *)thread->stack_top - 1;
}

static inline uint64_t thread_stack_top(const struct thread *thread)
{
    return thread->stack_top;
}

void thread_init_caches(void);
/* A user thread of process that will start at entry with rsp = stack, rdi = argument; it is
 * created blocked (call sched_wake to start it). NULL when out of memory. */
struct thread *thread_create_user(struct process *process, uint64_t entry, uint64_t stack,
                                  uint64_t argument);
struct thread *thread_create_kernel(void (*entry)(void), uint8_t priority);
void thread_get(struct thread *thread);
/* Thread objects not freed yet. */
uint32_t thread_count_alive(void);
void thread_put(struct thread *thread);
/* thread_tls_set(base): the running thread's FS base (its TLS pointer), kept per thread and
 * loaded with it (sched_load_user_context); 0 or a user address, else -EINVAL. */
long thread_tls_set(struct thread *self, uint64_t base);
/* Takes a thread that is not running off every queue and marks it dead; the last reference
 * frees it. The running thread is instead killed by sched_exit_current(). */
void thread_kill(struct thread *thread);
/* Frees the kernel stack and FPU state of a dead thread that no CPU is running on. */
void thread_release_resources(struct thread *thread);

#endif
