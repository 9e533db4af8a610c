/* A small allocator for servers (no newlib): power-of-two size classes carved from mappings. */
#ifndef ARAMID_HEAP_H
#define ARAMID_HEAP_H

#include <stddef.h>

#include <aramid/syscall.h>

/* Tells the heap which space to map into (the caller's own space handle); call once. */
void aramid_heap_init(aramid_handle_t space);
/* Zeroed memory of at least bytes, or NULL. Sizes up to 64 KiB come from size classes (16 B to
 * 64 KiB, reused LIFO); larger ones are their own mapping, which the heap never gives back. */
void *aramid_heap_alloc(size_t bytes);
/* Frees memory from aramid_heap_alloc(bytes) (the same bytes). NULL is ignored. */
void aramid_heap_free(void *memory, size_t bytes);

#endif
