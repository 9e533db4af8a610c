/* Host test helper: a page and page-run source over one aligned host buffer (slab, kheap). */
#ifndef ARAMID_TEST_PAGE_ARENA_H
#define ARAMID_TEST_PAGE_ARENA_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slab.h"

/*
 * Pages are handed out first fit. Freed pages stay in the buffer, so a test may still read
 * memory a cache or the heap gave back; limit caps the pages handed out at once. Include after
 * cmocka.h: freeing checks its arguments with assert_*.
 */
struct test_arena {
    uint8_t *memory;
    uint8_t *used;
    size_t npages;
    size_t limit;
    size_t in_use;
    size_t alloc_calls;
    size_t misalign; /* bytes added to every page returned, to test rejection */
};

static inline void arena_init(struct test_arena *arena, size_t npages, size_t limit)
{
    memset(arena, 0, sizeof(*arena));
    arena->memory = aligned_alloc(SLAB_PAGE_SIZE, npages * SLAB_PAGE_SIZE);
    arena->used = calloc(npages, 1);
    assert_non_null(arena->memory);
    assert_non_null(arena->used);
    memset(arena->memory, 0, npages * SLAB_PAGE_SIZE);
    arena->npages = npages;
    arena->limit = limit;
}

/* Checks that every page came back, then frees the buffer. */
static inline void arena_release(struct test_arena *arena)
{
    assert_int_equal(arena->in_use, 0);
    free(arena->memory);
    free(arena->used);
}

static inline void *arena_alloc_pages(void *ctx, size_t npages)
{
    struct test_arena *arena = ctx;
    size_t run = 0;

    arena->alloc_calls++;
    if (npages == 0 || npages > arena->limit - arena->in_use) {
        return NULL;
    }
    for (size_t i = 0; i < arena->npages; i++) {
        run = arena->used[i] ? 0 : run + 1;
        if (run == npages) {
            size_t first = i + 1 - npages;

            memset(arena->used + first, 1, npages);
            arena->in_use += npages;
            return arena->memory + first * SLAB_PAGE_SIZE + arena->misalign;
        }
    }
    return NULL;
}

static inline void arena_free_pages(void *ctx, void *pages, size_t npages)
{
    struct test_arena *arena = ctx;
    uintptr_t offset = (uintptr_t)pages - (uintptr_t)arena->memory - arena->misalign;

    assert_true((uintptr_t)pages >= (uintptr_t)arena->memory);
    assert_int_equal(offset % SLAB_PAGE_SIZE, 0);
    assert_true(offset / SLAB_PAGE_SIZE + npages <= arena->npages);
    for (size_t i = 0; i < npages; i++) {
        assert_int_equal(arena->used[offset / SLAB_PAGE_SIZE + i], 1);
        arena->used[offset / SLAB_PAGE_SIZE + i] = 0;
    }
    arena->in_use -= npages;
}

static inline void *arena_alloc_page(void *ctx)
{
    return arena_alloc_pages(ctx, 1);
}

static inline void arena_free_page(void *ctx, void *page)
{
    arena_free_pages(ctx, page, 1);
}

/* A pattern in an object's bytes that depends on seed, and its check. */
static inline void fill_pattern(void *object, size_t size, size_t seed)
{
    uint8_t *bytes = object;

    for (size_t i = 0; i < size; i++) {
        bytes[i] = (uint8_t)(seed * 131 + i * 7 + 3);
    }
}

static inline void check_pattern(const void *object, size_t size, size_t seed)
{
    const uint8_t *bytes = object;

    for (size_t i = 0; i < size; i++) {
        assert_int_equal(bytes[i], (uint8_t)(seed * 131 + i * 7 + 3));
    }
}

#endif
