/* Inside the address-space code (kern/vm_*.c): regions, memory objects and what the files share.
 * Nothing outside ukernel/kern/vm_*.c includes this. */
#ifndef ARAMID_VM_REGION_H
#define ARAMID_VM_REGION_H

#include <stdbool.h>
#include <stdint.h>

#include "address_space.h"
#include "avl_tree.h"
#include "list.h"
#include "mmu_entry.h"
#include "paging.h"
#include "vm.h"

/*
 * Invariants:
 * - A space's regions are sorted, page-aligned, non-empty and disjoint, all inside
 *   [VM_USER_BASE, VM_USER_TOP); each is on the space's list (in order, for walks) and in its
 *   tree (keyed by start, for O(log n) lookups). Every page that holds a frame lies inside a
 *   region and its permission bits are paging_flags_for_prot(region->prot), except that a
 *   copy-on-write page (mmu_entry_copy_on_write) is never writable. prot never exceeds max_prot.
 * - Anonymous pages are private: made on first touch (demand-zero), shared copy-on-write after
 *   a clone. Object pages are mapped shared (mmu_flags_shared) and are the object's own frames,
 *   except in a private object region (VM_MAP_PRIVATE): there a page is the object's frame
 *   mapped copy-on-write (mmu_flags_copy_on_write) until its first write copies it (as after a
 *   clone), so it sees the object's bytes until it writes its own. The frame of a FRAME region
 *   is mapped shared when the region is made.
 * - A region of an object holds one reference on it; an object holds one reference on each of
 *   its pages, and each page-table entry one more (paging.h).
 * Locking: none yet; the kernel runs on one CPU with interrupts off in the kernel. SMP needs a
 * lock per space (regions and page tables) and per object (its page array).
 */

enum vm_region_kind {
    VM_REGION_ANONYMOUS,
    VM_REGION_OBJECT,
    VM_REGION_FRAME,
};

struct vm_region {
    struct list_node link; /* on address_space.regions */
    struct avl_node node;  /* in address_space.region_tree; node.key == start */
    uint64_t start;
    uint64_t end;
    int prot;
    int max_prot; /* prot never exceeds it: the rights of what is mapped (vm_map_limited) */
    enum vm_region_kind kind;
    struct memory_object *object; /* VM_REGION_OBJECT: one reference held */
    struct list_node object_link; /* VM_REGION_OBJECT: on object->regions */
    struct address_space *space;  /* the space it is in (set when it is linked) */
    uint64_t offset;              /* VM_REGION_OBJECT: object offset of start */
    /* VM_REGION_OBJECT made with VM_MAP_PAST_END: its faults stop at the object's size
     * (SIGBUS); any other reaches every page the object holds, whatever its size, so that a
     * server's mapping of a client's object never faults when the client shrinks it. */
    bool sized;
    /* VM_REGION_OBJECT made with VM_MAP_PRIVATE: copy-on-write of the object's pages, its
     * pages charged one by one as an anonymous region's (vm_region_private_pages). */
    bool private;
    /* Quota pages charged for it beyond its memory: the page tables it may need and its own
     * kernel heap (vm_space.c keeps this equal to vm_region_charge_pages of the region). */
    uint64_t charge;
};

/* pages is its own allocation so that memory_object_resize can replace
 * it: regions point at the object, never into the array. Its slots never shrink, so a region's
 * range stays inside it. size_pages <= page_count: a fault of a sized region reaches pages
 * [0, size_pages) (past them: -ENXIO, SIGBUS), any other region's every page; pages past
 * size_pages keep their frames (a mapping may still hold them) until it grows back over them or
 * the object goes. */
struct memory_object {
    uint32_t refcount;
    struct quota *quota; /* charged page_count pages (NULL: nobody) */
    uint64_t page_count; /* slots of pages */
    uint64_t size_pages;
    uint64_t *pages; /* frame of each page, 0 until first touch */
    /* Every region mapping it (struct vm_region.object_link), in any space: a shrink takes
     * the pages past its new size out of the sized ones (vm_regions_unmap_past). */
    struct list_node regions;
};

static inline bool vm_prot_valid(int prot)
{
    return (prot & ~VM_PROT_ALL) == 0;
}

/* [address, address + length) is non-empty, page-aligned and inside the user range. */
static inline bool vm_range_valid(uint64_t address, uint64_t length)
{
    return length != 0 && ((address | length) & (PAGING_PAGE_SIZE - 1)) == 0 &&
           address >= VM_USER_BASE && address < VM_USER_TOP && length <= VM_USER_TOP - address;
}

/* Pages of region charged one by one to its space's quota (an anonymous or private object
 * region's: each may become a copy of its own). */
static inline uint64_t vm_region_private_pages(const struct vm_region *region, uint64_t start,
                                               uint64_t end)
{
    if (region->kind != VM_REGION_ANONYMOUS && !region->private)
        return 0;
    uint64_t from = region->start > start ? region->start : start;
    uint64_t to = region->end < end ? region->end : end;
    return to > from ? (to - from) / PAGING_PAGE_SIZE : 0;
}

/* ---- the region set (vm_region.c) ---- */

void vm_regions_init(struct address_space *space);
/* Frees every region (the space is going away). */
void vm_regions_free_all(struct address_space *space);
/* The region containing address, or NULL. O(log n). */
struct vm_region *vm_region_find(struct address_space *space, uint64_t address);
/* The first region ending after address (it may start after address too), or NULL. */
struct vm_region *vm_region_first_after(struct address_space *space, uint64_t address);
struct vm_region *vm_region_next(struct address_space *space, struct vm_region *region);
/* Links a new region in order, merging it into an anonymous neighbour with the same prot and
 * ceiling. -EINVAL if it overlaps one, -ENOMEM. Takes a reference on object when it keeps it. */
int vm_region_insert(struct address_space *space, uint64_t start, uint64_t end, int prot,
                     int max_prot, enum vm_region_kind kind, struct memory_object *object,
                     uint64_t offset);
/* Makes region [start, at) and spare [at, end), spare linked right after it. */
void vm_region_split(struct address_space *space, struct vm_region *region, uint64_t at,
                     struct vm_region *spare);
/* Moves region's start to start, between its neighbours (so the order of regions and the
 * tree stay right); an object region's offset follows. */
void vm_region_move_start(struct vm_region *region, uint64_t start);
/* Unlinks and frees region (dropping its object reference). */
void vm_region_remove(struct address_space *space, struct vm_region *region);
/* Takes object pages from first_page on out of every sized region mapping object (vm_space.c):
 * their next touch faults past the object's size (SIGBUS), as Linux's truncate of a mapped
 * file. Mappings made without VM_MAP_PAST_END keep theirs. */
void vm_regions_unmap_past(struct memory_object *object, uint64_t first_page);

/* ---- shared by the fault and copy paths (vm_fault.c, vm_object.c) ---- */

/* Makes the page at address (page-aligned) accessible for a write, a fetch or a read, as a
 * fault of that kind would, and returns its frame. -EFAULT when the region does not allow it,
 * -ENOMEM when a frame or table is missing. flush_unchanged: flush the page even when its
 * entry was already right (a real fault on it means the TLB holds a stale entry). */
int vm_resolve_page(struct address_space *space, uint64_t address, bool write, bool fetch,
                    bool flush_unchanged, uint64_t *phys_out);
/* The frame of object page index, allocated zero-filled on first touch; 0, -ENOMEM, or
 * -ENXIO past the object's size (sized: a sized region's fault) or its pages. */
int memory_object_page(struct memory_object *object, uint64_t index, bool sized,
                       uint64_t *phys_out);

#endif
