/* A map from kernel process ids (the sender ids calls carry) to one word per process: what a
 * server knows of each client (its POSIX pid, what it is charged). Pure logic, host-tested. */
#ifndef ARAMID_PROCESS_MAP_H
#define ARAMID_PROCESS_MAP_H

#include <stdbool.h>

/* process 0: a free entry (no process has kernel id 0). */
struct aramid_process_map_entry {
    long process;
    long value;
};

/*
 * Open addressing with linear probing; removal shifts later entries back (no tombstones), so a
 * lookup costs the run from the process's home slot to the first free entry. Invariants:
 * capacity is 0 or a power of two, count < capacity / 2 + 1 after every insert (the caller
 * makes room first: aramid_process_map_full), and every entry is reachable from its home slot
 * without crossing a free one.
 */
struct aramid_process_map {
    struct aramid_process_map_entry *entries;
    unsigned capacity, count;
};

/* The value of process, or NULL. */
long *aramid_process_map_find(const struct aramid_process_map *map, long process);
/* One more process would pass half the capacity: move to a bigger table first. */
bool aramid_process_map_full(const struct aramid_process_map *map);
/* Moves every entry into entries (capacity: a power of two, zeroed, above 2 * count); the old
 * array is the caller's to free. */
void aramid_process_map_move(struct aramid_process_map *map,
                             struct aramid_process_map_entry *entries, unsigned capacity);
/* The value of process, made 0 when new (the map must not be full). */
long *aramid_process_map_insert(struct aramid_process_map *map, long process);
void aramid_process_map_remove(struct aramid_process_map *map, long process);

/* On aramid_heap (libsys/process_map_heap.c): the value slot of process, growing the map when
 * it is full; NULL when out of memory. */
long *aramid_process_map_add(struct aramid_process_map *map, long process);

#endif
