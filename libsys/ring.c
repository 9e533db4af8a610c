/* Shared-memory SPSC rings: every index from the peer is read once, checked, then trusted. */
#include <aramid/errno.h>
#include <aramid/ring.h>

#include <stdatomic.h>

long aramid_ring_attach(struct aramid_ring *ring, struct aramid_ring_shared *shared,
                        uint32_t capacity, bool initialize)
{
    if (capacity < 16 || (capacity & (capacity - 1)) != 0)
        return -ARAMID_EINVAL;
    *ring = (struct aramid_ring){.shared = shared, .capacity = capacity};
    if (initialize) {
        atomic_store_explicit(&shared->head, 0, memory_order_relaxed);
        atomic_store_explicit(&shared->tail, 0, memory_order_relaxed);
        atomic_store_explicit(&shared->consumer_waiting, 0, memory_order_relaxed);
        atomic_store_explicit(&shared->producer_waiting, 0, memory_order_release);
        return 0;
    }
    /* Joining a ring in use: both indexes read once; more than capacity apart is a scribble. */
    ring->head = atomic_load_explicit(&shared->head, memory_order_acquire);
    ring->tail = atomic_load_explicit(&shared->tail, memory_order_acquire);
    if (ring->tail - ring->head > capacity) {
        ring->tail = ring->head;
        ring->broken = true;
    }
    return 0;
}

long aramid_ring_observe(const struct aramid_ring_shared *shared, uint32_t capacity)
{
    uint32_t head = atomic_load_explicit(&shared->head, memory_order_acquire);
    uint32_t tail = atomic_load_explicit(&shared->tail, memory_order_acquire);
    uint32_t queued = tail - head;
    return queued > capacity ? -ARAMID_EPROTO : (long)queued;
}

/* Producer's view of the consumer's head: read once; legal when it moved forward from the last
 * value seen and not past our tail. Returns false (and breaks the ring) otherwise. */
static bool ring_load_head(struct aramid_ring *ring, uint32_t *head)
{
    uint32_t value = atomic_load_explicit(&ring->shared->head, memory_order_acquire);
    uint32_t moved = value - ring->head;
    uint32_t outstanding = ring->tail - ring->head;
    if (moved > outstanding) {
        ring->broken = true;
        return false;
    }
    ring->head = value;
    *head = value;
    return true;
}

/* Consumer's view of the producer's tail: forward from the last seen, at most capacity ahead
 * of our head. */
static bool ring_load_tail(struct aramid_ring *ring, uint32_t *tail)
{
    uint32_t value = atomic_load_explicit(&ring->shared->tail, memory_order_acquire);
    uint32_t queued = value - ring->head;
    uint32_t seen = ring->tail - ring->head;
    if (queued > ring->capacity || queued < seen) {
        ring->broken = true;
        return false;
    }
    ring->tail = value;
    *tail = value;
    return true;
}

static long ring_memcpy(void *to, const void *from, size_t length)
{
    __builtin_memcpy(to, from, length);
    return 0;
}

/* At most two runs (the data area wraps once); a failing copy (a bad user buffer) is returned. */
static long ring_copy_in(struct aramid_ring *ring, uint32_t position, const unsigned char *bytes,
                         size_t length, aramid_ring_copy_fn copy)
{
    uint32_t offset = position & (ring->capacity - 1);
    size_t run = ring->capacity - offset < length ? ring->capacity - offset : length;
    long result = copy(ring->shared->data + offset, bytes, run);
    if (result >= 0 && run < length)
        result = copy(ring->shared->data, bytes + run, length - run);
    return result < 0 ? result : 0;
}

static long ring_copy_out(const struct aramid_ring *ring, uint32_t position, unsigned char *out,
                          size_t length, aramid_ring_copy_fn copy)
{
    uint32_t offset = position & (ring->capacity - 1);
    size_t run = ring->capacity - offset < length ? ring->capacity - offset : length;
    long result = copy(out, ring->shared->data + offset, run);
    if (result >= 0 && run < length)
        result = copy(out + run, ring->shared->data, length - run);
    return result < 0 ? result : 0;
}

/* After publishing: does the peer wait? The fence orders our index store before the flag load
 * (pairs with the fence in prepare_sleep). */
static bool ring_take_flag(_Atomic uint32_t *flag)
{
    atomic_thread_fence(memory_order_seq_cst);
    if (atomic_load_explicit(flag, memory_order_relaxed) == 0)
        return false;
    return atomic_exchange_explicit(flag, 0, memory_order_acq_rel) != 0;
}

long aramid_ring_write(struct aramid_ring *ring, const void *bytes, size_t length, bool *wake)
{
    return aramid_ring_write_copy(ring, bytes, length, ring_memcpy, wake);
}

long aramid_ring_write_copy(struct aramid_ring *ring, const void *bytes, size_t length,
                            aramid_ring_copy_fn copy, bool *wake)
{
    *wake = false;
    uint32_t head;
    if (ring->broken || !ring_load_head(ring, &head))
        return -ARAMID_EPROTO;
    uint32_t space = ring->capacity - (ring->tail - head);
    size_t taken = length < space ? length : space;
    if (taken == 0)
        return 0;
    long copied = ring_copy_in(ring, ring->tail, bytes, taken, copy);
    if (copied < 0)
        return copied; /* nothing published */
    ring->tail += (uint32_t)taken;
    atomic_store_explicit(&ring->shared->tail, ring->tail, memory_order_release);
    *wake = ring_take_flag(&ring->shared->consumer_waiting);
    return (long)taken;
}

long aramid_ring_read(struct aramid_ring *ring, void *out, size_t length, bool *wake)
{
    return aramid_ring_read_copy(ring, out, length, ring_memcpy, false, wake);
}

long aramid_ring_read_copy(struct aramid_ring *ring, void *out, size_t length,
                           aramid_ring_copy_fn copy, bool peek, bool *wake)
{
    *wake = false;
    uint32_t tail;
    if (ring->broken || !ring_load_tail(ring, &tail))
        return -ARAMID_EPROTO;
    uint32_t queued = tail - ring->head;
    size_t taken = length < queued ? length : queued;
    if (taken == 0)
        return 0;
    long copied = ring_copy_out(ring, ring->head, out, taken, copy);
    if (copied < 0 || peek)
        return copied < 0 ? copied : (long)taken; /* the bytes stay queued */
    ring->head += (uint32_t)taken;
    atomic_store_explicit(&ring->shared->head, ring->head, memory_order_release);
    *wake = ring_take_flag(&ring->shared->producer_waiting);
    return (long)taken;
}

long aramid_ring_write_record(struct aramid_ring *ring, const void *bytes, uint32_t length,
                              bool *wake)
{
    *wake = false;
    if ((uint64_t)length + sizeof(uint32_t) > ring->capacity)
        return -ARAMID_EMSGSIZE;
    uint32_t head;
    if (ring->broken || !ring_load_head(ring, &head))
        return -ARAMID_EPROTO;
    uint32_t space = ring->capacity - (ring->tail - head);
    if (space < length + sizeof(uint32_t))
        return 0;
    (void)ring_copy_in(ring, ring->tail, (const unsigned char *)&length, sizeof(length),
                       ring_memcpy);
    (void)ring_copy_in(ring, ring->tail + sizeof(uint32_t), bytes, length, ring_memcpy);
    ring->tail += length + (uint32_t)sizeof(uint32_t);
    atomic_store_explicit(&ring->shared->tail, ring->tail, memory_order_release);
    *wake = ring_take_flag(&ring->shared->consumer_waiting);
    return (long)length;
}

/* read_record and peek_record: peek leaves the record queued (and wakes nobody). */
static long ring_record_out(struct aramid_ring *ring, void *out, uint32_t max, uint32_t *length,
                            bool peek, bool *wake)
{
    *wake = false;
    uint32_t tail;
    if (ring->broken || !ring_load_tail(ring, &tail))
        return -ARAMID_EPROTO;
    uint32_t queued = tail - ring->head;
    if (queued == 0)
        return -ARAMID_EAGAIN;
    uint32_t header; /* copied out once, then checked: the peer may change the ring under us */
    if (queued < sizeof(header)) {
        ring->broken = true;
        return -ARAMID_EPROTO;
    }
    (void)ring_copy_out(ring, ring->head, (unsigned char *)&header, sizeof(header), ring_memcpy);
    if (header > queued - sizeof(header)) {
        ring->broken = true;
        return -ARAMID_EPROTO;
    }
    uint32_t copied = header < max ? header : max;
    (void)ring_copy_out(ring, ring->head + sizeof(header), out, copied, ring_memcpy);
    *length = header;
    if (peek)
        return (long)copied;
    ring->head += header + (uint32_t)sizeof(header);
    atomic_store_explicit(&ring->shared->head, ring->head, memory_order_release);
    *wake = ring_take_flag(&ring->shared->producer_waiting);
    return (long)copied;
}

long aramid_ring_read_record(struct aramid_ring *ring, void *out, uint32_t max, uint32_t *length,
                             bool *wake)
{
    return ring_record_out(ring, out, max, length, false, wake);
}

long aramid_ring_peek_record(struct aramid_ring *ring, void *out, uint32_t max, uint32_t *length)
{
    bool wake;
    return ring_record_out(ring, out, max, length, true, &wake);
}

bool aramid_ring_consumer_prepare_sleep(struct aramid_ring *ring)
{
    atomic_store_explicit(&ring->shared->consumer_waiting, 1, memory_order_relaxed);
    atomic_thread_fence(memory_order_seq_cst);
    uint32_t tail;
    if (ring->broken || !ring_load_tail(ring, &tail) || tail != ring->head) {
        atomic_store_explicit(&ring->shared->consumer_waiting, 0, memory_order_relaxed);
        return false;
    }
    return true;
}

bool aramid_ring_producer_prepare_sleep(struct aramid_ring *ring, uint32_t needed)
{
    atomic_store_explicit(&ring->shared->producer_waiting, 1, memory_order_relaxed);
    atomic_thread_fence(memory_order_seq_cst);
    uint32_t head;
    if (ring->broken || !ring_load_head(ring, &head) ||
        ring->capacity - (ring->tail - head) >= needed) {
        atomic_store_explicit(&ring->shared->producer_waiting, 0, memory_order_relaxed);
        return false;
    }
    return true;
}
