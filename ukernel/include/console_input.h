/* Console input: the serial line's received bytes, read through the console capability. */
#ifndef ARAMID_CONSOLE_INPUT_H
#define ARAMID_CONSOLE_INPUT_H

#include <stdbool.h>
#include <stdint.h>

struct notification;

/* At most this many notifications are bound at once (one per reading process or server). */
#define CONSOLE_BINDINGS_MAX 8

/*
 * enabled: route COM1's receive interrupt and make the console object; otherwise (kernel
 * option console_input=off) nothing listens and console_input_object() is NULL. Needs the
 * local APIC (after timer_init).
 */
void console_input_init(bool enabled);
/* The console object the root task gets a handle to (HANDLE_TYPE_CONSOLE), or NULL. It is
 * static: handles to it take no reference. */
void *console_input_object(void);

/*
 * SYS_console_bind's work: bits != 0 adds notification to the set signalled with bits when
 * input arrives in an empty ring (or changes its bits); it is signalled at once if input is
 * waiting. bits == 0 removes it. Returns 0; -ENOENT (removing one that is not bound); -ENOSPC
 * (CONSOLE_BINDINGS_MAX bound to live notifications).
 */
long console_input_bind(struct notification *notification, uint64_t bits);
/* SYS_console_read's work: up to length waiting bytes to user_buffer. Returns the count;
 * -EAGAIN when none waits; -EFAULT (bad buffer; no byte is lost). */
long console_input_read(uint64_t user_buffer, uint64_t length);

#endif
