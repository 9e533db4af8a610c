/* IPC helpers shared by the slow paths (kern/ipc.c) and the fastpath (arch/x86_64/ipc_fastpath.c).
 * All inline and call-free: the fastpath runs with the caller's message in registers. */
#ifndef ARAMID_IPC_INTERNAL_H
#define ARAMID_IPC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "ipc.h"
#include "list.h"
#include "process.h"
#include "reply.h"
#include "thread.h"
#include "trap.h"

static inline struct thread *thread_of_wait_link(struct list_node *node)
{
    return list_entry(node, struct thread, wait_link);
}

static inline struct reply *reply_of(const struct thread *thread)
{
    return reply_slot(thread->reply_index);
}

/* The reply slot that the token of a call a thread received names. Only for tokens the kernel
 * stored (last_reply): their index is always in range (0, a token that names nothing, gives
 * slot 0, whose token never equals 0 since generations are odd). */
static inline struct reply *reply_of_own_token(uint64_t token)
{
    _Static_assert(REPLY_SLOTS <= 65536, "a token's index fits in its low 16 bits");
    return reply_slot((uint16_t)token);
}

/* server (a thread of the receiving process) takes caller's call, which came through endpoint
 * with badge: the call is held, and frame (the server's) gets badge, token and sender. The
 * endpoint reference of the queue the call or the server was on passes to the held call. */
static inline void hold_call(struct thread *caller, struct thread *server, struct endpoint *endpoint,
                             uint64_t badge, struct trap_frame *frame)
{
    /* Every load before the first store: the kernel is built without strict aliasing, so a load
     * after a store would be done again (this is on the IPC fastpath). */
    struct reply *reply = reply_of(caller);
    struct reply_holder *holder = &server->process->replies;
    uint64_t token = reply_token(reply);
    uint64_t sender = caller->process->id;
    reply_hold(reply, holder, endpoint, badge);
    frame->rdi = badge;
    frame->r14 = token;
    frame->r15 = sender;
    server->last_reply = token;
    caller->wait = WAIT_IPC_REPLY; /* wait_object may keep a stale value: it is read only in the
                                    * waits whose queue holds a reference (not this one) */
}

static inline bool notification_has_pending(const struct notification *notification)
{
    return notification->bits || !list_is_empty(&notification->ready);
}

#endif
