/* Local APIC timer (xAPIC, memory mapped), calibrated against PIT channel 2, and the legacy PIC
 * masked so its IRQs can never alias the exception vectors. */
#include <stdint.h>

#include "apic.h"
#include "console.h"
#include "cpu.h"
#include "io.h"
#include "layout.h"
#include "trap.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1u << 11)

#define APIC_REG_ID 0x20
#define APIC_REG_EOI 0xb0
#define APIC_REG_SPURIOUS 0xf0
#define APIC_REG_LVT_TIMER 0x320
#define APIC_REG_TIMER_INITIAL 0x380
#define APIC_REG_TIMER_CURRENT 0x390
#define APIC_REG_TIMER_DIVIDE 0x3e0
#define APIC_SOFTWARE_ENABLE 0x100
#define APIC_LVT_MASKED (1u << 16)
#define APIC_TIMER_PERIODIC (1u << 17)
#define APIC_DIVIDE_BY_16 0x3

#define PIC1_COMMAND 0x20
#define PIC1_DATA 0x21
#define PIC2_COMMAND 0xa0
#define PIC2_DATA 0xa1

#define PIT_FREQUENCY_HZ 1193182
#define PIT_CHANNEL2_DATA 0x42
#define PIT_COMMAND 0x43
#define PIT_GATE_PORT 0x61
#define CALIBRATION_MS 10

static volatile uint32_t *apic_registers;

static uint32_t apic_read(uint32_t reg)
{
    return apic_registers[reg / 4];
}

static void apic_write(uint32_t reg, uint32_t value)
{
    apic_registers[reg / 4] = value;
}

uint8_t apic_id(void)
{
    return (uint8_t)(apic_read(APIC_REG_ID) >> 24);
}

void apic_end_of_interrupt(void)
{
    apic_write(APIC_REG_EOI, 0);
}

/* Remaps the 8259s to vectors 0x20-0x2f (away from exceptions) and masks every line. */
static void pic_disable(void)
{
    io_out8(PIC1_COMMAND, 0x11);
    io_out8(PIC2_COMMAND, 0x11);
    io_out8(PIC1_DATA, 0x20);
    io_out8(PIC2_DATA, 0x28);
    io_out8(PIC1_DATA, 0x04);
    io_out8(PIC2_DATA, 0x02);
    io_out8(PIC1_DATA, 0x01);
    io_out8(PIC2_DATA, 0x01);
    io_out8(PIC1_DATA, 0xff);
    io_out8(PIC2_DATA, 0xff);
}

/* Counts APIC timer decrements during CALIBRATION_MS measured by PIT channel 2 (one-shot,
 * gate through port 0x61, output read back on bit 5). */
static uint32_t apic_timer_calibrate(uint64_t *tsc_elapsed)
{
    uint32_t pit_count = PIT_FREQUENCY_HZ * CALIBRATION_MS / 1000;
    uint8_t gate = io_in8(PIT_GATE_PORT);
    io_out8(PIT_GATE_PORT, (uint8_t)((gate & ~0x02) | 0x01)); /* gate on, speaker off */
    io_out8(PIT_COMMAND, 0xb0);                              /* channel 2, lo/hi, mode 0 */
    io_out8(PIT_CHANNEL2_DATA, (uint8_t)pit_count);
    io_out8(PIT_CHANNEL2_DATA, (uint8_t)(pit_count >> 8));
    /* Restart the count by toggling the gate, then run the APIC timer from its maximum. */
    gate = io_in8(PIT_GATE_PORT);
    io_out8(PIT_GATE_PORT, (uint8_t)(gate & ~0x01));
    io_out8(PIT_GATE_PORT, (uint8_t)(gate | 0x01));
    apic_write(APIC_REG_TIMER_DIVIDE, APIC_DIVIDE_BY_16);
    apic_write(APIC_REG_LVT_TIMER, APIC_LVT_MASKED);
    apic_write(APIC_REG_TIMER_INITIAL, UINT32_MAX);
    uint64_t tsc_start = cpu_read_tsc();
    while (!(io_in8(PIT_GATE_PORT) & 0x20))
        ;
    uint32_t elapsed = UINT32_MAX - apic_read(APIC_REG_TIMER_CURRENT);
    *tsc_elapsed = cpu_read_tsc() - tsc_start;
    apic_write(APIC_REG_TIMER_INITIAL, 0);
    return elapsed;
}

uint32_t apic_init(uint32_t hz, uint64_t *tsc_per_second)
{
    pic_disable();
    uint64_t base = cpu_read_msr(MSR_APIC_BASE);
    cpu_write_msr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    apic_registers = phys_to_virt(base & ~0xfffull);
    apic_write(APIC_REG_SPURIOUS, APIC_SOFTWARE_ENABLE | TRAP_SPURIOUS);

    uint64_t tsc_elapsed;
    uint32_t per_calibration = apic_timer_calibrate(&tsc_elapsed);
    *tsc_per_second = tsc_elapsed * (1000 / CALIBRATION_MS);
    uint64_t per_second = (uint64_t)per_calibration * (1000 / CALIBRATION_MS);
    uint32_t per_tick = (uint32_t)(per_second / hz);
    if (per_tick == 0)
        per_tick = 1;
    apic_write(APIC_REG_TIMER_DIVIDE, APIC_DIVIDE_BY_16);
    apic_write(APIC_REG_LVT_TIMER, APIC_TIMER_PERIODIC | TRAP_TIMER);
    apic_write(APIC_REG_TIMER_INITIAL, per_tick);
    return per_tick;
}
