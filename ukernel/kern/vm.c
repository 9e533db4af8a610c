/* User address spaces: regions, map/unmap/protect, COW clone, fault paths and memory objects. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "address_space.h"
#include "kerrno.h"
#include "kstring.h"
#include "list.h"
#include "memory.h"
#include "paging.h"
#include "pcid.h"
#include "vm.h"

/*
 * Entry points: address_space_create/get/put/clone, vm_map, vm_unmap, vm_protect,
 * vm_map_frame, vm_handle_page_fault, vm_read, vm_write, memory_object_create/get/put.
 *
 * Invariants:
 * - A space's regions are sorted, page-aligned, non-empty and disjoint, all inside
 *   [VM_USER_BASE, VM_USER_TOP). Every page that holds a frame lies inside a region and its
 *   permission bits are paging_flags_for_prot(region->prot), except that a PTE_COW page is
 *   never writable.
 * - Anonymous pages are private: made on first touch (demand-zero), shared copy-on-write after
 *   a clone. Object pages carry PTE_SHARED and are the object's own frames. The frame of a
 *   FRAME region is mapped when the region is made and carries PTE_SHARED.
 * - A region of an object holds one reference on it; an object holds one reference on each of
 *   its pages, and each page-table entry one more (paging.h).
 *
 * Locking: none yet; the kernel runs on one CPU with interrupts off in the kernel. SMP needs a
 * lock per space (region list and page tables) and per object (its page array).
 */

/* Past this many pages a range flush drops the whole context instead of page by page. */
#define VM_FLUSH_PAGES_MAX 32

enum vm_region_kind {
    VM_REGION_ANONYMOUS,
    VM_REGION_OBJECT,
    VM_REGION_FRAME,
};

struct vm_region {
    struct list_node link; /* on address_space.regions */
    uint64_t start;
    uint64_t end;
    int prot;
    int max_prot; /* prot never exceeds it: the rights of what is mapped (vm_map_limited) */
    enum vm_region_kind kind;
    struct memory_object *object; /* VM_REGION_OBJECT: one reference held */
    uint64_t offset;              /* VM_REGION_OBJECT: object offset of start */
};

struct memory_object {
    uint32_t refcount;
    uint64_t page_count;
    uint64_t pages[]; /* frame of each page, 0 until first touch */
};

static bool vm_prot_valid(int prot)
{
    return (prot & ~VM_PROT_ALL) == 0;
}

/* [address, address + length) is non-empty, page-aligned and inside the user range. */
static bool vm_range_valid(uint64_t address, uint64_t length)
{
    return length != 0 && ((address | length) & (PAGING_PAGE_SIZE - 1)) == 0 &&
           address >= VM_USER_BASE && address < VM_USER_TOP && length <= VM_USER_TOP - address;
}

static struct vm_region *vm_region_of(struct list_node *node)
{
    return list_entry(node, struct vm_region, link);
}

/* The region containing address, or NULL. */
static struct vm_region *vm_region_find(struct address_space *space, uint64_t address)
{
    struct list_node *node;

    list_for_each(node, &space->regions)
    {
        struct vm_region *region = vm_region_of(node);

        if (region->start > address)
            break;
        if (address < region->end)
            return region;
    }
    return NULL;
}

/* The first region ending after address (it may start after address too), or NULL. */
static struct vm_region *vm_region_first_after(struct address_space *space, uint64_t address)
{
    struct list_node *node;

    list_for_each(node, &space->regions)
    {
        struct vm_region *region = vm_region_of(node);

        if (region->end > address)
            return region;
    }
    return NULL;
}

static struct vm_region *vm_region_next(struct address_space *space, struct vm_region *region)
{
    return region->link.next == &space->regions ? NULL : vm_region_of(region->link.next);
}

static void vm_region_free(struct vm_region *region)
{
    if (region->object != NULL)
        memory_object_put(region->object);
    kfree(region);
}

/* Makes region [start, at) and spare [at, end), spare linked right after it. */
static void vm_region_split(struct vm_region *region, uint64_t at, struct vm_region *spare)
{
    *spare = *region;
    spare->start = at;
    if (spare->object != NULL) {
        spare->offset += at - region->start;
        memory_object_get(spare->object);
    }
    region->end = at;
    list_insert_between(&spare->link, &region->link, region->link.next);
}

/* Flushes [start, end) of space after its entries changed; changed is how many did. */
static void vm_tlb_flush_range(struct address_space *space, uint64_t start, uint64_t end,
                               int changed)
{
    if (changed <= 0)
        return;
    if ((end - start) / PAGING_PAGE_SIZE > VM_FLUSH_PAGES_MAX) {
        vm_tlb_flush_all(space);
        return;
    }
    for (uint64_t address = start; address < end; address += PAGING_PAGE_SIZE)
        vm_tlb_flush_page(space, address);
}

struct address_space *address_space_create(void)
{
    struct address_space *space = kmalloc(sizeof(*space));

    if (space == NULL)
        return NULL;
    if (paging_create_pml4(&space->pml4) != 0) {
        kfree(space);
        return NULL;
    }
    space->refcount = 1;
    list_init(&space->regions);
    pcid_binding_init(&space->pcid, false);
    return space;
}

void address_space_get(struct address_space *space)
{
    space->refcount++;
}

void address_space_put(struct address_space *space)
{
    struct list_node *node;

    if (space == NULL || --space->refcount != 0)
        return;
    vm_tlb_release(space);
    while ((node = list_pop_front(&space->regions)) != NULL)
        vm_region_free(vm_region_of(node));
    paging_destroy_pml4(space->pml4);
    kfree(space);
}

/* Links a new region in order, merging it into an anonymous neighbour with the same prot. */
static int vm_region_insert(struct address_space *space, uint64_t start, uint64_t end, int prot,
                            int max_prot, enum vm_region_kind kind, struct memory_object *object,
                            uint64_t offset)
{
    struct vm_region *next = vm_region_first_after(space, start);
    struct list_node *prev_node = next != NULL ? next->link.prev : space->regions.prev;
    struct vm_region *prev = prev_node == &space->regions ? NULL : vm_region_of(prev_node);

    if (next != NULL && next->start < end)
        return -EINVAL;
    if (kind == VM_REGION_ANONYMOUS) {
        bool joins_prev = prev != NULL && prev->kind == VM_REGION_ANONYMOUS && prev->prot == prot &&
                          prev->max_prot == max_prot && prev->end == start;
        bool joins_next = next != NULL && next->kind == VM_REGION_ANONYMOUS && next->prot == prot &&
                          next->max_prot == max_prot && next->start == end;

        if (joins_prev && joins_next) {
            prev->end = next->end;
            list_remove(&next->link);
            vm_region_free(next);
            return 0;
        }
        if (joins_prev) {
            prev->end = end;
            return 0;
        }
        if (joins_next) {
            next->start = start;
            return 0;
        }
    }

    struct vm_region *region = kmalloc(sizeof(*region));

    if (region == NULL)
        return -ENOMEM;
    region->start = start;
    region->end = end;
    region->prot = prot;
    region->max_prot = max_prot;
    region->kind = kind;
    region->object = object;
    region->offset = offset;
    if (object != NULL)
        memory_object_get(object);
    list_insert_between(&region->link, prev_node, prev_node->next);
    return 0;
}

int vm_map(struct address_space *space, uint64_t address, uint64_t length, int prot,
           struct memory_object *object, uint64_t offset)
{
    return vm_map_limited(space, address, length, prot, VM_PROT_ALL, object, offset);
}

int vm_map_limited(struct address_space *space, uint64_t address, uint64_t length, int prot,
                   int max_prot, struct memory_object *object, uint64_t offset)
{
    if (space == NULL || !vm_range_valid(address, length) || !vm_prot_valid(prot) ||
        !vm_prot_valid(max_prot))
        return -EINVAL;
    if (prot & ~max_prot)
        return -EACCES;
    if (object == NULL) {
        if (offset != 0)
            return -EINVAL;
        return vm_region_insert(space, address, address + length, prot, max_prot,
                                VM_REGION_ANONYMOUS, NULL, 0);
    }
    uint64_t object_size = object->page_count * PAGING_PAGE_SIZE;

    if ((offset & (PAGING_PAGE_SIZE - 1)) || offset > object_size || length > object_size - offset)
        return -EINVAL;
    return vm_region_insert(space, address, address + length, prot, max_prot, VM_REGION_OBJECT,
                            object, offset);
}

int vm_unmap(struct address_space *space, uint64_t address, uint64_t length)
{
    if (space == NULL || !vm_range_valid(address, length))
        return -EINVAL;
    uint64_t end = address + length;
    struct vm_region *region = vm_region_first_after(space, address);

    /* A region strictly around the range splits in three: take the memory first. */
    if (region != NULL && region->start < address && region->end > end) {
        struct vm_region *spare = kmalloc(sizeof(*spare));

        if (spare == NULL)
            return -ENOMEM;
        vm_region_split(region, end, spare);
    }
    while (region != NULL && region->start < end) {
        struct vm_region *next = vm_region_next(space, region);

        if (region->start < address) {
            region->end = address;
        } else if (region->end > end) {
            if (region->object != NULL)
                region->offset += end - region->start;
            region->start = end;
        } else {
            list_remove(&region->link);
            vm_region_free(region);
        }
        region = next;
    }
    int cleared = paging_unmap_range(space->pml4, address, end);

    vm_tlb_flush_range(space, address, end, cleared);
    return cleared < 0 ? cleared : 0;
}

int vm_protect(struct address_space *space, uint64_t address, uint64_t length, int prot)
{
    if (space == NULL || !vm_range_valid(address, length) || !vm_prot_valid(prot))
        return -EINVAL;
    uint64_t end = address + length;
    struct vm_region *first = vm_region_find(space, address);
    struct vm_region *region = first;
    uint64_t covered = address;

    bool exceeds = false;

    /* The whole range must be mapped, without holes, and every region must allow prot (as
     * Linux's mprotect: -EACCES beyond what the mapped object allows) before anything changes. */
    while (region != NULL && region->start <= covered && covered < end) {
        exceeds |= (prot & ~region->max_prot) != 0;
        covered = region->end;
        region = vm_region_next(space, region);
    }
    if (first == NULL || covered < end)
        return -ENOMEM;
    if (exceeds)
        return -EACCES;

    struct vm_region *spares[2] = {kmalloc(sizeof(struct vm_region)),
                                   kmalloc(sizeof(struct vm_region))};

    if (spares[0] == NULL || spares[1] == NULL) {
        kfree(spares[0]);
        kfree(spares[1]);
        return -ENOMEM;
    }
    if (first->start < address) {
        vm_region_split(first, address, spares[0]);
        first = spares[0];
        spares[0] = NULL;
    }
    for (region = first; region != NULL && region->start < end;
         region = vm_region_next(space, region)) {
        if (region->end > end) {
            vm_region_split(region, end, spares[1]);
            spares[1] = NULL;
        }
        region->prot = prot;
    }
    kfree(spares[0]);
    kfree(spares[1]);

    int changed = paging_protect_range(space->pml4, address, end, paging_flags_for_prot(prot));

    vm_tlb_flush_range(space, address, end, changed);
    return changed < 0 ? changed : 0;
}

int vm_map_frame(struct address_space *space, uint64_t address, uint64_t phys, int prot)
{
    if (space == NULL || !vm_range_valid(address, PAGING_PAGE_SIZE) || !vm_prot_valid(prot) ||
        (phys & (PAGING_PAGE_SIZE - 1)))
        return -EINVAL;
    struct vm_region *next = vm_region_first_after(space, address);

    if (next != NULL && next->start < address + PAGING_PAGE_SIZE)
        return -EINVAL;
    if (paging_frame_get(phys) != 0)
        return -EINVAL;
    int error = paging_map(space->pml4, address, phys, paging_flags_for_prot(prot) | PTE_SHARED);

    if (error == 0)
        error = vm_region_insert(space, address, address + PAGING_PAGE_SIZE, prot, prot,
                                 VM_REGION_FRAME, NULL, 0);
    if (error == 0)
        return 0;
    /* Undo: the entry (if made) drops its reference, else the one taken above is dropped. */
    if (paging_unmap_range(space->pml4, address, address + PAGING_PAGE_SIZE) == 0)
        (void)paging_frame_put(phys);
    return error;
}

struct address_space *address_space_clone(struct address_space *space)
{
    struct address_space *clone;
    struct list_node *node;
    int error = 0;

    if (space == NULL || (clone = address_space_create()) == NULL)
        return NULL;
    list_for_each(node, &space->regions)
    {
        struct vm_region *region = vm_region_of(node);

        if (region->kind == VM_REGION_FRAME)
            continue;
        error = vm_region_insert(clone, region->start, region->end, region->prot,
                                 region->max_prot, region->kind, region->object, region->offset);
        if (error == 0)
            error = paging_clone_range(clone->pml4, space->pml4, region->start, region->end);
        if (error)
            break;
    }
    /* Private pages of space lost their write permission, even on failure. */
    vm_tlb_flush_all(space);
    if (error) {
        address_space_put(clone);
        return NULL;
    }
    return clone;
}

/* The frame of object page index, allocated zero-filled on first touch; 0 or -ENOMEM. */
static int memory_object_page(struct memory_object *object, uint64_t index, uint64_t *phys_out)
{
    if (object->pages[index] == 0) {
        int error = paging_frame_alloc_zeroed(&object->pages[index]);

        if (error) {
            object->pages[index] = 0;
            return error;
        }
    }
    *phys_out = object->pages[index];
    return 0;
}

/*
 * Makes the page at address (page-aligned) of space accessible for a write (write), an
 * instruction fetch (fetch) or a read, as a fault of that kind would, and returns its frame.
 * -EFAULT when the region does not allow the access, -ENOMEM when a frame or table is missing.
 * flush_unchanged: flush the page even when its entry was already right (a real fault on it
 * means the TLB holds a stale entry).
 */
static int vm_resolve_page(struct address_space *space, uint64_t address, bool write, bool fetch,
                           bool flush_unchanged, uint64_t *phys_out)
{
    struct vm_region *region = vm_region_find(space, address);
    uint64_t *entry;
    int error;

    if (region == NULL || region->prot == 0 || (write && !(region->prot & VM_PROT_WRITE)) ||
        (fetch && !(region->prot & VM_PROT_EXEC)))
        return -EFAULT;
    error = paging_walk(space->pml4, address, true, &entry);
    if (error)
        return error;

    uint64_t old = *entry;
    uint64_t flags = paging_flags_for_prot(region->prot);

    if (!(old & PTE_HOLDS_FRAME)) {
        /* First touch: nothing cached, no flush. */
        uint64_t phys;

        if (region->kind == VM_REGION_ANONYMOUS) {
            error = paging_frame_alloc_zeroed(&phys);
        } else if (region->kind == VM_REGION_OBJECT) {
            error = memory_object_page(
                region->object, (region->offset + address - region->start) / PAGING_PAGE_SIZE,
                &phys);
            if (error == 0)
                error = paging_frame_get(phys);
            flags |= PTE_SHARED;
        } else {
            error = -EFAULT; /* a frame region lost its frame: never made that way */
        }
        if (error)
            return error;
        *entry = phys | flags;
        *phys_out = phys;
        return 0;
    }
    if (write && (old & PTE_COW)) {
        uint64_t old_phys = old & PTE_ADDRESS_MASK;
        uint64_t keep = old & (PTE_ACCESSED | PTE_DIRTY);

        if (paging_frame_refcount(old_phys) == 1) {
            /* The last sharer: take the frame over. */
            *entry = old_phys | flags | keep;
        } else {
            uint64_t copy;

            error = paging_frame_alloc(&copy);
            if (error)
                return error;
            memcpy(paging_phys_to_virt(copy), paging_phys_to_virt(old_phys), PAGING_PAGE_SIZE);
            *entry = copy | flags;
            (void)paging_frame_put(old_phys); /* refcount > 1: only a decrement */
        }
        vm_tlb_flush_page(space, address);
        *phys_out = *entry & PTE_ADDRESS_MASK;
        return 0;
    }
    /* The page is there; bring its permissions in line with the region (COW stays read-only). */
    uint64_t updated =
        (old & ~(PTE_PRESENT | PTE_WRITE | PTE_USER | PTE_NX | PTE_INACCESSIBLE)) | flags;

    if (updated & PTE_COW)
        updated &= ~PTE_WRITE;
    if (updated != old)
        *entry = updated;
    if (updated != old || flush_unchanged)
        vm_tlb_flush_page(space, address);
    *phys_out = updated & PTE_ADDRESS_MASK;
    return 0;
}

int vm_handle_page_fault(struct address_space *space, uint64_t address, uint64_t error_code)
{
    uint64_t phys;

    if (space == NULL || !(error_code & VM_FAULT_USER) || (error_code & VM_FAULT_RESERVED) ||
        address < VM_USER_BASE || address >= VM_USER_TOP)
        return -EFAULT;
    return vm_resolve_page(space, address & ~(PAGING_PAGE_SIZE - 1),
                           (error_code & VM_FAULT_WRITE) != 0, (error_code & VM_FAULT_FETCH) != 0,
                           true, &phys);
}

/* Copies length bytes between kernel memory and space at address, in the given direction. */
static int vm_copy(struct address_space *space, uint64_t address, void *kernel, size_t length,
                   bool to_space)
{
    if (space == NULL || address < VM_USER_BASE || address >= VM_USER_TOP ||
        length > VM_USER_TOP - address)
        return -EFAULT;
    while (length > 0) {
        uint64_t page = address & ~(PAGING_PAGE_SIZE - 1);
        size_t in_page = (size_t)(page + PAGING_PAGE_SIZE - address);
        size_t chunk = length < in_page ? length : in_page;
        uint64_t entry;
        uint64_t phys;
        int error = paging_lookup(space->pml4, page, &entry);

        if (error)
            return -EFAULT;
        /* A present page needs no resolution unless a write meets a read-only entry. */
        if ((entry & PTE_PRESENT) && (!to_space || (entry & PTE_WRITE))) {
            phys = entry & PTE_ADDRESS_MASK;
        } else {
            error = vm_resolve_page(space, page, to_space, false, false, &phys);
            if (error)
                return error;
        }
        void *mapped = (char *)paging_phys_to_virt(phys) + (address - page);

        if (to_space)
            memcpy(mapped, kernel, chunk);
        else
            memcpy(kernel, mapped, chunk);
        kernel = (char *)kernel + chunk;
        address += chunk;
        length -= chunk;
    }
    return 0;
}

int vm_user_frame(struct address_space *space, uint64_t address, uint64_t *phys_out)
{
    if (space == NULL || address < VM_USER_BASE || address >= VM_USER_TOP)
        return -EFAULT;
    uint64_t page = address & ~(PAGING_PAGE_SIZE - 1);
    uint64_t entry, phys;
    if (paging_lookup(space->pml4, page, &entry) != 0)
        return -EFAULT;
    if ((entry & PTE_PRESENT) && (entry & PTE_WRITE)) {
        phys = entry & PTE_ADDRESS_MASK;
    } else {
        int error = vm_resolve_page(space, page, true, false, false, &phys);
        if (error)
            return error;
    }
    *phys_out = phys + (address - page);
    return 0;
}

int vm_write(struct address_space *space, uint64_t address, const void *source, size_t length)
{
    return vm_copy(space, address, (void *)(uintptr_t)source, length, true);
}

int vm_read(struct address_space *space, uint64_t address, void *destination, size_t length)
{
    return vm_copy(space, address, destination, length, false);
}

struct memory_object *memory_object_create(uint64_t size)
{
    if (size == 0 || size > VM_USER_TOP)
        return NULL;
    uint64_t page_count = (size + PAGING_PAGE_SIZE - 1) / PAGING_PAGE_SIZE;
    struct memory_object *object =
        kmalloc(sizeof(*object) + (size_t)page_count * sizeof(object->pages[0]));

    if (object == NULL)
        return NULL;
    object->refcount = 1;
    object->page_count = page_count;
    memset(object->pages, 0, (size_t)page_count * sizeof(object->pages[0]));
    return object;
}

void memory_object_get(struct memory_object *object)
{
    object->refcount++;
}

void memory_object_put(struct memory_object *object)
{
    if (object == NULL || --object->refcount != 0)
        return;
    for (uint64_t i = 0; i < object->page_count; i++)
        if (object->pages[i] != 0)
            (void)paging_frame_put(object->pages[i]);
    kfree(object);
}
