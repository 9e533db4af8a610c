/* Single-producer single-consumer rings in memory shared with a peer that may be hostile: the
 * layout, the futex-style waiting flags, and the validating accessors (libsys/ring.c). */
#ifndef ARAMID_RING_H
#define ARAMID_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The shared part: head is written only by the consumer, tail only by the producer, each a
 * free-running byte position (mod 2^32); data holds capacity bytes (a power of two). The
 * waiting flags follow the futex discipline: a side that wants to sleep sets its flag, re-checks
 * the ring, and only then sleeps; the other side, after publishing, reads the flag and wakes
 * (clearing it) only when it is set. Memory order: data before the index (release), the index
 * before the data it covers (acquire), and a full fence between publishing and reading the
 * peer's flag (and between setting one's flag and re-checking), so no wake-up is lost.
 */
struct aramid_ring_shared {
    _Atomic uint32_t head;
    _Atomic uint32_t tail;
    _Atomic uint32_t consumer_waiting;
    _Atomic uint32_t producer_waiting;
    unsigned char data[];
};

/*
 * One side's private view. Nothing here lives in shared memory: the side's own index is kept
 * privately and only published (never read back), and the peer's index is read once per
 * operation into a private copy and checked: in range (at most capacity ahead) and moved only
 * forward. A check that fails marks the ring broken (-EPROTO from then on): only the
 * scribbler's own ring stops working.
 */
struct aramid_ring {
    struct aramid_ring_shared *shared;
    uint32_t capacity; /* power of two, >= 16 */
    uint32_t head;     /* consumer's private head (consumer side) / last head seen (producer) */
    uint32_t tail;     /* producer's private tail (producer side) / last tail seen (consumer) */
    bool broken;
};


/* Attaches to shared (capacity data bytes). Returns 0 or -EINVAL (capacity not a power of two
 * or < 16). initialize: zero the shared indexes (the side that created the memory); otherwise
 * the private view starts from the shared indexes, each read once (a ring in use changes
 * hands: a side that joins late, or a server taking over from a consumer that left), and
 * indexes more than capacity apart make the view broken. */
long aramid_ring_attach(struct aramid_ring *ring, struct aramid_ring_shared *shared,
                        uint32_t capacity, bool initialize);

/* A third party's look (neither side): the bytes queued now, or -EPROTO when the indexes are
 * more than capacity apart (a scribble). Each index read once; a hint, never trusted for
 * copying. */
long aramid_ring_observe(const struct aramid_ring_shared *shared, uint32_t capacity);

/* How bytes cross between the ring and the caller's buffer: 0 or a negative errno (a user
 * buffer that faults: -EFAULT); posix-shim passes its fault-safe user copies. */
typedef long (*aramid_ring_copy_fn)(void *to, const void *from, size_t length);

/* Producer: copies up to length bytes in; returns the bytes written (0: full) or -EPROTO.
 * *wake is set when the consumer said it waits (the caller wakes it). */
long aramid_ring_write(struct aramid_ring *ring, const void *bytes, size_t length, bool *wake);
/* Consumer: copies up to length bytes out; returns the bytes read (0: empty) or -EPROTO.
 * *wake is set when the producer said it waits for room. */
long aramid_ring_read(struct aramid_ring *ring, void *out, size_t length, bool *wake);
/* The same through copy: a copy that fails returns its error and moves no index. peek: the
 * bytes stay queued (MSG_PEEK). */
long aramid_ring_write_copy(struct aramid_ring *ring, const void *bytes, size_t length,
                            aramid_ring_copy_fn copy, bool *wake);
long aramid_ring_read_copy(struct aramid_ring *ring, void *out, size_t length,
                           aramid_ring_copy_fn copy, bool peek, bool *wake);

/* Records: a 4-byte length header, then the bytes, never split by the caller's view. Write is
 * all or nothing (0 when it does not fit, -EMSGSIZE when it never can); read copies the header
 * out before looking at it, bounds it by what is queued and by max, and returns the record's
 * length (the bytes beyond max are dropped), 0 (-EAGAIN style: nothing) as -EAGAIN, or -EPROTO. */
long aramid_ring_write_record(struct aramid_ring *ring, const void *bytes, uint32_t length,
                              bool *wake);
long aramid_ring_read_record(struct aramid_ring *ring, void *out, uint32_t max, uint32_t *length,
                             bool *wake);
/* read_record's look (MSG_PEEK): the same checks and copy, the record stays queued. */
long aramid_ring_peek_record(struct aramid_ring *ring, void *out, uint32_t max, uint32_t *length);

/* The sleep side of the discipline: sets this side's waiting flag, re-checks, and returns true
 * when the caller should sleep now (still empty / still full), false when it must not (the
 * flag is cleared again). */
bool aramid_ring_consumer_prepare_sleep(struct aramid_ring *ring);
bool aramid_ring_producer_prepare_sleep(struct aramid_ring *ring, uint32_t needed);

#endif
