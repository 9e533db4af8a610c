/* vfs memory: pages for file data, index pages and pipe rings, from one region of vfs's space. */
#include "vfs.h"

#include "kstring.h"

/*
 * Pages come from [VFS_HEAP_START, VFS_HEAP_END), mapped as anonymous demand-zero memory a
 * chunk at a time; the kernel gives a frame only when a page is first touched. Freed pages go
 * on a free list threaded through them (zeroed again when taken); beyond VFS_FREE_KEEP of them
 * the page is unmapped, so deleting large files gives memory back to the system. (Restart plan,
 * docs/vfs.md: this region becomes one memory object a supervisor keeps.)
 */
#define VFS_HEAP_START 0x200000000000ul
#define VFS_HEAP_END 0x300000000000ul
#define VFS_HEAP_CHUNK (256ul * TMPFS_PAGE_SIZE)
#define VFS_FREE_KEEP 256

struct vfs_free_page {
    struct vfs_free_page *next;
};

static struct vfs_free_page *vfs_free_list;
static unsigned long vfs_free_count;
static unsigned long vfs_heap_next = VFS_HEAP_START;
static unsigned long vfs_heap_mapped = VFS_HEAP_START;

void *vfs_page_alloc(void *context)
{
    (void)context;
    if (vfs_free_list != NULL) {
        struct vfs_free_page *page = vfs_free_list;
        vfs_free_list = page->next;
        vfs_free_count--;
        memset(page, 0, TMPFS_PAGE_SIZE);
        return page;
    }
    if (vfs_heap_next == vfs_heap_mapped) {
        if (vfs_heap_mapped + VFS_HEAP_CHUNK > VFS_HEAP_END)
            return NULL;
        if (sys_vm_map(vfs.space, vfs_heap_mapped, VFS_HEAP_CHUNK,
                       ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0) < 0)
            return NULL;
        vfs_heap_mapped += VFS_HEAP_CHUNK;
    }
    void *page = (void *)vfs_heap_next;
    vfs_heap_next += TMPFS_PAGE_SIZE;
    return page;
}

void vfs_page_free(void *context, void *page)
{
    (void)context;
    if (vfs_free_count >= VFS_FREE_KEEP &&
        sys_vm_unmap(vfs.space, (unsigned long)page, TMPFS_PAGE_SIZE) == 0)
        return; /* its frame goes back to the kernel; the address is not used again */
    struct vfs_free_page *free = page;
    free->next = vfs_free_list;
    vfs_free_list = free;
    vfs_free_count++;
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
