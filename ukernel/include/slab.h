/* Slab caches of fixed-size objects carved from 4 KiB pages supplied by a page source. */
#ifndef ARAMID_SLAB_H
#define ARAMID_SLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "list.h"

#define SLAB_PAGE_SIZE 4096u
#define SLAB_MIN_OBJECT_SIZE 8u
#define SLAB_MAX_OBJECT_SIZE 2048u
#define SLAB_DEFAULT_ALIGN 8u
#define SLAB_BITMAP_WORDS 8u /* 512 bits: more than any 4 KiB slab of >= 8-byte objects holds */

/*
 * Hands out single pages: alloc_page returns a SLAB_PAGE_SIZE-aligned, writable
 * virtual page or NULL; free_page takes back a page alloc_page returned.
 */
struct page_source {
    void *(*alloc_page)(void *ctx);
    void (*free_page)(void *ctx, void *page);
    void *ctx;
};

/*
 * Header at the start of every slab page; objects follow at cache->first_offset.
 * magic is SLAB_MAGIC ^ the page address, so a pointer is recognised as a slab
 * object only if its page starts with a header written for that very page.
 */
struct slab {
    uint64_t magic;
    struct slab_cache *cache;
    struct list_node link; /* on cache->partial or cache->full, unlinked when cached empty */
    uint32_t free_objects;
    uint64_t free_bitmap[SLAB_BITMAP_WORDS]; /* bit i set <=> object i is free */
};

struct slab_cache {
    const char *name;
    size_t object_size; /* as requested, rounded up to SLAB_MIN_OBJECT_SIZE */
    size_t align;
    size_t stride;       /* distance between objects: object_size rounded up to align */
    size_t first_offset; /* offset of object 0 in the page: header size rounded up to align */
    uint32_t objects_per_slab;
    struct page_source source;
    struct list_node partial; /* slabs with both free and used objects */
    struct list_node full;    /* slabs with no free object */
    struct slab *empty;       /* at most one slab with no used object, kept for reuse */
    size_t objects_in_use;
    size_t slab_count; /* pages currently held, including the cached empty one */
};

/*
 * Prepares a cache of objects of object_size bytes (1..SLAB_MAX_OBJECT_SIZE) aligned
 * to align (a power of two up to SLAB_MAX_OBJECT_SIZE, 0 = SLAB_DEFAULT_ALIGN).
 * Takes no page yet. Returns 0 or -EINVAL.
 */
int slab_cache_init(struct slab_cache *cache, const char *name, size_t object_size, size_t align,
                    const struct page_source *source);

/* Returns every page to the source; -EBUSY (nothing released) while objects are in use. */
int slab_cache_destroy(struct slab_cache *cache);

/* An uninitialised object, or NULL when the page source has no page left. */
void *slab_alloc(struct slab_cache *cache);

/*
 * Returns object to cache. -EINVAL, with no state changed, for NULL, a pointer
 * not at an object boundary of one of this cache's slabs, or an object already
 * free. The page containing object must be readable (any kernel pointer is).
 */
int slab_free(struct slab_cache *cache, void *object);

/* Cache owning the slab object at ptr, or NULL if ptr's page is not a live slab page. */
struct slab_cache *slab_cache_of(const void *ptr);

size_t slab_cache_objects_in_use(const struct slab_cache *cache);
size_t slab_cache_slab_count(const struct slab_cache *cache);

#endif /* ARAMID_SLAB_H */
