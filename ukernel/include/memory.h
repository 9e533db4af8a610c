/* The kernel's physical memory: the frame allocator built from the boot memory map, and kmalloc. */
#ifndef ARAMID_MEMORY_H
#define ARAMID_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "slab.h"

struct boot_info;

extern struct frame_zone memory_frames;
/* Single direct-mapped pages from the frame zone, for slab caches of kernel objects. */
extern const struct page_source memory_page_source;

/* Builds the frame allocator from the sanitized memory map minus the kernel image, the boot
 * information and the modules, then the kernel heap on top. The zone spans all RAM, but frames
 * above the boot direct map stay reserved until memory_add_high_memory(). Panics only when no
 * usable memory is left below 4 GiB. */
void memory_init(const struct boot_info *boot);
void memory_print_summary(void);
/* Frees the RAM above the boot direct map (4 GiB) into the frame zone; vm_init calls it once
 * its own direct map covers the whole zone. Returns the bytes added (0 on later calls). */
uint64_t memory_add_high_memory(void);

void *kmalloc(size_t size);
/* Pages the kernel heap holds now (kernel_stats ARAMID_STATS_MEMORY). */
size_t memory_heap_pages(void);
/* Of those, the empty slabs kept for reuse (one per size class at most). */
size_t memory_heap_cached_pages(void);
void kfree(void *pointer);

#endif
