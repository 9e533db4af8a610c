/* A small allocator for servers (no newlib): power-of-two size classes carved from mappings. */
#ifndef ARAMID_HEAP_H
#define ARAMID_HEAP_H

#include <stddef.h>

#include <aramid/syscall.h>

/* The most a heap keeps with their frames when nothing is in use: one empty page for each class
 * below a page (8) and one free page. */
#define ARAMID_HEAP_SPARE_PAGES 9

/* Tells the heap which space to map into (the caller's own space handle); call once. */
void aramid_heap_init(aramid_handle_t space);
/* Zeroed memory of at least bytes, or NULL. Sizes up to 64 KiB come from size classes (16 B to
 * 64 KiB, reused LIFO; those below a page from pages of one class); larger ones are their own
 * mapping, unmapped when freed. What is freed gives its frames back (vm_discard) once a whole
 * page of it is free, beyond one spare per class (heap.c). */
void *aramid_heap_alloc(size_t bytes);
/* Frees memory from aramid_heap_alloc(bytes) (the same bytes). NULL is ignored. */
void aramid_heap_free(void *memory, size_t bytes);

#endif
