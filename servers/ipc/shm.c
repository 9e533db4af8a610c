/* POSIX shared memory objects and named semaphores' pages: open, unlink, size, map. */
#include "ipc.h"

#include "kstring.h"

#define IPC_PAGE 4096ul
#define IPC_PAGE_ROUND_UP(value) (((value) + IPC_PAGE - 1) & ~(IPC_PAGE - 1))
#define IPC_O_ACCMODE 03
#define IPC_O_RDONLY 0
#define IPC_O_CREAT 0100
#define IPC_O_EXCL 0200
#define IPC_O_TRUNC 01000
#define IPC_MODE_MASK 07777ul
/* The largest object: what the user half could ever map. */
#define IPC_SHM_SIZE_MAX (1ul << 46)

/* Drops the memory (mappings made from it keep theirs). */
static void ipc_shm_memory_release(struct ipc_object *object)
{
    if (object->memory > 0) {
        (void)sys_vm_unmap(ipc.space, (unsigned long)object->mapped, object->capacity);
        (void)sys_handle_close(object->memory);
    }
    object->memory = 0;
    object->mapped = NULL;
    object->capacity = 0;
}

void ipc_shm_destroy(struct ipc_object *object)
{
    ipc_shm_memory_release(object);
}

/* The object is size bytes: its memory faults with SIGBUS past them in every mapping (the
 * kernel's memory_object_resize within what the memory holds: it cannot fail). */
static void ipc_shm_size_set(struct ipc_object *object, unsigned long size)
{
    object->size = size;
    if (object->memory > 0)
        (void)sys_memory_object_resize(object->memory, IPC_PAGE_ROUND_UP(size));
}

/* Grows the object's memory in place to capacity bytes, so that mappings made before see the
 * new pages (charged to the quota the memory is charged to: its first creator's). 0, or
 * -ENOSPC when it cannot (no memory yet, the quota): then the caller's memory takes its place. */
static long ipc_shm_memory_grow(struct ipc_object *object, unsigned long capacity)
{
    if (object->memory <= 0 || sys_memory_object_resize(object->memory, capacity) < 0)
        return -ARAMID_ENOSPC;
    long address = aramid_memory_map(ipc.space, capacity, ARAMID_PROT_READ | ARAMID_PROT_WRITE,
                                     object->memory, 0);
    if (address < 0) {
        (void)sys_memory_object_resize(object->memory, IPC_PAGE_ROUND_UP(object->size));
        return -ARAMID_ENOSPC;
    }
    (void)sys_vm_unmap(ipc.space, (unsigned long)object->mapped, object->capacity);
    object->mapped = (unsigned char *)address;
    object->capacity = capacity;
    return 0;
}

/* Takes memory (capacity bytes) as the object's, with the bytes the old memory held. */
static long ipc_shm_memory_take(struct ipc_object *object, aramid_handle_t memory,
                                unsigned long capacity)
{
    long address = aramid_memory_map(ipc.space, capacity, ARAMID_PROT_READ | ARAMID_PROT_WRITE,
                                     memory, 0);
    if (address < 0)
        return -ARAMID_EINVAL; /* not a memory object, too small, or without the rights */
    if (object->size > 0)
        memcpy((void *)address, object->mapped, object->size);
    ipc_shm_memory_release(object);
    object->memory = memory;
    object->mapped = (unsigned char *)address;
    object->capacity = capacity;
    return 0;
}

/* A named semaphore's page, made by the server: value in posix-shim's sem_t layout. */
static long ipc_semaphore_create(struct ipc_object *object, unsigned long value)
{
    long memory = sys_memory_object_create(IPC_PAGE);
    if (memory < 0)
        return memory;
    long result = ipc_shm_memory_take(object, memory, IPC_PAGE);
    if (result < 0) {
        (void)sys_handle_close(memory);
        return result;
    }
    struct aramid_ipcs_semaphore *semaphore = (struct aramid_ipcs_semaphore *)object->mapped;
    semaphore->value = (unsigned)value;
    semaphore->waiters = 0;
    semaphore->shared = 1;
    object->size = IPC_PAGE;
    return 0;
}

void ipc_do_shm_open(struct ipc_call *call, const struct aramid_ipcs_shm_open_request *request,
                     struct aramid_ipcs_shm_open_reply *reply)
{
    char name[ARAMID_IPCS_NAME_MAX + 1];
    long result = call->object != NULL ? -ARAMID_EINVAL : ipc_name_read(call, name);
    if (result < 0) {
        reply->result = result;
        return;
    }
    long flags = request->flags;
    struct ipc_object *object = ipc_object_lookup(IPC_SHM, name);
    bool created = false;
    if (object != NULL && (flags & IPC_O_CREAT) && (flags & IPC_O_EXCL)) {
        reply->result = -ARAMID_EEXIST;
        return;
    }
    if (object == NULL) {
        if (!(flags & IPC_O_CREAT)) {
            reply->result = -ARAMID_ENOENT;
            return;
        }
        object = ipc_object_create(IPC_SHM, name, call->sender);
        if (object == NULL) {
            reply->result = -ARAMID_ENFILE;
            return;
        }
        object->mode = (unsigned long)request->mode & IPC_MODE_MASK;
        created = true;
        if (request->initial >= 0 &&
            (result = ipc_semaphore_create(object, (unsigned long)request->initial)) < 0) {
            ipc_object_abandon(object, call->sender);
            reply->result = result;
            return;
        }
    } else if ((result = ipc_object_hold(object, call->sender)) < 0) {
        reply->result = result;
        return;
    }
    if ((flags & IPC_O_TRUNC) && !created && request->initial < 0 && object->size > 0) {
        /* As ftruncate to 0: mappings keep the memory, and fault past its new end. */
        memset(object->mapped, 0, object->size);
        ipc_shm_size_set(object, 0);
    }
    unsigned long access = (flags & IPC_O_ACCMODE) != IPC_O_RDONLY ? ARAMID_IPCS_BADGE_WRITE : 0;
    long handle = ipc_object_mint_opened(object, access, created, call->sender);
    if (handle < 0) {
        reply->result = handle;
        return;
    }
    call->grant = handle;
    reply->result = 0;
    reply->id = (long)object->id;
    reply->size = (long)object->size;
}

void ipc_do_shm_unlink(struct ipc_call *call,
                       const struct aramid_ipcs_shm_unlink_request *request,
                       struct aramid_ipcs_shm_unlink_reply *reply)
{
    (void)request;
    reply->result = ipc_object_unlink_named(call, IPC_SHM);
}

void ipc_do_shm_truncate(struct ipc_call *call,
                         const struct aramid_ipcs_shm_truncate_request *request,
                         struct aramid_ipcs_shm_truncate_reply *reply)
{
    struct ipc_object *object = call->object;
    if (object == NULL || object->kind != IPC_SHM || !(call->access & ARAMID_IPCS_BADGE_WRITE) ||
        request->length < 0) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    unsigned long length = (unsigned long)request->length;
    if (length > IPC_SHM_SIZE_MAX) {
        reply->result = -ARAMID_EFBIG;
        return;
    }
    if (length > object->capacity && call->granted <= 0 &&
        ipc_shm_memory_grow(object, IPC_PAGE_ROUND_UP(length)) < 0) {
        reply->result = -ARAMID_ENOSPC; /* send again with memory */
        return;
    }
    if (length > object->capacity) {
        long result = ipc_shm_memory_take(object, call->granted, IPC_PAGE_ROUND_UP(length));
        if (result < 0) {
            reply->result = result;
            return;
        }
        call->granted = 0;
    } else if (length < object->size) {
        /* Linux drops the pages past the end: growing again later reads zeros. */
        memset(object->mapped + length, 0, object->size - length);
    }
    ipc_shm_size_set(object, length);
    reply->result = 0;
}

void ipc_do_shm_stat(struct ipc_call *call, const struct aramid_ipcs_shm_stat_request *request,
                     struct aramid_ipcs_shm_stat_reply *reply)
{
    (void)request;
    if (call->object == NULL || call->object->kind != IPC_SHM) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    reply->result = 0;
    reply->size = (long)call->object->size;
    reply->mode = (long)call->object->mode;
}

void ipc_do_shm_map(struct ipc_call *call, const struct aramid_ipcs_shm_map_request *request,
                    struct aramid_ipcs_shm_map_reply *reply)
{
    (void)request;
    struct ipc_object *object = call->object;
    if (object == NULL || object->kind != IPC_SHM) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    if (object->memory <= 0) {
        /* Size 0: a page of the caller's becomes the memory (faults reach none of it yet). */
        long result = call->granted > 0 ? ipc_shm_memory_take(object, call->granted, IPC_PAGE)
                                        : -ARAMID_ENOSPC;
        if (result < 0) {
            reply->result = result;
            return;
        }
        call->granted = 0;
        ipc_shm_size_set(object, object->size);
    }
    unsigned long rights = ARAMID_RIGHT_READ | ARAMID_RIGHT_MAP | ARAMID_RIGHT_GRANT;
    if (call->access & ARAMID_IPCS_BADGE_WRITE)
        rights |= ARAMID_RIGHT_WRITE;
    long handle = sys_handle_duplicate(object->memory, rights);
    if (handle < 0) {
        reply->result = handle;
        return;
    }
    call->grant = handle;
    reply->result = 0;
    reply->size = (long)IPC_PAGE_ROUND_UP(object->size); /* what a fault reaches */
}

void ipc_do_shm_list(struct ipc_call *call, const struct aramid_ipcs_shm_list_request *request,
                     struct aramid_ipcs_shm_list_reply *reply)
{
    if (call->object != NULL || request->start < 0) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    unsigned char *out = call->buffer;
    size_t used = 0;
    long count = 0;
    unsigned long at = (unsigned long)request->start;
    struct ipc_object *object;
    reply->next = 0;
    while ((object = ipc_object_next(IPC_SHM, at, &at)) != NULL) {
        size_t length = strlen(object->name);
        size_t bytes = ARAMID_IPCS_SHM_ENTRY_BYTES(length);
        if (used + bytes > ARAMID_IPC_BUFFER_SIZE) {
            reply->next = (long)at; /* the rest in the next call */
            break;
        }
        struct aramid_ipcs_shm_entry entry = {
            .size = object->size, .mode = (unsigned)object->mode, .length = (unsigned)length};
        memcpy(out + used, &entry, sizeof(entry));
        memcpy(out + used + sizeof(entry), object->name, length + 1);
        used += bytes;
        count++;
        at++;
    }
    call->reply_bytes = used;
    reply->result = 0;
    reply->count = count;
}

/* The shm object of a read or write at offset for length bytes: 0 or -errno. */
static long ipc_shm_transfer_check(const struct ipc_call *call, long offset, long length)
{
    if (call->object == NULL || call->object->kind != IPC_SHM || offset < 0 || length < 0 ||
        (unsigned long)length > ARAMID_IPC_BUFFER_SIZE)
        return -ARAMID_EINVAL;
    return 0;
}

void ipc_do_shm_read(struct ipc_call *call, const struct aramid_ipcs_shm_read_request *request,
                     struct aramid_ipcs_shm_read_reply *reply)
{
    long result = ipc_shm_transfer_check(call, request->offset, request->length);
    if (result < 0) {
        reply->result = result;
        return;
    }
    struct ipc_object *object = call->object;
    unsigned long offset = (unsigned long)request->offset, length = (unsigned long)request->length;
    if (offset >= object->size)
        length = 0;
    else if (length > object->size - offset)
        length = object->size - offset;
    if (length > 0)
        memcpy(call->buffer, object->mapped + offset, length);
    call->reply_bytes = length;
    reply->result = (long)length;
}

void ipc_do_shm_write(struct ipc_call *call, const struct aramid_ipcs_shm_write_request *request,
                      struct aramid_ipcs_shm_write_reply *reply)
{
    long result = ipc_shm_transfer_check(call, request->offset, request->length);
    if (result == 0 && !(call->access & ARAMID_IPCS_BADGE_WRITE))
        result = -ARAMID_EBADF;
    if (result == 0 && (unsigned long)request->length > call->request_bytes)
        result = -ARAMID_EINVAL; /* the bytes said are not all there */
    unsigned long offset = (unsigned long)request->offset, length = (unsigned long)request->length;
    if (result == 0 && offset > IPC_SHM_SIZE_MAX - length)
        result = -ARAMID_EFBIG;
    struct ipc_object *object = call->object;
    if (result == 0 && offset + length > object->capacity) {
        unsigned long capacity = (unsigned long)request->capacity;
        /* Half as large again, so that appending stays linear. */
        unsigned long grown = IPC_PAGE_ROUND_UP(offset + length + (offset + length) / 2);
        if (call->granted <= 0 && ipc_shm_memory_grow(object, grown) == 0)
            result = 0;
        else if (call->granted <= 0)
            result = -ARAMID_ENOSPC; /* the caller grows it (its memory) and writes again */
        else if (capacity < offset + length || capacity % IPC_PAGE != 0 ||
                 capacity > IPC_SHM_SIZE_MAX)
            result = -ARAMID_EINVAL;
        else if ((result = ipc_shm_memory_take(object, call->granted, capacity)) == 0)
            call->granted = 0;
    }
    if (result < 0) {
        reply->result = result;
        return;
    }
    if (offset + length > object->size)
        ipc_shm_size_set(object, offset + length); /* before the copy: pages past it fault */
    if (length > 0)
        memcpy(object->mapped + offset, call->buffer, length);
    reply->result = (long)length;
}
