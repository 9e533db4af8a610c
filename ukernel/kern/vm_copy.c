/* Copies between kernel memory and a user address space that need not be loaded (vm_read,
 * vm_write), resolving each page as a fault would. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kerrno.h"
#include "kstring.h"
#include "vm_region.h"

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
        if (mmu_entry_present(entry) && (!to_space || mmu_entry_writable(entry))) {
            phys = mmu_entry_frame(entry);
        } else {
            error = vm_resolve_page(space, page, to_space, false, false, &phys);
            if (error)
                return error == -ENXIO ? -EFAULT : error; /* past an object's end */
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

int vm_write(struct address_space *space, uint64_t address, const void *source, size_t length)
{
    return vm_copy(space, address, (void *)(uintptr_t)source, length, true);
}

int vm_read(struct address_space *space, uint64_t address, void *destination, size_t length)
{
    return vm_copy(space, address, destination, length, false);
}

int vm_user_frame(struct address_space *space, uint64_t address, uint64_t *phys_out)
{
    if (space == NULL || address < VM_USER_BASE || address >= VM_USER_TOP)
        return -EFAULT;
    uint64_t page = address & ~(PAGING_PAGE_SIZE - 1);
    uint64_t entry, phys;
    if (paging_lookup(space->pml4, page, &entry) != 0)
        return -EFAULT;
    if (mmu_entry_present(entry) && mmu_entry_writable(entry)) {
        phys = mmu_entry_frame(entry);
    } else {
        int error = vm_resolve_page(space, page, true, false, false, &phys);
        if (error)
            return error == -ENXIO ? -EFAULT : error; /* past an object's end */
    }
    *phys_out = phys + (address - page);
    return 0;
}
