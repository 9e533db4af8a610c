/* The event server's objects: ids, minted handles, holders across fork/exit, destruction. */
#include "event.h"

#include <aramid/server.h>
#include <aramid/slots.h>

#include "kstring.h"

#define EVENT_SLOT_BITS 20
#define EVENT_SLOTS_MAX (1u << EVENT_SLOT_BITS)

/* Invariant: slot i is NULL or the object whose id has slot i in its low bits. */
static struct aramid_slots event_table;
static unsigned long event_serial;

struct interest_item *interest_item_alloc(void)
{
    return aramid_heap_alloc(sizeof(struct interest_item));
}

void interest_item_free(struct interest_item *item)
{
    aramid_heap_free(item, sizeof(*item));
}

/* Not secret against the kernel, only unguessable enough that a process cannot name an
 * object it was never given (a cookie travels with the object's id). */
static unsigned long event_cookie(unsigned long id)
{
    unsigned long x = id ^ aramid_clock_monotonic_ns() ^ 0x9e3779b97f4a7c15ul;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdul;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ul;
    return (x ^ (x >> 33)) | 1;
}

struct event_object *event_object_create(enum event_kind kind, unsigned long sender)
{
    long slot = aramid_slots_take(&event_table, EVENT_SLOTS_MAX);
    if (slot < 0)
        return NULL;
    struct event_object *object = aramid_heap_alloc(sizeof(*object));
    if (object == NULL)
        return NULL;
    object->id = (++event_serial << EVENT_SLOT_BITS) | (unsigned long)slot;
    object->cookie = event_cookie(object->id);
    object->kind = kind;
    interest_object_init(&object->watched, 0);
    if (sender != 0 && aramid_holders_add(&object->holders, (long)sender) < 0) {
        aramid_heap_free(object, sizeof(*object));
        return NULL;
    }
    aramid_slots_put(&event_table, (unsigned long)slot, object);
    return object;
}

struct event_object *event_object_slot(unsigned long slot)
{
    return aramid_slots_get(&event_table, slot);
}

unsigned long event_object_slot_of(const struct event_object *object)
{
    return object->id & (EVENT_SLOTS_MAX - 1);
}

unsigned event_object_capacity(void)
{
    return event_table.capacity;
}

struct event_object *event_object_find(unsigned long id)
{
    struct event_object *object = event_object_slot(id & (EVENT_SLOTS_MAX - 1));
    return object != NULL && object->id == id ? object : NULL;
}

struct event_object *event_foreign_find(unsigned long foreign_id)
{
    for (unsigned i = 0; i < event_table.capacity; i++) {
        struct event_object *object = event_table.slots[i];
        if (object != NULL && object->kind == EVENT_FOREIGN && object->foreign_id == foreign_id)
            return object;
    }
    return NULL;
}

long event_object_mint(struct event_object *object)
{
    return sys_endpoint_mint(event.endpoint, object->id,
                             ARAMID_RIGHT_SEND | ARAMID_RIGHT_GRANT | ARAMID_RIGHT_DUPLICATE |
                                 ARAMID_RIGHT_INHERIT);
}

void event_object_created(struct event_call *call, struct event_object *object, bool mint,
                          long *result, long *id, long *cookie)
{
    if (mint) {
        long handle = event_object_mint(object);
        if (handle < 0) {
            event_object_destroy(object);
            *result = handle;
            return;
        }
        call->grant = handle;
    }
    *id = (long)object->id;
    *cookie = (long)object->cookie;
    *result = 0;
}

/* Handles charged to each process (kernel id -> count), and to all together. */
static struct aramid_process_map event_charges;
static unsigned event_charged_total;

bool event_object_charge(struct event_object *object, unsigned long process, unsigned handles)
{
    long *charged = aramid_process_map_add(&event_charges, (long)process);
    if (charged == NULL || *charged + handles > EVENT_HANDLES_PER_PROCESS ||
        event_charged_total + handles > EVENT_HANDLES_CHARGED) {
        if (charged != NULL && *charged == 0)
            aramid_process_map_remove(&event_charges, (long)process);
        return false;
    }
    *charged += handles;
    event_charged_total += handles;
    object->charged_process = process;
    object->charged_handles = handles;
    return true;
}

/* What object was charged goes back to its process (which may have exited since). */
static void event_object_uncharge(struct event_object *object)
{
    if (object->charged_handles == 0)
        return;
    long *charged = aramid_process_map_find(&event_charges, (long)object->charged_process);
    if (charged != NULL && (*charged -= object->charged_handles) <= 0)
        aramid_process_map_remove(&event_charges, (long)object->charged_process);
    event_charged_total -= object->charged_handles;
    object->charged_handles = 0;
}

/* The ids of the objects other than sets that set watches (one may be watched under two
 * numbers: found again by id after the first went), heap memory for *count of them; NULL
 * when none or no memory (then foreign ones stay until their owner says they went). */
static unsigned long *event_set_watched_ids(const struct interest_set *set, size_t *count)
{
    *count = 0;
    for (const struct interest_item *item = set->items; item != NULL; item = item->set_next)
        *count += item->object->set == NULL;
    unsigned long *ids = *count != 0 ? aramid_heap_alloc(*count * sizeof(*ids)) : NULL;
    size_t taken = 0;
    for (const struct interest_item *item = set->items; ids != NULL && item != NULL;
         item = item->set_next)
        if (item->object->set == NULL)
            ids[taken++] = ((const struct event_object *)((const char *)item->object -
                                                          offsetof(struct event_object,
                                                                   watched)))
                               ->id;
    return ids;
}

/* After a set went: the foreign objects it watched that no other set watches go too (else the
 * owner's watch and the server's handles would stay until the server ends). */
static void event_watched_release(unsigned long *ids, size_t count)
{
    if (ids == NULL)
        return;
    for (size_t i = 0; i < count; i++) {
        struct event_object *target = event_object_find(ids[i]);
        if (target != NULL)
            event_foreign_unused(target);
    }
    aramid_heap_free(ids, count * sizeof(*ids));
}

void event_object_destroy(struct event_object *object)
{
    event_object_uncharge(object);
    event_pending_cancel_all(object);
    if (object->kind == EVENT_EPOLL && object->set != NULL) {
        object->set->on_change = NULL;
        size_t watched_count;
        unsigned long *watched = event_set_watched_ids(object->set, &watched_count);
        interest_set_destroy(object->set);
        event_watched_release(watched, watched_count);
        event_snapshot_forget(object);
        aramid_heap_free(object->set, sizeof(*object->set));
    }
    interest_object_close(&object->watched);
    if (object->kind == EVENT_FOREIGN) {
        event_foreigners--;
        event_ready_ring_release(object);
        (void)sys_handle_close(object->handle);
        (void)sys_handle_close(object->notification);
    }
    event_shared_release(object);
    event_passes_free(object);
    aramid_holders_free(&object->holders);
    aramid_slots_clear(&event_table, event_object_slot_of(object));
    aramid_heap_free(object, sizeof(*object));
}

bool event_object_unused(const struct event_object *object)
{
    return object->holders.count == 0 && object->pass_count == 0;
}

void event_object_release(struct event_object *object, unsigned long sender)
{
    if (!aramid_holders_remove(&object->holders, (long)sender))
        return;
    if (event_object_unused(object)) {
        /* A fork just before this close may not be read yet: its child holds the object too.
         * The feed may free the object itself: find it again by id. */
        unsigned long id = object->id;
        event_objects_feed();
        struct event_object *again = event_object_find(id);
        if (again != NULL && event_object_unused(again))
            event_object_destroy(again);
    }
}

/* Every object process holds loses that hold (its exit). */
static void event_objects_drop(long process)
{
    for (unsigned i = 0; i < event_table.capacity; i++) {
        struct event_object *object = event_table.slots[i];
        if (object == NULL || object->kind == EVENT_FOREIGN)
            continue;
        if (aramid_holders_remove(&object->holders, process) && event_object_unused(object))
            event_object_destroy(object);
    }
}

static void event_objects_fork(long parent, long child)
{
    aramid_slots_fork(&event_table, offsetof(struct event_object, holders), parent, child);
}

/* An execve keeps the holds: the process keeps its id and its objects' inheritable handles,
 * and posix-shim hands the descriptors without FD_CLOEXEC to the new image (it closed the
 * others first). */
static void event_objects_gone(long process, long kind)
{
    if (kind != ARAMID_PROC_EVENT_EXEC)
        event_objects_drop(process);
}

void event_objects_feed(void)
{
    static const struct aramid_server_feed feed = {
        .fork = event_objects_fork,
        .gone = event_objects_gone,
    };
    aramid_server_feed_read(&feed, event.proc);
}
