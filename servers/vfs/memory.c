/* vfs memory: pages for file data, index pages and pipe rings, from one region of vfs's space. */
#include "vfs.h"

/*
 * Pages come from [VFS_HEAP_START, VFS_HEAP_END), mapped as anonymous demand-zero memory a
 * chunk at a time; the kernel gives a frame only when a page is first touched. A freed page
 * keeps its address on a stack of up to VFS_FREE_KEEP for reuse but gives its frame back
 * (vm_discard: it reads as zero again); beyond that it is unmapped. So what files and pipes
 * free goes back to the system at once, and vfs holds frames only for what is in use. (Restart
 * plan, docs/vfs.md: this region becomes one memory object a supervisor keeps.)
 */
#define VFS_HEAP_START 0x200000000000ul
#define VFS_HEAP_END 0x300000000000ul
#define VFS_HEAP_CHUNK (256ul * TMPFS_PAGE_SIZE)
#define VFS_FREE_KEEP 256

static void *vfs_free_pages[VFS_FREE_KEEP];
static unsigned long vfs_free_count;
static unsigned long vfs_heap_next = VFS_HEAP_START;
static unsigned long vfs_heap_mapped = VFS_HEAP_START;

void *vfs_page_alloc(void *context)
{
    (void)context;
    if (vfs_free_count > 0)
        return vfs_free_pages[--vfs_free_count]; /* discarded: zero until touched */
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
    if (vfs_free_count < VFS_FREE_KEEP &&
        sys_vm_discard(vfs.space, (unsigned long)page, TMPFS_PAGE_SIZE) == 0) {
        vfs_free_pages[vfs_free_count++] = page;
        return;
    }
    /* Its frame goes back to the kernel; the address is not used again. (If even that fails
     * the page stays mapped and is lost to vfs, never handed out twice.) */
    (void)sys_vm_unmap(vfs.space, (unsigned long)page, TMPFS_PAGE_SIZE);
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
