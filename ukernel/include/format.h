/* Kernel printf engine: formats into a character sink, no floating point, no allocation. */
#ifndef ARAMID_FORMAT_H
#define ARAMID_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Supported: %d %i %u %x %X %o %p %s %c %%, length modifiers hh h l ll z, flags - 0 + space #,
 * field width and precision (digits or '*'). %p prints "0x" and 16 zero-padded hex digits;
 * %s of NULL prints "(null)". A conversion outside that list (including an incomplete one at the
 * end of fmt) is printed literally, from its '%' to its last character, and consumes no argument,
 * not even for a '*' it contains. Results saturate at INT32_MAX characters.
 */

/* Formats fmt, calling emit once per produced character; returns the number of characters. */
int format_vprint(void (*emit)(void *ctx, char c), void *ctx, const char *fmt, va_list ap);

/*
 * Like vsnprintf: stores at most size - 1 characters plus a NUL when size > 0 (buf may be NULL
 * when size is 0) and returns the length the full output would have had.
 */
int format_vsnprint(char *buf, size_t size, const char *fmt, va_list ap);

__attribute__((format(printf, 3, 4))) int format_snprint(char *buf, size_t size, const char *fmt,
                                                         ...);

#endif
