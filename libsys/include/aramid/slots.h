/* libsys: a server's object table, pointers in slots that the low bits of each object's id name,
 * grown by doubling; and the holders of its objects across fork. Pure logic over aramid_heap. */
#ifndef ARAMID_SLOTS_H
#define ARAMID_SLOTS_H

#include <stddef.h>

/* Invariant: slots[0..capacity) are NULL or objects; every slot below hint is in use (a
 * take that the caller does not fill leaves no gap below it). */
struct aramid_slots {
    void **slots;
    unsigned capacity;
    unsigned hint;
};

/* The first free slot (the table grows, from 64 slots, doubling up to max): its index, or
 * -ENFILE when max slots are in use, -ENOMEM. The caller fills it with aramid_slots_put. */
long aramid_slots_take(struct aramid_slots *table, unsigned max);

static inline void *aramid_slots_get(const struct aramid_slots *table, unsigned long slot)
{
    return slot < table->capacity ? table->slots[slot] : NULL;
}

static inline void aramid_slots_put(struct aramid_slots *table, unsigned long slot, void *object)
{
    table->slots[slot] = object;
}

static inline void aramid_slots_clear(struct aramid_slots *table, unsigned long slot)
{
    table->slots[slot] = NULL;
    if (slot < table->hint)
        table->hint = (unsigned)slot;
}

/* A fork: child holds every object parent holds. Each object keeps its struct aramid_holders
 * at holders_offset (offsetof). */
void aramid_slots_fork(struct aramid_slots *table, size_t holders_offset, long parent,
                       long child);

#endif
