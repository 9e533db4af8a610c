/* Address spaces: create, clone, destroy, and their mappings (map, unmap, protect, kernel
 * frames); the regions themselves are in vm_region.c, the page fault in vm_fault.c. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kerrno.h"
#include "memory.h"
#include "pcid.h"
#include "quota.h"
#include "vm_region.h"

/* Past this many pages a range flush drops the whole context instead of page by page. */
#define VM_FLUSH_PAGES_MAX 32
/* What a region costs beyond its memory: the page tables a region alone in its part of the
 * space needs (a page table, a page directory and a page-directory pointer table) and its
 * kernel heap, in pages; a memory-object mapping also one page table per 2 MiB it spans (an
 * anonymous one's pages are charged one by one already, which covers its tables). */
#define VM_REGION_TABLE_PAGES 3ul
#define VM_TABLE_SPAN (2ul << 20)

static uint64_t vm_region_charge_pages(const struct vm_region *region)
{
    uint64_t pages = VM_REGION_TABLE_PAGES;
    if (region->kind == VM_REGION_OBJECT)
        pages += (region->end - region->start + VM_TABLE_SPAN - 1) / VM_TABLE_SPAN;
    return pages;
}

/* The regions a change of [start, end) can create, remove, split or merge: those overlapping
 * it or touching it. Returns the sum of their charges; with update, sets each to what it
 * should be first. */
static uint64_t vm_regions_charge(struct address_space *space, uint64_t start, uint64_t end,
                                  bool update)
{
    uint64_t sum = 0;
    struct vm_region *region = vm_region_first_after(space, start > 0 ? start - 1 : 0);
    for (; region != NULL && region->start <= end; region = vm_region_next(space, region)) {
        if (update)
            region->charge = vm_region_charge_pages(region);
        sum += region->charge;
    }
    return sum;
}

/* After a change of [start, end): charges or gives back the difference between the regions'
 * charge now and before (the sum vm_regions_charge gave then); prepaid pages were charged to
 * the quota already for it. Never fails: a split may take the quota past its limit by a
 * region's charge (quota_charge_over). */
static void vm_regions_recharge(struct address_space *space, uint64_t start, uint64_t end,
                                uint64_t before, uint64_t prepaid)
{
    uint64_t now = vm_regions_charge(space, start, end, true);
    space->charged = space->charged + now - before;
    if (now > before + prepaid)
        quota_charge_over(space->quota, now - before - prepaid);
    else
        quota_uncharge(space->quota, before + prepaid - now);
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
    vm_regions_init(space);
    pcid_binding_init(&space->pcid, false);
    space->quota = NULL;
    space->charged = 0;
    return space;
}

void address_space_get(struct address_space *space)
{
    space->refcount++;
}

void address_space_put(struct address_space *space)
{
    if (space == NULL || --space->refcount != 0)
        return;
    vm_tlb_release(space);
    vm_regions_free_all(space);
    quota_uncharge(space->quota, space->charged);
    quota_put(space->quota);
    paging_destroy_pml4(space->pml4);
    kfree(space);
}

int vm_map(struct address_space *space, uint64_t address, uint64_t length, int prot,
           struct memory_object *object, uint64_t offset)
{
    return vm_map_limited(space, address, length, prot, VM_PROT_ALL, object, offset);
}

int vm_map_limited(struct address_space *space, uint64_t address, uint64_t length, int prot,
                   int max_prot, struct memory_object *object, uint64_t offset)
{
    bool past_end = object != NULL && (prot & VM_MAP_PAST_END);
    bool private = object != NULL && (prot & VM_MAP_PRIVATE);
    prot &= ~(VM_MAP_PAST_END | VM_MAP_PRIVATE);
    if (space == NULL || !vm_range_valid(address, length) || !vm_prot_valid(prot) ||
        !vm_prot_valid(max_prot))
        return -EINVAL;
    if (prot & ~max_prot)
        return -EACCES;
    uint64_t end = address + length;
    struct vm_region shape = {.start = address, .end = end,
                              .kind = object ? VM_REGION_OBJECT : VM_REGION_ANONYMOUS};
    uint64_t table_pages = vm_region_charge_pages(&shape); /* at most what it adds */
    uint64_t before = vm_regions_charge(space, address, end, false);
    if (object == NULL) {
        if (offset != 0)
            return -EINVAL;
        uint64_t pages = length / PAGING_PAGE_SIZE;
        int error = quota_charge(space->quota, pages + table_pages);
        if (error)
            return error;
        error = vm_region_insert(space, address, end, prot, max_prot, VM_REGION_ANONYMOUS, NULL,
                                 0);
        if (error) {
            quota_uncharge(space->quota, pages + table_pages);
            return error;
        }
        space->charged += pages;
        vm_regions_recharge(space, address, end, before, table_pages);
        return 0;
    }
    uint64_t object_size = object->page_count * PAGING_PAGE_SIZE;

    if ((offset & (PAGING_PAGE_SIZE - 1)) ||
        (past_end ? offset >= VM_USER_TOP : offset > object_size || length > object_size - offset))
        return -EINVAL;
    uint64_t copies = private ? length / PAGING_PAGE_SIZE : 0;
    int error = quota_charge(space->quota, copies + table_pages);
    if (error)
        return error;
    error = vm_region_insert(space, address, end, prot, max_prot, VM_REGION_OBJECT, object,
                             offset);
    if (error) {
        quota_uncharge(space->quota, copies + table_pages);
        return error;
    }
    struct vm_region *region = vm_region_find(space, address); /* never merged */
    region->sized = past_end;
    region->private = private;
    space->charged += copies;
    vm_regions_recharge(space, address, end, before, table_pages);
    return 0;
}

int vm_unmap(struct address_space *space, uint64_t address, uint64_t length)
{
    if (space == NULL || !vm_range_valid(address, length))
        return -EINVAL;
    uint64_t end = address + length;
    uint64_t before = vm_regions_charge(space, address, end, false);
    struct vm_region *region = vm_region_first_after(space, address);

    /* A region strictly around the range splits in three: take the memory first. */
    if (region != NULL && region->start < address && region->end > end) {
        struct vm_region *spare = kmalloc(sizeof(*spare));

        if (spare == NULL)
            return -ENOMEM;
        vm_region_split(space, region, end, spare);
    }
    while (region != NULL && region->start < end) {
        struct vm_region *next = vm_region_next(space, region);

        uint64_t pages = vm_region_private_pages(region, address, end);
        quota_uncharge(space->quota, pages);
        space->charged -= pages;
        if (region->start < address)
            region->end = address;
        else if (region->end > end)
            vm_region_move_start(region, end);
        else
            vm_region_remove(space, region);
        region = next;
    }
    vm_regions_recharge(space, address, end, before, 0);
    int cleared = paging_unmap_range(space->pml4, address, end);

    vm_tlb_flush_range(space, address, end, cleared);
    return cleared < 0 ? cleared : 0;
}

/* The region holding start when [start, end) is mapped without holes, else NULL; then
 * *max_prot is what every region in it allows and *has_frame (if asked) whether one of them
 * is a kernel-owned frame. */
static struct vm_region *vm_range_mapped(struct address_space *space, uint64_t start,
                                         uint64_t end, int *max_prot, bool *has_frame)
{
    struct vm_region *first = vm_region_find(space, start);
    struct vm_region *region = first;
    uint64_t covered = start;

    *max_prot = VM_PROT_ALL;
    if (has_frame != NULL)
        *has_frame = false;
    while (region != NULL && region->start <= covered && covered < end) {
        *max_prot &= region->max_prot;
        if (has_frame != NULL)
            *has_frame |= region->kind == VM_REGION_FRAME;
        covered = region->end;
        region = vm_region_next(space, region);
    }
    return first != NULL && covered >= end ? first : NULL;
}

int vm_discard(struct address_space *space, uint64_t address, uint64_t length)
{
    if (space == NULL || !vm_range_valid(address, length))
        return -EINVAL;
    uint64_t end = address + length;
    int max_prot;
    bool has_frame;

    if (vm_range_mapped(space, address, end, &max_prot, &has_frame) == NULL)
        return -ENOMEM;
    /* A kernel frame has nothing to come back from: dropping it would lose it. */
    if (has_frame)
        return -EINVAL;
    int cleared = paging_unmap_range(space->pml4, address, end);

    vm_tlb_flush_range(space, address, end, cleared);
    return cleared < 0 ? cleared : 0;
}

void vm_regions_unmap_past(struct memory_object *object, uint64_t first_page)
{
    struct list_node *node;

    list_for_each(node, &object->regions)
    {
        struct vm_region *region = list_entry(node, struct vm_region, object_link);
        uint64_t past = first_page * PAGING_PAGE_SIZE;

        if (!region->sized || region->offset + (region->end - region->start) <= past)
            continue;
        uint64_t start =
            past > region->offset ? region->start + (past - region->offset) : region->start;
        int cleared = paging_unmap_range(region->space->pml4, start, region->end);

        vm_tlb_flush_range(region->space, start, region->end, cleared);
    }
}

int vm_protect(struct address_space *space, uint64_t address, uint64_t length, int prot)
{
    if (space == NULL || !vm_range_valid(address, length) || !vm_prot_valid(prot))
        return -EINVAL;
    uint64_t end = address + length;
    int max_prot;
    struct vm_region *first = vm_range_mapped(space, address, end, &max_prot, NULL);

    /* The whole range must be mapped, without holes, and every region must allow prot (as
     * Linux's mprotect: -EACCES beyond what the mapped object allows) before anything changes. */
    if (first == NULL)
        return -ENOMEM;
    if (prot & ~max_prot)
        return -EACCES;

    struct vm_region *spares[2] = {kmalloc(sizeof(struct vm_region)),
                                   kmalloc(sizeof(struct vm_region))};

    if (spares[0] == NULL || spares[1] == NULL) {
        kfree(spares[0]);
        kfree(spares[1]);
        return -ENOMEM;
    }
    uint64_t before = vm_regions_charge(space, address, end, false);
    if (first->start < address) {
        vm_region_split(space, first, address, spares[0]);
        first = spares[0];
        spares[0] = NULL;
    }
    for (struct vm_region *region = first; region != NULL && region->start < end;
         region = vm_region_next(space, region)) {
        if (region->end > end) {
            vm_region_split(space, region, end, spares[1]);
            spares[1] = NULL;
        }
        region->prot = prot;
    }
    kfree(spares[0]);
    kfree(spares[1]);
    vm_regions_recharge(space, address, end, before, 0);

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
    uint64_t before = vm_regions_charge(space, address, address + PAGING_PAGE_SIZE, false);
    int error =
        paging_map(space->pml4, address, phys, mmu_flags_shared(paging_flags_for_prot(prot)));

    if (error == 0)
        error = vm_region_insert(space, address, address + PAGING_PAGE_SIZE, prot, prot,
                                 VM_REGION_FRAME, NULL, 0);
    if (error == 0) {
        /* Kernel frames (a thread's IPC buffer) are charged too, past the limit if need be:
         * the thread itself was charged when it was made. */
        vm_regions_recharge(space, address, address + PAGING_PAGE_SIZE, before, 0);
        return 0;
    }
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
        struct vm_region *region = list_entry(node, struct vm_region, link);

        if (region->kind == VM_REGION_FRAME)
            continue;
        error = vm_region_insert(clone, region->start, region->end, region->prot,
                                 region->max_prot, region->kind, region->object, region->offset);
        if (error == 0 && region->kind == VM_REGION_OBJECT) {
            struct vm_region *copy = vm_region_find(clone, region->start);
            copy->sized = region->sized;
            copy->private = region->private;
        }
        if (error == 0)
            clone->charged += vm_region_private_pages(region, region->start, region->end);
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
    /* Charged to nobody yet: only counted, for its creator's address_space_charge_to. */
    clone->charged += vm_regions_charge(clone, 0, UINT64_MAX, true);
    return clone;
}

int address_space_charge_to(struct address_space *space, struct quota *quota)
{
    if (space->quota == quota)
        return 0;
    int error = quota_charge(quota, space->charged);
    if (error)
        return error;
    quota_uncharge(space->quota, space->charged);
    quota_put(space->quota);
    quota_get(quota);
    space->quota = quota;
    return 0;
}

int address_space_move_charge(struct address_space *space, struct quota *from, struct quota *to)
{
    return space->quota == from ? address_space_charge_to(space, to) : 0;
}
