/* The robust-list walk (pure logic, host-tested): which lock words a dying thread's list names. */
#ifndef ARAMID_ROBUST_LIST_H
#define ARAMID_ROBUST_LIST_H

#include <stdint.h>

/* How the walk reaches the dying thread's memory: read the 8-byte word at an address (0, or
 * nonzero when it cannot be read) and release the lock word at an address (the caller checks
 * the owner and wakes). */
struct robust_list_access {
    int (*read)(void *context, uint64_t address, uint64_t *value);
    void (*release)(void *context, uint64_t word_address);
    void *context;
};

/*
 * Walks the list whose head (struct aramid_robust_head: first, next_offset, word_offset,
 * pending) is at head: each mutex's next link is read before its word is released (once
 * released, another process may take the mutex and relink it); at most limit mutexes; the
 * first link that cannot be read ends the list; then the pending mutex. Returns how many words
 * it released.
 */
unsigned robust_list_walk(uint64_t head, unsigned limit, const struct robust_list_access *access);

#endif
