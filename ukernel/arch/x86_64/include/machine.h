/* Whole-machine operations: halting, and leaving QEMU with an exit code. */
#ifndef ARAMID_ARCH_MACHINE_H
#define ARAMID_ARCH_MACHINE_H

#include <stdint.h>

/* Stops the machine and reports code (0..255) to tools/run as "aramid-exit CODE" on the control
 * serial port, then stops QEMU through isa-debug-exit. Never returns. */
__attribute__((noreturn)) void machine_exit(uint8_t code);

static inline void cpu_halt(void)
{
    __asm__ volatile("hlt");
}

static inline void interrupts_enable(void)
{
    __asm__ volatile("sti" ::: "memory");
}

static inline void interrupts_disable(void)
{
    __asm__ volatile("cli" ::: "memory");
}

/* Enables interrupts and halts in one step: an interrupt arriving between the two cannot be missed. */
static inline void interrupts_enable_and_halt(void)
{
    __asm__ volatile("sti; hlt" ::: "memory");
}

#endif
