/* Buddy allocator for physical frames: splitting on alloc, coalescing on free, per-frame state. */
#include "frame.h"

#include "kerrno.h"

/*
 * Zone invariants:
 *  - a free block of order k is listed on free_lists[k] through its head frame only;
 *  - every frame of a free block is FREE, of an allocated block ALLOCATED;
 *  - no free block's buddy of the same order is also a free block (fully coalesced);
 *  - free_frames + allocated_frames + (reserved frames) == nframes.
 */

static uint64_t frame_zone_base_pfn(const struct frame_zone *zone)
{
    return zone->base >> FRAME_SHIFT;
}

/* Index of the frame with physical frame number pfn; the caller checks the range. */
static size_t frame_zone_index(const struct frame_zone *zone, uint64_t pfn)
{
    return (size_t)(pfn - frame_zone_base_pfn(zone));
}

static bool frame_zone_contains_pfn(const struct frame_zone *zone, uint64_t pfn)
{
    uint64_t base_pfn = frame_zone_base_pfn(zone);

    return pfn >= base_pfn && pfn - base_pfn < zone->nframes;
}

static uint64_t frame_pfn_of(const struct frame_zone *zone, const struct frame *frame)
{
    return frame_zone_base_pfn(zone) + (uint64_t)(frame - zone->frames);
}

/* Sets the state bits and refcount of the 2^order frames starting at index first. */
static void frame_block_mark(struct frame_zone *zone, size_t first, unsigned int order,
                             uint8_t state, uint32_t refcount)
{
    size_t count = (size_t)1 << order;

    for (size_t i = first; i < first + count; i++) {
        zone->frames[i].flags = state;
        zone->frames[i].refcount = refcount;
    }
}

/*
 * Inserts the free block at pfn (all its frames already FREE, none a HEAD) and
 * merges it with its buddies while they are free blocks of the same order.
 */
static void frame_block_release(struct frame_zone *zone, uint64_t pfn, unsigned int order)
{
    while (order < FRAME_MAX_ORDER) {
        uint64_t buddy_pfn = pfn ^ ((uint64_t)1 << order);
        struct frame *buddy;

        if (!frame_zone_contains_pfn(zone, buddy_pfn)) {
            break;
        }
        buddy = &zone->frames[frame_zone_index(zone, buddy_pfn)];
        if (buddy->flags != (FRAME_FLAG_FREE | FRAME_FLAG_HEAD) || buddy->order != order) {
            break;
        }
        list_remove(&buddy->link);
        buddy->flags = FRAME_FLAG_FREE;
        if (buddy_pfn < pfn) {
            pfn = buddy_pfn;
        }
        order++;
    }

    struct frame *head = &zone->frames[frame_zone_index(zone, pfn)];

    head->flags = FRAME_FLAG_FREE | FRAME_FLAG_HEAD;
    head->order = (uint8_t)order;
    list_push_front(&zone->free_lists[order], &head->link);
}

size_t frame_zone_metadata_size(size_t nframes)
{
    if (nframes > SIZE_MAX / sizeof(struct frame)) {
        return 0;
    }
    return nframes * sizeof(struct frame);
}

int frame_zone_init(struct frame_zone *zone, uint64_t base, size_t nframes, void *metadata)
{
    if (zone == NULL || metadata == NULL || nframes == 0) {
        return -EINVAL;
    }
    if ((base & (FRAME_SIZE - 1)) != 0 || frame_zone_metadata_size(nframes) == 0) {
        return -EINVAL;
    }
    if ((uint64_t)nframes > ((UINT64_MAX - base) >> FRAME_SHIFT)) {
        return -EINVAL;
    }
    if ((uintptr_t)metadata % _Alignof(struct frame) != 0) {
        return -EINVAL;
    }

    zone->base = base;
    zone->nframes = nframes;
    zone->frames = metadata;
    zone->free_frames = 0;
    zone->allocated_frames = 0;
    zone->reserve = 0;
    zone->may_use_reserve = NULL;
    for (unsigned int order = 0; order < FRAME_ORDER_COUNT; order++) {
        list_init(&zone->free_lists[order]);
    }
    for (size_t i = 0; i < nframes; i++) {
        list_node_init(&zone->frames[i].link);
        zone->frames[i].refcount = 0;
        zone->frames[i].order = 0;
        zone->frames[i].flags = FRAME_FLAG_RESERVED;
    }
    return 0;
}

/* Largest order whose block starts at pfn (alignment) and ends at or before end_pfn. */
static unsigned int frame_largest_order_at(uint64_t pfn, uint64_t end_pfn)
{
    unsigned int order = 0;

    while (order < FRAME_MAX_ORDER) {
        uint64_t next_size = (uint64_t)1 << (order + 1);

        if ((pfn & (next_size - 1)) != 0 || end_pfn - pfn < next_size) {
            break;
        }
        order++;
    }
    return order;
}

int frame_zone_add_free_range(struct frame_zone *zone, uint64_t phys_start, uint64_t phys_end)
{
    if (zone == NULL || phys_start > phys_end) {
        return -EINVAL;
    }
    if (((phys_start | phys_end) & (FRAME_SIZE - 1)) != 0) {
        return -EINVAL;
    }
    if (phys_start == phys_end) {
        return 0;
    }

    uint64_t start_pfn = phys_start >> FRAME_SHIFT;
    uint64_t end_pfn = phys_end >> FRAME_SHIFT;

    if (!frame_zone_contains_pfn(zone, start_pfn) || !frame_zone_contains_pfn(zone, end_pfn - 1)) {
        return -EINVAL;
    }
    /* Validate the whole range first so a rejected call changes nothing. */
    for (uint64_t pfn = start_pfn; pfn < end_pfn; pfn++) {
        if (zone->frames[frame_zone_index(zone, pfn)].flags != FRAME_FLAG_RESERVED) {
            return -EINVAL;
        }
    }

    uint64_t pfn = start_pfn;

    while (pfn < end_pfn) {
        unsigned int order = frame_largest_order_at(pfn, end_pfn);

        frame_block_mark(zone, frame_zone_index(zone, pfn), order, FRAME_FLAG_FREE, 0);
        frame_block_release(zone, pfn, order);
        zone->free_frames += (size_t)1 << order;
        pfn += (uint64_t)1 << order;
    }
    return 0;
}

int frame_alloc(struct frame_zone *zone, unsigned int order, uint64_t *phys_out)
{
    unsigned int found;

    if (zone == NULL || phys_out == NULL || order > FRAME_MAX_ORDER) {
        return -EINVAL;
    }
    if (zone->may_use_reserve != NULL && zone->free_frames < zone->reserve + ((size_t)1 << order) &&
        !zone->may_use_reserve()) {
        return -ENOMEM;
    }
    for (found = order; found < FRAME_ORDER_COUNT; found++) {
        if (!list_is_empty(&zone->free_lists[found])) {
            break;
        }
    }
    if (found == FRAME_ORDER_COUNT) {
        return -ENOMEM;
    }

    struct frame *head = list_entry(list_pop_front(&zone->free_lists[found]), struct frame, link);
    uint64_t pfn = frame_pfn_of(zone, head);

    /* Split: the upper half of each larger block goes back on the list one order down. */
    while (found > order) {
        found--;
        struct frame *upper = head + ((size_t)1 << found);

        upper->flags = FRAME_FLAG_FREE | FRAME_FLAG_HEAD;
        upper->order = (uint8_t)found;
        list_push_front(&zone->free_lists[found], &upper->link);
    }

    frame_block_mark(zone, frame_zone_index(zone, pfn), order, FRAME_FLAG_ALLOCATED, 1);
    head->flags = FRAME_FLAG_ALLOCATED | FRAME_FLAG_HEAD;
    head->order = (uint8_t)order;
    zone->free_frames -= (size_t)1 << order;
    zone->allocated_frames += (size_t)1 << order;
    *phys_out = pfn << FRAME_SHIFT;
    return 0;
}

int frame_free(struct frame_zone *zone, uint64_t phys, unsigned int order)
{
    if (zone == NULL || order > FRAME_MAX_ORDER) {
        return -EINVAL;
    }
    if ((phys & (FRAME_SIZE - 1)) != 0) {
        return -EINVAL;
    }

    uint64_t pfn = phys >> FRAME_SHIFT;

    if (!frame_zone_contains_pfn(zone, pfn)) {
        return -EINVAL;
    }

    struct frame *head = &zone->frames[frame_zone_index(zone, pfn)];

    /* Only the head of a live block of exactly this order may be freed. */
    if (head->flags != (FRAME_FLAG_ALLOCATED | FRAME_FLAG_HEAD) || head->order != order) {
        return -EINVAL;
    }

    frame_block_mark(zone, frame_zone_index(zone, pfn), order, FRAME_FLAG_FREE, 0);
    frame_block_release(zone, pfn, order);
    zone->allocated_frames -= (size_t)1 << order;
    zone->free_frames += (size_t)1 << order;
    return 0;
}

size_t frame_free_count(const struct frame_zone *zone)
{
    return zone->free_frames;
}

size_t frame_used_count(const struct frame_zone *zone)
{
    return zone->allocated_frames;
}

struct frame *frame_lookup(struct frame_zone *zone, uint64_t phys)
{
    uint64_t pfn = phys >> FRAME_SHIFT;

    if (zone == NULL || !frame_zone_contains_pfn(zone, pfn)) {
        return NULL;
    }
    return &zone->frames[frame_zone_index(zone, pfn)];
}

uint64_t frame_to_phys(const struct frame_zone *zone, const struct frame *frame)
{
    return frame_pfn_of(zone, frame) << FRAME_SHIFT;
}
