/* epoll instances: create, ctl (own objects and other servers' by watch), wait with kept
 * waiters, and the readiness of watched objects of other servers. */
#include "event.h"

/* Objects with kept epoll_wait calls: answered when their set has something ready. */
#define EVENT_WAITING_MAX 1024
static struct event_object *event_waiting[EVENT_WAITING_MAX];
static unsigned event_waiting_count;

/* The set's fast-path words follow its ready list. */
static void event_set_changed(struct interest_set *set)
{
    event_set_publish(set->owner);
}

void event_do_epoll_create(struct event_call *call,
                           const struct aramid_event_epoll_create_request *request,
                           struct aramid_event_epoll_create_reply *reply)
{
    if (request->flags & ~(long)EVENTFD_CLOEXEC) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    struct event_object *object = event_object_create(EVENT_EPOLL, call->sender);
    struct interest_set *set = aramid_heap_alloc(sizeof(*set));
    if (object == NULL || set == NULL) {
        if (object != NULL)
            event_object_destroy(object);
        aramid_heap_free(set, sizeof(*set));
        reply->result = -ARAMID_ENOMEM;
        return;
    }
    interest_set_init(set);
    object->set = set;
    set->owner = object;
    set->on_ready = event_set_changed;
    event_shared_setup(object, call->sender);
    set->on_change = event_set_touched;
    event_object_created(call, object, true, &reply->result, &reply->id, &reply->cookie);
}

/* The interest object epoll items point at for object. */
static struct interest_object *event_watched(struct event_object *object)
{
    return object->kind == EVENT_EPOLL ? &object->set->self : &object->watched;
}

/* Generations are compared in the low 32 bits the readiness words carry. */
#define EVENT_GENERATION(generation) ((generation) & ARAMID_READY_WORD_GENERATION_MASK)

/* Re-reads a foreign object's readiness: from its word when it has a current one, else from
 * its owner (ready_poll); an event when its generation moved. */
static long event_foreign_refresh(struct event_object *object)
{
    uint32_t bits;
    unsigned long generation, id;
    if (!event_ready_word_read(object, &bits, &generation)) {
        unsigned long polled;
        long result = aramid_ready_poll(object->handle, &polled, &generation, &id);
        if (result < 0)
            return result;
        bits = (uint32_t)polled;
    }
    generation = EVENT_GENERATION(generation);
    bool event = generation != object->counter.value; /* counter.value: last generation seen */
    object->counter.value = generation;
    interest_object_update(&object->watched, bits, event);
    return 0;
}

/* The foreign object for a granted handle: found by the id its owner gives, or made and
 * watched. Takes the handle (closed or kept). */
static long event_foreign_attach(aramid_handle_t handle, unsigned long sender,
                                 struct event_object **out)
{
    unsigned long bits, generation, id;
    long result = aramid_ready_poll(handle, &bits, &generation, &id);
    if (result < 0) {
        (void)sys_handle_close(handle);
        return result == -ARAMID_ENOSYS ? -ARAMID_EPERM : result;
    }
    struct event_object *object = event_foreign_find(id);
    if (object != NULL) {
        (void)sys_handle_close(handle);
        *out = object;
        return 0;
    }
    object = event_object_create(EVENT_FOREIGN, 0);
    if (object != NULL)
        event_foreigners++;
    if (object != NULL && !event_object_charge(object, sender, 2)) {
        event_object_destroy(object); /* no handles of its own yet */
        object = NULL;
    }
    if (object == NULL) {
        (void)sys_handle_close(handle);
        return -ARAMID_ENOMEM;
    }
    object->handle = handle;
    object->foreign_id = id;
    object->ready_word = event_ready_word_of(id);
    object->counter.value = EVENT_GENERATION(generation);
    interest_object_init(&object->watched, (uint32_t)bits);
    long child = sys_notification_create(event.notifications,
                                         EVENT_KEY_OBJECT | event_object_slot_of(object));
    long signal = child < 0 ? child : sys_handle_duplicate(child, ARAMID_RIGHT_SIGNAL | ARAMID_RIGHT_GRANT);
    if (child < 0 || signal < 0) {
        object->notification = child > 0 ? child : 0;
        event_object_destroy(object);
        return -ARAMID_ENOMEM;
    }
    object->notification = child;
    /* With a word, drops are only written there: event_set_refresh reads them. */
    result = aramid_ready_watch(handle, signal,
                                object->ready_word != 0 ? ARAMID_READY_WATCH_WORDS : 0);
    if (result < 0) {
        event_object_destroy(object);
        return result;
    }
    *out = object;
    return 0;
}

unsigned event_foreigners;

unsigned event_foreign_count(void)
{
    return event_foreigners;
}

/* A foreign object no set watches any more is let go. */
void event_foreign_unused(struct event_object *object)
{
    if (object->kind == EVENT_FOREIGN && object->watched.items == NULL) {
        (void)aramid_ready_unwatch(object->handle);
        event_object_destroy(object);
    }
}

void event_do_epoll_ctl(struct event_call *call, const struct aramid_event_epoll_ctl_request *request,
                        struct aramid_event_epoll_ctl_reply *reply)
{
    struct event_object *object = call->object;
    aramid_handle_t granted = call->granted;
    call->granted = 0; /* this handler owns it now */
    if (object == NULL || object->kind != EVENT_EPOLL) {
        if (granted > 0)
            (void)sys_handle_close(granted);
        reply->result = -ARAMID_EINVAL;
        return;
    }
    int op = (int)((unsigned long)request->op_fd >> 32);
    int fd = (int)(request->op_fd & 0xffffffff);
    struct event_object *target = NULL;
    long result = 0;
    if (request->target != 0) {
        if (granted > 0)
            (void)sys_handle_close(granted);
        target = event_object_find((unsigned long)request->target);
        if (target == NULL || target->kind == EVENT_FOREIGN ||
            target->cookie != (unsigned long)request->cookie)
            result = -ARAMID_EBADF;
    } else if (granted > 0) {
        result = event_foreign_attach(granted, call->sender, &target);
    } else {
        target = event_foreign_find((unsigned long)request->cookie);
        if (target == NULL)
            result = op == EPOLL_OP_ADD ? -ARAMID_EBADF : -ARAMID_ENOENT;
    }
    if (result == 0 && target->kind == EVENT_FOREIGN && op != EPOLL_OP_DEL)
        result = event_foreign_refresh(target);
    /* An eventfd a set watches must tell the server of every change: no fast path. */
    if (result == 0 && target->kind == EVENT_EVENTFD)
        interest_object_update(&target->watched, event_counter_poll(target), false);
    if (result == 0)
        result = interest_control(object->set, op, event_watched(target), fd,
                                  (uint32_t)request->events, (uint64_t)request->data);
    if (result == 0 && target->kind == EVENT_FOREIGN)
        object->set_foreign += op == EPOLL_OP_ADD ? 1 : op == EPOLL_OP_DEL ? -1ul : 0;
    if (result == 0 && target->kind == EVENT_EPOLL)
        object->set_nested += op == EPOLL_OP_ADD ? 1 : op == EPOLL_OP_DEL ? -1ul : 0;
    if (result == 0)
        event_set_publish(object);
    if (target != NULL && target->kind == EVENT_EVENTFD) {
        event_flags_publish(target);
        /* Re-check after the flag: a fast-path write just before it is seen here. */
        interest_object_update(&target->watched, event_counter_poll(target), true);
    }
    if (target != NULL)
        event_foreign_unused(target);
    reply->result = result;
}

/* The event object an interest object other than a set's own belongs to. */
static struct event_object *event_of_watched(struct interest_object *watched)
{
    return (struct event_object *)((char *)watched - offsetof(struct event_object, watched));
}

/* A foreign object watched with words whose word (or ring) says something other than what
 * its items were told, or cannot say (then ready_poll must). */
static bool event_foreign_stale(struct event_object *object)
{
    uint32_t bits;
    unsigned long generation;
    return object->kind == EVENT_FOREIGN && object->ready_word != 0 &&
           (!event_ready_word_read(object, &bits, &generation) ||
            bits != object->watched.ready ||
            EVENT_GENERATION(generation) != object->counter.value);
}

/*
 * Sockets watched with ARAMID_READY_WATCH_WORDS are not signalled when bits only go away (a
 * read that emptied one): their items may sit on a ready list with bits they no longer have.
 * Before a collect reports any of the first max ready items of set, their words are read and
 * stale ones updated (so the items that leave are never reported), through nested sets too
 * (to EPOLL_MAX_NESTS). Only the first max are looked at, again after each round that changed
 * something: what a collect of max reports is current, and the cost is that of the collect.
 */
static void event_set_refresh(struct interest_set *set, size_t max, int depth)
{
    enum { EVENT_STALE_BATCH = 16, EVENT_REFRESH_ROUNDS = 64 };
    for (int round = 0; round < EVENT_REFRESH_ROUNDS; round++) {
        struct event_object *stale[EVENT_STALE_BATCH];
        struct interest_set *nested[EVENT_STALE_BATCH];
        size_t stale_count = 0, nested_count = 0, seen = 0;
        for (struct interest_item *item = set->ready_head; item != NULL && seen < max &&
                                                           stale_count < EVENT_STALE_BATCH &&
                                                           nested_count < EVENT_STALE_BATCH;
             item = item->ready_next, seen++) {
            if (item->object->set != NULL)
                nested[nested_count++] = item->object->set;
            else if (event_foreign_stale(event_of_watched(item->object)))
                stale[stale_count++] = event_of_watched(item->object);
        }
        /* The updates move items: they run after the walk. A round that moved nothing is the
         * last (an item updated from its word is no longer stale; a set that emptied left). */
        bool moved = false;
        for (size_t i = 0; i < nested_count && depth < EPOLL_MAX_NESTS; i++) {
            event_set_refresh(nested[i], 1, depth + 1);
            moved |= nested[i]->ready_count == 0;
        }
        for (size_t i = 0; i < stale_count; i++) {
            uint32_t ready = stale[i]->watched.ready;
            unsigned long generation = stale[i]->counter.value;
            (void)event_foreign_refresh(stale[i]); /* ready_poll may fail: then nothing moved */
            moved |= ready != stale[i]->watched.ready || generation != stale[i]->counter.value;
        }
        if (!moved)
            return;
    }
}

/* The set's ready events into the IPC buffer; returns their number. */
static size_t event_epoll_fill(struct event_object *object, void *buffer, long maxevents)
{
    static struct interest_event events[ARAMID_EVENT_WAIT_MAX];
    if (object->set_foreign != 0 || object->set_nested != 0) /* else nothing can be stale */
        event_set_refresh(object->set, (size_t)maxevents, 0);
    size_t count = interest_collect(object->set, events, (size_t)maxevents);
    struct aramid_event_record *records = buffer;
    for (size_t i = 0; i < count; i++)
        records[i] = (struct aramid_event_record){events[i].events, events[i].data};
    return count;
}

static void event_waiting_add(struct event_object *object)
{
    for (unsigned i = 0; i < event_waiting_count; i++)
        if (event_waiting[i] == object)
            return;
    if (event_waiting_count < EVENT_WAITING_MAX)
        event_waiting[event_waiting_count++] = object;
}

void event_do_epoll_wait(struct event_call *call,
                         const struct aramid_event_epoll_wait_request *request,
                         struct aramid_event_epoll_wait_reply *reply)
{
    struct event_object *object = call->object;
    if (object == NULL || object->kind != EVENT_EPOLL || request->maxevents <= 0 ||
        (unsigned long)request->maxevents > ARAMID_EVENT_WAIT_MAX) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    if (event_foreign_count() != 0)
        event_notifications_drain();
    size_t count = object->waiters == NULL
                       ? event_epoll_fill(object, call->buffer, request->maxevents)
                       : 0;
    unsigned long deadline = (unsigned long)request->deadline;
    bool expired = deadline != 0 && deadline <= aramid_clock_monotonic_ns();
    if (count > 0 || expired || event_waiting_count >= EVENT_WAITING_MAX) {
        call->reply_bytes = count * sizeof(struct aramid_event_record);
        reply->result = (long)count;
        return;
    }
    struct event_pending *pending = aramid_heap_alloc(sizeof(*pending));
    if (pending == NULL) {
        reply->result = -ARAMID_ENOMEM;
        return;
    }
    *pending = (struct event_pending){.token = call->token, .a = request->maxevents,
                                      .b = (long)deadline};
    struct event_pending **tail = &object->waiters;
    while (*tail != NULL)
        tail = &(*tail)->next;
    *tail = pending;
    object->set->waiting = true;
    event_waiting_add(object);
    call->kept = true;
}

bool event_epoll_has_waiters(void)
{
    return event_waiting_count != 0;
}

void event_epoll_service(void)
{
    void *buffer = (void *)sys_ipc_buffer();
    for (unsigned i = 0; i < event_waiting_count;) {
        struct event_object *object = event_waiting[i];
        while (object->waiters != NULL && object->set->ready_count > 0) {
            struct event_pending *waiter = object->waiters;
            size_t count = event_epoll_fill(object, buffer, waiter->a);
            if (count == 0)
                break;
            object->waiters = waiter->next;
            (void)aramid_server_answer(waiter->token, (long)count, NULL, 0,
                               count * sizeof(struct aramid_event_record), 0);
            aramid_heap_free(waiter, sizeof(*waiter));
        }
        if (object->waiters == NULL) {
            object->set->waiting = false;
            event_waiting[i] = event_waiting[--event_waiting_count];
        } else {
            i++;
        }
    }
}

void event_epoll_forget(struct event_object *object)
{
    for (unsigned i = 0; i < event_waiting_count; i++)
        if (event_waiting[i] == object) {
            event_waiting[i] = event_waiting[--event_waiting_count];
            return;
        }
}

void event_foreign_notified(struct event_object *object, unsigned long bits)
{
    if (bits & ARAMID_READY_GONE) {
        event_object_destroy(object); /* its items leave their sets */
        return;
    }
    if (event_foreign_refresh(object) == -ARAMID_EPIPE)
        event_object_destroy(object);
}

void event_do_poll_object(struct event_call *call,
                          const struct aramid_event_poll_object_request *request,
                          struct aramid_event_poll_object_reply *reply)
{
    (void)request;
    struct event_object *object = call->object;
    if (object == NULL || object->kind == EVENT_FOREIGN) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    if (object->kind == EVENT_EPOLL && (object->set_foreign != 0 || object->set_nested != 0))
        event_set_refresh(object->set, 1, 0);
    reply->bits = event_watched(object)->ready;
    reply->id = (long)object->id;
    reply->result = 0;
}

/* Answers (and frees) every call of list: eventfd calls -EINTR or 0 events for waiters whose
 * deadline passed. Returns true when token was found (token 0: all). */
static bool event_pending_answer(struct event_pending **list, unsigned long token, bool waiters)
{
    bool found = false;
    while (*list != NULL) {
        struct event_pending *pending = *list;
        if (token != 0 && pending->token != token) {
            list = &pending->next;
            continue;
        }
        long result = -ARAMID_EINTR;
        if (waiters && pending->b != 0 &&
            (unsigned long)pending->b <= aramid_clock_monotonic_ns())
            result = 0;
        (void)aramid_server_answer(pending->token, result, NULL, 0, 0, 0);
        *list = pending->next;
        aramid_heap_free(pending, sizeof(*pending));
        found = true;
        if (token != 0)
            break;
    }
    return found;
}

void event_pending_cancel_all(struct event_object *object)
{
    (void)event_pending_answer(&object->readers, 0, false);
    (void)event_pending_answer(&object->writers, 0, false);
    (void)event_pending_answer(&object->waiters, 0, true);
    if (object->kind == EVENT_EPOLL)
        event_epoll_forget(object);
}

void event_cancel(unsigned long token)
{
    unsigned capacity = event_object_capacity();
    for (unsigned long slot = 0; slot < capacity; slot++) {
        struct event_object *object = event_object_slot(slot);
        if (object != NULL && (event_pending_answer(&object->readers, token, false) ||
                               event_pending_answer(&object->writers, token, false) ||
                               event_pending_answer(&object->waiters, token, true)))
            return;
    }
}
