/* Readiness shared by every server that owns pollable objects (event, sock, later vfs): the
 * poll/epoll bits (Linux's values) and the watch rule by which readiness flows to the event server. */
#ifndef ARAMID_PROTO_READY_H
#define ARAMID_PROTO_READY_H

#include <stddef.h>
#include <stdint.h>

/* poll(2) and epoll(7) readiness bits: the same values on Linux for both. */
#define ARAMID_POLLIN 0x001
#define ARAMID_POLLPRI 0x002
#define ARAMID_POLLOUT 0x004
#define ARAMID_POLLERR 0x008
#define ARAMID_POLLHUP 0x010
#define ARAMID_POLLNVAL 0x020
#define ARAMID_POLLRDNORM 0x040
#define ARAMID_POLLRDBAND 0x080
#define ARAMID_POLLWRNORM 0x100
#define ARAMID_POLLWRBAND 0x200
#define ARAMID_POLLRDHUP 0x2000
/* Bits that are always reported whether asked for or not. */
#define ARAMID_POLL_ALWAYS (ARAMID_POLLERR | ARAMID_POLLHUP)

/*
 * The watch rule. An owner server (sock, vfs) accepts, on an object's badged handle, a
 * `watch` call granting a notification (signal right); it keeps it with the object and
 * signals ARAMID_READY_CHANGED on it each time the object's readiness changes, and
 * ARAMID_READY_GONE when the object (its last open file description) goes away, after which it
 * closes the notification. The watcher then asks `poll` for the current bits: the bits travel
 * in the reply, never in the notification word, so a stale wake-up costs one call and never
 * reports a wrong state. `unwatch` drops the watch (by the notification's watch id).
 */
#define ARAMID_READY_CHANGED 1ul
#define ARAMID_READY_GONE 2ul

/* The three calls, with the same labels in every owner's protocol list: poll -> (result 0,
 * bits, generation, id), where generation counts readiness events (data arriving, room made)
 * so that EPOLLET sees an edge even when the bits stay the same, and id names the object
 * among all owners' (the owner's tag in the top bits); watch (grants the notification; flags)
 * -> result 0; unwatch (the watches the caller made on the object) -> result 0.
 * watch's flags ARAMID_READY_WATCH_WORDS (an owner with readiness words, below, may honour
 * it; others ignore it): the watcher reads the object's word before it reports anything, so
 * a change that only takes bits away (a read that emptied a socket) is not signalled, only
 * written in the word; rises and events still are. For the sock server it also says that the
 * watcher looks at a socket's ring when its word says ARAMID_READY_WORD_RING (ready_map with its id), so
 * a read from the ring is not told at all. */
#define ARAMID_READY_WATCH_WORDS 1ul
#define ARAMID_READY_POLL 64
#define ARAMID_READY_WATCH 65
#define ARAMID_READY_UNWATCH 66
#define ARAMID_READY_ID_SOCK (1ul << 60)
#define ARAMID_READY_ID_IPC (2ul << 60)

/*
 * Readiness words: an owner may also publish each object's readiness in a word of a memory
 * object it shares read-only (the sock server's ready_map), so that a watcher told
 * ARAMID_READY_CHANGED reads the word instead of calling ready_poll. One 64-bit word per
 * object slot, written (release) before the owner signals or answers the call that changed
 * it: ARAMID_READY_WORD_VALID, the owner's check of which object holds the slot now (a few
 * bits of its serial: a reused slot does not match), the low 32 bits of the event generation
 * and the poll bits. A word that is not VALID, or whose check is not the object's, says
 * "ask ready_poll". A reader loads each word once and range-checks the slot first.
 */
#define ARAMID_READY_WORD_VALID (1ul << 63)
#define ARAMID_READY_WORD_CHECK_SHIFT 48
#define ARAMID_READY_WORD_CHECK_MASK 0x7ffful
#define ARAMID_READY_WORD_GENERATION_SHIFT 16
#define ARAMID_READY_WORD_GENERATION_MASK 0xfffffffful
#define ARAMID_READY_WORD_BITS 0x7ffful
/* In the word's low 16 bits beside the poll bits: the POLLIN|POLLRDNORM there come only from
 * bytes in a ring whose reader consumes it itself (sock's data fast path): that reader looks
 * at its ring instead, since the owner does not hear of every byte it takes or is given. */
#define ARAMID_READY_WORD_RING (1ul << 15)
/* libsys/ready_word.c: word slot of count words, if it is valid and its check is check's:
 * 1 with *bits and *generation (its low 32 bits) when ARAMID_READY_WORD_RING is set, 0 when
 * not; -1 when the word says "ask ready_poll" (or the slot is out of range). */
long aramid_ready_word_read(const unsigned long *words, unsigned long count, unsigned long slot,
                            unsigned long check, uint32_t *bits, unsigned long *generation);
static inline unsigned long aramid_ready_word(unsigned long check, unsigned long generation,
                                              unsigned long bits)
{
    return ARAMID_READY_WORD_VALID |
           (check & ARAMID_READY_WORD_CHECK_MASK) << ARAMID_READY_WORD_CHECK_SHIFT |
           (generation & ARAMID_READY_WORD_GENERATION_MASK) << ARAMID_READY_WORD_GENERATION_SHIFT |
           (bits & (ARAMID_READY_WORD_BITS | ARAMID_READY_WORD_RING));
}

/* Objects one process may hold at an owner server (as Linux's default RLIMIT_NOFILE bounds
 * its descriptors): past it creation fails (-ENOMEM), so no client can grow a server's memory
 * without bound and starve the others. The sock server enforces it; the event server bounds what
 * each process may cost of its own handle table instead (servers/event/event.h). */
#define ARAMID_SERVER_OBJECTS_PER_PROCESS 1024

#include <aramid/syscall.h>

/* How init starts an owner server (event, sock): one page at ARAMID_SERVER_BOOT_ADDRESS in its
 * space holding this, rdi = that address. */
#define ARAMID_SERVER_BOOT_ADDRESS 0x7fe000000000ul
struct aramid_server_boot {
    unsigned long magic;      /* the server's own */
    aramid_handle_t endpoint; /* the endpoint it serves: every right */
    aramid_handle_t space;    /* its own space (its heap maps into it) */
    aramid_handle_t proc;     /* proc's endpoint minted with ARAMID_PROC_BADGE_SERVER */
    /* sock: the event server's and the vfs's endpoints (send; 0: none), through which it drops
     * the passes of messages never read (event's pass_drop, vfs's handoff_drop). */
    aramid_handle_t event;
    aramid_handle_t vfs;
    /* event: the sock server's endpoint (send; 0: none), whose readiness words it maps. */
    aramid_handle_t sock;
};

/* What an owner server holds after aramid_server_start (libsys/server_start.c). */
struct aramid_server_handles {
    aramid_handle_t endpoint;      /* the endpoint it serves */
    aramid_handle_t space;         /* its own space */
    aramid_handle_t proc;          /* proc's endpoint, minted for servers */
    aramid_handle_t notifications; /* the parent notification bound to its IPC waits */
    aramid_handle_t proc_feed;     /* the child proc signals when process events are queued */
    aramid_handle_t event, vfs;    /* the boot page's (sock only) */
    aramid_handle_t sock;          /* the boot page's (event only) */
};

/* Takes over the hand-over page at argument (it must hold magic), sets up the heap, binds a
 * parent notification and subscribes to proc's process events through a child of it reported
 * with proc_key. Returns proc's answer to events_subscribe (0) or -errno. */
long aramid_server_start(unsigned long argument, unsigned long magic, unsigned long proc_key,
                         struct aramid_server_handles *out);

/* The client side (libsys/ready_client.c), on a handle to an owner's object. */
long aramid_ready_poll(aramid_handle_t object, unsigned long *bits, unsigned long *generation,
                       unsigned long *id);
/* Moves notification (signal right) to the owner; flags ARAMID_READY_WATCH_*. */
long aramid_ready_watch(aramid_handle_t object, aramid_handle_t notification,
                        unsigned long flags);
long aramid_ready_unwatch(aramid_handle_t object);
/* A memory object an owner grants (label: its ready_map, on its plain endpoint, or sock's
 * ready_map with an id; argument: the request's first word): the memory object (read, map) and the
 * reply's first word (ready_map: the number of words); -errno (-EPROTO: nothing granted). */
long aramid_ready_map(aramid_handle_t owner, unsigned label, unsigned long argument,
                      aramid_handle_t *memory, unsigned long *count);

#endif
