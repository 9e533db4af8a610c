/* Slab caches: one page per slab, a header with a free bitmap, objects at a fixed stride. */
#include "slab.h"

#include "kerrno.h"

#define SLAB_MAGIC UINT64_C(0x51AB0CAC4E5EED01)
#define SLAB_BITS_PER_WORD 64u

_Static_assert((SLAB_PAGE_SIZE - sizeof(struct slab)) / SLAB_MIN_OBJECT_SIZE <=
                   SLAB_BITMAP_WORDS * SLAB_BITS_PER_WORD,
               "free bitmap must cover every object a slab page can hold");

/*
 * Cache invariants:
 *  - every slab on partial has 0 < free_objects < objects_per_slab;
 *  - every slab on full has free_objects == 0;
 *  - empty, if not NULL, has free_objects == objects_per_slab and is on no list;
 *  - objects_in_use == sum over slabs of (objects_per_slab - free_objects).
 */

static size_t slab_round_up(size_t value, size_t align)
{
    return (value + align - 1) & ~(align - 1);
}

static bool slab_is_power_of_two(size_t value)
{
    return value != 0 && (value & (value - 1)) == 0;
}

static uint64_t slab_magic_for(const struct slab *slab)
{
    return SLAB_MAGIC ^ (uint64_t)(uintptr_t)slab;
}

/* Slab header of the page holding ptr, or NULL if that page is not a live slab. */
static struct slab *slab_header_of(const void *ptr)
{
    struct slab *slab = (struct slab *)((uintptr_t)ptr & ~(uintptr_t)(SLAB_PAGE_SIZE - 1));

    if (slab->magic != slab_magic_for(slab)) {
        return NULL;
    }
    return slab;
}

static bool slab_bit_is_set(const struct slab *slab, uint32_t index)
{
    return (slab->free_bitmap[index / SLAB_BITS_PER_WORD] >> (index % SLAB_BITS_PER_WORD)) & 1u;
}

static void slab_bit_set(struct slab *slab, uint32_t index)
{
    slab->free_bitmap[index / SLAB_BITS_PER_WORD] |= UINT64_C(1) << (index % SLAB_BITS_PER_WORD);
}

static void slab_bit_clear(struct slab *slab, uint32_t index)
{
    slab->free_bitmap[index / SLAB_BITS_PER_WORD] &= ~(UINT64_C(1) << (index % SLAB_BITS_PER_WORD));
}

int slab_cache_init(struct slab_cache *cache, const char *name, size_t object_size, size_t align,
                    const struct page_source *source)
{
    if (cache == NULL || source == NULL || source->alloc_page == NULL ||
        source->free_page == NULL) {
        return -EINVAL;
    }
    if (object_size == 0 || object_size > SLAB_MAX_OBJECT_SIZE) {
        return -EINVAL;
    }
    if (align == 0) {
        align = SLAB_DEFAULT_ALIGN;
    }
    if (!slab_is_power_of_two(align) || align > SLAB_MAX_OBJECT_SIZE) {
        return -EINVAL;
    }
    if (object_size < SLAB_MIN_OBJECT_SIZE) {
        object_size = SLAB_MIN_OBJECT_SIZE;
    }

    cache->name = name;
    cache->object_size = object_size;
    cache->align = align;
    cache->stride = slab_round_up(object_size, align);
    cache->first_offset = slab_round_up(sizeof(struct slab), align);
    /* first_offset <= 2048 and stride <= 2048, so at least one object always fits. */
    cache->objects_per_slab = (uint32_t)((SLAB_PAGE_SIZE - cache->first_offset) / cache->stride);
    cache->source = *source;
    list_init(&cache->partial);
    list_init(&cache->full);
    cache->empty = NULL;
    cache->objects_in_use = 0;
    cache->slab_count = 0;
    return 0;
}

/* Takes a page from the source and formats it as a slab with every object free. */
static struct slab *slab_create(struct slab_cache *cache)
{
    void *page = cache->source.alloc_page(cache->source.ctx);

    if (page == NULL) {
        return NULL;
    }
    if (((uintptr_t)page & (SLAB_PAGE_SIZE - 1)) != 0) {
        cache->source.free_page(cache->source.ctx, page);
        return NULL;
    }

    struct slab *slab = page;

    slab->magic = slab_magic_for(slab);
    slab->cache = cache;
    list_node_init(&slab->link);
    slab->free_objects = cache->objects_per_slab;
    for (uint32_t word = 0; word < SLAB_BITMAP_WORDS; word++) {
        slab->free_bitmap[word] = 0;
    }
    for (uint32_t index = 0; index < cache->objects_per_slab; index++) {
        slab_bit_set(slab, index);
    }
    cache->slab_count++;
    return slab;
}

/* Returns an unlinked slab's page to the source; stale pointers into it stop matching. */
static void slab_release(struct slab_cache *cache, struct slab *slab)
{
    slab->magic = 0;
    cache->slab_count--;
    cache->source.free_page(cache->source.ctx, slab);
}

int slab_cache_destroy(struct slab_cache *cache)
{
    if (cache == NULL) {
        return -EINVAL;
    }
    if (cache->objects_in_use != 0) {
        return -EBUSY;
    }
    /* No object in use means partial and full are empty; only the cached slab remains. */
    if (cache->empty != NULL) {
        slab_release(cache, cache->empty);
        cache->empty = NULL;
    }
    return 0;
}

void *slab_alloc(struct slab_cache *cache)
{
    struct slab *slab;

    if (cache == NULL) {
        return NULL;
    }
    if (!list_is_empty(&cache->partial)) {
        slab = list_entry(list_first(&cache->partial), struct slab, link);
    } else {
        if (cache->empty != NULL) {
            slab = cache->empty;
            cache->empty = NULL;
        } else {
            slab = slab_create(cache);
            if (slab == NULL) {
                return NULL;
            }
        }
        list_push_front(&cache->partial, &slab->link);
    }

    uint32_t index = 0;

    for (uint32_t word = 0; word < SLAB_BITMAP_WORDS; word++) {
        if (slab->free_bitmap[word] != 0) {
            index = word * SLAB_BITS_PER_WORD + (uint32_t)__builtin_ctzll(slab->free_bitmap[word]);
            break;
        }
    }
    slab_bit_clear(slab, index);
    slab->free_objects--;
    if (slab->free_objects == 0) {
        list_remove(&slab->link);
        list_push_front(&cache->full, &slab->link);
    }
    cache->objects_in_use++;
    return (char *)slab + cache->first_offset + (size_t)index * cache->stride;
}

int slab_free(struct slab_cache *cache, void *object)
{
    if (cache == NULL || object == NULL) {
        return -EINVAL;
    }

    struct slab *slab = slab_header_of(object);

    if (slab == NULL || slab->cache != cache) {
        return -EINVAL;
    }

    size_t offset = (size_t)((uintptr_t)object - (uintptr_t)slab);

    if (offset < cache->first_offset || (offset - cache->first_offset) % cache->stride != 0) {
        return -EINVAL;
    }

    size_t index = (offset - cache->first_offset) / cache->stride;

    if (index >= cache->objects_per_slab || slab_bit_is_set(slab, (uint32_t)index)) {
        return -EINVAL;
    }

    bool was_full = slab->free_objects == 0;

    slab_bit_set(slab, (uint32_t)index);
    slab->free_objects++;
    cache->objects_in_use--;
    if (slab->free_objects == cache->objects_per_slab) {
        list_remove(&slab->link);
        if (cache->empty == NULL) {
            cache->empty = slab;
        } else {
            slab_release(cache, slab);
        }
    } else if (was_full) {
        list_remove(&slab->link);
        list_push_front(&cache->partial, &slab->link);
    }
    return 0;
}

struct slab_cache *slab_cache_of(const void *ptr)
{
    struct slab *slab;

    if (ptr == NULL) {
        return NULL;
    }
    slab = slab_header_of(ptr);
    return slab == NULL ? NULL : slab->cache;
}

size_t slab_cache_objects_in_use(const struct slab_cache *cache)
{
    return cache->objects_in_use;
}

size_t slab_cache_slab_count(const struct slab_cache *cache)
{
    return cache->slab_count;
}
