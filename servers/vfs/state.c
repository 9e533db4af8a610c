/* vfs state: its tables and its pages in memory objects at fixed addresses, kept by init. */
#include "vfs.h"

/*
 * Step 1 and 2 of the restart plan (docs/vfs.md). The state object holds struct vfs_state (the
 * header, then every table: tmpfs, mounts, descriptions, locks, pipes, sessions, handoffs);
 * the page object holds every page memory.c hands out. Both are mapped at fixed addresses, so
 * the pointers inside them (index pages, pipe pages, the namespace's tables) are valid in any
 * instance that maps them there: no offsets to convert. vfs keeps its handles (it grows the
 * page object) and grants duplicates to the supervisor, which keeps them for a new instance.
 */
#define VFS_HEAP_FIRST (256ul * TMPFS_PAGE_SIZE) /* the page object's first size */
#define VFS_STATE_RIGHTS                                                                           \
    (ARAMID_RIGHT_READ | ARAMID_RIGHT_WRITE | ARAMID_RIGHT_MAP | ARAMID_RIGHT_GRANT |              \
     ARAMID_RIGHT_DUPLICATE)

aramid_handle_t vfs_state_heap;
static aramid_handle_t vfs_state_object;

_Static_assert(sizeof(struct aramid_vfs_state_header) <= TMPFS_PAGE_SIZE,
               "the header fits the first page");

/* Grants a duplicate of object to supervisor with label: 0 or -errno. */
static long vfs_state_hand(aramid_handle_t supervisor, unsigned label, aramid_handle_t object)
{
    long copy = sys_handle_duplicate(object, VFS_STATE_RIGHTS);
    if (copy < 0)
        return copy;
    struct aramid_message message = {.info = ARAMID_IPC_INFO(label, 0) | ARAMID_IPC_GRANT};
    message.words[5] = (unsigned long)copy;
    long result = aramid_ipc_call(supervisor, &message);
    if (result < 0) { /* not moved: it is still ours */
        (void)sys_handle_close(copy);
        return result;
    }
    return (long)message.words[0];
}

long vfs_state_start(aramid_handle_t space, aramid_handle_t supervisor)
{
    size_t bytes = (sizeof(struct vfs_state) + TMPFS_PAGE_SIZE - 1) & ~(TMPFS_PAGE_SIZE - 1);
    long object = sys_memory_object_create(bytes);
    if (object < 0)
        return object;
    vfs_state_object = object;
    long result = sys_vm_map(space, VFS_STATE_ADDRESS, bytes, ARAMID_PROT_READ | ARAMID_PROT_WRITE,
                             object, 0);
    if (result < 0)
        return result;
    long heap = sys_memory_object_create(VFS_HEAP_FIRST);
    if (heap < 0)
        return heap;
    vfs_state_heap = heap;
    struct aramid_vfs_state_header *header = &VFS_STATE->header;
    /* A new object: this is the first instance (a restart would find the version set). */
    if (header->version != 0)
        return -ARAMID_EINVAL;
    *header = (struct aramid_vfs_state_header){
        .version = ARAMID_VFS_STATE_VERSION,
        .generation = 1,
        .state_bytes = bytes,
        .heap_next = VFS_HEAP_START,
    };
    if (supervisor <= 0)
        return 0;
    result = vfs_state_hand(supervisor, ARAMID_VFS_KEEP_STATE, object);
    if (result == 0)
        result = vfs_state_hand(supervisor, ARAMID_VFS_KEEP_PAGES, heap);
    (void)sys_handle_close(supervisor); /* one hand-over per instance */
    if (result < 0)                     /* vfs serves on; only a restart would miss them */
        aramid_printf("vfs: state not handed to the supervisor (%ld)\n", result);
    return 0;
}
