/* Synchronous IPC on endpoints (call, wait, reply-and-wait, with a fastpath) and asynchronous
 * notifications. */
#ifndef ARAMID_IPC_H
#define ARAMID_IPC_H

#include <stdint.h>

#include "list.h"
#include "timer_queue.h"
#include "trap.h"

struct process;
struct thread;

/* Invariant: a thread is on at most one of the queues below, linked by its wait_link, and only
 * while blocked with wait WAIT_IPC_SEND or WAIT_IPC_RECEIVE on this endpoint. Each queued
 * thread and each held call that came through it (struct reply.via) holds a reference.
 * Locking (SMP later): one lock per endpoint guards the three queues. */
struct endpoint {
    uint32_t refcount;
    bool dead;              /* its owner died: calls fail with -EPIPE */
    struct process *owner;  /* the process that created it; not a reference. The endpoint lives
                               as long as its creator (a supervisor may create it and grant
                               RECEIVE to the server), whoever serves it. */
    struct list_node senders;
    struct list_node receivers;
    struct list_node cancels;    /* struct reply.cancel_link: cancel notices to deliver */
    struct list_node owner_link; /* on the owner's list of endpoints */
    struct quota *quota;         /* charged its size (endpoint_charge); one reference */
};

/* Invariant: bound_thread, when set, holds a reference to this notification in its
 * bound_notification, and the two point at each other. A child (parent set) holds a reference
 * to its parent and is on the parent's ready list exactly while its bits are not zero.
 * Locking (SMP later): one lock per notification; a child takes its parent's after its own. */
struct notification {
    uint32_t refcount;
    uint64_t bits;
    struct list_node waiters;
    struct thread *bound_thread;
    struct thread *upcall_thread; /* holds a reference here in its upcall_notification */
    struct notification *parent;
    uint64_t key;                /* what a child reports to its parent's waiter */
    struct list_node ready_link; /* on parent->ready */
    struct list_node ready;      /* children with bits, oldest first */
    struct timer_entry timer;    /* timer_set: on the IPC timer queue while armed */
    uint64_t timer_period;
    uint64_t timer_bits;
    struct quota *quota; /* charged its size (notification_charge); one reference */
};

/* Each endpoint and notification is charged its size to a quota (its creator's), given back
 * when it is freed. 0, or -ENOMEM when the quota cannot take it (then nothing changes). */
int endpoint_charge(struct endpoint *endpoint, struct quota *quota);
int notification_charge(struct notification *notification, struct quota *quota);
struct endpoint *endpoint_create(struct process *owner);
void endpoint_get(struct endpoint *endpoint);
void endpoint_put(struct endpoint *endpoint);
/* A plain notification (parent NULL) or a child of parent reporting key. */
struct notification *notification_create(struct notification *parent, uint64_t key);
void notification_get(struct notification *notification);
void notification_put(struct notification *notification);

/* System calls; frame is the caller's user frame. They return the value for rax, or do not
 * return when the caller blocks (the waker stores the result in the frame). */
long ipc_call(struct trap_frame *frame);
long ipc_wait(struct trap_frame *frame);
long ipc_reply_wait(struct trap_frame *frame);
long ipc_notify_signal(struct trap_frame *frame);
/* ORs bits into notification and wakes its bound thread or first waiter (kernel-side signal). */
void ipc_notification_signal(struct notification *notification, uint64_t bits);
long ipc_notify_wait(struct trap_frame *frame);
long ipc_notify_poll(struct trap_frame *frame);
long ipc_notify_bind(struct trap_frame *frame);
long ipc_reply(struct trap_frame *frame);
long ipc_timer_set(struct trap_frame *frame);
/* Timer interrupt: fires the notification timers due at now (nanoseconds). */
void ipc_timers_expire(uint64_t now);
/* A deadline of thread passed (the scheduler took it off its timeout queue): a queued wait ends
 * with -ETIMEDOUT, a sleep with 0, and a call a server holds is cancelled. */
void ipc_timeout(struct thread *thread);
/* Gives a new user thread its reply slot. -ENOMEM when the table is full. */
int ipc_thread_init(struct thread *thread);
/*
 * The IPC fastpath (arch/x86_64/ipc_fastpath.c), called by the SYSCALL entry (entry.S) for
 * ENTRY_SYS_IPC_CALL and ENTRY_SYS_IPC_REPLY_WAIT with the handle, a partial frame of the
 * calling thread, and the info word (below 2^32: the stub checked) and the message still in its
 * registers (see entry.S for the calling convention). Returns NULL having changed nothing, and
 * the stub completes the frame and takes the slow path; or switches to another thread (this CPU's current thread, kernel stack,
 * FPU and address space become its) and returns that thread's frame, whose r14, r15 and (after
 * a call) rdi (what the receiver is told) and rbx, rbp, rip, rflags, rsp the stub loads before
 * SYSRET.
 */
struct trap_frame *ipc_fastpath_call(uint64_t handle);
struct trap_frame *ipc_fastpath_reply_wait(uint64_t handle);

/* Ends thread's interruptible wait (see syscall.h, upcalls) with -EINTR and makes it ready; a
 * call a server holds gets a cancel notice sent instead; no effect on other threads. */
void ipc_interrupt_wait(struct thread *thread);

/* A thread is dying: take it off any wait queue; a call it made that a server holds becomes
 * inert, and its reply slot goes back. */
void ipc_thread_exit(struct thread *thread);
/* process ended: its endpoints die and their queued callers get -EPIPE, and so does every
 * caller whose call it held. */
void ipc_process_exit(struct process *process);
/* endpoint dies now, whoever made it: its queued callers get -EPIPE, and so do later calls
 * (ipc_process_exit does this for its owner's endpoints; process.c for a dead system process's
 * RECEIVE handles). */
void ipc_endpoint_kill(struct endpoint *endpoint);

#endif
