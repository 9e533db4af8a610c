/* Reply capabilities: one reply slot per thread, named by unforgeable tokens, and the states a
 * call goes through until it is answered exactly once. Pure logic, host-tested
 * (tests/unit/test_reply.c); ipc.c drives it.
 *
 * A token is (generation << 32) | slot index, kept whole in the slot. The generation is odd, so
 * never 0, and moves on by 2 (wrapping from odd to odd) whenever a held call ends (answered,
 * its caller dead, its holder dead) and when the slot changes thread, so a token names one held
 * call only: after the answer, the caller's death or a later call of the same thread, it is
 * stale. Slots and their generations live in one static table and survive the threads that use
 * them, so a stale token never names another thread's call.
 *
 * A holder (the receiving side of a process) only counts the calls it holds: the IPC fastpath
 * then takes and answers a call with a few stores and no list. Its rare death finds them by a
 * scan of the table (reply_next_held), done only while the count is not 0.
 *
 * Locking: one CPU today, interrupts disabled; with SMP the table is guarded by the lock of the
 * holder process (holder count, held state) and of the endpoint (cancel list). */
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

/* The holding side of a process (struct process embeds one): how many calls it holds. */
struct reply_holder {
    uint32_t held;
};

/* Invariant: holder is set and counts the slot exactly in the three held states; cancel_link
 * is on an endpoint's cancel list exactly in REPLY_CANCEL_QUEUED. 64 bytes, so the fastpath
 * finds a slot by a shift. */
struct reply {
    union {
        uint64_t token; /* the token of its current (or next) held call */
        struct {
            uint32_t index;      /* low half: the slot's own index */
            uint32_t generation; /* high half: odd */
        };
    };
    void *caller;                /* the owning thread (struct thread *); NULL when free */
    struct reply_holder *holder; /* the process that may answer, while held */
    void *via;            /* the endpoint the held call came through (a reference is held) */
    uint64_t badge;       /* the badge the held call carried */
    enum reply_state state;
    uint32_t next_free;
    struct list_node cancel_link;
};
_Static_assert(sizeof(struct reply) == 64, "reply slots are found by index << 6");

/* Takes a free slot for caller. Returns the slot index, or -ENOMEM when all are in use. */
long reply_slot_take(void *caller);
/* Gives the slot back (the caller died). The caller must have settled it first. */
void reply_slot_release(uint32_t index);

/* The table, for the inline functions below (the IPC fastpath). */
extern struct reply reply_table[REPLY_SLOTS];

static inline struct reply *reply_slot(uint32_t index)
{
    return &reply_table[index];
}

static inline uint64_t reply_token(const struct reply *reply)
{
    return reply->token;
}

/* The current token goes stale. */
static inline void reply_bump_generation(struct reply *reply)
{
    reply->generation += 2; /* odd stays odd, so never 0 */
}

/* A server process took the call: it is now held, counted by holder. Its token is
 * reply_token(reply) until it is settled. */
static inline void reply_hold(struct reply *reply, struct reply_holder *holder, void *via,
                              uint64_t badge)
{
    reply->state = REPLY_HELD;
    reply->holder = holder;
    reply->via = via;
    reply->badge = badge;
    holder->held++;
}

/* The held call that token names for holder, or NULL when it is not one (stale, foreign,
 * malformed, or not held). */
static inline struct reply *reply_find(uint64_t token, const struct reply_holder *holder)
{
    uint64_t index = token & 0xffffffffu;
    if (index >= REPLY_SLOTS)
        return NULL;
    struct reply *reply = &reply_table[index];
    if (reply->token != token || reply->holder != holder || reply->state < REPLY_HELD)
        return NULL;
    return reply;
}

/* reply_settle for a call in state REPLY_HELD exactly (the IPC fastpath checks that first):
 * no longer counted (it is on no cancel list), token stale. Returns the endpoint reference.
 * holder and via keep their old values: nothing reads them outside the held states. */
static inline void *reply_settle_held(struct reply *reply)
{
    reply->holder->held--;
    reply->state = REPLY_IDLE;
    reply_bump_generation(reply);
    return reply->via;
}

/* Ends the held state (answered, caller dead, or holder dead): off the cancel list, token stale.
 * Returns the endpoint reference it held (for the caller to drop), or NULL. */
static inline void *reply_settle(struct reply *reply)
{
    if (reply->state < REPLY_HELD)
        return NULL;
    if (reply->state == REPLY_CANCEL_QUEUED)
        list_remove(&reply->cancel_link);
    return reply_settle_held(reply);
}

/* The first slot at or after index from that holder holds, or NULL: a dying holder settles
 * them all (O(REPLY_SLOTS), only while holder->held is not 0). */
struct reply *reply_next_held(const struct reply_holder *holder, uint32_t from);

/* A signal or a deadline wants the held call back. Returns true when a cancel notice must be
 * queued (the call is held and was not cancelled before); then the state is CANCEL_QUEUED and
 * the caller puts cancel_link on via's cancel list. */
bool reply_request_cancel(struct reply *reply);
/* The notice reached the server: off the cancel list, state CANCEL_SENT. */
void reply_cancel_delivered(struct reply *reply);

/* Slots in use, and calls held (in the three held states; counted by a scan). */
uint32_t reply_slots_used(void);
uint32_t reply_calls_held(void);

/* Empties the table (tests; the kernel's is zero at boot and set up by reply_table_init). */
void reply_table_init(void);

#endif
