/* Raw CR3, CR4 and TLB-invalidation instructions; when to use them is decided in pcid.c. */
#ifndef ARAMID_ARCH_CPU_TLB_H
#define ARAMID_ARCH_CPU_TLB_H

#include <stdint.h>

#include "cpu.h"

/*
 * Kernel-only: these execute privileged instructions and are never compiled into host tests.
 * INVPCID needs CPUID.(EAX=07H,ECX=0):EBX.INVPCID[bit 10]; callers only issue it when
 * struct pcid_cpu.has_invpcid is set.
 */

#define CR4_PGE (1ull << 7)
#define CR4_PCIDE (1ull << 17)

/* Loads an address space. The "memory" clobber keeps accesses from moving across the switch. */
static inline void cpu_write_cr3(uint64_t value)
{
    __asm__ volatile("mov %0, %%cr3" ::"r"(value) : "memory");
}

/* Invalidates the entries for one address in the current PCID, and global entries for it. */
static inline void cpu_invlpg(uintptr_t address)
{
    __asm__ volatile("invlpg (%0)" ::"r"(address) : "memory");
}

/* INVPCID with its 16-byte descriptor: PCID in bits 11:0 of quadword 0, address in quadword 1. */
static inline void cpu_invpcid(uint64_t type, uint16_t pcid, uintptr_t address)
{
    struct {
        uint64_t pcid;
        uint64_t address;
    } descriptor = {pcid, address};
    __asm__ volatile("invpcid %0, %1" ::"m"(descriptor), "r"(type) : "memory");
}

/* Flushes every TLB entry of every PCID, global ones included, without INVPCID: changing
 * CR4.PGE invalidates them all (SDM vol. 3, 4.10.4.1). Call with interrupts disabled. */
static inline void cpu_flush_tlb_all_by_pge(void)
{
    uint64_t cr4 = cpu_read_cr4();
    cpu_write_cr4(cr4 ^ CR4_PGE);
    cpu_write_cr4(cr4);
}

#endif /* ARAMID_ARCH_CPU_TLB_H */
