/* The console's input ring: bytes the serial line received, waiting for console_read. Pure
 * logic, host-tested (tests/unit/test_console_ring.c). */
#ifndef ARAMID_CONSOLE_RING_H
#define ARAMID_CONSOLE_RING_H

#include <stddef.h>
#include <stdint.h>

#define CONSOLE_RING_SIZE 4096u /* a power of two */

/*
 * Invariant: head - tail is the number of stored bytes, at most CONSOLE_RING_SIZE; the bytes
 * are bytes[tail % SIZE] .. bytes[(head - 1) % SIZE], oldest first. The counters only grow
 * (wrapping as unsigned). A byte that finds the ring full is dropped and counted in dropped
 * (console_input.c stops taking bytes from the UART before that happens).
 * Locking: the caller runs with interrupts disabled (the receive interrupt is the producer).
 */
struct console_ring {
    uint8_t bytes[CONSOLE_RING_SIZE];
    uint32_t head;
    uint32_t tail;
    uint64_t dropped;
};

void console_ring_init(struct console_ring *ring);
/* Appends byte; returns 1, or 0 when the ring was full and the byte dropped. */
int console_ring_put(struct console_ring *ring, uint8_t byte);
/* Bytes stored. */
size_t console_ring_count(const struct console_ring *ring);
/* Copies up to length of the oldest bytes to out without taking them; returns the count. */
size_t console_ring_peek(const struct console_ring *ring, uint8_t *out, size_t length);
/* Takes count bytes (at most console_ring_count) off the old end. */
void console_ring_consume(struct console_ring *ring, size_t count);

#endif
