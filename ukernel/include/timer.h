/* The periodic timer tick (per-CPU counter from the local APIC timer) and the monotonic clock. */
#ifndef ARAMID_TIMER_H
#define ARAMID_TIMER_H

#include <stdint.h>

#define TIMER_HZ 100

void timer_init(void);
uint64_t timer_ticks(void);
/* Nanoseconds since timer_init, from the TSC. */
uint64_t timer_nanoseconds(void);
#define TIMER_NANOSECONDS_PER_TICK (1000000000ull / TIMER_HZ)

#endif
