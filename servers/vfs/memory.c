/* vfs memory: pages for file data, index pages and pipe rings, from the page object. */
#include "vfs.h"

#include "kstring.h"

/*
 * Pages come from the page object (state.c), mapped at [VFS_HEAP_START, VFS_HEAP_END) and grown
 * a chunk at a time (memory_object_resize); the kernel gives a frame only when a page is first
 * touched. Freed pages are kept on a stack in the state header: free_head is the top list page,
 * itself a free page that keeps its frame and holds the next list page's address, a count and
 * up to VFS_FREE_LIST_ENTRIES addresses of free pages whose frames went back to the kernel
 * (vm_discard of vfs's mapping, then memory_object_discard of the object's page, so the next
 * touch reads zeros). So vfs holds a frame for one free page in 510, not for the most it ever
 * used. Invariants: every page below header.heap_next is in use, a list page or listed in one;
 * every free page reads zeros except list pages, which are zeroed when handed out.
 */
#define VFS_HEAP_END (VFS_HEAP_START + (4ul << 30)) /* a memory object's largest size */
#define VFS_HEAP_CHUNK (256ul * TMPFS_PAGE_SIZE)

struct vfs_free_list {
    unsigned long next;  /* the list page below, 0 at the bottom */
    unsigned long count; /* entries used */
    unsigned long entries[TMPFS_PAGE_SIZE / sizeof(unsigned long) - 2];
};
#define VFS_FREE_LIST_ENTRIES (sizeof(((struct vfs_free_list *)0)->entries) / sizeof(unsigned long))
_Static_assert(sizeof(struct vfs_free_list) == TMPFS_PAGE_SIZE, "a list page is one page");

void *vfs_page_alloc(void *context)
{
    (void)context;
    struct aramid_vfs_state_header *header = &VFS_STATE->header;
    if (header->free_head != 0) {
        struct vfs_free_list *top = (struct vfs_free_list *)header->free_head;
        header->free_count--;
        if (top->count > 0)
            return (void *)top->entries[--top->count]; /* discarded: reads zeros */
        header->free_head = top->next;
        memset(top, 0, TMPFS_PAGE_SIZE);
        return top;
    }
    unsigned long mapped_end = VFS_HEAP_START + header->heap_bytes;
    if (header->heap_next == mapped_end) {
        if (mapped_end + VFS_HEAP_CHUNK > VFS_HEAP_END)
            return NULL;
        if (sys_memory_object_resize(vfs_state_heap, header->heap_bytes + VFS_HEAP_CHUNK) < 0)
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
    struct vfs_free_list *top = (struct vfs_free_list *)header->free_head;
    header->free_count++;
    if (top == NULL || top->count == VFS_FREE_LIST_ENTRIES) {
        struct vfs_free_list *list = page; /* the new top keeps its frame */
        list->next = header->free_head;
        list->count = 0;
        header->free_head = (unsigned long)page;
        return;
    }
    unsigned long address = (unsigned long)page;
    if (sys_vm_discard(vfs.space, address, TMPFS_PAGE_SIZE) != 0 ||
        sys_memory_object_discard(vfs_state_heap, address - VFS_HEAP_START, TMPFS_PAGE_SIZE) != 0)
        memset(page, 0, TMPFS_PAGE_SIZE); /* its frame stays; it must read zeros all the same */
    top->entries[top->count++] = address;
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
    .window_resize = vfs_window_resize,
};
