/* Server heap: size classes 2^4..2^16 with LIFO free lists over 256 KiB mappings. Single thread. */
#include <aramid/heap.h>
#include <aramid/sys.h>

#include "kstring.h"

#define HEAP_CLASS_MIN 4
#define HEAP_CLASS_MAX 16
#define HEAP_CHUNK (256ul << 10)

struct heap_free {
    struct heap_free *next;
};

static aramid_handle_t heap_space;
static struct heap_free *heap_lists[HEAP_CLASS_MAX + 1];
/* The current chunk: [heap_next, heap_end) not handed out yet. */
static unsigned long heap_next, heap_end;

void aramid_heap_init(aramid_handle_t space)
{
    heap_space = space;
}

static unsigned heap_class(size_t bytes)
{
    unsigned class = HEAP_CLASS_MIN;
    while (((size_t)1 << class) < bytes)
        class++;
    return class;
}

void *aramid_heap_alloc(size_t bytes)
{
    if (bytes == 0)
        bytes = 1;
    if (bytes > ((size_t)1 << HEAP_CLASS_MAX)) {
        long address = aramid_memory_map(heap_space, bytes, ARAMID_PROT_READ | ARAMID_PROT_WRITE,
                                         0, 0);
        return address < 0 ? NULL : (void *)address;
    }
    unsigned class = heap_class(bytes);
    size_t size = (size_t)1 << class;
    struct heap_free *block = heap_lists[class];
    if (block != NULL) {
        heap_lists[class] = block->next;
        memset(block, 0, size);
        return block;
    }
    if (heap_end - heap_next < size) {
        long address = aramid_memory_map(heap_space, HEAP_CHUNK,
                                         ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
        if (address < 0)
            return NULL;
        heap_next = (unsigned long)address;
        heap_end = heap_next + HEAP_CHUNK;
    }
    /* Blocks are aligned to their size within a chunk (chunks are page aligned). */
    heap_next = (heap_next + size - 1) & ~(size - 1);
    if (heap_end - heap_next < size) {
        heap_next = heap_end; /* alignment used the rest: the next call maps a new chunk */
        return aramid_heap_alloc(bytes);
    }
    void *memory = (void *)heap_next;
    heap_next += size;
    return memory; /* fresh mapping memory is zero */
}

void aramid_heap_free(void *memory, size_t bytes)
{
    if (memory == NULL || bytes > ((size_t)1 << HEAP_CLASS_MAX))
        return;
    unsigned class = heap_class(bytes == 0 ? 1 : bytes);
    struct heap_free *block = memory;
    block->next = heap_lists[class];
    heap_lists[class] = block;
}
