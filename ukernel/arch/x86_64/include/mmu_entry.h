/* Page-table entries and page-fault codes for code outside arch/: x86-64 bits behind names. */
#ifndef ARAMID_ARCH_MMU_ENTRY_H
#define ARAMID_ARCH_MMU_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "paging.h"
#include "vm.h"

/* The page-fault error code (SDM vol. 3, 4.7) is the kernel's VM_FAULT_* bits as it is: trap.c
 * hands it to vm_handle_page_fault unchanged. */
_Static_assert(VM_FAULT_PRESENT == 0x01u && VM_FAULT_WRITE == 0x02u && VM_FAULT_USER == 0x04u &&
                   VM_FAULT_RESERVED == 0x08u && VM_FAULT_FETCH == 0x10u,
               "x86-64 page-fault error code bits");

/*
 * An entry is a uint64_t that ukernel/kern/ reads and writes through these names only, so no
 * x86 bit appears outside arch/ (paging.h has the model: frame references, the software bits).
 * Each accessor is the one expression it replaces: the fault and copy paths compile as before.
 * "flags" are what paging_flags_for_prot returns, optionally through mmu_flags_shared.
 */

/* The MMU can reach the page now (x86: PRESENT). */
static inline bool mmu_entry_present(uint64_t entry)
{
    return (entry & PTE_PRESENT) != 0;
}

/* Stores are allowed while the entry is present (x86: WRITE). Never set on a copy-on-write
 * entry. */
static inline bool mmu_entry_writable(uint64_t entry)
{
    return (entry & PTE_WRITE) != 0;
}

/* The entry owns a reference on its frame: present, or PROT_NONE (x86: INACCESSIBLE). */
static inline bool mmu_entry_holds_frame(uint64_t entry)
{
    return (entry & PTE_HOLDS_FRAME) != 0;
}

/* A private page whose frame may be shared: a write copies it (or takes it at refcount 1). */
static inline bool mmu_entry_copy_on_write(uint64_t entry)
{
    return (entry & PTE_COW) != 0;
}

/* The physical address of the entry's frame. */
static inline uint64_t mmu_entry_frame(uint64_t entry)
{
    return entry & PTE_ADDRESS_MASK;
}

/* A new entry for frame (page-aligned) with flags. */
static inline uint64_t mmu_entry_make(uint64_t frame, uint64_t flags)
{
    return frame | flags;
}

/* flags for a page that stays shared when its space is cloned (memory objects, frames). */
static inline uint64_t mmu_flags_shared(uint64_t flags)
{
    return flags | PTE_SHARED;
}

/* flags for a private object page before its first write: read-only, copied by that write
 * (or taken over at refcount 1), as a page after a clone. */
static inline uint64_t mmu_flags_copy_on_write(uint64_t flags)
{
    return (flags & ~PTE_WRITE) | PTE_COW;
}

/* The entry's own frame with new flags, keeping what the MMU recorded (accessed, dirty): the
 * last sharer of a copy-on-write frame takes it over. */
static inline uint64_t mmu_entry_take_over(uint64_t entry, uint64_t flags)
{
    return (entry & PTE_ADDRESS_MASK) | flags | (entry & (PTE_ACCESSED | PTE_DIRTY));
}

/* The entry with its permissions replaced by flags (frame and software bits kept); a
 * copy-on-write entry stays read-only. */
static inline uint64_t mmu_entry_with_permissions(uint64_t entry, uint64_t flags)
{
    uint64_t updated =
        (entry & ~(PTE_PRESENT | PTE_WRITE | PTE_USER | PTE_NX | PTE_INACCESSIBLE)) | flags;

    if (updated & PTE_COW)
        updated &= ~PTE_WRITE;
    return updated;
}

#endif /* ARAMID_ARCH_MMU_ENTRY_H */
