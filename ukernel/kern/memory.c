/* Physical memory bring-up: sanitized boot memory map -> buddy frame zone -> kernel heap. */
#include <stdint.h>

#include "console.h"
#include "frame.h"
#include "kerrno.h"
#include "kheap.h"
#include "kstring.h"
#include "layout.h"
#include "memmap.h"
#include "memory.h"
#include "multiboot2.h"
#include "process.h"
#include "slab.h"

#define MEMORY_RANGES_MAX 256
/* The first MiB holds firmware data and real-mode leftovers: never handed out. */
#define LOW_MEMORY_END 0x100000
/* The direct map at PHYS_MAP_BASE may grow to this much physical memory (PML4 entries 256..383);
 * vm_init maps all of the zone, so RAM above it is left out of the zone. */
#define DIRECT_MAP_LIMIT 0x400000000000ull

extern char kernel_image_start[], kernel_image_end[];

struct frame_zone memory_frames;
static struct kheap kernel_heap;
static struct memmap_range usable[MEMORY_RANGES_MAX];
static size_t usable_count;
static uint64_t ignored_bytes; /* usable RAM beyond DIRECT_MAP_LIMIT */
/* RAM above the boot direct map: in the zone but reserved until memory_add_high_memory(). */
static uint64_t pending_high_bytes;

static void reserve(uint64_t base, uint64_t length)
{
    int n = memmap_subtract(usable, usable_count, MEMORY_RANGES_MAX, base, length);
    if (n < 0)
        kernel_panic("memory: cannot reserve %#lx+%#lx (error %d)", base, length, n);
    usable_count = (size_t)n;
}

static unsigned int order_for_pages(size_t npages)
{
    unsigned int order = 0;
    while (((size_t)1 << order) < npages)
        order++;
    return order;
}

static void *heap_alloc_pages(void *ctx, size_t npages)
{
    (void)ctx;
    uint64_t phys;
    unsigned int order = order_for_pages(npages);
    if (order > FRAME_MAX_ORDER || frame_alloc(&memory_frames, order, &phys) != 0)
        return NULL;
    return phys_to_virt(phys);
}

static void heap_free_pages(void *ctx, void *pages, size_t npages)
{
    (void)ctx;
    uint64_t phys = (uint64_t)pages - PHYS_MAP_BASE;
    if (frame_free(&memory_frames, phys, order_for_pages(npages)) != 0)
        kernel_panic("memory: heap returned a bad page run %p", pages);
}

static void *heap_alloc_page(void *ctx)
{
    return heap_alloc_pages(ctx, 1);
}

static void heap_free_page(void *ctx, void *page)
{
    heap_free_pages(ctx, page, 1);
}

const struct page_source memory_page_source = { heap_alloc_page, heap_free_page, NULL };

/* The frame descriptors live in the first usable range big enough inside the boot direct map
 * (the only memory reachable before vm_init), taken out of the map. */
static void *carve_metadata(size_t bytes)
{
    for (size_t i = 0; i < usable_count; i++) {
        if (usable[i].end - usable[i].base >= bytes &&
            usable[i].base + bytes <= BOOT_PHYS_MAP_SIZE) {
            uint64_t base = usable[i].base;
            reserve(base, bytes);
            return phys_to_virt(base);
        }
    }
    kernel_panic("memory: no room for %zu bytes of frame descriptors", bytes);
}

void memory_init(const struct boot_info *boot)
{
    int n = memmap_sanitize(boot->memory, boot->memory_count, usable, MEMORY_RANGES_MAX);
    if (n < 0 && n != -ENOSPC) /* on -ENOSPC the lowest ranges are kept */
        kernel_panic("memory: bad memory map (error %d)", n);
    usable_count = n < 0 ? MEMORY_RANGES_MAX : (size_t)n;

    reserve(0, LOW_MEMORY_END);
    reserve(kernel_virt_to_phys(kernel_image_start),
            (uint64_t)(kernel_image_end - kernel_image_start));
    reserve(boot->info_phys, boot->info_size); /* strings in boot point into it */
    for (size_t i = 0; i < boot->module_count; i++)
        reserve(boot->modules[i].start, boot->modules[i].end - boot->modules[i].start);
    uint64_t before = memmap_total_bytes(usable, usable_count);
    reserve(DIRECT_MAP_LIMIT, UINT64_MAX - DIRECT_MAP_LIMIT);
    ignored_bytes = before - memmap_total_bytes(usable, usable_count);
    if (usable_count == 0 || usable[0].base >= BOOT_PHYS_MAP_SIZE)
        kernel_panic("memory: no usable memory below %#lx", (uint64_t)BOOT_PHYS_MAP_SIZE);

    /* The zone covers all RAM, but only what the boot direct map reaches is freed now: every
     * frame handed out before vm_init must be reachable at PHYS_MAP_BASE. */
    uint64_t top = usable[usable_count - 1].end;
    size_t nframes = (size_t)(top / FRAME_SIZE);
    void *metadata = carve_metadata(frame_zone_metadata_size(nframes));
    if (frame_zone_init(&memory_frames, 0, nframes, metadata) != 0)
        kernel_panic("memory: frame zone init failed");
    for (size_t i = 0; i < usable_count; i++) {
        uint64_t low_end = usable[i].end < BOOT_PHYS_MAP_SIZE ? usable[i].end : BOOT_PHYS_MAP_SIZE;
        if (usable[i].base < low_end &&
            frame_zone_add_free_range(&memory_frames, usable[i].base, low_end) != 0)
            kernel_panic("memory: bad free range %#lx-%#lx", usable[i].base, low_end);
        if (usable[i].end > BOOT_PHYS_MAP_SIZE)
            pending_high_bytes += usable[i].end - (usable[i].base > BOOT_PHYS_MAP_SIZE
                                                       ? usable[i].base
                                                       : BOOT_PHYS_MAP_SIZE);
    }

    /* The reserve: 1/32 of memory, 256 to 4,096 frames (1 to 16 MiB), for system processes. */
    size_t reserve = (size_t)(memmap_total_bytes(usable, usable_count) / FRAME_SIZE / 32);
    memory_frames.reserve = reserve < 256 ? 256 : reserve > 4096 ? 4096 : reserve;
    memory_frames.may_use_reserve = process_current_may_use_reserve;

    static const struct page_run_source runs = { heap_alloc_pages, heap_free_pages, NULL };
    if (kheap_init(&kernel_heap, &memory_page_source, &runs) != 0)
        kernel_panic("memory: kernel heap init failed");
}

void memory_print_summary(void)
{
    size_t free_frames = frame_free_count(&memory_frames);
    size_t used_frames = frame_used_count(&memory_frames);
    kprintf("memory: %lu KiB usable in %zu ranges, %zu frames free, %zu used",
            memmap_total_bytes(usable, usable_count) / 1024, usable_count, free_frames, used_frames);
    if (pending_high_bytes)
        kprintf(", %lu KiB above 4 GiB added once mapped", pending_high_bytes / 1024);
    if (ignored_bytes)
        kprintf(", %lu KiB above the direct map limit ignored", ignored_bytes / 1024);
    kprintf("\n");
}

uint64_t memory_add_high_memory(void)
{
    uint64_t added = pending_high_bytes;

    for (size_t i = 0; i < usable_count && pending_high_bytes; i++) {
        if (usable[i].end <= BOOT_PHYS_MAP_SIZE)
            continue;
        uint64_t base = usable[i].base > BOOT_PHYS_MAP_SIZE ? usable[i].base : BOOT_PHYS_MAP_SIZE;
        if (frame_zone_add_free_range(&memory_frames, base, usable[i].end) != 0)
            kernel_panic("memory: bad free range %#lx-%#lx", base, usable[i].end);
    }
    pending_high_bytes = 0;
    return added;
}

void *kmalloc(size_t size)
{
    return kheap_alloc(&kernel_heap, size);
}

size_t memory_heap_pages(void)
{
    return kheap_pages_held(&kernel_heap);
}

size_t memory_heap_cached_pages(void)
{
    return kheap_pages_cached(&kernel_heap);
}

void kfree(void *pointer)
{
    if (kheap_free(&kernel_heap, pointer) != 0)
        kernel_panic("kfree: %p was not allocated by kmalloc", pointer);
}
