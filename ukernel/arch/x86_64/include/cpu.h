/* CPU identification: the features the kernel decides on, read once with CPUID at boot. */
#ifndef ARAMID_ARCH_CPU_H
#define ARAMID_ARCH_CPU_H

#include <stdbool.h>
#include <stdint.h>

struct cpu_features {
    char vendor[13];
    char brand[49];
    bool pcid;
    bool invpcid;
    bool smep;
    bool smap;
    bool x2apic;
    bool tsc_deadline;
    bool apic;
    bool xsave;
    bool fxsr;
    bool nx;
    bool page_1gb;
    bool invariant_tsc;
};

extern struct cpu_features cpu_features;

void cpu_detect_features(void);

static inline void cpuid(uint32_t leaf, uint32_t subleaf, uint32_t *a, uint32_t *b, uint32_t *c,
                         uint32_t *d)
{
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(subleaf));
}

static inline uint64_t cpu_read_msr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

static inline void cpu_write_msr(uint32_t msr, uint64_t value)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)));
}

/* FS.base (IA32_FS_BASE): user threads' TLS pointer; the kernel itself never uses FS. The
 * IPC fastpath compiles with rdx reserved (-ffixed-rdx), so the asm saves rdx itself instead of
 * taking it as an operand (the kernel has no red zone, so the push is safe). */
static inline void cpu_set_fs_base(uint64_t base)
{
    __asm__ volatile("push %%rdx\n\tmov %k1, %%edx\n\twrmsr\n\tpop %%rdx"
                     :
                     : "c"(0xc0000100u), "r"((uint32_t)(base >> 32)), "a"((uint32_t)base)
                     : "memory");
}

/* cpu_set_fs_base(*base), loading the two halves straight from memory (the IPC fastpath's
 * variant: two instructions fewer than splitting a register). */
static inline void cpu_set_fs_base_from(const uint64_t *base)
{
    __asm__ volatile("push %%rdx\n\tmov %0, %%eax\n\tmov 4+%0, %%edx\n\twrmsr\n\tpop %%rdx"
                     :
                     : "m"(*base), "c"(0xc0000100u)
                     : "rax", "memory");
}

static inline uint64_t cpu_read_tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static inline uint64_t cpu_read_cr2(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}

static inline uint64_t cpu_read_cr3(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}

static inline uint64_t cpu_read_cr0(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}

static inline void cpu_write_cr0(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint64_t cpu_read_cr4(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

static inline void cpu_write_cr4(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

#endif
