/* Moving a caller's iovec bytes through a shared SPSC ring (aramid/ring.h) with posix-shim's
 * fault-safe copies and the futex wake-ups: shared by the socket and pipe fast paths. */
#ifndef POSIX_SHIM_RING_IO_H
#define POSIX_SHIM_RING_IO_H

#include <stdbool.h>
#include <stddef.h>

#include <aramid/ring.h>

struct iovec;

/* Wakes every sleeper on a ring's waiting word (the word is the futex: the kernel keys it by
 * the physical page, so every mapping of the ring meets there). */
void ring_io_wake(_Atomic uint32_t *word);

/* Producer: bytes [offset, offset + length) of vector into ring, as far as they fit; then, if
 * the consumer said it waits, wakes it. The bytes written (0: full), or -EPROTO (a scribbled
 * ring: ring->broken) / -EFAULT when nothing was written. */
long ring_io_put(struct aramid_ring *ring, const struct iovec *vector, size_t count,
                 size_t offset, size_t length);
/* Consumer: up to length bytes into vector from byte offset on (peek: they stay queued; it
 * fills one vector entry at most); wakes a producer that waits for room. The bytes read (0:
 * empty), or -EPROTO / -EFAULT when none were. */
long ring_io_take(struct aramid_ring *ring, const struct iovec *vector, size_t count,
                  size_t offset, size_t length, bool peek);

#endif
