/* Interrupts and exceptions: the saved register frame, the IDT and handler registration. */
#ifndef ARAMID_ARCH_TRAP_H
#define ARAMID_ARCH_TRAP_H

#include <stddef.h>
#include <stdint.h>

#define TRAP_DIVIDE_ERROR 0
#define TRAP_DEBUG 1
#define TRAP_NMI 2
#define TRAP_BREAKPOINT 3
#define TRAP_INVALID_OPCODE 6
#define TRAP_DOUBLE_FAULT 8
#define TRAP_GENERAL_PROTECTION 13
#define TRAP_PAGE_FAULT 14
#define TRAP_MACHINE_CHECK 18
#define TRAP_FIRST_IRQ 32
#define TRAP_TIMER 32
#define TRAP_SERIAL 36 /* COM1, ISA IRQ 4, through the I/O APIC */
#define TRAP_SPURIOUS 255

/* Registers as traps.S saves them, lowest address first. Assembly depends on this layout. */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error_code; /* 0 when the CPU pushes none */
    uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(offsetof(struct trap_frame, vector) == 15 * 8, "trap frame layout");
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap frame layout");

typedef void (*trap_handler_fn)(struct trap_frame *frame);

void idt_init(void);
/* Installs handler for an interrupt vector >= TRAP_FIRST_IRQ. */
void trap_set_handler(uint8_t vector, trap_handler_fn handler);
void trap_dispatch(struct trap_frame *frame);

static inline int trap_from_user(const struct trap_frame *frame)
{
    return (frame->cs & 3) == 3;
}

#endif
