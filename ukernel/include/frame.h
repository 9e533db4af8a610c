/* Buddy allocator for 4 KiB physical frames: one zone covers a contiguous physical range. */
#ifndef ARAMID_FRAME_H
#define ARAMID_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "list.h"

#define FRAME_SHIFT 12
#define FRAME_SIZE (UINT64_C(1) << FRAME_SHIFT)
#define FRAME_MAX_ORDER 10 /* 2^10 frames = 4 MiB blocks */
#define FRAME_ORDER_COUNT (FRAME_MAX_ORDER + 1)

/*
 * Exactly one of FREE, RESERVED, ALLOCATED is set on every frame. HEAD is set on
 * the first frame of each free or allocated block, and only there is `order`
 * meaningful. A block of order k starts at a physical frame number that is a
 * multiple of 2^k, so large blocks are physically aligned (2 MiB pages fit).
 */
#define FRAME_FLAG_FREE 0x01u
#define FRAME_FLAG_RESERVED 0x02u
#define FRAME_FLAG_ALLOCATED 0x04u
#define FRAME_FLAG_HEAD 0x08u

struct frame {
    struct list_node link; /* on zone->free_lists[order] iff FREE and HEAD */
    uint32_t refcount;     /* 0 unless ALLOCATED; frame_alloc sets 1 on every frame of the block */
    uint8_t order;
    uint8_t flags;
};

struct frame_zone {
    uint64_t base; /* physical address of frames[0], FRAME_SIZE aligned */
    size_t nframes;
    struct frame *frames; /* caller-owned, frame_zone_metadata_size(nframes) bytes */
    struct list_node free_lists[FRAME_ORDER_COUNT];
    size_t free_frames;
    size_t allocated_frames;
    /* The last `reserve` free frames go only to callers may_use_reserve approves (the kernel
     * sets it: system processes, see process.h); NULL: no reserve. */
    size_t reserve;
    bool (*may_use_reserve)(void);
};

/* Bytes of descriptor storage frame_zone_init needs for nframes frames; 0 on overflow. */
size_t frame_zone_metadata_size(size_t nframes);

/*
 * Covers [base, base + nframes * FRAME_SIZE) with every frame RESERVED.
 * metadata must be aligned for struct frame. Returns 0 or -EINVAL.
 */
int frame_zone_init(struct frame_zone *zone, uint64_t base, size_t nframes, void *metadata);

/*
 * Releases the page-aligned range [phys_start, phys_end) into the allocator,
 * coalescing with free neighbours. Every frame in it must be RESERVED and inside
 * the zone, otherwise nothing changes and -EINVAL is returned.
 */
int frame_zone_add_free_range(struct frame_zone *zone, uint64_t phys_start, uint64_t phys_end);

/* Allocates 2^order contiguous frames aligned to their size; 0, -EINVAL (order) or -ENOMEM. */
int frame_alloc(struct frame_zone *zone, unsigned int order, uint64_t *phys_out);

/*
 * Frees a block obtained from frame_alloc with the same order. A double free, a
 * reserved or non-head frame, a misaligned or out-of-zone address or a wrong
 * order returns -EINVAL and leaves the zone untouched.
 */
int frame_free(struct frame_zone *zone, uint64_t phys, unsigned int order);

size_t frame_free_count(const struct frame_zone *zone);
size_t frame_used_count(const struct frame_zone *zone);

/* Descriptor of the frame holding phys (any address inside it), or NULL outside the zone. */
struct frame *frame_lookup(struct frame_zone *zone, uint64_t phys);

/* Physical address of the frame a descriptor from this zone describes. */
uint64_t frame_to_phys(const struct frame_zone *zone, const struct frame *frame);

#endif /* ARAMID_FRAME_H */
