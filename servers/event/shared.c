/* The event server's fast-path pages: eventfd counters and epoll ready words shared with the
 * holders, changed with atomics in the order the discipline needs (aramid/proto/event.h). */
#include "event.h"

#define EVENT_PAGE 4096ul

void event_shared_setup(struct event_object *object, unsigned long process)
{
    object->shared = &object->local;
    if (!event_object_charge(object, process, 1))
        return;
    aramid_handle_t memory = 0;
    long address = aramid_memory_create_mapped(event.space, EVENT_PAGE, &memory);
    if (address < 0)
        return;
    object->shared_object = memory;
    object->shared = (struct aramid_event_shared *)address;
}

void event_shared_release(struct event_object *object)
{
    if (object->shared_object > 0) {
        (void)sys_vm_unmap(event.space, (unsigned long)object->shared, EVENT_PAGE);
        (void)sys_handle_close(object->shared_object);
    }
    object->shared_object = 0;
    object->shared = &object->local;
}

/* The counter as the server trusts it: a value past the maximum (only a scribbler can put one
 * there) is taken as the maximum. *raw is what the page held. */
static uint64_t event_counter_load(struct event_object *object, uint64_t *raw)
{
    *raw = __atomic_load_n(&object->shared->value, __ATOMIC_ACQUIRE);
    return *raw > EVENTFD_COUNTER_MAX ? EVENTFD_COUNTER_MAX : *raw;
}

static bool event_counter_swap(struct event_object *object, uint64_t raw, uint64_t value)
{
    unsigned long expected = raw;
    return __atomic_compare_exchange_n(&object->shared->value, &expected, value, false,
                                       __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

long event_counter_take(struct event_object *object, uint64_t *value)
{
    for (;;) {
        uint64_t raw;
        struct eventfd_counter counter = {.value = event_counter_load(object, &raw),
                                          .semaphore = object->counter.semaphore};
        long result = eventfd_counter_read(&counter, value);
        if (result < 0)
            return result;
        if (event_counter_swap(object, raw, counter.value))
            return 0;
    }
}

long event_counter_add(struct event_object *object, uint64_t add)
{
    for (;;) {
        uint64_t raw;
        struct eventfd_counter counter = {.value = event_counter_load(object, &raw),
                                          .semaphore = object->counter.semaphore};
        long result = eventfd_counter_write(&counter, add);
        if (result < 0)
            return result;
        if (event_counter_swap(object, raw, counter.value))
            return 0;
    }
}

void event_counter_give_back(struct event_object *object, uint64_t value)
{
    /* Taken a moment ago for a reader that died: it fits unless writers filled it since,
     * and then the counter is full anyway. */
    if (event_counter_add(object, value) < 0)
        (void)event_counter_add(object, EVENTFD_COUNTER_MAX - object->shared->value);
}

uint32_t event_counter_poll(struct event_object *object)
{
    uint64_t raw;
    struct eventfd_counter counter = {.value = event_counter_load(object, &raw)};
    return eventfd_counter_poll(&counter);
}

void event_flags_publish(struct event_object *object)
{
    bool slow = object->readers != NULL || object->writers != NULL ||
                object->watched.items != NULL;
    __atomic_store_n(&object->shared->flags, slow ? ARAMID_EVENT_SLOW : 0, __ATOMIC_SEQ_CST);
    /* The caller re-checks the counter after this (the full barrier orders the two). */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void event_set_publish(struct event_object *object)
{
    __atomic_store_n(&object->shared->foreign, object->set_foreign + object->set_nested,
                     __ATOMIC_RELEASE);
    __atomic_store_n(&object->shared->ready, object->set->ready_count != 0, __ATOMIC_RELEASE);
    event_set_touched(object->set); /* the snapshot depends on foreign too */
}

/* Sets whose snapshot is stale; each at most once (its dirty flag). */
static struct event_object *event_dirty_sets;

void event_set_touched(struct interest_set *set)
{
    struct event_object *object = set->owner;
    if (object == NULL || object->dirty || object->shared_object <= 0 ||
        ((object->set_foreign != 0 || object->set_nested != 0) && object->snapshot_none))
        return; /* a set with foreign objects has no snapshot: once written, it stays so */
    object->dirty = true;
    object->dirty_next = event_dirty_sets;
    event_dirty_sets = object;
}

void event_snapshot_forget(struct event_object *object)
{
    for (struct event_object **link = &event_dirty_sets; *link != NULL;
         link = &(*link)->dirty_next)
        if (*link == object) {
            *link = object->dirty_next;
            break;
        }
    object->dirty = false;
}

/* Writes the set's snapshot under its seqlock (aramid/proto/event.h). */
static void event_snapshot_write(struct event_object *object)
{
    static struct interest_event events[ARAMID_EVENT_SNAPSHOT_MAX];
    static struct aramid_event_record records[ARAMID_EVENT_SNAPSHOT_MAX];
    long count = object->set_foreign != 0 || object->set_nested != 0
                     ? -1
                     : interest_snapshot(object->set, events, ARAMID_EVENT_SNAPSHOT_MAX);
    for (long i = 0; i < count; i++)
        records[i] = (struct aramid_event_record){events[i].events, events[i].data};
    object->snapshot_none = count < 0;
    aramid_event_snapshot_write(
        (struct aramid_event_snapshot *)((char *)object->shared + ARAMID_EVENT_SNAPSHOT_OFFSET),
        &object->snapshot_sequence, records, count);
}

void event_snapshots_publish(void)
{
    while (event_dirty_sets != NULL) {
        struct event_object *object = event_dirty_sets;
        event_dirty_sets = object->dirty_next;
        object->dirty = false;
        event_snapshot_write(object);
    }
}

void event_do_map(struct event_call *call, const struct aramid_event_map_request *request,
                  struct aramid_event_map_reply *reply)
{
    (void)request;
    struct event_object *object = call->object;
    if (object == NULL || object->kind == EVENT_FOREIGN || object->shared_object <= 0) {
        reply->result = object == NULL || object->kind == EVENT_FOREIGN ? -ARAMID_EINVAL
                                                                        : -ARAMID_ENOMEM;
        return;
    }
    long handle = sys_handle_duplicate(object->shared_object, ARAMID_RIGHT_READ |
                                                                  ARAMID_RIGHT_WRITE |
                                                                  ARAMID_RIGHT_MAP |
                                                                  ARAMID_RIGHT_GRANT);
    if (handle < 0) {
        reply->result = handle;
        return;
    }
    call->grant = handle;
    reply->result = 0;
}

void event_do_sync(struct event_call *call, const struct aramid_event_sync_request *request,
                   struct aramid_event_sync_reply *reply)
{
    (void)request;
    if (call->object == NULL || call->object->kind != EVENT_EVENTFD) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    reply->result = 0;
    event_eventfd_changed(call->object, true);
}
