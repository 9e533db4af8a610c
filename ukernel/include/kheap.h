/* Kernel heap: power-of-two slab size classes for small requests, page runs for large ones. */
#ifndef ARAMID_KHEAP_H
#define ARAMID_KHEAP_H

#include <stddef.h>
#include <stdint.h>

#include "slab.h"

#define KHEAP_MIN_CLASS_SIZE 16u
#define KHEAP_MAX_CLASS_SIZE SLAB_MAX_OBJECT_SIZE
#define KHEAP_CLASS_COUNT 8u /* 16, 32, ..., 2048 */
#define KHEAP_ALIGNMENT 16u  /* every pointer kheap_alloc returns is aligned to this */

/*
 * Hands out runs of contiguous virtual pages: alloc_pages returns npages
 * SLAB_PAGE_SIZE-aligned writable pages or NULL; free_pages takes back a run with
 * the npages it was allocated with.
 */
struct page_run_source {
    void *(*alloc_pages)(void *ctx, size_t npages);
    void (*free_pages)(void *ctx, void *pages, size_t npages);
    void *ctx;
};

/* One heap; holds no global state, so any number of heaps may coexist. */
struct kheap {
    struct slab_cache classes[KHEAP_CLASS_COUNT]; /* classes[i] holds objects of 16 << i bytes */
    struct page_run_source runs;
    size_t large_allocations; /* live allocations served by runs */
    size_t large_pages;       /* pages those allocations hold */
};

/* Prepares heap over the two sources; takes no memory yet. Returns 0 or -EINVAL. */
int kheap_init(struct kheap *heap, const struct page_source *pages,
               const struct page_run_source *runs);

/* Releases every cached page; -EBUSY (nothing released) while any allocation is live. */
int kheap_destroy(struct kheap *heap);

/* size bytes aligned to KHEAP_ALIGNMENT, or NULL when size is 0 or memory is exhausted. */
void *kheap_alloc(struct kheap *heap, size_t size);

/*
 * Frees ptr from kheap_alloc on the same heap; NULL is accepted and returns 0.
 * Returns -EINVAL, changing nothing, for a pointer this heap did not hand out or
 * already freed, where that can be told from the heap's own headers. The page
 * containing ptr must be readable.
 */
int kheap_free(struct kheap *heap, void *ptr);

/* Pages the heap currently holds from both sources, cached empty slabs included. */
size_t kheap_pages_held(const struct kheap *heap);
/* Of those, the empty slabs its size classes keep for reuse (at most one each). */
size_t kheap_pages_cached(const struct kheap *heap);

#endif /* ARAMID_KHEAP_H */
