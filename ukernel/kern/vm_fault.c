/* Page faults of user address spaces: demand-zero, copy-on-write and memory-object pages. */
#include <stdbool.h>
#include <stdint.h>

#include "kerrno.h"
#include "kstring.h"
#include "vm_region.h"

int vm_resolve_page(struct address_space *space, uint64_t address, bool write, bool fetch,
                    bool flush_unchanged, uint64_t *phys_out)
{
    struct vm_region *region = vm_region_find(space, address);
    uint64_t *entry;
    int error;

    if (region == NULL || region->prot == 0 || (write && !(region->prot & VM_PROT_WRITE)) ||
        (fetch && !(region->prot & VM_PROT_EXEC)))
        return -EFAULT;
    /* The tables are made only once the page is known: a fault that fails (-ENXIO past an
     * object's end, -ENOMEM) leaves none behind. */
    error = paging_walk(space->pml4, address, false, &entry);
    if (error == -ENOENT)
        entry = NULL;
    else if (error)
        return error;

    uint64_t old = entry != NULL ? *entry : 0;
    uint64_t flags = paging_flags_for_prot(region->prot);

    if (!mmu_entry_holds_frame(old)) {
        /* First touch: nothing cached, no flush. */
        uint64_t phys, first = flags;

        if (region->kind == VM_REGION_ANONYMOUS) {
            error = paging_frame_alloc_zeroed(&phys);
        } else if (region->kind == VM_REGION_OBJECT) {
            error = memory_object_page(
                region->object, (region->offset + address - region->start) / PAGING_PAGE_SIZE,
                region->sized, &phys);
            if (error == 0)
                error = paging_frame_get(phys);
            /* A private region's page stays the object's until written (copied below). */
            first = region->private ? mmu_flags_copy_on_write(flags) : mmu_flags_shared(flags);
        } else {
            error = -EFAULT; /* a frame region lost its frame: never made that way */
        }
        if (error == 0 && entry == NULL) {
            error = paging_walk(space->pml4, address, true, &entry);
            if (error)
                (void)paging_frame_put(phys); /* the object's (or a fresh frame) goes back */
        }
        if (error)
            return error;
        *entry = mmu_entry_make(phys, first);
        *phys_out = phys;
        if (!(write && mmu_entry_copy_on_write(first)))
            return 0;
        old = *entry; /* a private object page written at its first touch: the copy below */
    }
    if (write && mmu_entry_copy_on_write(old)) {
        uint64_t old_phys = mmu_entry_frame(old);

        if (paging_frame_refcount(old_phys) == 1) {
            /* The last sharer: take the frame over. */
            *entry = mmu_entry_take_over(old, flags);
        } else {
            uint64_t copy;

            error = paging_frame_alloc(&copy);
            if (error)
                return error;
            memcpy(paging_phys_to_virt(copy), paging_phys_to_virt(old_phys), PAGING_PAGE_SIZE);
            *entry = mmu_entry_make(copy, flags);
            (void)paging_frame_put(old_phys); /* refcount > 1: only a decrement */
        }
        vm_tlb_flush_page(space, address);
        *phys_out = mmu_entry_frame(*entry);
        return 0;
    }
    /* The page is there; bring its permissions in line with the region (COW stays read-only). */
    uint64_t updated = mmu_entry_with_permissions(old, flags);

    if (updated != old)
        *entry = updated;
    if (updated != old || flush_unchanged)
        vm_tlb_flush_page(space, address);
    *phys_out = mmu_entry_frame(updated);
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
