/* eventfd objects: create, read, write; kept readers and writers answered as the count moves. */
#include "event.h"

void event_do_eventfd_create(struct event_call *call,
                             const struct aramid_event_eventfd_create_request *request,
                             struct aramid_event_eventfd_create_reply *reply)
{
    struct eventfd_counter counter;
    bool named = (request->flags & ARAMID_EVENTFD_NAMED) != 0;
    long result = eventfd_counter_init(&counter, (uint64_t)request->initial,
                                       request->flags & ~ARAMID_EVENTFD_NAMED);
    if (result < 0) {
        reply->result = result;
        return;
    }
    struct event_object *object = event_object_create(EVENT_EVENTFD, call->sender);
    if (object == NULL) {
        reply->result = -ARAMID_ENOMEM;
        return;
    }
    object->counter = counter;
    /* A named eventfd costs the server no handle: no page (its calls all come here). */
    if (named)
        object->shared = &object->local;
    else
        event_shared_setup(object, call->sender);
    object->shared->value = counter.value;
    interest_object_init(&object->watched, eventfd_counter_poll(&counter));
    event_object_created(call, object, !named, &reply->result, &reply->id, &reply->cookie);
}

static struct event_pending *event_pending_new(unsigned long token, long a, long b)
{
    struct event_pending *pending = aramid_heap_alloc(sizeof(*pending));
    if (pending != NULL)
        *pending = (struct event_pending){.token = token, .a = a, .b = b};
    return pending;
}

/* Appends a kept call to a FIFO list; false when out of memory. */
static bool event_keep(struct event_call *call, struct event_pending **list, long a, long b)
{
    struct event_pending *pending = event_pending_new(call->token, a, b);
    if (pending == NULL)
        return false;
    while (*list != NULL)
        list = &(*list)->next;
    *list = pending;
    call->kept = true;
    return true;
}

void event_do_eventfd_read(struct event_call *call,
                           const struct aramid_event_eventfd_read_request *request,
                           struct aramid_event_eventfd_read_reply *reply)
{
    struct event_object *object = call->object;
    if (object == NULL || object->kind != EVENT_EVENTFD) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    uint64_t value;
    /* Earlier readers first: a new read may not overtake a kept one. */
    long result = object->readers == NULL ? event_counter_take(object, &value) : -ARAMID_EAGAIN;
    if (result == -ARAMID_EAGAIN && !request->nonblock) {
        if (!event_keep(call, &object->readers, 0, 0)) {
            reply->result = -ARAMID_ENOMEM;
            return;
        }
        /* Set the flag, then re-check: a client's fast write since our try is seen now. */
        event_flags_publish(object);
        event_eventfd_changed(object, false);
        return;
    }
    reply->result = result;
    if (result == 0) {
        reply->value = (long)value;
        event_eventfd_changed(object, false);
    }
    /* A fast-path client may have changed the counter without telling: readiness from now. */
    if (result == -ARAMID_EAGAIN)
        event_eventfd_changed(object, false);
}

void event_do_eventfd_write(struct event_call *call,
                            const struct aramid_event_eventfd_write_request *request,
                            struct aramid_event_eventfd_write_reply *reply)
{
    struct event_object *object = call->object;
    if (object == NULL || object->kind != EVENT_EVENTFD) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    long result = object->writers == NULL
                      ? event_counter_add(object, (uint64_t)request->value)
                      : ((uint64_t)request->value == UINT64_MAX ? -ARAMID_EINVAL : -ARAMID_EAGAIN);
    if (result == -ARAMID_EAGAIN && !request->nonblock) {
        if (!event_keep(call, &object->writers, request->value, 0)) {
            reply->result = -ARAMID_ENOMEM;
            return;
        }
        event_flags_publish(object);
        event_eventfd_changed(object, false);
        return;
    }
    reply->result = result;
    if (result == 0)
        event_eventfd_changed(object, true);
}

void event_eventfd_changed(struct event_object *object, bool event)
{
    bool progress = true;
    while (progress) {
        progress = false;
        uint64_t value;
        while (object->readers != NULL && event_counter_take(object, &value) == 0) {
            struct event_pending *reader = object->readers;
            long words[1] = {(long)value};
            object->readers = reader->next;
            /* A reader that died meanwhile takes nothing: its value goes back. */
            if (aramid_server_answer(reader->token, 0, words, 1, 0, 0) < 0)
                event_counter_give_back(object, value);
            aramid_heap_free(reader, sizeof(*reader));
            progress = true;
        }
        while (object->writers != NULL &&
               event_counter_add(object, (uint64_t)object->writers->a) == 0) {
            struct event_pending *writer = object->writers;
            object->writers = writer->next;
            aramid_server_answer(writer->token, 0, NULL, 0, 0, 0);
            aramid_heap_free(writer, sizeof(*writer));
            progress = true;
            event = true;
        }
    }
    event_flags_publish(object);
    interest_object_update(&object->watched, event_counter_poll(object), event);
}
