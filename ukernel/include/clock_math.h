/* Calendar and clock arithmetic shared by the kernel and tested on the host. */
#ifndef ARAMID_CLOCK_MATH_H
#define ARAMID_CLOCK_MATH_H

#include <stdint.h>

/* Seconds since 1970-01-01 00:00:00 UTC of a proleptic Gregorian date and time. Returns -1 for
 * fields out of range (year < 1970, month 1..12, day 1..days in month, hour 0..23, minute and
 * second 0..59). */
int64_t clock_unix_seconds(int year, int month, int day, int hour, int minute, int second);

/* The multiplier for ((ticks * mult) >> shift) = nanoseconds at frequency hz (hz > 0). */
uint64_t clock_nanosecond_multiplier(uint64_t hz, unsigned shift);

static inline uint64_t clock_ticks_to_nanoseconds(uint64_t ticks, uint64_t mult, unsigned shift)
{
    return (uint64_t)(((unsigned __int128)ticks * mult) >> shift);
}

#endif
