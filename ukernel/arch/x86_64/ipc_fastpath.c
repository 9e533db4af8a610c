/* The IPC fastpath: ipc_call to a waiting receiver and ipc_reply_wait answering the call just
 * taken, each a direct switch between two threads with the message left in the registers.
 *
 * Calling convention (entry.S, ipc_fast_entry): this file is compiled with rsi, rdx, r8, r9 and
 * r10 fixed (-ffixed-*: never allocated, so they still hold the caller's info word and mr0..mr3
 * when a function returns) and rbx, r14, r15 call-clobbered (-fcall-used-*: the stub has
 * saved the user's values in the frame and reloads the next thread's). r12 and r13 (mr4, mr5)
 * stay callee-saved. The stub has already sent every info word with bits above 31 (buffer
 * bytes, a grant, a deadline or unknown bits) to the slow path, the first guard. So nothing
 * here may call a function compiled without those flags: everything it uses is inline (list.h,
 * reply.h, ipc_internal.h, sched_fast.h), and the test ipc_fastpath_calls_nothing checks the
 * object for call instructions.
 *
 * The shape is seL4's: flat unlikely() guards that only read, each sending the call to the slow
 * path (return NULL) with nothing changed; then the point of no return, after which nothing can
 * fail. Only what differs per receiver goes into its frame (rdi = badge, r14 = reply token,
 * r15 = sender for a call); the stub loads it (and rdi = 0 for a reply).
 *
 * Locking (SMP later): everything here runs on the current CPU with interrupts off, and touches
 * the same objects as the slow paths: the endpoint's queues under its lock, the reply slot under
 * the holder process's lock, the run queue and the per-CPU state of this CPU only. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "handle.h"
#include "ipc.h"
#include "ipc_internal.h"
#include "list.h"
#include "percpu.h"
#include "process.h"
#include "reply.h"
#include "sched_fast.h"
#include "thread.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

_Static_assert(offsetof(struct handle_slot, type) == offsetof(struct handle_slot, generation) + 4 &&
                   sizeof(enum handle_type) == 4,
               "the fastpath reads a slot's generation and type as one little-endian word");

/*
 * handle_lookup for an endpoint, in fewer instructions: the slot of a live endpoint handle with
 * right, or NULL. The slot's generation (low half) and type (high half) are compared as one
 * 64-bit word with (handle >> HANDLE_INDEX_BITS) + (ENDPOINT << 32). They are equal only when
 * handle has no bits above the generation (so a value above INT32_MAX, or a negative one, never
 * matches), the generation is the slot's (never 0, so values below 4096 never match), and the
 * type is an endpoint (so a free slot never matches): handle_resolve's verdict exactly.
 */
static inline const struct handle_slot *fastpath_endpoint_slot(const struct thread *self,
                                                               uint64_t handle, uint32_t right)
{
    const struct handle_table *table = self->handles;
    uint32_t index = (uint32_t)handle & (HANDLE_MAX_SLOTS - 1);
    if (unlikely(index >= table->high_water)) /* never used: its slot was never written */
        return NULL;
    const struct handle_slot *slot = &table->slots[index];
    uint64_t generation_and_type;
    __builtin_memcpy(&generation_and_type, &slot->generation, sizeof(generation_and_type));
    uint64_t expected = (handle >> HANDLE_INDEX_BITS) + ((uint64_t)HANDLE_TYPE_ENDPOINT << 32);
    if (unlikely(generation_and_type != expected || !(slot->rights & right)))
        return NULL;
    return slot;
}

/* After the point of no return of a call: self's call is held by server, which runs next. space:
 * server's when it is not the loaded one, else NULL. */
static inline __attribute__((always_inline)) struct trap_frame *
call_commit(percpu_gs *cpu, struct thread *self, struct thread *server, struct endpoint *endpoint,
            uint64_t badge, struct address_space *space)
{
    struct trap_frame *to = thread_user_frame(server);
    hold_call(self, server, endpoint, badge, to); /* its loads come before any store */
    list_remove(&server->wait_link);
    self->state = THREAD_BLOCKED;
    sched_switch_fast(cpu, self, server, space);
    return to;
}

struct trap_frame *ipc_fastpath_call(uint64_t handle)
{
    percpu_gs *cpu = THIS_CPU_GS;
    struct thread *self = cpu->current;

    /* A bad handle: the slow path reports the error. */
    const struct handle_slot *slot = fastpath_endpoint_slot(self, handle, HANDLE_RIGHT_SEND);
    if (unlikely(slot == NULL))
        return NULL;
    struct endpoint *endpoint = slot->object;
    /* Nobody waiting to receive: the caller must queue. */
    if (unlikely(list_is_empty(&endpoint->receivers)))
        return NULL;
    struct thread *server = thread_of_wait_link(endpoint->receivers.next);
    /* A better thread is ready: let the scheduler decide. A thread to reap or an upcall to
     * deliver: the slow switch does those. */
    if (unlikely(sched_better_thread_ready(cpu, server) || !sched_switch_fast_ok(cpu, server)))
        return NULL;
    struct address_space *space = server->process->space;
    if (likely(cpu->address_space == space))
        return call_commit(cpu, self, server, endpoint, slot->badge, NULL); /* POINT OF NO RETURN */
    /* A PCID to allocate or flush: the slow switch. */
    if (unlikely(!address_space_switch_is_fast(cpu, space)))
        return NULL;
    return call_commit(cpu, self, server, endpoint, slot->badge, space); /* POINT OF NO RETURN */
}

/* After the point of no return of a reply: reply is answered, self waits on endpoint, caller
 * runs next. space: caller's when it is not the loaded one, else NULL. */
static inline __attribute__((always_inline)) struct trap_frame *
reply_commit(percpu_gs *cpu, struct thread *self, struct reply *reply, struct thread *caller,
             struct endpoint *endpoint, struct address_space *space)
{
    /* last_reply keeps the token, stale from here on. The reply's endpoint reference becomes
     * the receive queue's (the same endpoint). */
    struct trap_frame *to = thread_user_frame(caller); /* the stub gives it rdi = 0 */
    reply_settle_held(reply);
    list_push_back(&endpoint->receivers, &self->wait_link);
    self->state = THREAD_BLOCKED;
    self->wait = WAIT_IPC_RECEIVE;
    self->wait_object = endpoint;
    sched_switch_fast(cpu, self, caller, space);
    return to;
}

struct trap_frame *ipc_fastpath_reply_wait(uint64_t handle)
{
    percpu_gs *cpu = THIS_CPU_GS;
    struct thread *self = cpu->current;

    /* The call this thread received last, if it still owes the answer: the token still names
     * it (answering, the caller's death and the holder's death make it stale) and no cancel
     * notice about it is queued or sent. Else (none taken, answered already, cancelled): the
     * slow path. A token the kernel stored needs no holder check: it was this process's. */
    uint64_t token = self->last_reply;
    struct reply *reply = reply_of_own_token(token);
    __asm__("" : "+r"(reply)); /* computed once and kept in a register */
    if (unlikely(reply->token != token || reply->state != REPLY_HELD))
        return NULL;
    struct thread *caller = reply->caller;
    const struct handle_slot *slot = fastpath_endpoint_slot(self, handle, HANDLE_RIGHT_RECEIVE);
    if (unlikely(slot == NULL))
        return NULL;
    struct endpoint *endpoint = slot->object;
    /* Another caller or a cancel notice is waiting, the endpoint died, or the call came through
     * another endpoint (its reference would have to be dropped, which may free): slow path. */
    if (unlikely(!list_is_empty(&endpoint->senders) || !list_is_empty(&endpoint->cancels) ||
                 endpoint->dead || reply->via != endpoint))
        return NULL;
    /* Notification bits pending: the wait ends at once, slow path. */
    if (unlikely(self->bound_notification && notification_has_pending(self->bound_notification)))
        return NULL;
    /* A better thread is ready than the caller we would switch to, the caller has a deadline
     * running that waking it must stop, a thread to reap or an upcall to deliver. */
    if (unlikely(sched_better_thread_ready(cpu, caller) || caller->timeout.queued ||
                 !sched_switch_fast_ok(cpu, caller)))
        return NULL;
    struct address_space *space = caller->process->space;
    if (likely(cpu->address_space == space))
        return reply_commit(cpu, self, reply, caller, endpoint, NULL); /* POINT OF NO RETURN */
    /* A PCID to allocate or flush: the slow switch. */
    if (unlikely(!address_space_switch_is_fast(cpu, space)))
        return NULL;
    return reply_commit(cpu, self, reply, caller, endpoint, space); /* POINT OF NO RETURN */
}
