/* x86-64 4-level page tables as pure logic: map, unmap, protect, look up, clone and free. */
#ifndef ARAMID_ARCH_PAGING_H
#define ARAMID_ARCH_PAGING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frame.h"

/*
 * Model:
 * - Page tables are frames of the zone given to paging_setup(); paging.c reaches a physical
 *   address p at (void *)(p + paging_phys_offset): PHYS_MAP_BASE in the kernel, an arena in host
 *   tests. Nothing here executes a privileged instruction: the caller flushes the TLB.
 * - A PML4's entries 0..255 are the user half, owned by that PML4. Entries 256..511 are the
 *   kernel half, copied from paging_kernel_pml4 when a user PML4 is created: vm_init creates
 *   every kernel-half PDPT up front, so those copies never go stale.
 * - Ownership: a user-half leaf entry that holds a frame (PTE_PRESENT or PTE_INACCESSIBLE) owns
 *   one reference on that frame (struct frame.refcount); unmapping or freeing drops it, and the
 *   frame goes back to the zone with its last reference. Frames outside the zone hold none.
 * - Software bits (ignored by the MMU): PTE_COW marks a private page whose frame may be shared;
 *   such an entry is never writable, and a write fault copies it (or reuses it at refcount 1).
 *   PTE_SHARED marks a page that stays shared on clone (memory objects, kernel-owned frames).
 *   PTE_INACCESSIBLE is a non-present entry that still holds its frame (PROT_NONE).
 */

#define PTE_PRESENT (1ull << 0)
#define PTE_WRITE (1ull << 1)
#define PTE_USER (1ull << 2)
#define PTE_ACCESSED (1ull << 5)
#define PTE_DIRTY (1ull << 6)
#define PTE_LARGE (1ull << 7) /* in a PDPT or PD entry: a 1 GiB or 2 MiB page */
#define PTE_GLOBAL (1ull << 8)
#define PTE_COW (1ull << 9)
#define PTE_SHARED (1ull << 10)
#define PTE_INACCESSIBLE (1ull << 11)
#define PTE_NX (1ull << 63)
#define PTE_ADDRESS_MASK 0x000ffffffffff000ull
#define PTE_HOLDS_FRAME (PTE_PRESENT | PTE_INACCESSIBLE)

#define PAGING_ENTRIES 512
#define PAGING_USER_ENTRIES 256
/* The user half ends here; canonical kernel addresses start at 0xffff800000000000. */
#define PAGING_USER_END 0x0000800000000000ull
#define PAGING_PAGE_SIZE 0x1000ull
#define PAGING_LARGE_2M 0x200000ull
#define PAGING_LARGE_1G 0x40000000ull

extern uintptr_t paging_phys_offset;
/* Physical address of the kernel's PML4 (its entries 256..511 are copied into user PML4s); 0
 * until set. */
extern uint64_t paging_kernel_pml4;

/* Where page tables come from and how physical memory is reached. nx_supported false drops
 * PTE_NX from every entry written (a CPU without NX faults on it as a reserved bit). */
void paging_setup(struct frame_zone *zone, uintptr_t phys_offset, bool nx_supported);

static inline void *paging_phys_to_virt(uint64_t phys)
{
    return (void *)(uintptr_t)(phys + paging_phys_offset);
}

/* Frame references: 0, or -EINVAL when phys is not an allocated single frame of the zone
 * (then nothing changes). frame_put frees the frame with its last reference. */
int paging_frame_get(uint64_t phys);
int paging_frame_put(uint64_t phys);
/* The reference count of the allocated frame holding phys, 0 for any other address. */
uint32_t paging_frame_refcount(uint64_t phys);
/* A frame with refcount 1, its contents undefined (zero-filled); 0 or -ENOMEM. */
int paging_frame_alloc(uint64_t *phys_out);
int paging_frame_alloc_zeroed(uint64_t *phys_out);

/* An empty PML4 whose kernel half is paging_kernel_pml4's; 0 or -ENOMEM. */
int paging_create_pml4(uint64_t *pml4_out);
/* Drops every frame and page table of the user half, then the PML4 itself. */
void paging_destroy_pml4(uint64_t pml4);

/* What the user half of a PML4 holds: leaf entries with a frame (pages), those whose frame no
 * other entry or object references (private_pages: what unmapping would free) and the part of
 * those below low_end (low_private_pages), and page tables (the PML4 included). Walks every
 * present table: for diagnostics (kernel_stats). */
struct paging_usage {
    uint64_t pages;
    uint64_t private_pages;
    uint64_t low_private_pages;
    uint64_t tables;
};
void paging_count_user(uint64_t pml4, uint64_t low_end, struct paging_usage *usage);

/* Maps the 4 KiB user page at address to phys with flags (PTE_PRESENT or PTE_INACCESSIBLE
 * among them), creating page tables. The entry takes over the caller's reference on phys.
 * -EINVAL for an unaligned, non-canonical or kernel-half address, an unaligned phys or flags
 * with address bits; -EEXIST when the page already holds a frame; -ENOMEM. */
int paging_map(uint64_t pml4, uint64_t address, uint64_t phys, uint64_t flags);
/* Clears the user pages of [start, end) (holes are fine), dropping their frame references.
 * Returns how many pages held a frame (flush them from the TLB), or -EINVAL for an unaligned or
 * non-user range. Page tables this call empties are freed (leaf, then each emptied parent);
 * the PML4 stays until it is destroyed. */
int paging_unmap_range(uint64_t pml4, uint64_t start, uint64_t end);
/* Sets the permission bits (from paging_flags_for_prot) of every page of [start, end) that
 * holds a frame, keeping the frame, PTE_COW and PTE_SHARED; a COW page stays read-only.
 * Returns how many entries changed (flush them), or -EINVAL for a bad range. */
int paging_protect_range(uint64_t pml4, uint64_t start, uint64_t end, uint64_t permission_flags);
/* The leaf entry of the user page at address: 0 and *entry_out (0 when nothing is mapped), or
 * -EINVAL for a bad address. */
int paging_lookup(uint64_t pml4, uint64_t address, uint64_t *entry_out);
/* Pointer to the leaf entry for the user page at address, creating tables when create is set.
 * 0, -EINVAL (bad address), -ENOENT (a table is missing and create is false) or -ENOMEM. The
 * pointer stays valid until the PML4 is destroyed (tables are never freed before that). */
int paging_walk(uint64_t pml4, uint64_t address, bool create, uint64_t **entry_out);

/* Copies the user pages of [start, end) from src into dst for a copy-on-write clone: every
 * frame gets one more reference; private entries (no PTE_SHARED) lose PTE_WRITE and gain
 * PTE_COW on both sides. dst must hold nothing in the range. On -ENOMEM dst keeps what was
 * copied (consistent: destroy it). The caller flushes src's TLB afterwards. -EINVAL for an
 * unaligned or non-user range. */
int paging_clone_range(uint64_t dst_pml4, uint64_t src_pml4, uint64_t start, uint64_t end);

/* Leaf permission bits for VM_PROT_* bits in a user page: PTE_INACCESSIBLE for none, else
 * present and user, writable for VM_PROT_WRITE, no-execute without VM_PROT_EXEC. */
uint64_t paging_flags_for_prot(int prot);

/* Kernel half: maps [virt, virt + size) to phys with pages of page_size (4 KiB, 2 MiB or
 * 1 GiB) and flags (PTE_PRESENT among them; PTE_LARGE is added for large pages). Every
 * address and size must be aligned to page_size; -EINVAL otherwise or for a user address,
 * -EEXIST over an existing mapping, -ENOMEM. */
int paging_map_kernel(uint64_t pml4, uint64_t virt, uint64_t phys, uint64_t size,
                      uint64_t page_size, uint64_t flags);
/* Gives each empty kernel-half PML4 entry an empty PDPT, so the kernel half never needs a new
 * PML4 entry again; 0 or -ENOMEM. */
int paging_fill_kernel_half(uint64_t pml4);
/* Frees the kernel-half tables of a PML4 built with paging_map_kernel (never the live one) and
 * the PML4; large and 4 KiB leaves hold no frame references. For tests and error paths. */
void paging_destroy_kernel_pml4(uint64_t pml4);

#endif /* ARAMID_ARCH_PAGING_H */
