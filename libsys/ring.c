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
    }
    return 0;
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

static void ring_copy_in(struct aramid_ring *ring, uint32_t position, const unsigned char *bytes,
                         size_t length)
{
    for (size_t i = 0; i < length; i++)
        ring->shared->data[(position + i) & (ring->capacity - 1)] = bytes[i];
}

static void ring_copy_out(const struct aramid_ring *ring, uint32_t position, unsigned char *out,
                          size_t length)
{
    for (size_t i = 0; i < length; i++)
        out[i] = ring->shared->data[(position + i) & (ring->capacity - 1)];
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
    *wake = false;
    uint32_t head;
    if (ring->broken || !ring_load_head(ring, &head))
        return -ARAMID_EPROTO;
    uint32_t space = ring->capacity - (ring->tail - head);
    size_t taken = length < space ? length : space;
    if (taken == 0)
        return 0;
    ring_copy_in(ring, ring->tail, bytes, taken);
    ring->tail += (uint32_t)taken;
    atomic_store_explicit(&ring->shared->tail, ring->tail, memory_order_release);
    *wake = ring_take_flag(&ring->shared->consumer_waiting);
    return (long)taken;
}

long aramid_ring_read(struct aramid_ring *ring, void *out, size_t length, bool *wake)
{
    *wake = false;
    uint32_t tail;
    if (ring->broken || !ring_load_tail(ring, &tail))
        return -ARAMID_EPROTO;
    uint32_t queued = tail - ring->head;
    size_t taken = length < queued ? length : queued;
    if (taken == 0)
        return 0;
    ring_copy_out(ring, ring->head, out, taken);
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
    ring_copy_in(ring, ring->tail, (const unsigned char *)&length, sizeof(length));
    ring_copy_in(ring, ring->tail + sizeof(uint32_t), bytes, length);
    ring->tail += length + (uint32_t)sizeof(uint32_t);
    atomic_store_explicit(&ring->shared->tail, ring->tail, memory_order_release);
    *wake = ring_take_flag(&ring->shared->consumer_waiting);
    return (long)length;
}

long aramid_ring_read_record(struct aramid_ring *ring, void *out, uint32_t max, uint32_t *length,
                             bool *wake)
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
    ring_copy_out(ring, ring->head, (unsigned char *)&header, sizeof(header));
    if (header > queued - sizeof(header)) {
        ring->broken = true;
        return -ARAMID_EPROTO;
    }
    uint32_t copied = header < max ? header : max;
    ring_copy_out(ring, ring->head + sizeof(header), out, copied);
    ring->head += header + (uint32_t)sizeof(header);
    atomic_store_explicit(&ring->shared->head, ring->head, memory_order_release);
    *wake = ring_take_flag(&ring->shared->producer_waiting);
    *length = header;
    return (long)copied;
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
