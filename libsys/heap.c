/* Server heap: size classes 2^4..2^16 over 256 KiB mappings, giving freed memory back. Single thread. */
#include <aramid/heap.h>
#include <aramid/sys.h>

#include "kstring.h"

/*
 * Blocks of a page or more (classes 12..16) are carved from 256 KiB chunks, aligned to their
 * size; blocks below a page live in pages of one class each (a small page: a header, then its
 * blocks), and those pages are class-12 blocks themselves. Larger requests are a mapping of
 * their own, unmapped when freed.
 *
 * Giving back (the frames, not the addresses): a small page whose blocks are all free is freed
 * as a page block; a free page block is discarded (vm_discard: its frames go back to the
 * kernel and it reads as zero when reused) and its address kept on a stack of up to
 * HEAP_DISCARD_KEEP per class, beyond which it is unmapped. One empty small page per class and
 * one free page keep their frames (at most 9 pages: ARAMID_HEAP_SPARE_PAGES), so that an
 * object made and freed over and over costs no system call. So a server's heap holds frames only for what is in use, whatever
 * its high-water mark was (a client that made thousands of objects and died).
 */
#define HEAP_CLASS_MIN 4
#define HEAP_CLASS_MAX 16
#define HEAP_CLASS_PAGE 12 /* the first class of whole pages */
#define HEAP_CHUNK (256ul << 10)
#define HEAP_PAGE 0x1000ul
#define HEAP_DISCARD_KEEP 256

struct heap_free {
    struct heap_free *next;
};

/* The start of a small page. Blocks begin at the first multiple of the block size past it. */
struct heap_small_page {
    struct heap_small_page *next; /* on its class's list of pages with a free block */
    struct heap_small_page *prev;
    struct heap_free *free;       /* its freed blocks */
    unsigned short class;
    unsigned short live;          /* blocks handed out and not freed */
    unsigned short carved;        /* blocks taken from the page's untouched end */
    unsigned short capacity;
};

static aramid_handle_t heap_space;
/* Per small class: pages with a free block (never full ones); the empty one kept, if any. */
static struct heap_small_page *heap_partial[HEAP_CLASS_PAGE];
static struct heap_small_page *heap_spare[HEAP_CLASS_PAGE];
/* Per page class: free blocks that keep their frames (at most one after a free), and the
 * addresses of discarded ones. */
static struct heap_free *heap_lists[HEAP_CLASS_MAX + 1];
static void *heap_discarded[HEAP_CLASS_MAX + 1][HEAP_DISCARD_KEEP];
static unsigned heap_discarded_count[HEAP_CLASS_MAX + 1];
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

static size_t heap_small_offset(unsigned class)
{
    size_t size = (size_t)1 << class;
    return size > sizeof(struct heap_small_page) ? size : sizeof(struct heap_small_page);
}

/* A block of a page class (zeroed), or NULL. */
static void *heap_alloc_pages(unsigned class)
{
    size_t size = (size_t)1 << class;
    struct heap_free *block = heap_lists[class];
    if (block != NULL) {
        heap_lists[class] = block->next;
        memset(block, 0, size);
        return block;
    }
    if (heap_discarded_count[class] > 0)
        return heap_discarded[class][--heap_discarded_count[class]]; /* zero until touched */
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
        return heap_alloc_pages(class);
    }
    void *memory = (void *)heap_next;
    heap_next += size;
    return memory; /* fresh mapping memory is zero */
}

static void heap_free_pages(void *memory, unsigned class)
{
    size_t size = (size_t)1 << class;
    struct heap_free *block = memory;
    if (class > HEAP_CLASS_PAGE || heap_lists[class] != NULL) {
        /* One free page keeps its frame (small pages come and go with their objects); every
         * other free block gives its frames back. */
        if (heap_discarded_count[class] < HEAP_DISCARD_KEEP &&
            sys_vm_discard(heap_space, (unsigned long)memory, size) == 0) {
            heap_discarded[class][heap_discarded_count[class]++] = memory;
            return;
        }
        if (sys_vm_unmap(heap_space, (unsigned long)memory, size) == 0)
            return; /* the address is not used again */
    }
    block->next = heap_lists[class];
    heap_lists[class] = block;
}

static void heap_partial_push(struct heap_small_page *page)
{
    page->prev = NULL;
    page->next = heap_partial[page->class];
    if (page->next != NULL)
        page->next->prev = page;
    heap_partial[page->class] = page;
}

static void heap_partial_remove(struct heap_small_page *page)
{
    if (page->prev != NULL)
        page->prev->next = page->next;
    else
        heap_partial[page->class] = page->next;
    if (page->next != NULL)
        page->next->prev = page->prev;
    page->next = page->prev = NULL;
}

static void *heap_alloc_small(unsigned class)
{
    size_t size = (size_t)1 << class;
    struct heap_small_page *page = heap_partial[class];
    if (page == NULL && (page = heap_spare[class]) != NULL) {
        heap_spare[class] = NULL;
        heap_partial_push(page);
    }
    if (page == NULL) {
        page = heap_alloc_pages(HEAP_CLASS_PAGE);
        if (page == NULL)
            return NULL;
        page->class = (unsigned short)class;
        page->capacity = (unsigned short)((HEAP_PAGE - heap_small_offset(class)) / size);
        heap_partial_push(page);
    }
    void *block;
    if (page->free != NULL) {
        block = page->free;
        page->free = page->free->next;
        memset(block, 0, size);
    } else {
        block = (char *)page + heap_small_offset(class) + (size_t)page->carved++ * size;
    }
    if (++page->live == page->capacity)
        heap_partial_remove(page); /* full */
    return block;
}

static void heap_free_small(void *memory)
{
    struct heap_small_page *page = (void *)((unsigned long)memory & ~(HEAP_PAGE - 1));
    struct heap_free *block = memory;
    if (page->live == page->capacity)
        heap_partial_push(page); /* it was full */
    block->next = page->free;
    page->free = block;
    if (--page->live > 0)
        return;
    heap_partial_remove(page);
    if (heap_spare[page->class] == NULL) {
        heap_spare[page->class] = page; /* one empty page per class keeps its frame */
        return;
    }
    heap_free_pages(page, HEAP_CLASS_PAGE);
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
    return class < HEAP_CLASS_PAGE ? heap_alloc_small(class) : heap_alloc_pages(class);
}

void aramid_heap_free(void *memory, size_t bytes)
{
    if (memory == NULL)
        return;
    if (bytes > ((size_t)1 << HEAP_CLASS_MAX)) {
        /* Mapped by itself (aramid_heap_alloc): the guard page after it was never mapped. */
        (void)sys_vm_unmap(heap_space, (unsigned long)memory,
                           (bytes + HEAP_PAGE - 1) & ~(HEAP_PAGE - 1));
        return;
    }
    unsigned class = heap_class(bytes == 0 ? 1 : bytes);
    if (class < HEAP_CLASS_PAGE)
        heap_free_small(memory);
    else
        heap_free_pages(memory, class);
}
