/* Virtual memory layout of the kernel: where the image, the direct map of physical memory live. */
#ifndef ARAMID_ARCH_LAYOUT_H
#define ARAMID_ARCH_LAYOUT_H

/* The kernel image is linked at KERNEL_VIRT_BASE + its physical load address (1 MiB). */
#define KERNEL_VIRT_BASE 0xffffffff80000000
#define KERNEL_PHYS_LOAD 0x100000
/* All physical memory is mapped read-write, no-execute, at PHYS_MAP_BASE + phys. */
#define PHYS_MAP_BASE 0xffff800000000000
/* The boot page tables map this much physical memory at PHYS_MAP_BASE (2 MiB pages). */
#define BOOT_PHYS_MAP_SIZE 0x100000000

#define PAGE_SIZE 4096

#ifndef __ASSEMBLER__
#include <stdint.h>
static inline void *phys_to_virt(uint64_t phys)
{
    return (void *)(phys + PHYS_MAP_BASE);
}
static inline uint64_t kernel_virt_to_phys(const void *virt)
{
    return (uint64_t)virt - KERNEL_VIRT_BASE;
}
#endif

#endif
