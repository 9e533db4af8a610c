/* The GDT and TSS: segment selectors in the order SYSCALL/SYSRET require. */
#ifndef ARAMID_ARCH_GDT_H
#define ARAMID_ARCH_GDT_H

#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
/* SYSRET loads SS from STAR[63:48] + 8 and CS from STAR[63:48] + 16: user data precedes user code. */
#define GDT_USER_DATA (0x18 | 3)
#define GDT_USER_CODE (0x20 | 3)
#define GDT_TSS 0x28

/* Interrupt-stack-table slots used by the IDT (1-based as in the TSS). */
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3
#define IST_STACK_SIZE 8192

#ifndef __ASSEMBLER__
#include <stdint.h>

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t io_map_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "TSS layout (Intel SDM vol. 3, 8.7)");

struct percpu;
void gdt_load(struct percpu *cpu);

#endif /* __ASSEMBLER__ */

#endif
