/* posix-shim memory mappings: anonymous mmap, munmap, mprotect and msync over vm_map and memory
 * objects. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>

#include "fd.h"
#include "ipc_client.h"
#include "vfs.h"
#include "shim.h"

_Static_assert(PROT_READ == ARAMID_PROT_READ && PROT_WRITE == ARAMID_PROT_WRITE &&
                   PROT_EXEC == ARAMID_PROT_EXEC,
               "prot bits go to vm_map unchanged");

#define MMAN_PROT_ALL (PROT_READ | PROT_WRITE | PROT_EXEC)
#define MMAN_FLAGS_KNOWN (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_NORESERVE)

/* A page-aligned, non-empty range inside the user half. */
static int mman_range_valid(uintptr_t address, size_t length)
{
    return length > 0 && (address & (SHIM_PAGE_SIZE - 1)) == 0 &&
           length <= ARAMID_USER_TOP - ARAMID_USER_BASE && address >= ARAMID_USER_BASE &&
           address <= ARAMID_USER_TOP - SHIM_PAGE_ROUND_UP(length);
}

/* Below this a mapping is never checked against RAM: no system call on the common path. */
#define MMAN_ALWAYS_FITS (16ul << 20)

/* Linux's default overcommit heuristic: a private writable mapping larger than all of RAM
 * cannot ever be backed, so it is refused with ENOMEM at once (MAP_NORESERVE skips it). */
static int mman_exceeds_memory(size_t length, int prot, int flags)
{
    struct aramid_memory_stats memory;
    if (length <= MMAN_ALWAYS_FITS || !(prot & PROT_WRITE) ||
        (flags & (MAP_SHARED | MAP_NORESERVE)) ||
        sys_kernel_stats(ARAMID_STATS_MEMORY, &memory, sizeof(memory)) < 0)
        return 0;
    return length / SHIM_PAGE_SIZE > memory.free_frames + memory.used_frames;
}

/* Held (with handlers held off) by MAP_FIXED's unmap and map, and by msync's probes: a probe
 * must not fill the hole a MAP_FIXED of another thread just made. */
static pthread_mutex_t mman_fixed_lock = PTHREAD_MUTEX_INITIALIZER;

long mman_map_object(uintptr_t address, size_t pages, int prot, int flags,
                     aramid_handle_t object, unsigned long offset)
{
    if (!(flags & MAP_FIXED))
        return aramid_memory_map(shim_self_space, pages, (unsigned long)prot, object, offset);
    /* MAP_FIXED replaces whatever was there, as on Linux. */
    unsigned long saved = signal_hold();
    pthread_mutex_lock(&mman_fixed_lock);
    long result = sys_vm_unmap(shim_self_space, address, pages);
    if (result >= 0)
        result = sys_vm_map(shim_self_space, address, pages, (unsigned long)prot, object, offset);
    pthread_mutex_unlock(&mman_fixed_lock);
    signal_release(saved);
    return result >= 0 ? (long)address : result;
}

static long mman_map(uintptr_t address, size_t length, int prot, int flags, int fd)
{
    int sharing = flags & (MAP_SHARED | MAP_PRIVATE);
    if (length == 0 || (flags & ~MMAN_FLAGS_KNOWN) || (prot & ~MMAN_PROT_ALL) ||
        (sharing != MAP_SHARED && sharing != MAP_PRIVATE))
        return -EINVAL;
    if (!(flags & MAP_ANONYMOUS))
        return fd_lookup(fd) == NULL ? -EBADF : -ENODEV;
    if (length > ARAMID_MEMORY_END - ARAMID_MEMORY_START || mman_exceeds_memory(length, prot, flags))
        return -ENOMEM;
    size_t pages = SHIM_PAGE_ROUND_UP(length);
    if ((flags & MAP_FIXED) && !mman_range_valid(address, pages))
        return -EINVAL;

    /* Shared memory is a memory object, so a future fork keeps it shared; the mapping holds
     * its own reference, so the handle is closed right after. */
    aramid_handle_t object = 0;
    if (sharing == MAP_SHARED) {
        object = sys_memory_object_create(pages);
        if (object < 0)
            return shim_error_from_sys(object);
    }
    long result = mman_map_object(address, pages, prot, flags, object, 0);
    if (object > 0) {
        long closed = sys_handle_close(object);
        if (result >= 0 && closed < 0)
            result = closed;
    }
    return shim_error_from_sys(result);
}

/* mmap of a vfs file: vfs grants the memory object that holds the file's data (map), and that
 * is mapped. MAP_SHARED: stores are what read sees and writes what the mapping sees, in every
 * process. MAP_PRIVATE (ARAMID_MAP_PRIVATE): the file's pages until the mapping writes them,
 * then copies of its own, as Linux; vfs is asked for a read-only grant (a private write needs
 * no write access). Both are mapped past the object's end, which vfs keeps at the file's: a
 * touch of a page wholly past the file's end is SIGBUS, as on Linux, also after a truncate.
 * The mapping keeps the object; the handle is closed at once. */
static long mman_map_vfs_file(struct fd_file *file, uintptr_t address, size_t length, int prot,
                              int flags, off_t offset)
{
    size_t pages = SHIM_PAGE_ROUND_UP(length);
    if ((flags & MAP_FIXED) && !mman_range_valid(address, pages))
        return -EINVAL;
    bool private = (flags & MAP_PRIVATE) != 0;
    aramid_handle_t object;
    long result = aramid_vfs_map(file->handle, (unsigned long)offset, pages,
                                 (unsigned long)(private ? prot & ~PROT_WRITE : prot), &object);
    if (result < 0)
        return shim_error_from_sys(result);
    result = mman_map_object(address, pages,
                             prot | ARAMID_MAP_PAST_END | (private ? ARAMID_MAP_PRIVATE : 0), flags,
                             object, (unsigned long)offset);
    (void)sys_handle_close(object);
    return shim_error_from_sys(result);
}

/* mmap of a descriptor: a vfs file (above) or a POSIX shared memory descriptor (shm.c). */
static long mman_map_file(uintptr_t address, size_t length, int prot, int flags, int fd,
                          off_t offset)
{
    struct fd_file *file = fd_lookup(fd);
    /* Linux: past the largest file offset (a negative one) before the kind and access mode. */
    if (file != NULL && offset < 0)
        return -EOVERFLOW;
    if (file != NULL && file->backend == &shm_backend) {
        if ((flags & MAP_FIXED) && !mman_range_valid(address, SHIM_PAGE_ROUND_UP(length)))
            return -EINVAL;
        return shm_map_file(file, address, length, prot, flags, offset);
    }
    if (file == NULL)
        return -EBADF;
    if (file->backend != &vfs_backend || file->index != ARAMID_VFS_KIND_FILE)
        return -ENODEV;
    /* Linux: the descriptor must be readable, and writable for a shared writable mapping. */
    int access = file->status_flags & O_ACCMODE;
    if (access == O_WRONLY || ((flags & MAP_SHARED) && (prot & PROT_WRITE) && access != O_RDWR))
        return -EACCES;
    return mman_map_vfs_file(file, address, length, prot, flags, offset);
}

void *mmap(void *address, size_t length, int prot, int flags, int fd, off_t offset)
{
    /* Anonymous mappings ignore the offset, but as on Linux it must be page-aligned. */
    long result = offset & (off_t)(SHIM_PAGE_SIZE - 1) ? -EINVAL
                  : (flags & MAP_ANONYMOUS) || length == 0
                      ? mman_map((uintptr_t)address, length, prot, flags, fd)
                      : mman_map_file((uintptr_t)address, length, prot, flags, fd, offset);
    if (result < 0) {
        errno = (int)-result;
        return MAP_FAILED;
    }
    return (void *)result;
}

int munmap(void *address, size_t length)
{
    if (!mman_range_valid((uintptr_t)address, length))
        return (int)shim_return(-EINVAL);
    long result = sys_vm_unmap(shim_self_space, (uintptr_t)address, SHIM_PAGE_ROUND_UP(length));
    return (int)shim_return(shim_error_from_sys(result));
}

int mprotect(void *address, size_t length, int prot)
{
    if (!mman_range_valid((uintptr_t)address, length) || (prot & ~MMAN_PROT_ALL))
        return (int)shim_return(-EINVAL);
    long result = sys_vm_protect(shim_self_space, (uintptr_t)address, SHIM_PAGE_ROUND_UP(length),
                                 (unsigned long)prot);
    return (int)shim_return(shim_error_from_sys(result));
}

/*
 * Whether [address, address + length) (page-aligned, length > 0) is mapped without a hole. The
 * kernel has no query for it, so a range is asked by mapping PROT_NONE memory there: vm_map
 * refuses (-EINVAL) a range that overlaps a mapping and never replaces one; a probe that maps
 * found a hole and goes again at once. The whole range is tried first (one call when all of it
 * is a hole), then page by page. Under mman_fixed_lock.
 */
static bool mman_page_probe(uintptr_t address, size_t length)
{
    if (sys_vm_map(shim_self_space, address, length, ARAMID_PROT_NONE, 0, 0) != 0)
        return true; /* something is there */
    (void)sys_vm_unmap(shim_self_space, address, length);
    return false;
}

static bool mman_range_mapped(uintptr_t address, size_t length)
{
    unsigned long saved = signal_hold();
    pthread_mutex_lock(&mman_fixed_lock);
    bool mapped = mman_page_probe(address, length);
    for (uintptr_t page = address; mapped && length > SHIM_PAGE_SIZE && page < address + length;
         page += SHIM_PAGE_SIZE)
        mapped = mman_page_probe(page, SHIM_PAGE_SIZE);
    pthread_mutex_unlock(&mman_fixed_lock);
    signal_release(saved);
    return mapped;
}

/* Every mapping is memory the kernel keeps coherent (anonymous, memory objects shared with
 * their other mappers): nothing is written back or thrown away, so msync only checks, with
 * Linux's errors in Linux's order. A cancellation point. */
int msync(void *address, size_t length, int flags)
{
    shim_cancel_point();
    uintptr_t start = (uintptr_t)address;
    if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) || (start & (SHIM_PAGE_SIZE - 1)) ||
        ((flags & MS_ASYNC) && (flags & MS_SYNC)))
        return (int)shim_return(-EINVAL);
    size_t pages = SHIM_PAGE_ROUND_UP(length); /* wraps to 0 near SIZE_MAX, as Linux's */
    if (start + pages < start)
        return (int)shim_return(-ENOMEM);
    if (pages == 0)
        return 0;
    if (!mman_range_valid(start, pages) || !mman_range_mapped(start, pages))
        return (int)shim_return(-ENOMEM);
    return 0;
}
