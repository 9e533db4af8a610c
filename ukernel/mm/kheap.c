/* Kernel heap: routes small requests to slab size classes and large ones to headed page runs. */
#include "kheap.h"

#include "kerrno.h"

#define KHEAP_LARGE_MAGIC UINT64_C(0x4B4845415042494E)

/*
 * A large allocation is a run of pages starting with this header; the caller's
 * pointer is the byte right after it. magic is KHEAP_LARGE_MAGIC ^ the run's
 * address while the allocation is live and 0 once it is freed. Its first word
 * sits where a slab page keeps its own magic, so the two never match each other.
 */
struct kheap_large_header {
    uint64_t magic;
    size_t size;
};

_Static_assert(sizeof(struct kheap_large_header) % KHEAP_ALIGNMENT == 0,
               "large allocations must stay KHEAP_ALIGNMENT aligned");
_Static_assert(KHEAP_MIN_CLASS_SIZE << (KHEAP_CLASS_COUNT - 1) == KHEAP_MAX_CLASS_SIZE,
               "size classes must run from the minimum to the maximum class size");

static const char *const kheap_class_names[KHEAP_CLASS_COUNT] = {
    "kheap-16",  "kheap-32",  "kheap-64",   "kheap-128",
    "kheap-256", "kheap-512", "kheap-1024", "kheap-2048",
};

static uint64_t kheap_large_magic_for(const struct kheap_large_header *header)
{
    return KHEAP_LARGE_MAGIC ^ (uint64_t)(uintptr_t)header;
}

static size_t kheap_large_page_count(size_t size)
{
    return (size + sizeof(struct kheap_large_header) + SLAB_PAGE_SIZE - 1) / SLAB_PAGE_SIZE;
}

int kheap_init(struct kheap *heap, const struct page_source *pages,
               const struct page_run_source *runs)
{
    if (heap == NULL || runs == NULL || runs->alloc_pages == NULL || runs->free_pages == NULL) {
        return -EINVAL;
    }
    for (unsigned int i = 0; i < KHEAP_CLASS_COUNT; i++) {
        int err = slab_cache_init(&heap->classes[i], kheap_class_names[i],
                                  (size_t)KHEAP_MIN_CLASS_SIZE << i, KHEAP_ALIGNMENT, pages);

        if (err != 0) {
            return err;
        }
    }
    heap->runs = *runs;
    heap->large_allocations = 0;
    heap->large_pages = 0;
    return 0;
}

int kheap_destroy(struct kheap *heap)
{
    if (heap == NULL) {
        return -EINVAL;
    }
    if (heap->large_allocations != 0) {
        return -EBUSY;
    }
    for (unsigned int i = 0; i < KHEAP_CLASS_COUNT; i++) {
        if (slab_cache_objects_in_use(&heap->classes[i]) != 0) {
            return -EBUSY;
        }
    }
    /* Nothing is in use, so no destroy below can fail with -EBUSY. */
    for (unsigned int i = 0; i < KHEAP_CLASS_COUNT; i++) {
        int err = slab_cache_destroy(&heap->classes[i]);

        if (err != 0) {
            return err;
        }
    }
    return 0;
}

static void *kheap_alloc_large(struct kheap *heap, size_t size)
{
    if (size > SIZE_MAX - sizeof(struct kheap_large_header) - SLAB_PAGE_SIZE) {
        return NULL;
    }

    size_t npages = kheap_large_page_count(size);
    struct kheap_large_header *header = heap->runs.alloc_pages(heap->runs.ctx, npages);

    if (header == NULL) {
        return NULL;
    }
    if (((uintptr_t)header & (SLAB_PAGE_SIZE - 1)) != 0) {
        heap->runs.free_pages(heap->runs.ctx, header, npages);
        return NULL;
    }
    header->magic = kheap_large_magic_for(header);
    header->size = size;
    heap->large_allocations++;
    heap->large_pages += npages;
    return header + 1;
}

void *kheap_alloc(struct kheap *heap, size_t size)
{
    if (heap == NULL || size == 0) {
        return NULL;
    }
    if (size > KHEAP_MAX_CLASS_SIZE) {
        return kheap_alloc_large(heap, size);
    }

    unsigned int class_index = 0;

    while (((size_t)KHEAP_MIN_CLASS_SIZE << class_index) < size) {
        class_index++;
    }
    return slab_alloc(&heap->classes[class_index]);
}

static int kheap_free_large(struct kheap *heap, void *ptr)
{
    struct kheap_large_header *header =
        (struct kheap_large_header *)((uintptr_t)ptr & ~(uintptr_t)(SLAB_PAGE_SIZE - 1));

    if (ptr != (void *)(header + 1) || header->magic != kheap_large_magic_for(header)) {
        return -EINVAL;
    }
    if (header->size <= KHEAP_MAX_CLASS_SIZE) {
        return -EINVAL;
    }

    size_t npages = kheap_large_page_count(header->size);

    header->magic = 0;
    heap->large_allocations--;
    heap->large_pages -= npages;
    heap->runs.free_pages(heap->runs.ctx, header, npages);
    return 0;
}

int kheap_free(struct kheap *heap, void *ptr)
{
    if (heap == NULL) {
        return -EINVAL;
    }
    if (ptr == NULL) {
        return 0;
    }

    struct slab_cache *cache = slab_cache_of(ptr);

    if (cache == NULL) {
        return kheap_free_large(heap, ptr);
    }
    /* A slab object of some other cache or heap is not ours to free. */
    uintptr_t first = (uintptr_t)&heap->classes[0];
    uintptr_t end = (uintptr_t)&heap->classes[KHEAP_CLASS_COUNT];

    if ((uintptr_t)cache < first || (uintptr_t)cache >= end) {
        return -EINVAL;
    }
    return slab_free(cache, ptr);
}

size_t kheap_pages_cached(const struct kheap *heap)
{
    size_t pages = 0;

    for (unsigned int i = 0; i < KHEAP_CLASS_COUNT; i++)
        pages += heap->classes[i].empty != NULL;
    return pages;
}

size_t kheap_pages_held(const struct kheap *heap)
{
    size_t pages = heap->large_pages;

    for (unsigned int i = 0; i < KHEAP_CLASS_COUNT; i++) {
        pages += slab_cache_slab_count(&heap->classes[i]);
    }
    return pages;
}
