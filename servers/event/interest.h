/* epoll interest sets: items keyed by the open file description, a ready list, nesting. Pure
 * logic (no IPC): the event server drives it and tests/unit/test_interest.c checks it. */
#ifndef EVENT_INTEREST_H
#define EVENT_INTEREST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* epoll_ctl operations and flags (Linux values). */
#define EPOLL_OP_ADD 1
#define EPOLL_OP_DEL 2
#define EPOLL_OP_MOD 3
#define EPOLL_FLAG_EXCLUSIVE (1u << 28)
#define EPOLL_FLAG_WAKEUP (1u << 29)
#define EPOLL_FLAG_ONESHOT (1u << 30)
#define EPOLL_FLAG_ET (1u << 31)
#define EPOLL_FLAGS (EPOLL_FLAG_EXCLUSIVE | EPOLL_FLAG_WAKEUP | EPOLL_FLAG_ONESHOT | EPOLL_FLAG_ET)
/* Linux's EP_MAX_NESTS: at most this many epoll-in-epoll edges in any chain. */
#define EPOLL_MAX_NESTS 4

struct interest_set;

/*
 * A pollable object: one open file description (an eventfd, a socket, an epoll instance...).
 * ready is its current readiness (poll bits); items lists every interest in it. set is the
 * epoll instance when the object is one. Objects are the caller's memory.
 */
struct interest_object {
    uint32_t ready;
    struct interest_item *items; /* doubly linked through object_prev/object_next */
    struct interest_set *set;    /* non-NULL: the object is this epoll instance */
};

/* One interest: (object, fd number) in one set, as Linux keys its epitems. */
struct interest_item {
    struct interest_set *set;
    struct interest_object *object;
    int fd;
    uint32_t events; /* requested bits and EPOLL_FLAG_* */
    uint64_t data;
    bool queued;   /* on set's ready list */
    bool disabled; /* EPOLLONESHOT fired: nothing until MOD */
    struct interest_item *ready_prev, *ready_next;
    struct interest_item *object_prev, *object_next;
    struct interest_item *set_prev, *set_next;
};

/* An epoll instance. Invariant: an item is on the ready list iff it is enabled and its
 * object's readiness meets its events (for EPOLLET: since the last edge was reported); so
 * collecting costs the ready items, never the idle ones. self is the set as an object. */
struct interest_set {
    struct interest_object self;
    struct interest_item *ready_head, *ready_tail;
    struct interest_item *items;
    size_t count, ready_count;
    bool waiting;  /* a caller is blocked in epoll_wait (EPOLLEXCLUSIVE wakes these first) */
    /* Called (when set) after the ready list may have gone from empty to not or back. */
    void (*on_ready)(struct interest_set *set);
    /* Called (when set) whenever what a collect would report may have changed: an item
     * joined or left the ready list, or a queued item's object or interest changed. */
    void (*on_change)(struct interest_set *set);
    void *owner;
    unsigned mark; /* loop-check scratch */
    int depth_mark;
};

/* A reported event, as struct epoll_event's fields. */
struct interest_event {
    uint32_t events;
    uint64_t data;
};

/* Storage for one item: the server's allocator (interest_item_alloc/free in the caller). */
struct interest_item *interest_item_alloc(void);
void interest_item_free(struct interest_item *item);

void interest_object_init(struct interest_object *object, uint32_t ready);
void interest_set_init(struct interest_set *set);

/* The item of (object, fd) in set, or NULL. */
struct interest_item *interest_find(struct interest_set *set, struct interest_object *object,
                                    int fd);

/*
 * epoll_ctl. op ADD/MOD/DEL; Linux's errors: -EINVAL (object is set itself, bad op, EXCLUSIVE
 * with MOD or with ONESHOT or on an epoll target), -EEXIST (ADD twice), -ENOENT (MOD/DEL of
 * an item not there), -ELOOP (a cycle of sets or a chain deeper than EPOLL_MAX_NESTS), -ENOMEM.
 */
long interest_control(struct interest_set *set, int op, struct interest_object *object, int fd,
                      uint32_t events, uint64_t data);

/*
 * The object's readiness is now ready; event says something happened (data arrived, a write
 * was made), which re-arms EPOLLET items even if the bits did not change, as Linux's wake-ups
 * do. Updates every item of the object, and, through nesting, the sets containing it.
 */
void interest_object_update(struct interest_object *object, uint32_t ready, bool event);

/* The description went away: every item of it leaves its set (epoll(7) Q6). */
void interest_object_close(struct interest_object *object);

/* Up to max ready events into out (oldest first); level-triggered items stay ready at the
 * tail, EPOLLONESHOT items are disabled, EPOLLET items leave until their next edge. */
size_t interest_collect(struct interest_set *set, struct interest_event *out, size_t max);

/* What a collect of every ready item would report, into out (at most max), when collecting
 * them would leave the set as it is: every queued item level-triggered, without ONESHOT or
 * EXCLUSIVE, and at most max of them. Returns the count, or -1 when that cannot be said. */
long interest_snapshot(const struct interest_set *set, struct interest_event *out, size_t max);

/* Frees every item of set and takes set's own object out of the sets containing it. */
void interest_set_destroy(struct interest_set *set);

#endif
