/* posix-shim heap: sbrk over demand-zero pages in one reserved, contiguous range. */
#include <errno.h>
#include <stdint.h>
#include <malloc.h>
#include <stdlib.h>
#include <unistd.h>

#include "shim.h"

/* The heap's range: below libsys's mappings (ARAMID_MEMORY_START), above any program image. */
#define HEAP_BASE 0x10000000000ul /* 1 TiB */
#define HEAP_LIMIT (64ul << 30)   /* 64 GiB of address space, not of memory */

_Static_assert(HEAP_BASE + HEAP_LIMIT <= ARAMID_MEMORY_START, "heap and mmap ranges overlap");

/* Invariant: [HEAP_BASE, heap_mapped) is mapped read-write, nothing above it in the range is,
 * and heap_mapped == SHIM_PAGE_ROUND_UP(heap_break): shrinking unmaps (frees) whole pages. */
static uintptr_t heap_break = HEAP_BASE;
static uintptr_t heap_mapped = HEAP_BASE;

static long heap_set_break(uintptr_t new_break)
{
    uintptr_t new_mapped = SHIM_PAGE_ROUND_UP(new_break);
    long result = 0;
    if (new_mapped > heap_mapped)
        result = sys_vm_map(shim_self_space, heap_mapped, new_mapped - heap_mapped,
                            ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
    else if (new_mapped < heap_mapped)
        result = sys_vm_unmap(shim_self_space, new_mapped, heap_mapped - new_mapped);
    if (result < 0)
        return result == -ARAMID_ENOMEM || result == -ARAMID_EINVAL ? -ENOMEM
                                                                    : shim_error_from_sys(result);
    heap_mapped = new_mapped;
    heap_break = new_break;
    return 0;
}

void *sbrk(ptrdiff_t increment)
{
    uintptr_t old_break = heap_break;
    if ((increment > 0 && (uintptr_t)increment > HEAP_BASE + HEAP_LIMIT - old_break) ||
        (increment < 0 && (uintptr_t)-increment > old_break - HEAP_BASE)) {
        errno = ENOMEM;
        return (void *)-1;
    }
    long result = heap_set_break(old_break + (uintptr_t)increment);
    if (result < 0) {
        errno = (int)-result;
        return (void *)-1;
    }
    return (void *)old_break;
}

/* newlib's aligned_alloc calls it; newlib's memalign does the work. */
int posix_memalign(void **pointer, size_t alignment, size_t size)
{
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0)
        return EINVAL;
    void *memory = memalign(alignment, size);
    if (memory == NULL)
        return ENOMEM;
    *pointer = memory;
    return 0;
}
