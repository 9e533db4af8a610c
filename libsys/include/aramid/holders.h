/* Which processes hold an object a server owns (by their kernel process ids): the reference
 * count of an open file description shared across fork. Pure logic over aramid_heap. */
#ifndef ARAMID_HOLDERS_H
#define ARAMID_HOLDERS_H

#include <stdbool.h>

/* Invariant: processes[0..count) are distinct. */
struct aramid_holders {
    long *processes;
    unsigned count, capacity;
};

bool aramid_holders_has(const struct aramid_holders *holders, long process);
/* Adds process (no-op if there): 0 or -ENOMEM. */
long aramid_holders_add(struct aramid_holders *holders, long process);
/* Removes process: true when it was there. */
bool aramid_holders_remove(struct aramid_holders *holders, long process);
void aramid_holders_free(struct aramid_holders *holders);

#endif
