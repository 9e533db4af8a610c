/* vfs memory: pages for file data, index pages and pipe rings, from the page object. */
#include "vfs.h"

#include "kstring.h"

/*
 * Pages come from the page object (state.c), mapped at [VFS_HEAP_START, VFS_HEAP_END) and grown
 * a chunk at a time (memory_object_grow); the kernel gives a frame only when a page is first
 * touched. A freed page goes on the free list kept in the state header (its first word links
 * it) and is zeroed when handed out again. Its frame stays the object's: the object is what a
 * supervisor keeps for a restart, so vfs holds frames for the most it ever used, and reuses
 * them. Invariant: every page below header.heap_next is in use or on the free list.
 */
#define VFS_HEAP_END (VFS_HEAP_START + (4ul << 30)) /* a memory object's largest size */
#define VFS_HEAP_CHUNK (256ul * TMPFS_PAGE_SIZE)

void *vfs_page_alloc(void *context)
{
    (void)context;
    struct aramid_vfs_state_header *header = &VFS_STATE->header;
    if (header->free_head != 0) {
        void *page = (void *)header->free_head;
        header->free_head = *(unsigned long *)page;
        header->free_count--;
        memset(page, 0, TMPFS_PAGE_SIZE);
        return page;
    }
    unsigned long mapped_end = VFS_HEAP_START + header->heap_bytes;
    if (header->heap_next == mapped_end) {
        if (mapped_end + VFS_HEAP_CHUNK > VFS_HEAP_END)
            return NULL;
        if (sys_memory_object_grow(vfs_state_heap, header->heap_bytes + VFS_HEAP_CHUNK) < 0)
            return NULL;
        if (sys_vm_map(vfs.space, mapped_end, VFS_HEAP_CHUNK, ARAMID_PROT_READ | ARAMID_PROT_WRITE,
                       vfs_state_heap, header->heap_bytes) < 0)
            return NULL; /* the object is larger than what is mapped: the next try maps it */
        header->heap_bytes += VFS_HEAP_CHUNK;
    }
    void *page = (void *)header->heap_next;
    header->heap_next += TMPFS_PAGE_SIZE;
    return page;
}

void vfs_page_free(void *context, void *page)
{
    (void)context;
    struct aramid_vfs_state_header *header = &VFS_STATE->header;
    *(unsigned long *)page = header->free_head;
    header->free_head = (unsigned long)page;
    header->free_count++;
}

unsigned long vfs_now(void *context)
{
    (void)context;
    return aramid_clock_realtime_ns();
}

const struct tmpfs_memory vfs_memory = {
    .page_alloc = vfs_page_alloc,
    .page_free = vfs_page_free,
    .now = vfs_now,
    .window_release = vfs_window_release,
};
