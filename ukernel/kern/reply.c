/* Reply capabilities: the slot table and the state machine of a held call (see reply.h). */
#include <stddef.h>

#include "kerrno.h"
#include "reply.h"

static struct reply reply_table[REPLY_SLOTS];
static uint32_t free_head = UINT32_MAX;
static bool table_ready;
static uint32_t slots_used, calls_held;

void reply_table_init(void)
{
    for (uint32_t i = 0; i < REPLY_SLOTS; i++) {
        struct reply *reply = &reply_table[i];
        reply->caller = reply->holder = reply->via = NULL;
        reply->state = REPLY_FREE;
        reply->generation = 1;
        list_node_init(&reply->held_link);
        list_node_init(&reply->cancel_link);
        reply->next_free = i + 1 < REPLY_SLOTS ? i + 1 : UINT32_MAX;
    }
    free_head = 0;
    slots_used = calls_held = 0;
    table_ready = true;
}

static void bump_generation(struct reply *reply)
{
    if (++reply->generation == 0)
        reply->generation = 1;
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
    slots_used++;
    bump_generation(reply);
    return index;
}

void reply_slot_release(uint32_t index)
{
    struct reply *reply = &reply_table[index];
    reply->caller = NULL;
    reply->state = REPLY_FREE;
    slots_used--;
    bump_generation(reply);
    reply->next_free = free_head;
    free_head = index;
}

struct reply *reply_slot(uint32_t index)
{
    return &reply_table[index];
}

void reply_begin(struct reply *reply)
{
    bump_generation(reply);
}

void reply_hold(struct reply *reply, struct list_node *holder_list, void *holder, void *via,
                uint64_t badge)
{
    reply->state = REPLY_HELD;
    reply->holder = holder;
    reply->via = via;
    reply->badge = badge;
    list_push_back(holder_list, &reply->held_link);
    calls_held++;
}

struct reply *reply_find(uint64_t token, const void *holder)
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

void *reply_settle(struct reply *reply)
{
    if (reply->state < REPLY_HELD)
        return NULL;
    list_remove(&reply->held_link);
    if (reply->state == REPLY_CANCEL_QUEUED)
        list_remove(&reply->cancel_link);
    void *via = reply->via;
    reply->holder = reply->via = NULL;
    reply->state = REPLY_IDLE;
    bump_generation(reply);
    calls_held--;
    return via;
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
    return calls_held;
}
