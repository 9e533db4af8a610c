/* The kernel's physical memory: the frame allocator built from the boot memory map, and kmalloc. */
#ifndef ARAMID_MEMORY_H
#define ARAMID_MEMORY_H

#include <stddef.h>
#include <stdint.h>

#include "frame.h"

struct boot_info;

extern struct frame_zone memory_frames;

/* Builds the frame allocator from the sanitized memory map minus the kernel image, the boot
 * information and the modules, then the kernel heap on top. Panics only when no usable memory
 * is left at all. */
void memory_init(const struct boot_info *boot);
void memory_print_summary(void);

void *kmalloc(size_t size);
void kfree(void *pointer);

#endif
