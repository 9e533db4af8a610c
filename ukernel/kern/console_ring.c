/* The console's bounded input ring (see console_ring.h). */
#include "console_ring.h"

void console_ring_init(struct console_ring *ring)
{
    ring->head = 0;
    ring->tail = 0;
    ring->dropped = 0;
}

int console_ring_put(struct console_ring *ring, uint8_t byte)
{
    if (ring->head - ring->tail >= CONSOLE_RING_SIZE) {
        ring->dropped++;
        return 0;
    }
    ring->bytes[ring->head % CONSOLE_RING_SIZE] = byte;
    ring->head++;
    return 1;
}

size_t console_ring_count(const struct console_ring *ring)
{
    return ring->head - ring->tail;
}

size_t console_ring_peek(const struct console_ring *ring, uint8_t *out, size_t length)
{
    size_t count = console_ring_count(ring);
    if (length < count)
        count = length;
    for (size_t i = 0; i < count; i++)
        out[i] = ring->bytes[(ring->tail + (uint32_t)i) % CONSOLE_RING_SIZE];
    return count;
}

void console_ring_consume(struct console_ring *ring, size_t count)
{
    size_t stored = console_ring_count(ring);
    ring->tail += (uint32_t)(count < stored ? count : stored);
}
