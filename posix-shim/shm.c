/* posix-shim POSIX shared memory: shm_open/shm_unlink descriptors over the ipc server's objects,
 * sized by ftruncate, mapped by mmap (memory objects, so MAP_SHARED is shared across processes). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipc_client.h"
#include "pthread_internal.h"
#include "shim.h"
#include "vfs.h"

void *ipc_client_buffer(void)
{
    struct shim_thread *self = shim_thread_self();
    if (self->ipc_buffer == NULL || self->ipc_buffer_owner != self->id) {
        self->ipc_buffer = (void *)sys_ipc_buffer();
        self->ipc_buffer_owner = self->id;
    }
    return self->ipc_buffer;
}

long shm_name_prepare(const char *name, const char *prefix, char *out)
{
    long result = shim_check_string(name);
    if (result < 0)
        return result;
    while (*name == '/')
        name++;
    size_t length = strlen(name), prefix_length = strlen(prefix);
    if (length == 0 || strchr(name, '/') != NULL)
        return -EINVAL;
    if (length + prefix_length > ARAMID_IPCS_NAME_MAX)
        return -ENAMETOOLONG;
    memcpy(out, prefix, prefix_length);
    memcpy(out + prefix_length, name, length + 1);
    return (long)(length + prefix_length);
}

/* Puts the prepared name in the IPC buffer: the bytes to send. */
static size_t shm_name_send(const char *name)
{
    size_t bytes = strlen(name) + 1;
    memcpy((void *)sys_ipc_buffer(), name, bytes);
    return bytes;
}

long shm_object_open(const char *name, int linux_flags, mode_t mode, long initial,
                     aramid_handle_t *handle, unsigned long *id)
{
    if (aramid_proc_self.ipc <= 0)
        return -ENOSYS;
    struct aramid_ipcs_shm_open_request request = {
        .flags = linux_flags, .mode = (long)(mode & ~umask_current() & 07777), .initial = initial};
    struct aramid_ipcs_shm_open_reply reply;
    long result = aramid_ipcs_call_shm_open(aramid_proc_self.ipc, &request, shm_name_send(name), 0,
                                            &reply, handle);
    if (result < 0)
        return shim_error_from_sys(result);
    *id = (unsigned long)reply.id;
    return 0;
}

long shm_object_unlink(const char *name)
{
    if (aramid_proc_self.ipc <= 0)
        return -ENOSYS;
    struct aramid_ipcs_shm_unlink_request request;
    struct aramid_ipcs_shm_unlink_reply reply;
    return shim_error_from_sys(aramid_ipcs_call_shm_unlink(aramid_proc_self.ipc, &request,
                                                           shm_name_send(name), 0, &reply, NULL));
}

void shm_object_close(aramid_handle_t handle)
{
    struct aramid_ipcs_close_request request;
    struct aramid_ipcs_close_reply reply;
    (void)aramid_ipcs_call_close(handle, &request, 0, 0, &reply, NULL);
    (void)sys_handle_close(handle);
}

long shm_object_map(aramid_handle_t handle, uintptr_t address, size_t length, int prot,
                    int flags, off_t offset)
{
    struct aramid_ipcs_shm_map_request request;
    struct aramid_ipcs_shm_map_reply reply;
    aramid_handle_t memory = 0;
    long result = aramid_ipcs_call_shm_map(handle, &request, 0, 0, &reply, &memory);
    if (result == -ARAMID_ENOSPC) {
        /* Size 0 and no memory yet: a page of this process's (charged to it). */
        long page = sys_memory_object_create(SHIM_PAGE_SIZE);
        result = page < 0 ? page
                          : aramid_ipcs_call_shm_map(handle, &request, 0, page, &reply, &memory);
    }
    result = shim_error_from_sys(result);
    if (result < 0)
        return result;
    size_t pages = SHIM_PAGE_ROUND_UP(length);
    if (offset < 0) {
        (void)sys_handle_close(memory);
        return -EINVAL;
    }
    /* As Linux: the mapping may run past the end; a touch there is SIGBUS, until the object
     * grows over it (ftruncate grows the memory every mapping shares), and a page past a
     * shrink is SIGBUS again. MAP_PRIVATE: the object's pages until this mapping writes them,
     * then copies of its own (ARAMID_MAP_PRIVATE: no write right needed). */
    result = mman_map_object(
        address, pages, prot | ARAMID_MAP_PAST_END | (flags & MAP_PRIVATE ? ARAMID_MAP_PRIVATE : 0),
        flags, memory, (unsigned long)offset);
    (void)sys_handle_close(memory); /* the mapping keeps the memory */
    return shim_error_from_sys(result);
}

long shm_map_file(struct fd_file *file, uintptr_t address, size_t length, int prot, int flags,
                  off_t offset)
{
    /* Linux: the descriptor must be readable, and writable for a shared writable mapping. */
    int access = file->status_flags & O_ACCMODE;
    if (access == O_WRONLY || ((flags & MAP_SHARED) && (prot & PROT_WRITE) && access != O_RDWR))
        return -EACCES;
    return shm_object_map(file->handle, address, length, prot, flags, offset);
}

long shm_truncate(struct fd_file *file, off_t length)
{
    if ((file->status_flags & O_ACCMODE) == O_RDONLY || length < 0)
        return -EINVAL;
    struct aramid_ipcs_shm_truncate_request request = {.length = (long)length};
    struct aramid_ipcs_shm_truncate_reply reply;
    long result = aramid_ipcs_call_shm_truncate(file->handle, &request, 0, 0, &reply, NULL);
    if (result != -ARAMID_ENOSPC)
        return shim_error_from_sys(result);
    /* It grows past its memory: this process's memory (charged to it) takes its place. */
    long memory = sys_memory_object_create(SHIM_PAGE_ROUND_UP((size_t)length));
    if (memory < 0)
        return shim_error_from_sys(memory);
    return shim_error_from_sys(
        aramid_ipcs_call_shm_truncate(file->handle, &request, 0, memory, &reply, NULL));
}

static long shm_stat(struct fd_file *file, struct stat *status)
{
    struct aramid_ipcs_shm_stat_request request;
    struct aramid_ipcs_shm_stat_reply reply;
    long result = aramid_ipcs_call_shm_stat(file->handle, &request, 0, 0, &reply, NULL);
    if (result < 0)
        return shim_error_from_sys(result);
    status->st_mode = S_IFREG | (mode_t)reply.mode;
    status->st_size = reply.size;
    status->st_nlink = 1;
    status->st_blksize = SHIM_PAGE_SIZE;
    status->st_blocks = (reply.size + 511) / 512;
    status->st_ino = (ino_t)file->index;
    return 0;
}

/*
 * The description's offset: file->offset while this process alone has it (dup shares the
 * struct), then, from the first fork on, a word in a page of shared memory (file->data) that
 * the parent and its children map at the same address (fork keeps memory-object mappings
 * shared), so read, write and lseek in either move the one offset, as Linux's open file
 * description. Invariant: file->data is NULL or that page.
 */
static off_t *shm_offset(struct fd_file *file)
{
    return file->data != NULL ? (off_t *)file->data : &file->offset;
}

long shm_fork_prepare(void)
{
    for (int fd = 0; fd < fd_table_end(); fd++) {
        struct fd_file *file = fd_lookup(fd);
        if (file == NULL || file->backend != &shm_backend || file->data != NULL)
            continue;
        long object = sys_memory_object_create(SHIM_PAGE_SIZE);
        if (object < 0)
            return shim_error_from_sys(object);
        long page = aramid_memory_map(shim_self_space, SHIM_PAGE_SIZE,
                                      ARAMID_PROT_READ | ARAMID_PROT_WRITE, object, 0);
        (void)sys_handle_close(object); /* the mapping keeps the memory */
        if (page < 0)
            return shim_error_from_sys(page);
        *(off_t *)page = file->offset;
        file->data = (const void *)page;
    }
    return 0;
}

static void shm_release(struct fd_file *file)
{
    if (file->data != NULL)
        (void)sys_vm_unmap(shim_self_space, (unsigned long)file->data, SHIM_PAGE_SIZE);
    shm_object_close(file->handle);
}

/* pread on the object: chunks of one IPC buffer through the server (Linux's tmpfs read). */
static long shm_read_at(struct fd_file *file, void *buffer, size_t length, off_t offset)
{
    size_t done = 0;
    while (done < length) {
        size_t chunk = length - done < ARAMID_IPC_BUFFER_SIZE ? length - done
                                                                : ARAMID_IPC_BUFFER_SIZE;
        struct aramid_ipcs_shm_read_request request = {.offset = (long)(offset + (off_t)done),
                                                       .length = (long)chunk};
        struct aramid_ipcs_shm_read_reply reply;
        long got = shim_error_from_sys(
            aramid_ipcs_call_shm_read(file->handle, &request, 0, 0, &reply, NULL));
        if (got > 0 && (size_t)got <= chunk)
            got = shim_copy_out((char *)buffer + done, ipc_client_buffer(), (size_t)got) < 0
                      ? -EFAULT
                      : got;
        if (got < 0)
            return done > 0 ? (long)done : got;
        done += (size_t)got;
        if ((size_t)got < chunk)
            break; /* the end of the object */
    }
    return (long)done;
}

/* One chunk of a pwrite; past the object's memory, memory of this process's (charged to it)
 * takes its place, half as large again as needed so that appending stays linear. */
static long shm_write_chunk(struct fd_file *file, off_t offset, size_t chunk)
{
    struct aramid_ipcs_shm_write_request request = {.offset = (long)offset,
                                                    .length = (long)chunk};
    struct aramid_ipcs_shm_write_reply reply;
    long result = aramid_ipcs_call_shm_write(file->handle, &request, chunk, 0, &reply, NULL);
    if (result != -ARAMID_ENOSPC)
        return shim_error_from_sys(result);
    size_t end = (size_t)offset + chunk;
    size_t capacity = SHIM_PAGE_ROUND_UP(end + end / 2);
    long memory = sys_memory_object_create(capacity);
    if (memory < 0)
        return shim_error_from_sys(memory);
    request.capacity = (long)capacity;
    /* The chunk is still in the IPC buffer: the refusal carried no bytes back. */
    return shim_error_from_sys(
        aramid_ipcs_call_shm_write(file->handle, &request, chunk, memory, &reply, NULL));
}

static long shm_write_at(struct fd_file *file, const void *buffer, size_t length, off_t offset)
{
    size_t done = 0;
    while (done < length) {
        size_t chunk = length - done < ARAMID_IPC_BUFFER_SIZE ? length - done
                                                                : ARAMID_IPC_BUFFER_SIZE;
        long result = shim_copy_in(ipc_client_buffer(), (const char *)buffer + done, chunk);
        if (result >= 0)
            result = shm_write_chunk(file, offset + (off_t)done, chunk);
        if (result < 0)
            return done > 0 ? (long)done : result;
        done += chunk;
    }
    return (long)done;
}

/* The description's offset (shm_offset): shared by dup and fork. */
static long shm_read(struct fd_file *file, void *buffer, size_t length)
{
    off_t *offset = shm_offset(file);
    long result = shm_read_at(file, buffer, length, *offset);
    if (result > 0)
        *offset += result;
    return result;
}

static long shm_write(struct fd_file *file, const void *buffer, size_t length)
{
    off_t *offset = shm_offset(file);
    long result = shm_write_at(file, buffer, length, *offset);
    if (result > 0)
        *offset += result;
    return result;
}

static long shm_seek(struct fd_file *file, off_t offset, int whence)
{
    off_t base = 0;
    if (whence == SEEK_CUR) {
        base = *shm_offset(file);
    } else if (whence == SEEK_END) {
        struct stat status;
        long result = shm_stat(file, &status);
        if (result < 0)
            return result;
        base = status.st_size;
    } else if (whence != SEEK_SET) {
        return -EINVAL;
    }
    off_t target;
    if (__builtin_add_overflow(base, offset, &target))
        return -EOVERFLOW;
    if (target < 0)
        return -EINVAL;
    *shm_offset(file) = target;
    return (long)target;
}

/* Linux's tmpfs: read, write, pread, pwrite and lseek work on a shm descriptor. */
const struct fd_backend shm_backend = {
    .name = "shm",
    .read = shm_read,
    .write = shm_write,
    .read_at = shm_read_at,
    .write_at = shm_write_at,
    .seek = shm_seek,
    .stat = shm_stat,
    .release = shm_release,
};

/* Inlined into shm_open: its open-close loop is a benchmark (shm_open_close). */
static inline __attribute__((always_inline)) long
shm_descriptor_make(const char *name, int flags, mode_t mode, int close_on_exec)
{
    aramid_handle_t handle = 0;
    unsigned long id = 0;
    int linux_flags = vfs_flags_to_linux(flags & (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC));
    long result = shm_object_open(name, linux_flags, mode, -1, &handle, &id);
    if (result < 0)
        return result;
    struct fd_file *file = fd_file_create(&shm_backend, flags & O_ACCMODE);
    if (file == NULL) {
        shm_object_close(handle);
        return -ENFILE;
    }
    file->handle = handle;
    file->index = id;
    int descriptor = fd_install(file, 0, close_on_exec);
    fd_file_put(file);
    return descriptor;
}

long shm_descriptor_open(const char *name, int flags, mode_t mode, int close_on_exec)
{
    return shm_descriptor_make(name, flags, mode, close_on_exec);
}

int shm_open(const char *name, int flags, mode_t mode)
{
    char prepared[ARAMID_IPCS_NAME_MAX + 1];
    long result = shm_name_prepare(name, "", prepared);
    if (result >= 0) /* shm_open sets FD_CLOEXEC, as glibc does */
        result = shm_descriptor_make(prepared, flags, mode, 1);
    return (int)shim_return(result);
}

int shm_unlink(const char *name)
{
    char prepared[ARAMID_IPCS_NAME_MAX + 1];
    long result = shm_name_prepare(name, "", prepared);
    if (result >= 0)
        result = shm_object_unlink(prepared);
    return (int)shim_return(result);
}

long ipc_bulk_prepare(const void *text, size_t length, aramid_handle_t *grant)
{
    *grant = 0;
    if (length <= ARAMID_IPC_BUFFER_SIZE) {
        long copied = shim_copy_in(ipc_client_buffer(), text, length);
        return copied < 0 ? copied : (long)length;
    }
    size_t pages = SHIM_PAGE_ROUND_UP(length);
    long memory = sys_memory_object_create(pages);
    if (memory < 0)
        return shim_error_from_sys(memory);
    long address = aramid_memory_map(shim_self_space, pages, ARAMID_PROT_READ | ARAMID_PROT_WRITE,
                                     memory, 0);
    long result = address < 0 ? shim_error_from_sys(address)
                              : shim_copy_in((void *)address, text, length);
    if (address >= 0)
        (void)sys_vm_unmap(shim_self_space, (unsigned long)address, pages);
    if (result < 0) {
        (void)sys_handle_close(memory);
        return result;
    }
    *grant = memory;
    return 0;
}

long ipc_bulk_deliver(const struct aramid_message *reply, void *user, size_t length)
{
    if (!(reply->info & ARAMID_IPC_GRANT)) {
        if (length > ARAMID_IPC_BUFFER_BYTES(reply->info))
            return -EIO; /* the server promised more than it sent */
        return shim_copy_out(user, ipc_client_buffer(), length);
    }
    aramid_handle_t memory = (aramid_handle_t)reply->words[5];
    size_t pages = SHIM_PAGE_ROUND_UP(length);
    long address = aramid_memory_map(shim_self_space, pages, ARAMID_PROT_READ, memory, 0);
    long result = address < 0 ? -EIO : shim_copy_out(user, (const void *)address, length);
    if (address >= 0)
        (void)sys_vm_unmap(shim_self_space, (unsigned long)address, pages);
    (void)sys_handle_close(memory);
    return result;
}
