/* Host test helper: a frame zone over a heap arena that paging.c reaches as physical memory. */
#ifndef ARAMID_TEST_PAGING_ARENA_H
#define ARAMID_TEST_PAGING_ARENA_H

#include <stdint.h>
#include <stdlib.h>

#include "frame.h"
#include "paging.h"

/* Physical addresses start here, far from any host pointer, so a confused phys/virt shows. */
#define ARENA_PHYS_BASE 0x40000000ull
#define ARENA_FRAMES 2048

struct paging_arena {
    struct frame_zone zone;
    void *memory;
    void *metadata;
};

static inline void paging_arena_create(struct paging_arena *arena, bool nx_supported)
{
    arena->memory = aligned_alloc(FRAME_SIZE, ARENA_FRAMES * FRAME_SIZE);
    arena->metadata = malloc(frame_zone_metadata_size(ARENA_FRAMES));
    if (arena->memory == NULL || arena->metadata == NULL)
        abort();
    if (frame_zone_init(&arena->zone, ARENA_PHYS_BASE, ARENA_FRAMES, arena->metadata) != 0 ||
        frame_zone_add_free_range(&arena->zone, ARENA_PHYS_BASE,
                                  ARENA_PHYS_BASE + ARENA_FRAMES * FRAME_SIZE) != 0)
        abort();
    paging_setup(&arena->zone, (uintptr_t)arena->memory - ARENA_PHYS_BASE, nx_supported);
}

static inline void paging_arena_destroy(struct paging_arena *arena)
{
    free(arena->memory);
    free(arena->metadata);
}

#endif
