/* Holder sets: a small array per object, grown by doubling, order not kept. */
#include <aramid/errno.h>
#include <aramid/heap.h>
#include <aramid/holders.h>

#include "kstring.h"

bool aramid_holders_has(const struct aramid_holders *holders, long process)
{
    for (unsigned i = 0; i < holders->count; i++)
        if (holders->processes[i] == process)
            return true;
    return false;
}

long aramid_holders_add(struct aramid_holders *holders, long process)
{
    if (aramid_holders_has(holders, process))
        return 0;
    if (holders->count == holders->capacity) {
        unsigned capacity = holders->capacity ? holders->capacity * 2 : 4;
        long *grown = aramid_heap_alloc(capacity * sizeof(long));
        if (grown == NULL)
            return -ARAMID_ENOMEM;
        if (holders->processes != NULL) {
            memcpy(grown, holders->processes, holders->count * sizeof(long));
            aramid_heap_free(holders->processes, holders->capacity * sizeof(long));
        }
        holders->processes = grown;
        holders->capacity = capacity;
    }
    holders->processes[holders->count++] = process;
    return 0;
}

bool aramid_holders_remove(struct aramid_holders *holders, long process)
{
    for (unsigned i = 0; i < holders->count; i++)
        if (holders->processes[i] == process) {
            holders->processes[i] = holders->processes[--holders->count];
            return true;
        }
    return false;
}

void aramid_holders_free(struct aramid_holders *holders)
{
    if (holders->processes != NULL)
        aramid_heap_free(holders->processes, holders->capacity * sizeof(long));
    *holders = (struct aramid_holders){0};
}
