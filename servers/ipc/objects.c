/* The ipc server's objects: names, ids, minted handles, holders across fork/exit, destruction. */
#include "ipc.h"

#include <aramid/server.h>
#include <aramid/slots.h>

#include "kstring.h"

#define IPC_SLOT_BITS 20
#define IPC_SLOTS_MAX (1u << IPC_SLOT_BITS)

/* Invariant: slot i is NULL or the object whose id has slot i in its low bits. */
static struct aramid_slots ipc_table;
static unsigned long ipc_serial;

long ipc_name_read(const struct ipc_call *call, char name[ARAMID_IPCS_NAME_MAX + 1])
{
    size_t bytes = call->request_bytes;
    const char *text = call->buffer;
    if (bytes == 0)
        return -ARAMID_EINVAL;
    size_t length = 0;
    while (length < bytes && text[length] != 0)
        length++;
    if (length == bytes)
        return -ARAMID_EINVAL; /* no NUL */
    if (length > ARAMID_IPCS_NAME_MAX)
        return -ARAMID_ENAMETOOLONG;
    if (length == 0)
        return -ARAMID_EINVAL;
    for (size_t i = 0; i < length; i++) {
        if (text[i] == '/')
            return -ARAMID_EINVAL;
        name[i] = text[i];
    }
    name[length] = 0;
    return 0;
}

struct ipc_object *ipc_object_lookup(enum ipc_kind kind, const char *name)
{
    for (unsigned i = 0; i < ipc_table.capacity; i++) {
        struct ipc_object *object = ipc_table.slots[i];
        if (object != NULL && object->kind == kind && object->linked &&
            strcmp(object->name, name) == 0)
            return object;
    }
    return NULL;
}

struct ipc_object *ipc_object_create(enum ipc_kind kind, const char *name, unsigned long sender)
{
    long slot = aramid_slots_take(&ipc_table, IPC_SLOTS_MAX);
    if (slot < 0)
        return NULL;
    struct ipc_object *object = aramid_heap_alloc(sizeof(*object));
    if (object == NULL)
        return NULL;
    object->id = (++ipc_serial << IPC_SLOT_BITS) | (unsigned long)slot;
    object->kind = kind;
    object->linked = true;
    memcpy(object->name, name, strlen(name) + 1);
    if (aramid_holders_add(&object->holders, (long)sender) < 0) {
        aramid_heap_free(object, sizeof(*object));
        return NULL;
    }
    aramid_slots_put(&ipc_table, (unsigned long)slot, object);
    return object;
}

struct ipc_object *ipc_object_find(unsigned long id)
{
    struct ipc_object *object = aramid_slots_get(&ipc_table, id & (IPC_SLOTS_MAX - 1));
    return object != NULL && object->id == id ? object : NULL;
}

struct ipc_object *ipc_object_next(enum ipc_kind kind, unsigned long index, unsigned long *at)
{
    for (unsigned long i = index; i < ipc_table.capacity; i++) {
        struct ipc_object *object = ipc_table.slots[i];
        if (object != NULL && object->kind == kind && object->linked) {
            *at = i;
            return object;
        }
    }
    return NULL;
}

long ipc_object_mint(struct ipc_object *object, unsigned long access)
{
    return sys_endpoint_mint(ipc.endpoint, object->id << ARAMID_IPCS_BADGE_SHIFT | access,
                             ARAMID_RIGHT_SEND | ARAMID_RIGHT_GRANT | ARAMID_RIGHT_DUPLICATE |
                                 ARAMID_RIGHT_INHERIT);
}

long ipc_object_mint_opened(struct ipc_object *object, unsigned long access, bool created,
                            unsigned long sender)
{
    long handle = ipc_object_mint(object, access);
    if (handle < 0) {
        if (created)
            ipc_object_abandon(object, sender);
        else
            ipc_object_release(object, sender);
    }
    return handle;
}

long ipc_object_hold(struct ipc_object *object, unsigned long sender)
{
    return aramid_holders_add(&object->holders, (long)sender);
}

static void ipc_object_destroy(struct ipc_object *object)
{
    if (object->kind == IPC_SHM)
        ipc_shm_destroy(object);
    else
        ipc_mq_destroy(object);
    aramid_holders_free(&object->holders);
    aramid_slots_clear(&ipc_table, object->id & (IPC_SLOTS_MAX - 1));
    aramid_heap_free(object, sizeof(*object));
}

/* Destroys object if nothing keeps it: its name, or a holder. A fork just before the last
 * close may not be read yet (its child holds the object too): the feed is read first. */
static void ipc_object_check(struct ipc_object *object)
{
    if (object->linked || object->holders.count != 0)
        return;
    unsigned long id = object->id;
    ipc_objects_feed();
    struct ipc_object *again = ipc_object_find(id);
    if (again != NULL && !again->linked && again->holders.count == 0)
        ipc_object_destroy(again);
}

void ipc_object_release(struct ipc_object *object, unsigned long sender)
{
    if (object->kind == IPC_MQ)
        ipc_mq_closed(object, sender); /* Linux: the owner's close drops its registration */
    if (aramid_holders_remove(&object->holders, (long)sender))
        ipc_object_check(object);
}

void ipc_object_unlink(struct ipc_object *object)
{
    object->linked = false;
    ipc_object_check(object);
}

long ipc_object_unlink_named(const struct ipc_call *call, enum ipc_kind kind)
{
    char name[ARAMID_IPCS_NAME_MAX + 1];
    long result = call->object != NULL ? -ARAMID_EINVAL : ipc_name_read(call, name);
    if (result < 0)
        return result;
    struct ipc_object *object = ipc_object_lookup(kind, name);
    if (object == NULL)
        return -ARAMID_ENOENT;
    ipc_object_unlink(object);
    return 0;
}

void ipc_object_abandon(struct ipc_object *object, unsigned long sender)
{
    object->linked = false;
    ipc_object_release(object, sender);
}

static void ipc_objects_drop(long process)
{
    ipc_mq_process_gone((unsigned long)process);
    for (unsigned i = 0; i < ipc_table.capacity; i++) {
        struct ipc_object *object = ipc_table.slots[i];
        if (object != NULL && aramid_holders_remove(&object->holders, process) &&
            !object->linked && object->holders.count == 0)
            ipc_object_destroy(object);
    }
}

static void ipc_objects_fork(long parent, long child)
{
    aramid_slots_fork(&ipc_table, offsetof(struct ipc_object, holders), parent, child);
}

static void ipc_objects_forked(long parent, long child)
{
    ipc_objects_fork(parent, child);
    ipc_sysv_fork((unsigned long)parent, (unsigned long)child);
}

static void ipc_objects_gone(long process, long kind)
{
    ipc_objects_drop(process);
    ipc_sysv_process_gone((unsigned long)process, kind == ARAMID_PROC_EVENT_EXIT);
}

void ipc_objects_feed(void)
{
    static const struct aramid_server_feed feed = {
        .fork = ipc_objects_forked,
        .gone = ipc_objects_gone,
    };
    aramid_server_feed_read(&feed, ipc.proc);
}

void ipc_do_close(struct ipc_call *call, const struct aramid_ipcs_close_request *request,
                  struct aramid_ipcs_close_reply *reply)
{
    (void)request;
    if (call->object == NULL) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    reply->result = 0;
    ipc_object_release(call->object, call->sender);
}
