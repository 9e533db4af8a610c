/* I/O APIC redirection entries for the few ISA lines the kernel uses (the serial console). */
#include <stdint.h>

#include "ioapic.h"
#include "kerrno.h"
#include "layout.h"

#define IOAPIC_PHYS_BASE 0xfec00000ull
#define IOAPIC_REG_SELECT 0x00
#define IOAPIC_REG_WINDOW 0x10
#define IOAPIC_VERSION 0x01
#define IOAPIC_REDIRECTION(pin) (0x10 + 2 * (pin))
#define IOAPIC_MASKED (1u << 16)

static uint32_t ioapic_read(volatile uint32_t *base, uint32_t reg)
{
    base[IOAPIC_REG_SELECT / 4] = reg;
    return base[IOAPIC_REG_WINDOW / 4];
}

static void ioapic_write(volatile uint32_t *base, uint32_t reg, uint32_t value)
{
    base[IOAPIC_REG_SELECT / 4] = reg;
    base[IOAPIC_REG_WINDOW / 4] = value;
}

int ioapic_route_isa(uint8_t irq, uint8_t vector, uint8_t apic_id)
{
    volatile uint32_t *base = phys_to_virt(IOAPIC_PHYS_BASE);
    uint32_t version = ioapic_read(base, IOAPIC_VERSION);
    if (version == 0xffffffffu)
        return -ENODEV;
    uint32_t max_pin = (version >> 16) & 0xff;
    if (irq > max_pin)
        return -ENODEV;
    /* Mask while the halves are inconsistent: destination first, then vector and unmask. */
    ioapic_write(base, IOAPIC_REDIRECTION(irq), IOAPIC_MASKED);
    ioapic_write(base, IOAPIC_REDIRECTION(irq) + 1, (uint32_t)apic_id << 24);
    ioapic_write(base, IOAPIC_REDIRECTION(irq), vector); /* fixed, physical, edge, high */
    return 0;
}
