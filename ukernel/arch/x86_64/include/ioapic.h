/* The I/O APIC: routes a legacy ISA interrupt line to a vector on the boot CPU. */
#ifndef ARAMID_ARCH_IOAPIC_H
#define ARAMID_ARCH_IOAPIC_H

#include <stdint.h>

/*
 * Routes ISA line irq (edge-triggered, active high, as ISA lines are) to vector on the local
 * APIC apic_id, unmasked. The I/O APIC is the PC's at 0xfec00000 (QEMU's; the kernel reads no
 * ACPI tables yet, so interrupt source overrides are not applied: lines 1-15 except 2 map to
 * the pin of the same number on PCs). Returns 0, or -ENODEV when no I/O APIC answers or it has
 * no such pin.
 */
int ioapic_route_isa(uint8_t irq, uint8_t vector, uint8_t apic_id);

#endif
