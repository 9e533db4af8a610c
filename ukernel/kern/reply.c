/* Reply capabilities: the slot table and the state machine of a held call (see reply.h). */
#include <stddef.h>

#include "kerrno.h"
#include "reply.h"

struct reply reply_table[REPLY_SLOTS];
static uint32_t free_head = UINT32_MAX;
static bool table_ready;
static uint32_t slots_used;

void reply_table_init(void)
{
    for (uint32_t i = 0; i < REPLY_SLOTS; i++) {
        struct reply *reply = &reply_table[i];
        reply->caller = reply->via = NULL;
        reply->holder = NULL;
        reply->state = REPLY_FREE;
        reply->index = i;
        reply->generation = 1;
        list_node_init(&reply->cancel_link);
        reply->next_free = i + 1 < REPLY_SLOTS ? i + 1 : UINT32_MAX;
    }
    free_head = 0;
    slots_used = 0;
    table_ready = true;
}

long reply_slot_take(void *caller)
{
    if (!table_ready)
        reply_table_init();
    if (free_head == UINT32_MAX)
        return -ENOMEM;
    uint32_t index = free_head;
    struct reply *reply = &reply_table[index];
    free_head = reply->next_free;
    reply->caller = caller;
    reply->state = REPLY_IDLE;
    reply_bump_generation(reply);
    slots_used++;
    return index;
}

void reply_slot_release(uint32_t index)
{
    struct reply *reply = &reply_table[index];
    reply->caller = NULL;
    reply->state = REPLY_FREE;
    slots_used--;
    reply_bump_generation(reply);
    reply->next_free = free_head;
    free_head = index;
}

bool reply_request_cancel(struct reply *reply)
{
    if (reply->state != REPLY_HELD)
        return false;
    reply->state = REPLY_CANCEL_QUEUED;
    return true;
}

void reply_cancel_delivered(struct reply *reply)
{
    if (reply->state != REPLY_CANCEL_QUEUED)
        return;
    list_remove(&reply->cancel_link);
    reply->state = REPLY_CANCEL_SENT;
}

uint32_t reply_slots_used(void)
{
    return slots_used;
}

uint32_t reply_calls_held(void)
{
    uint32_t held = 0;
    for (uint32_t i = 0; i < REPLY_SLOTS; i++)
        held += reply_table[i].state >= REPLY_HELD;
    return held;
}

struct reply *reply_next_held(const struct reply_holder *holder, uint32_t from)
{
    for (uint32_t i = from; holder->held && i < REPLY_SLOTS; i++) {
        struct reply *reply = &reply_table[i];
        if (reply->state >= REPLY_HELD && reply->holder == holder)
            return reply;
    }
    return NULL;
}
