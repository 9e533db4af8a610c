/* Synchronous IPC with reply capabilities, deadlines and cancellation; notifications, their
 * children (ports) and their timers.
 *
 * Entry points: ipc_call, ipc_wait, ipc_reply_wait, ipc_reply (slow paths; the fastpath tried
 * first is arch/x86_64/ipc_fastpath.c), ipc_notify_*, ipc_timer_set, and the hooks for
 * timeouts, signals and teardown.
 *
 * A message is the sender's info word and message registers, read straight from its user frame
 * (mr0..mr5 = rdx, r10, r8, r9, r12, r13), plus up to 4 KiB copied between the two threads'
 * IPC buffer frames through the direct map. A caller blocked in WAIT_IPC_SEND keeps its message
 * in its frame until a receiver takes it. Taking a call makes it held (reply.c): the caller's
 * reply slot names the receiving process as the one that owes the answer, and the receiver gets
 * the slot's token. The answer (ipc_reply, or ipc_reply_wait for the call a thread took last)
 * settles the slot and wakes the caller; so does the death of either side.
 *
 * Locking: one CPU, interrupts disabled in the kernel. For SMP, each endpoint's queues are
 * guarded by its lock, a process's held list by the process's lock, notifications by their own
 * lock, and the timer queue by the lock of the CPU whose tick runs it. */
#include <stdbool.h>
#include <stdint.h>

#include "futex.h"
#include "handle.h"
#include "ipc.h"
#include "ipc_internal.h"
#include "kerrno.h"
#include "kstring.h"
#include "layout.h"
#include "memory.h"
#include "object.h"
#include "percpu.h"
#include "process.h"
#include "quota.h"
#include "reply.h"
#include "sched.h"
#include "thread.h"
#include "timer.h"
#include "upcall.h"
#include "aramid/syscall.h"

#define unlikely(x) __builtin_expect(!!(x), 0)
/* Info bits a sender may set: label, buffer byte count, grant, deadline. */
#define IPC_INFO_VALID_BITS                                                                   \
    (0xffffffffull | (0x1fffull << 32) | ARAMID_IPC_GRANT | ARAMID_IPC_DEADLINE)
/* Info bits a receiver sees of the sender's. */
#define IPC_INFO_DELIVERED_BITS (0xffffffffull | (0x1fffull << 32) | ARAMID_IPC_GRANT)

/* Notifications with a timer armed, earliest first. */
static struct timer_queue notification_timers;

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
    list_init(&endpoint->cancels);
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
    quota_uncharge_bytes(endpoint->quota, sizeof(*endpoint));
    quota_put(endpoint->quota);
    kfree(endpoint);
}

/* Charges an object of bytes to quota and records it in *charged (a reference). */
static int ipc_object_charge(struct quota **charged, struct quota *quota, size_t bytes)
{
    int error = quota_charge_bytes(quota, bytes);
    if (error)
        return error;
    quota_get(quota);
    *charged = quota;
    return 0;
}

int endpoint_charge(struct endpoint *endpoint, struct quota *quota)
{
    return ipc_object_charge(&endpoint->quota, quota, sizeof(*endpoint));
}

int notification_charge(struct notification *notification, struct quota *quota)
{
    return ipc_object_charge(&notification->quota, quota, sizeof(*notification));
}

struct notification *notification_create(struct notification *parent, uint64_t key)
{
    struct notification *notification = kmalloc(sizeof(*notification));
    if (!notification)
        return NULL;
    memset(notification, 0, sizeof(*notification));
    notification->refcount = 1;
    list_init(&notification->waiters);
    list_init(&notification->ready);
    list_node_init(&notification->ready_link);
    if (parent) {
        notification_get(parent);
        notification->parent = parent;
        notification->key = key;
    }
    return notification;
}

void notification_get(struct notification *notification)
{
    notification->refcount++;
}

void notification_put(struct notification *notification)
{
    if (--notification->refcount != 0)
        return;
    timer_queue_remove(&notification_timers, &notification->timer);
    if (list_node_is_linked(&notification->ready_link))
        list_remove(&notification->ready_link);
    if (notification->parent)
        notification_put(notification->parent);
    quota_uncharge_bytes(notification->quota, sizeof(*notification));
    quota_put(notification->quota);
    kfree(notification);
}

/* Copies the message registers; the receiver's rax becomes 0 (success). */
static inline void copy_message_registers(struct trap_frame *to, const struct trap_frame *from)
{
    to->rax = 0;
    to->rsi = from->rsi & IPC_INFO_DELIVERED_BITS;
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
                             struct thread *to, struct trap_frame *to_frame)
{
    copy_message_registers(to_frame, from_frame);
    unsigned bytes = ARAMID_IPC_BUFFER_BYTES(from_frame->rsi);
    if (bytes)
        memcpy(phys_to_virt(to->ipc_buffer_phys), phys_to_virt(from->ipc_buffer_phys), bytes);
    if (from_frame->rsi & ARAMID_IPC_GRANT) {
        struct handle_info info;
        handle_t granted = -EBADF;
        if (handle_get_info(&from->process->handles, (handle_t)from_frame->r13, &info) == 0 &&
            (info.rights & HANDLE_RIGHT_GRANT)) {
            granted = handle_install_badged(&to->process->handles, info.object, info.type,
                                            info.rights, info.badge);
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

/* The endpoint behind a handle with right, and the handle's badge. */
static inline int lookup_endpoint(struct thread *self, uint64_t handle, uint32_t right,
                                  struct endpoint **endpoint, uint64_t *badge)
{
    const struct handle_slot *slot = handle_resolve(&self->process->handles, (handle_t)handle);
    if (slot == NULL || slot->type != HANDLE_TYPE_ENDPOINT)
        return -EBADF;
    if ((slot->rights & right) != right)
        return -EPERM;
    *endpoint = slot->object;
    *badge = slot->badge;
    return 0;
}

/* The caller waits for its reply and the CPU switches to server. */
static __attribute__((noreturn)) void call_switch_to_server(struct thread *self,
                                                            struct thread *server)
{
    self->state = THREAD_BLOCKED;
    sched_switch_to(server);
}

long ipc_call(struct trap_frame *frame)
{
    struct thread *self = sched_current();
    struct endpoint *endpoint;
    uint64_t badge;
    int err = validate_message(self, frame);
    if (err)
        return err;
    err = lookup_endpoint(self, frame->rdi, HANDLE_RIGHT_SEND, &endpoint, &badge);
    if (err)
        return err;
    if (endpoint->dead)
        return -EPIPE;
    bool has_deadline = frame->rsi & ARAMID_IPC_DEADLINE;
    uint64_t deadline = frame->r15;
    if (!list_is_empty(&endpoint->receivers)) {
        struct thread *server = thread_of_wait_link(endpoint->receivers.next);
        list_remove(&server->wait_link);
        struct trap_frame *to = thread_user_frame(server);
        transfer_message(self, frame, server, to);
        hold_call(self, server, endpoint, badge, to);
        if (has_deadline)
            sched_set_timeout(self, deadline); /* held: a deadline cancels it */
        call_switch_to_server(self, server);
    }
    if (has_deadline && sched_deadline_passed(deadline))
        return -ETIMEDOUT;
    endpoint_get(endpoint);
    self->call_badge = badge;
    list_push_back(&endpoint->senders, &self->wait_link);
    if (has_deadline)
        sched_set_timeout(self, deadline);
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
    transfer_message(caller, thread_user_frame(caller), self, frame);
    hold_call(caller, self, endpoint, caller->call_badge, frame);
    return 0;
}

/* The first cancel notice queued on endpoint, if any, into frame. Returns 0 or -EAGAIN. */
static int receive_cancel(struct endpoint *endpoint, struct trap_frame *frame)
{
    if (list_is_empty(&endpoint->cancels))
        return -EAGAIN;
    struct reply *reply = list_entry(list_first(&endpoint->cancels), struct reply, cancel_link);
    struct thread *caller = reply->caller;
    reply_cancel_delivered(reply);
    frame->rax = 0;
    frame->rdi = reply->badge;
    frame->rsi = ARAMID_IPC_CANCEL;
    frame->rdx = frame->r10 = frame->r8 = frame->r9 = frame->r12 = frame->r13 = 0;
    frame->r14 = reply_token(reply);
    frame->r15 = caller->process->id;
    return 0;
}

/* Takes what a waiter on notification gets: its own bits (key 0), else the oldest ready
 * child's bits and key. Nothing pending gives bits 0. */
static uint64_t notification_take(struct notification *notification, uint64_t *key)
{
    uint64_t bits = notification->bits;
    *key = 0;
    if (bits) {
        notification->bits = 0;
        return bits;
    }
    if (list_is_empty(&notification->ready))
        return 0;
    struct notification *child =
        list_entry(list_pop_front(&notification->ready), struct notification, ready_link);
    bits = child->bits;
    child->bits = 0;
    *key = child->key;
    return bits;
}

/* Puts a notification's pending bits into frame as a received message and clears them. */
static void deliver_notification(struct notification *notification, struct trap_frame *frame)
{
    uint64_t key;
    frame->rdx = notification_take(notification, &key);
    frame->r10 = key;
    frame->rax = 0;
    frame->rdi = 0;
    frame->rsi = ARAMID_IPC_NOTIFIED;
    frame->r14 = 0;
    frame->r15 = 0;
}

/* Pending bits of the caller's bound notification end a wait at once. Returns 0 or -EAGAIN. */
static int receive_notification(struct thread *self, struct trap_frame *frame)
{
    struct notification *notification = self->bound_notification;
    if (!notification || !notification_has_pending(notification))
        return -EAGAIN;
    deliver_notification(notification, frame);
    return 0;
}

/* The receive half of ipc_wait and ipc_reply_wait: a pending notification, a cancel notice, a
 * queued caller, or block until one comes (until deadline, when has_deadline). */
static long receive(struct thread *self, struct trap_frame *frame, bool has_deadline,
                    uint64_t deadline)
{
    struct endpoint *endpoint;
    uint64_t badge;
    int err = lookup_endpoint(self, frame->rdi, HANDLE_RIGHT_RECEIVE, &endpoint, &badge);
    if (err)
        return err;
    if (endpoint->dead)
        return -EPIPE;
    self->last_reply = 0; /* only a call this receive takes is the one to answer next */
    if (receive_notification(self, frame) == 0 || receive_cancel(endpoint, frame) == 0 ||
        receive_from_queue(self, endpoint, frame) == 0)
        return 0;
    if (has_deadline && sched_deadline_passed(deadline))
        return -ETIMEDOUT;
    endpoint_get(endpoint);
    list_push_back(&endpoint->receivers, &self->wait_link);
    if (has_deadline)
        sched_set_timeout(self, deadline);
    sched_block_current(WAIT_IPC_RECEIVE, endpoint);
}

long ipc_wait(struct trap_frame *frame)
{
    uint64_t flags = frame->rsi;
    if (flags & ~ARAMID_IPC_DEADLINE)
        return -EINVAL;
    return receive(sched_current(), frame, flags != 0, frame->r15);
}

/* Answers reply (held by self's process) with the message in frame and wakes its caller. */
static void deliver_reply(struct thread *self, struct trap_frame *frame, struct reply *reply)
{
    struct thread *caller = reply->caller;
    if (self->last_reply == reply_token(reply))
        self->last_reply = 0;
    endpoint_put(reply_settle(reply));
    struct trap_frame *to = thread_user_frame(caller);
    transfer_message(self, frame, caller, to);
    to->rdi = 0;
    sched_wake(caller);
}

/* The reply goes out first, whatever happens to the wait after it (a bad endpoint handle only
 * fails the wait). */
long ipc_reply_wait(struct trap_frame *frame)
{
    struct thread *self = sched_current();
    struct reply *reply = reply_find(self->last_reply, &self->process->replies);
    if (reply) {
        int err = validate_message(self, frame);
        if (err)
            return err;
        deliver_reply(self, frame, reply);
    }
    return receive(self, frame, frame->rsi & ARAMID_IPC_DEADLINE, frame->r15);
}

long ipc_reply(struct trap_frame *frame)
{
    struct thread *self = sched_current();
    uint64_t token = frame->rdi;
    if ((token & 0xffffffffu) >= REPLY_SLOTS || (token >> 32) == 0)
        return -EINVAL;
    if (frame->rsi & ARAMID_IPC_DEADLINE)
        return -EINVAL;
    int err = validate_message(self, frame);
    if (err)
        return err;
    struct reply *reply = reply_find(token, &self->process->replies);
    if (!reply)
        return -ESRCH; /* answered already, or its caller died */
    deliver_reply(self, frame, reply);
    return 0;
}

/* A signal or a deadline wants back the call that caller is blocked in and a server holds: the
 * server gets a cancel notice, once. The call stays held until the server answers it. */
static void cancel_held_call(struct thread *caller)
{
    struct reply *reply = reply_of(caller);
    if (!reply_request_cancel(reply))
        return;
    struct endpoint *endpoint = reply->via;
    list_push_back(&endpoint->cancels, &reply->cancel_link);
    if (list_is_empty(&endpoint->receivers))
        return;
    struct thread *server = thread_of_wait_link(endpoint->receivers.next);
    list_remove(&server->wait_link);
    endpoint_put(endpoint); /* the receive queue's reference */
    receive_cancel(endpoint, thread_user_frame(server));
    sched_wake(server);
}

static int lookup_notification(struct thread *self, uint64_t handle, uint32_t right,
                               struct notification **notification)
{
    return handle_lookup(&self->process->handles, (handle_t)handle, HANDLE_TYPE_NOTIFICATION,
                         right, (void **)notification);
}

/* notification has something pending: hand it to its upcall thread, its bound thread if that
 * waits for IPC, or its first waiter. */
static void notification_wake(struct notification *notification)
{
    if (notification->upcall_thread) {
        upcall_signalled(notification);
        return;
    }
    struct thread *bound = notification->bound_thread;
    if (bound && bound->state == THREAD_BLOCKED && bound->wait == WAIT_IPC_RECEIVE) {
        list_remove(&bound->wait_link);
        endpoint_put(bound->wait_object);
        deliver_notification(notification, thread_user_frame(bound));
        sched_wake(bound);
    } else if (!list_is_empty(&notification->waiters)) {
        struct thread *waiter = thread_of_wait_link(notification->waiters.next);
        list_remove(&waiter->wait_link);
        struct trap_frame *frame = thread_user_frame(waiter);
        uint64_t key;
        frame->rax = notification_take(notification, &key);
        frame->rdx = key;
        sched_wake(waiter);
        notification_put(notification); /* the waiter's; the caller holds another */
    }
}

void ipc_notification_signal(struct notification *notification, uint64_t bits)
{
    if (!bits)
        return;
    notification->bits |= bits;
    struct notification *parent = notification->parent;
    if (!parent) {
        notification_wake(notification);
        return;
    }
    if (list_node_is_linked(&notification->ready_link))
        return; /* already reported; the parent's waiter will take the new bits too */
    list_push_back(&parent->ready, &notification->ready_link);
    notification_wake(parent);
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
    uint64_t deadline = frame->rsi;
    int err = lookup_notification(self, frame->rdi, HANDLE_RIGHT_WAIT, &notification);
    if (err)
        return err;
    if (notification_has_pending(notification)) {
        uint64_t key;
        uint64_t bits = notification_take(notification, &key);
        frame->rdx = key;
        return (long)bits;
    }
    if (deadline && sched_deadline_passed(deadline))
        return -ETIMEDOUT;
    notification_get(notification);
    list_push_back(&notification->waiters, &self->wait_link);
    if (deadline)
        sched_set_timeout(self, deadline);
    sched_block_current(WAIT_NOTIFICATION, notification);
}

long ipc_notify_poll(struct trap_frame *frame)
{
    struct notification *notification;
    int err = lookup_notification(sched_current(), frame->rdi, HANDLE_RIGHT_WAIT, &notification);
    if (err)
        return err;
    uint64_t key;
    uint64_t bits = notification_take(notification, &key);
    frame->rdx = key;
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

long ipc_timer_set(struct trap_frame *frame)
{
    struct notification *notification;
    uint64_t deadline = frame->rsi, period = frame->rdx, bits = frame->r10;
    int err = lookup_notification(sched_current(), frame->rdi, HANDLE_RIGHT_SIGNAL, &notification);
    if (err)
        return err;
    timer_queue_remove(&notification_timers, &notification->timer);
    if (deadline == 0)
        return 0;
    if (bits == 0)
        return -EINVAL;
    notification->timer_period = period;
    notification->timer_bits = bits;
    timer_queue_insert(&notification_timers, &notification->timer, deadline);
    return 0;
}

void ipc_timers_expire(uint64_t now)
{
    struct timer_entry *entry;
    while ((entry = timer_queue_pop_expired(&notification_timers, now)) != NULL) {
        struct notification *notification = list_entry(entry, struct notification, timer);
        if (notification->timer_period) {
            uint64_t next = entry->deadline + notification->timer_period;
            if (next <= now) /* ticks were missed: the next period starts now */
                next = now + notification->timer_period;
            timer_queue_insert(&notification_timers, entry, next);
        }
        ipc_notification_signal(notification, notification->timer_bits);
    }
}

/* Takes a blocked thread off the queue it waits on (an endpoint's, a notification's or a
 * process's exit waiters), dropping the reference the queue held. Returns false when it was on
 * none of them. */
static bool leave_wait_queue(struct thread *thread)
{
    if (thread->wait == WAIT_FUTEX)
        return futex_leave(thread);
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

/* Ends thread's wait early (a signal, a deadline): a call a server holds gets a cancel notice
 * and stays held; a sleep returns sleep_result; a wait on a queue returns queue_result. */
static void end_wait_early(struct thread *thread, long sleep_result, long queue_result)
{
    if (thread->state != THREAD_BLOCKED)
        return;
    if (thread->wait == WAIT_IPC_REPLY) {
        cancel_held_call(thread);
        return;
    }
    /* A sleeper is on the timeout queue only, which sched_wake empties. */
    if (thread->wait == WAIT_SLEEP)
        thread_user_frame(thread)->rax = (uint64_t)sleep_result;
    else if (leave_wait_queue(thread))
        thread_user_frame(thread)->rax = (uint64_t)queue_result;
    else
        return; /* not an interruptible wait */
    sched_wake(thread);
}

void ipc_interrupt_wait(struct thread *thread)
{
    end_wait_early(thread, -EINTR, -EINTR);
}

void ipc_timeout(struct thread *thread)
{
    end_wait_early(thread, 0, -ETIMEDOUT);
}

int ipc_thread_init(struct thread *thread)
{
    long index = reply_slot_take(thread);
    if (index < 0) {
        thread->reply_index = REPLY_NONE;
        return (int)index;
    }
    thread->reply_index = (uint32_t)index;
    return 0;
}

void ipc_thread_exit(struct thread *thread)
{
    unbind_notification(thread);
    upcall_clear(thread);
    leave_wait_queue(thread);
    if (thread->reply_index == REPLY_NONE)
        return;
    /* A call a server holds becomes inert: answering it gives the server -ESRCH. */
    struct endpoint *via = reply_settle(reply_of(thread));
    if (via)
        endpoint_put(via);
    reply_slot_release(thread->reply_index);
    thread->reply_index = REPLY_NONE;
}

void ipc_process_exit(struct process *process)
{
    /* Every call it holds fails with -EPIPE. */
    struct reply *reply;
    uint32_t from = 0;
    while ((reply = reply_next_held(&process->replies, from)) != NULL) {
        from = reply->index + 1;
        struct thread *caller = reply->caller;
        endpoint_put(reply_settle(reply));
        thread_user_frame(caller)->rax = (uint64_t)-EPIPE;
        sched_wake(caller);
    }
    while (!list_is_empty(&process->endpoints))
        ipc_endpoint_kill(list_entry(list_first(&process->endpoints), struct endpoint, owner_link));
}

void ipc_endpoint_kill(struct endpoint *endpoint)
{
    if (endpoint->dead)
        return;
    if (endpoint->owner != NULL)
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
