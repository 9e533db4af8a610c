/* Local APIC: the periodic timer interrupt and end-of-interrupt. */
#ifndef ARAMID_ARCH_APIC_H
#define ARAMID_ARCH_APIC_H

#include <stdint.h>

/* Masks the legacy 8259 PICs, enables the local APIC, calibrates its timer (and the TSC,
 * stored in *tsc_per_second) against the PIT and starts it periodic at hz on vector TRAP_TIMER.
 * Returns the timer's counts per tick. */
uint32_t apic_init(uint32_t hz, uint64_t *tsc_per_second);
void apic_end_of_interrupt(void);
/* The local APIC id of the calling CPU (xAPIC: 8 bits). */
uint8_t apic_id(void);

#endif
