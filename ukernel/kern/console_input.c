/* Console input: COM1's receive interrupt fills a bounded ring; holders of the console
 * capability read it (console_read) and bind notifications to hear of new input. */
#include <stdbool.h>
#include <stdint.h>

#include "apic.h"
#include "console.h"
#include "console_input.h"
#include "console_ring.h"
#include "ioapic.h"
#include "ipc.h"
#include "kerrno.h"
#include "serial.h"
#include "trap.h"
#include "uaccess.h"

#define COM1_IRQ 4
#define READ_CHUNK 512

struct console_binding {
    struct notification *notification; /* holds a reference; NULL: free */
    uint64_t bits;
};

/* Invariant: every access runs with interrupts disabled (system calls on one CPU, and the
 * receive interrupt), so the ring and the bindings need no lock. receiving: the UART's
 * receive interrupt is on; it is off exactly while the ring is full (flow control). */
static struct console_input {
    bool enabled;
    bool receiving;
    struct console_ring ring;
    struct console_binding bindings[CONSOLE_BINDINGS_MAX];
} console;

/* Signals every bound notification: the ring went from empty to non-empty. */
static void console_input_signal_all(void)
{
    for (unsigned i = 0; i < CONSOLE_BINDINGS_MAX; i++) {
        struct console_binding *binding = &console.bindings[i];
        if (binding->notification)
            ipc_notification_signal(binding->notification, binding->bits);
    }
}

/* Moves what the UART holds into the ring while there is room; a full ring turns the receive
 * interrupt off until a read makes room. */
static void console_input_drain(void)
{
    bool was_empty = console_ring_count(&console.ring) == 0;
    while (console_ring_count(&console.ring) < CONSOLE_RING_SIZE) {
        int byte = serial_input_byte();
        if (byte < 0)
            break;
        (void)console_ring_put(&console.ring, (uint8_t)byte);
    }
    bool room = console_ring_count(&console.ring) < CONSOLE_RING_SIZE;
    if (room != console.receiving) {
        serial_input_receive(room);
        console.receiving = room;
    }
    if (was_empty && console_ring_count(&console.ring) > 0)
        console_input_signal_all();
}

static void console_input_interrupt(struct trap_frame *frame)
{
    (void)frame;
    console_input_drain();
    apic_end_of_interrupt();
}

void console_input_init(bool enabled)
{
    console_ring_init(&console.ring);
    if (!enabled) {
        kprintf("console: input off (console_input=off)\n");
        return;
    }
    trap_set_handler(TRAP_SERIAL, console_input_interrupt);
    int err = ioapic_route_isa(COM1_IRQ, TRAP_SERIAL, apic_id());
    if (err) {
        kprintf("console: no I/O APIC for the serial line's interrupt (%d); input off\n", err);
        return;
    }
    serial_input_start();
    console.receiving = true;
    console.enabled = true;
    kprintf("console: input on COM1 (IRQ %d, vector %d)\n", COM1_IRQ, TRAP_SERIAL);
}

void *console_input_object(void)
{
    return console.enabled ? &console : NULL;
}

/* A binding whose notification only the console still holds is of a dead owner: reuse it. */
static struct console_binding *console_input_free_binding(void)
{
    for (unsigned i = 0; i < CONSOLE_BINDINGS_MAX; i++) {
        struct console_binding *binding = &console.bindings[i];
        if (binding->notification && binding->notification->refcount == 1) {
            notification_put(binding->notification);
            binding->notification = NULL;
        }
        if (!binding->notification)
            return binding;
    }
    return NULL;
}

long console_input_bind(struct notification *notification, uint64_t bits)
{
    struct console_binding *found = NULL;
    for (unsigned i = 0; i < CONSOLE_BINDINGS_MAX && !found; i++)
        if (console.bindings[i].notification == notification)
            found = &console.bindings[i];
    if (bits == 0) {
        if (!found)
            return -ENOENT;
        notification_put(found->notification);
        found->notification = NULL;
        return 0;
    }
    if (!found) {
        found = console_input_free_binding();
        if (!found)
            return -ENOSPC;
        notification_get(notification);
        found->notification = notification;
    }
    found->bits = bits;
    if (console_ring_count(&console.ring) > 0)
        ipc_notification_signal(notification, bits);
    return 0;
}

long console_input_read(uint64_t user_buffer, uint64_t length)
{
    uint8_t chunk[READ_CHUNK];
    uint64_t done = 0;
    if (length == 0)
        return 0;
    if (!uaccess_range_ok(user_buffer, length))
        return -EFAULT;
    if (console_ring_count(&console.ring) == 0)
        return -EAGAIN;
    while (done < length) {
        size_t want = length - done < READ_CHUNK ? (size_t)(length - done) : READ_CHUNK;
        size_t n = console_ring_peek(&console.ring, chunk, want);
        if (n == 0)
            break;
        int err = copy_to_user(user_buffer + done, chunk, n);
        if (err)
            return done ? (long)done : err; /* the bytes stay in the ring */
        console_ring_consume(&console.ring, n);
        done += n;
    }
    if (!console.receiving)
        console_input_drain(); /* room again: take what waited in the UART */
    return (long)done;
}
