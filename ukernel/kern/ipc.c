/* Synchronous IPC and notifications.
 *
 * Entry points: ipc_call, ipc_wait, ipc_reply_wait (slow paths), ipc_fastpath_call,
 * ipc_fastpath_reply_wait (tried first), ipc_notify_*, and the teardown hooks.
 *
 * A message is the sender's info word and message registers, read straight from its user frame
 * (mr0..mr5 = rdx, r10, r8, r9, r12, r13), plus up to 4 KiB copied between the two threads'
 * IPC buffer frames through the direct map. A caller blocked in WAIT_IPC_SEND keeps its message
 * in its frame until a receiver takes it. The reply goes to server->reply_to, a one-shot link
 * that either side's death breaks. */
#include <stdbool.h>
#include <stdint.h>

#include "handle.h"
#include "ipc.h"
#include "kerrno.h"
#include "kstring.h"
#include "layout.h"
#include "memory.h"
#include "object.h"
#include "percpu.h"
#include "process.h"
#include "sched.h"
#include "sched_fast.h"
#include "thread.h"
#include "upcall.h"
#include "aramid/syscall.h"

#define unlikely(x) __builtin_expect(!!(x), 0)
/* Info bits a sender may set: label, buffer byte count, grant. */
#define IPC_INFO_VALID_BITS (0xffffffffull | (0x1fffull << 32) | ARAMID_IPC_GRANT)

struct endpoint *endpoint_create(struct process *owner)
{
    struct endpoint *endpoint = kmalloc(sizeof(*endpoint));
    if (!endpoint)
        return NULL;
    memset(endpoint, 0, sizeof(*endpoint));
    endpoint->refcount = 1;
    endpoint->owner = owner;
    list_init(&endpoint->senders);
    list_init(&endpoint->receivers);
    list_push_back(&owner->endpoints, &endpoint->owner_link);
    return endpoint;
}

void endpoint_get(struct endpoint *endpoint)
{
    endpoint->refcount++;
}

void endpoint_put(struct endpoint *endpoint)
{
    if (--endpoint->refcount != 0)
        return;
    if (list_node_is_linked(&endpoint->owner_link))
        list_remove(&endpoint->owner_link);
    kfree(endpoint);
}

struct notification *notification_create(void)
{
    struct notification *notification = kmalloc(sizeof(*notification));
    if (!notification)
        return NULL;
    memset(notification, 0, sizeof(*notification));
    notification->refcount = 1;
    list_init(&notification->waiters);
    return notification;
}

void notification_get(struct notification *notification)
{
    notification->refcount++;
}

void notification_put(struct notification *notification)
{
    if (--notification->refcount == 0)
        kfree(notification);
}

static struct thread *thread_of_wait_link(struct list_node *node)
{
    return list_entry(node, struct thread, wait_link);
}

/* Copies the message registers; the receiver's rax becomes 0 (success). */
static inline void copy_message_registers(struct trap_frame *to, const struct trap_frame *from)
{
    to->rax = 0;
    to->rsi = from->rsi;
    to->rdx = from->rdx;
    to->r10 = from->r10;
    to->r8 = from->r8;
    to->r9 = from->r9;
    to->r12 = from->r12;
    to->r13 = from->r13;
}

/* Delivers from's message (in from_frame) into to's frame. A grant moves the handle in mr5 from
 * the sender's table to the receiver's; if that fails the receiver sees no grant bit and 0. */
static void transfer_message(struct thread *from, const struct trap_frame *from_frame,
                             struct thread *to, struct trap_frame *to_frame, uint64_t badge)
{
    copy_message_registers(to_frame, from_frame);
    to_frame->rdi = badge;
    unsigned bytes = ARAMID_IPC_BUFFER_BYTES(from_frame->rsi);
    if (bytes)
        memcpy(phys_to_virt(to->ipc_buffer_phys), phys_to_virt(from->ipc_buffer_phys), bytes);
    if (from_frame->rsi & ARAMID_IPC_GRANT) {
        struct handle_info info;
        handle_t granted = -EBADF;
        if (handle_get_info(&from->process->handles, (handle_t)from_frame->r13, &info) == 0 &&
            (info.rights & HANDLE_RIGHT_GRANT)) {
            granted = handle_install(&to->process->handles, info.object, info.type, info.rights);
            if (granted > 0)
                handle_close(&from->process->handles, (handle_t)from_frame->r13, NULL, NULL);
        }
        if (granted > 0) {
            to_frame->r13 = (uint64_t)granted;
        } else {
            to_frame->rsi &= ~ARAMID_IPC_GRANT;
            to_frame->r13 = 0;
        }
    }
}

/* Checks a message before anything blocks: known info bits, buffer size, and a grant of a
 * live handle with the grant right (checked again when the message is delivered). */
static int validate_message(struct thread *self, const struct trap_frame *frame)
{
    uint64_t info = frame->rsi;
    if (info & ~IPC_INFO_VALID_BITS)
        return -EINVAL;
    if (ARAMID_IPC_BUFFER_BYTES(info) > ARAMID_IPC_BUFFER_SIZE)
        return -EINVAL;
    if (info & ARAMID_IPC_GRANT) {
        struct handle_info grant;
        int err = handle_get_info(&self->process->handles, (handle_t)frame->r13, &grant);
        if (err)
            return err;
        if (!(grant.rights & HANDLE_RIGHT_GRANT))
            return -EPERM;
    }
    return 0;
}

static int lookup_endpoint(struct thread *self, uint64_t handle, uint32_t right,
                           struct endpoint **endpoint)
{
    return handle_lookup(&self->process->handles, (handle_t)handle, HANDLE_TYPE_ENDPOINT, right,
                         (void **)endpoint);
}

/* The caller becomes reply-blocked on server and the CPU switches to server. */
static __attribute__((noreturn)) void call_switch_to_server(struct thread *self,
                                                            struct thread *server)
{
    server->reply_to = self;
    self->replying_server = server;
    self->state = THREAD_BLOCKED;
    self->wait = WAIT_IPC_REPLY;
    self->wait_object = server;
    sched_switch_to(server);
}

/* True when this CPU has a ready thread of higher priority (lower number) than priority. */
static inline bool better_thread_ready(unsigned priority)
{
    uint32_t nonempty = this_cpu()->runqueue.nonempty;
    return nonempty && (unsigned)__builtin_ctz(nonempty) < priority;
}

/*
 * The fastpath shape (seL4's): flat unlikely() guards that only read, each sending the call to
 * the slow path (return NULL) with nothing changed; then the point of no return, after which
 * nothing can fail. The message does not move here: the entry stub hands the caller's registers
 * to the next thread (see entry.S); only what differs per receiver goes into its frame.
 */
struct trap_frame *ipc_fastpath_call(struct trap_frame *frame)
{
    struct percpu *cpu = this_cpu();
    struct thread *self = cpu->current;
    struct endpoint *endpoint;

    /* Buffer bytes, a grant or unknown bits: the slow path copies and validates. */
    if (unlikely(frame->rsi >> 32))
        return NULL;
    /* A bad handle: the slow path reports the error. */
    if (unlikely(lookup_endpoint(self, frame->rdi, HANDLE_RIGHT_SEND, &endpoint) != 0))
        return NULL;
    /* Nobody waiting to receive: the caller must queue. */
    if (unlikely(list_is_empty(&endpoint->receivers)))
        return NULL;
    struct thread *server = thread_of_wait_link(endpoint->receivers.next);
    /* A better thread is ready: let the scheduler decide. */
    if (unlikely(better_thread_ready(server->priority)))
        return NULL;
    /* A thread to reap, an upcall to deliver, a PCID to allocate: the slow switch does those. */
    if (unlikely(!sched_switch_fast_ok(cpu, server)))
        return NULL;

    /* POINT OF NO RETURN */
    list_remove(&server->wait_link);
    endpoint->refcount--; /* the receiver's queue reference; the caller's handle keeps one */
    struct trap_frame *to = thread_user_frame(server);
    to->rdi = self->process->id;
    server->reply_to = self;
    self->replying_server = server;
    self->state = THREAD_BLOCKED;
    self->wait = WAIT_IPC_REPLY;
    self->wait_object = server;
    sched_switch_fast(cpu, server);
    return to;
}

long ipc_call(struct trap_frame *frame)
{
    struct thread *self = sched_current();
    struct endpoint *endpoint;
    int err = validate_message(self, frame);
    if (err)
        return err;
    err = lookup_endpoint(self, frame->rdi, HANDLE_RIGHT_SEND, &endpoint);
    if (err)
        return err;
    if (endpoint->dead)
        return -EPIPE;
    if (!list_is_empty(&endpoint->receivers)) {
        struct thread *server = thread_of_wait_link(endpoint->receivers.next);
        list_remove(&server->wait_link);
        transfer_message(self, frame, server, thread_user_frame(server), self->process->id);
        endpoint_put(endpoint);
        call_switch_to_server(self, server);
    }
    endpoint_get(endpoint);
    list_push_back(&endpoint->senders, &self->wait_link);
    sched_block_current(WAIT_IPC_SEND, endpoint);
}

/* Takes the first queued caller's message, if any, into frame. Returns 0 or -EAGAIN. */
static int receive_from_queue(struct thread *self, struct endpoint *endpoint,
                              struct trap_frame *frame)
{
    if (list_is_empty(&endpoint->senders))
        return -EAGAIN;
    struct thread *caller = thread_of_wait_link(endpoint->senders.next);
    list_remove(&caller->wait_link);
    endpoint_put(endpoint);
    transfer_message(caller, thread_user_frame(caller), self, frame, caller->process->id);
    self->reply_to = caller;
    caller->replying_server = self;
    caller->wait = WAIT_IPC_REPLY;
    caller->wait_object = self;
    return 0;
}

/* Puts a notification's bits into frame as a received message and clears them. */
static void deliver_notification(struct notification *notification, struct trap_frame *frame)
{
    frame->rax = 0;
    frame->rdi = 0;
    frame->rsi = ARAMID_IPC_NOTIFIED;
    frame->rdx = notification->bits;
    notification->bits = 0;
}

/* Pending bits of the caller's bound notification end a wait at once. Returns 0 or -EAGAIN. */
static int receive_notification(struct thread *self, struct trap_frame *frame)
{
    struct notification *notification = self->bound_notification;
    if (!notification || !notification->bits)
        return -EAGAIN;
    deliver_notification(notification, frame);
    return 0;
}

static __attribute__((noreturn)) void block_receiving(struct thread *self,
                                                      struct endpoint *endpoint)
{
    endpoint_get(endpoint);
    list_push_back(&endpoint->receivers, &self->wait_link);
    sched_block_current(WAIT_IPC_RECEIVE, endpoint);
}

/* The receive half of ipc_wait and ipc_reply_wait: a pending notification, a queued caller, or
 * block until one comes. */
static long receive(struct thread *self, struct trap_frame *frame)
{
    struct endpoint *endpoint;
    int err = lookup_endpoint(self, frame->rdi, HANDLE_RIGHT_RECEIVE, &endpoint);
    if (err)
        return err;
    if (endpoint->dead)
        return -EPIPE;
    if (receive_notification(self, frame) == 0 || receive_from_queue(self, endpoint, frame) == 0)
        return 0;
    block_receiving(self, endpoint);
}

long ipc_wait(struct trap_frame *frame)
{
    return receive(sched_current(), frame);
}

/* Delivers the reply in frame to self->reply_to and makes that caller ready. */
static void deliver_reply(struct thread *self, struct trap_frame *frame, bool wake)
{
    struct thread *caller = self->reply_to;
    self->reply_to = NULL;
    caller->replying_server = NULL;
    struct trap_frame *to = thread_user_frame(caller);
    transfer_message(self, frame, caller, to, 0);
    if (wake)
        sched_wake(caller);
}

struct trap_frame *ipc_fastpath_reply_wait(struct trap_frame *frame)
{
    struct percpu *cpu = this_cpu();
    struct thread *self = cpu->current;
    struct thread *caller = self->reply_to;
    struct endpoint *endpoint;

    /* Nothing to reply to: a plain wait, slow path. */
    if (unlikely(!caller))
        return NULL;
    /* Buffer bytes, a grant or unknown bits in the reply. */
    if (unlikely(frame->rsi >> 32))
        return NULL;
    if (unlikely(lookup_endpoint(self, frame->rdi, HANDLE_RIGHT_RECEIVE, &endpoint) != 0))
        return NULL;
    /* Another caller is already waiting: the server should take it, slow path. */
    if (unlikely(!list_is_empty(&endpoint->senders) || endpoint->dead))
        return NULL;
    /* Notification bits pending: the wait ends at once, slow path. */
    if (unlikely(self->bound_notification && self->bound_notification->bits))
        return NULL;
    /* A better thread is ready than the caller we would switch to. */
    if (unlikely(better_thread_ready(caller->priority)))
        return NULL;
    /* A thread to reap, an upcall to deliver, a PCID to allocate: the slow switch does those. */
    if (unlikely(!sched_switch_fast_ok(cpu, caller)))
        return NULL;

    /* POINT OF NO RETURN */
    self->reply_to = NULL;
    caller->replying_server = NULL;
    struct trap_frame *to = thread_user_frame(caller);
    to->rdi = 0;
    endpoint->refcount++;
    list_push_back(&endpoint->receivers, &self->wait_link);
    self->state = THREAD_BLOCKED;
    self->wait = WAIT_IPC_RECEIVE;
    self->wait_object = endpoint;
    sched_switch_fast(cpu, caller);
    return to;
}

/* The reply goes out first, whatever happens to the wait after it (a bad endpoint handle only
 * fails the wait). */
long ipc_reply_wait(struct trap_frame *frame)
{
    struct thread *self = sched_current();
    if (self->reply_to) {
        int err = validate_message(self, frame);
        if (err)
            return err;
        deliver_reply(self, frame, true);
    }
    return receive(self, frame);
}

static int lookup_notification(struct thread *self, uint64_t handle, uint32_t right,
                               struct notification **notification)
{
    return handle_lookup(&self->process->handles, (handle_t)handle, HANDLE_TYPE_NOTIFICATION,
                         right, (void **)notification);
}

void ipc_notification_signal(struct notification *notification, uint64_t bits)
{
    notification->bits |= bits;
    if (notification->upcall_thread) {
        if (notification->bits)
            upcall_signalled(notification);
        return;
    }
    struct thread *bound = notification->bound_thread;
    if (notification->bits && bound && bound->state == THREAD_BLOCKED &&
        bound->wait == WAIT_IPC_RECEIVE) {
        list_remove(&bound->wait_link);
        endpoint_put(bound->wait_object);
        deliver_notification(notification, thread_user_frame(bound));
        sched_wake(bound);
    } else if (notification->bits && !list_is_empty(&notification->waiters)) {
        struct thread *waiter = thread_of_wait_link(notification->waiters.next);
        list_remove(&waiter->wait_link);
        thread_user_frame(waiter)->rax = notification->bits;
        notification->bits = 0;
        sched_wake(waiter);
        notification_put(notification); /* the waiter's; the caller holds another */
    }
}

long ipc_notify_signal(struct trap_frame *frame)
{
    struct notification *notification;
    int err = lookup_notification(sched_current(), frame->rdi, HANDLE_RIGHT_SIGNAL, &notification);
    if (err)
        return err;
    ipc_notification_signal(notification, frame->rsi);
    return 0;
}

long ipc_notify_wait(struct trap_frame *frame)
{
    struct thread *self = sched_current();
    struct notification *notification;
    int err = lookup_notification(self, frame->rdi, HANDLE_RIGHT_WAIT, &notification);
    if (err)
        return err;
    if (notification->bits) {
        uint64_t bits = notification->bits;
        notification->bits = 0;
        return (long)bits;
    }
    notification_get(notification);
    list_push_back(&notification->waiters, &self->wait_link);
    sched_block_current(WAIT_NOTIFICATION, notification);
}

long ipc_notify_poll(struct trap_frame *frame)
{
    struct notification *notification;
    int err = lookup_notification(sched_current(), frame->rdi, HANDLE_RIGHT_WAIT, &notification);
    if (err)
        return err;
    uint64_t bits = notification->bits;
    notification->bits = 0;
    return (long)bits;
}

/* Ends the binding between thread and its notification, dropping the thread's reference. */
static void unbind_notification(struct thread *thread)
{
    struct notification *notification = thread->bound_notification;
    if (!notification)
        return;
    notification->bound_thread = NULL;
    thread->bound_notification = NULL;
    notification_put(notification);
}

long ipc_notify_bind(struct trap_frame *frame)
{
    struct thread *self = sched_current();
    struct notification *notification = NULL;
    if (frame->rdi) {
        int err = lookup_notification(self, frame->rdi, HANDLE_RIGHT_WAIT, &notification);
        if (err)
            return err;
        if (notification->bound_thread && notification->bound_thread != self)
            return -EBUSY;
    }
    unbind_notification(self);
    if (notification) {
        notification_get(notification);
        notification->bound_thread = self;
        self->bound_notification = notification;
    }
    return 0;
}

/* Takes a blocked thread off the queue it waits on (an endpoint's, a notification's or a
 * process's exit waiters), dropping the reference the queue held. Returns false when it was on
 * none of them. */
static bool leave_wait_queue(struct thread *thread)
{
    if (!list_node_is_linked(&thread->wait_link))
        return false;
    list_remove(&thread->wait_link);
    switch (thread->wait) {
    case WAIT_IPC_SEND:
    case WAIT_IPC_RECEIVE:
        endpoint_put(thread->wait_object);
        break;
    case WAIT_NOTIFICATION:
        notification_put(thread->wait_object);
        break;
    case WAIT_PROCESS_EXIT:
        process_put(thread->wait_object);
        break;
    default:
        break;
    }
    return true;
}

void ipc_interrupt_wait(struct thread *thread)
{
    if (thread->state != THREAD_BLOCKED)
        return;
    /* A sleeper is on the sleep queue, which sched_wake empties; a call whose server has it
     * (or no wait at all) is not interruptible. */
    if (!leave_wait_queue(thread) && thread->wait != WAIT_SLEEP)
        return;
    thread_user_frame(thread)->rax = (uint64_t)-EINTR;
    sched_wake(thread);
}

void ipc_thread_exit(struct thread *thread)
{
    unbind_notification(thread);
    upcall_clear(thread);
    leave_wait_queue(thread);
    /* A server dying with a reply owed: its caller gets -EPIPE. */
    if (thread->reply_to) {
        struct thread *caller = thread->reply_to;
        thread->reply_to = NULL;
        caller->replying_server = NULL;
        thread_user_frame(caller)->rax = (uint64_t)-EPIPE;
        sched_wake(caller);
    }
    /* A caller dying while a server holds its reply: the reply will go nowhere. */
    if (thread->replying_server) {
        thread->replying_server->reply_to = NULL;
        thread->replying_server = NULL;
    }
}

void ipc_process_exit(struct process *process)
{
    while (!list_is_empty(&process->endpoints)) {
        struct endpoint *endpoint =
            list_entry(list_first(&process->endpoints), struct endpoint, owner_link);
        list_remove(&endpoint->owner_link);
        endpoint->dead = true;
        endpoint->owner = NULL;
        endpoint_get(endpoint); /* keep it alive while its queues empty */
        struct list_node *queues[] = { &endpoint->senders, &endpoint->receivers };
        for (int q = 0; q < 2; q++) {
            while (!list_is_empty(queues[q])) {
                struct thread *waiter = thread_of_wait_link(list_first(queues[q]));
                list_remove(&waiter->wait_link);
                endpoint_put(endpoint);
                thread_user_frame(waiter)->rax = (uint64_t)-EPIPE;
                sched_wake(waiter);
            }
        }
        endpoint_put(endpoint);
    }
}
