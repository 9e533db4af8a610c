/* libsys: servers' object tables (aramid/slots.h). */
#include <aramid/errno.h>
#include <aramid/heap.h>
#include <aramid/holders.h>
#include <aramid/slots.h>

#include "kstring.h"

long aramid_slots_take(struct aramid_slots *table, unsigned max)
{
    for (unsigned i = table->hint; i < table->capacity; i++)
        if (table->slots[i] == NULL) {
            table->hint = i; /* in use once the caller puts its object there */
            return i;
        }
    unsigned capacity = table->capacity ? table->capacity * 2 : 64;
    if (capacity > max)
        return -ARAMID_ENFILE;
    void **grown = aramid_heap_alloc(capacity * sizeof(*grown));
    if (grown == NULL)
        return -ARAMID_ENOMEM;
    if (table->slots != NULL) {
        memcpy(grown, table->slots, table->capacity * sizeof(*grown));
        aramid_heap_free(table->slots, table->capacity * sizeof(*grown));
    }
    long slot = table->capacity;
    table->slots = grown;
    table->capacity = capacity;
    table->hint = (unsigned)slot;
    return slot;
}

void aramid_slots_fork(struct aramid_slots *table, size_t holders_offset, long parent, long child)
{
    for (unsigned i = 0; i < table->capacity; i++) {
        if (table->slots[i] == NULL)
            continue;
        struct aramid_holders *holders =
            (struct aramid_holders *)((char *)table->slots[i] + holders_offset);
        if (aramid_holders_has(holders, parent))
            (void)aramid_holders_add(holders, child);
    }
}
