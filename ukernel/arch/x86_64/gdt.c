/* GDT, TSS and per-CPU area setup for the boot CPU. */
#include <stdint.h>

#include "cpu.h"
#include "gdt.h"
#include "percpu.h"

#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102

struct gdt_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

/* null, kernel code, kernel data, user data, user code, TSS (two slots) */
static uint64_t gdt[7];
static struct percpu boot_cpu;
static uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));

static void gdt_set_tss(uint64_t *slot, struct tss *tss)
{
    uint64_t base = (uint64_t)tss, limit = sizeof(*tss) - 1;
    slot[0] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ull << 40 /* present, 64-bit TSS */
              | ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
    slot[1] = base >> 32;
}

void gdt_load(struct percpu *cpu)
{
    gdt[0] = 0;
    gdt[1] = 0x00af9a000000ffff; /* kernel code: present, DPL 0, L */
    gdt[2] = 0x00cf92000000ffff; /* kernel data */
    gdt[3] = 0x00cff2000000ffff; /* user data: DPL 3 */
    gdt[4] = 0x00affa000000ffff; /* user code: DPL 3, L */
    gdt_set_tss(&gdt[5], &cpu->tss);

    struct gdt_pointer pointer = { sizeof(gdt) - 1, (uint64_t)gdt };
    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw %w2, %%ds\n\t"
                     "movw %w2, %%es\n\t"
                     "movw %w2, %%ss\n\t"
                     "ltr %w3"
                     :
                     : "m"(pointer), "i"(GDT_KERNEL_CODE), "r"(GDT_KERNEL_DATA), "r"(GDT_TSS)
                     : "rax", "memory");
}

void percpu_init_boot_cpu(void)
{
    struct percpu *cpu = &boot_cpu;
    cpu->self = cpu;
    cpu->cpu_id = 0;
    cpu->tss.io_map_base = sizeof(struct tss); /* no I/O permission bitmap */
    for (int i = 0; i < 3; i++)
        cpu->tss.ist[i] = (uint64_t)&ist_stacks[i][IST_STACK_SIZE];
    gdt_load(cpu);
    cpu_write_msr(MSR_GS_BASE, (uint64_t)cpu);
    cpu_write_msr(MSR_KERNEL_GS_BASE, 0);
}
