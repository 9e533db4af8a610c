/* The periodic timer tick: a per-CPU tick counter driven by the local APIC timer. */
#ifndef ARAMID_TIMER_H
#define ARAMID_TIMER_H

#include <stdint.h>

#define TIMER_HZ 100

void timer_init(void);
uint64_t timer_ticks(void);

#endif
