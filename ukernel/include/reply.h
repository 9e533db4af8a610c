/* Reply capabilities: one reply slot per thread, named by unforgeable tokens, and the states a
 * call goes through until it is answered exactly once. Pure logic, host-tested
 * (tests/unit/test_reply.c); ipc.c drives it.
 *
 * A token is (generation << 32) | slot index. Each new call and each settlement bump the slot's
 * generation, so a token names one call only: after the answer, the caller's death or a later
 * call of the same thread, it is stale. Slots and their generations live in one static table
 * and survive the threads that use them, so a stale token never names another thread's call.
 * Locking: one CPU today, interrupts disabled; with SMP the table is guarded by the lock of the
 * holder process (held list) and of the endpoint (cancel list). */
#ifndef ARAMID_REPLY_H
#define ARAMID_REPLY_H

#include <stdbool.h>
#include <stdint.h>

#include "list.h"

#define REPLY_SLOTS 4096

enum reply_state {
    REPLY_FREE,          /* no thread owns the slot */
    REPLY_IDLE,          /* its thread is not in a call a server holds */
    REPLY_HELD,          /* a server process holds the call and owes the answer */
    REPLY_CANCEL_QUEUED, /* held; a cancel notice waits on the endpoint's cancel list */
    REPLY_CANCEL_SENT,   /* held; the server has been told the call is cancelled */
};

/* Invariant: held_link is on the holder's list exactly in the three held states; cancel_link
 * is on an endpoint's cancel list exactly in REPLY_CANCEL_QUEUED. */
struct reply {
    void *caller;         /* the owning thread (struct thread *); NULL when free */
    void *holder;         /* the process that may answer (struct process *) while held */
    void *via;            /* the endpoint the held call came through (a reference is held) */
    uint64_t badge;       /* the badge the held call carried */
    uint32_t generation;  /* never 0 */
    enum reply_state state;
    struct list_node held_link;
    struct list_node cancel_link;
    uint32_t next_free;
};

/* Takes a free slot for caller. Returns the slot index, or -ENOMEM when all are in use. */
long reply_slot_take(void *caller);
/* Gives the slot back (the caller died). The caller must have settled it first. */
void reply_slot_release(uint32_t index);

/* The table and the count of held calls, for the inline functions below (the IPC fastpath). */
extern struct reply reply_table[REPLY_SLOTS];
extern uint32_t reply_held_count;

static inline struct reply *reply_slot(uint32_t index)
{
    return &reply_table[index];
}

static inline uint64_t reply_token(uint32_t index, const struct reply *reply)
{
    return ((uint64_t)reply->generation << 32) | index;
}

static inline void reply_bump_generation(struct reply *reply)
{
    if (__builtin_expect(++reply->generation == 0, 0))
        reply->generation = 1;
}

/* Starts a new call of the slot's thread: the previous token goes stale. */
static inline void reply_begin(struct reply *reply)
{
    reply_bump_generation(reply);
}

/* A server process took the call: it is now held on holder_list (the process's list). */
static inline void reply_hold(struct reply *reply, struct list_node *holder_list, void *holder,
                              void *via, uint64_t badge)
{
    reply->state = REPLY_HELD;
    reply->holder = holder;
    reply->via = via;
    reply->badge = badge;
    list_push_back(holder_list, &reply->held_link);
    reply_held_count++;
}

/* The held call that token names for holder, or NULL when it is not one (stale, foreign,
 * malformed, or not held). */
static inline struct reply *reply_find(uint64_t token, const void *holder)
{
    uint64_t index = token & 0xffffffffu;
    if (index >= REPLY_SLOTS)
        return NULL;
    struct reply *reply = &reply_table[index];
    if (reply->generation != (uint32_t)(token >> 32) || reply->holder != holder ||
        reply->state < REPLY_HELD)
        return NULL;
    return reply;
}

/* reply_settle for a call in state REPLY_HELD exactly (the IPC fastpath checks that first):
 * off the holder's list (it is on no cancel list), token stale. Returns the endpoint reference. */
static inline void *reply_settle_held(struct reply *reply)
{
    list_remove(&reply->held_link);
    void *via = reply->via;
    reply->holder = reply->via = NULL;
    reply->state = REPLY_IDLE;
    reply_bump_generation(reply);
    reply_held_count--;
    return via;
}

/* Ends the held state (answered, caller dead, or holder dead): off both lists, token stale.
 * Returns the endpoint reference it held (for the caller to drop), or NULL. */
static inline void *reply_settle(struct reply *reply)
{
    if (reply->state < REPLY_HELD)
        return NULL;
    if (reply->state == REPLY_CANCEL_QUEUED)
        list_remove(&reply->cancel_link);
    return reply_settle_held(reply);
}

/* A signal or a deadline wants the held call back. Returns true when a cancel notice must be
 * queued (the call is held and was not cancelled before); then the state is CANCEL_QUEUED and
 * the caller puts cancel_link on via's cancel list. */
bool reply_request_cancel(struct reply *reply);
/* The notice reached the server: off the cancel list, state CANCEL_SENT. */
void reply_cancel_delivered(struct reply *reply);

/* Slots in use, and calls held (in the three held states). */
uint32_t reply_slots_used(void);
uint32_t reply_calls_held(void);

/* Empties the table (tests; the kernel's is zero at boot and set up by reply_table_init). */
void reply_table_init(void);

#endif
