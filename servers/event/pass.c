/* SCM_RIGHTS of eventfds and epoll sets: passes in flight, adopted by the receiver or dropped. */
#include "event.h"

/*
 * A pass is a token naming one object: its slot in the low bits (so adopt finds the object
 * without a search of all objects) and 36 unguessable bits above them; the object's pass list
 * says which tokens are live. Invariant: pass_count is the length of passes, and an object
 * with passes is never destroyed (event_object_unused), so the description a sender passed is
 * there when the receiver adopts it, even if every holder closed it meanwhile.
 */
#define EVENT_PASS_SLOT_BITS 20
#define EVENT_PASS_RANDOM_MASK ((1ul << 36) - 1)
_Static_assert(EVENT_PASS_SLOT_BITS + 36 <= 56, "a token leaves the attachment's bits free");

static unsigned long event_pass_serial;

/* A new token for object: not secret against the kernel, only unguessable for a process that
 * was never sent it (the same mixing as the objects' cookies). */
static unsigned long event_pass_token(const struct event_object *object)
{
    unsigned long x = object->id ^ (++event_pass_serial << 24) ^ aramid_clock_monotonic_ns() ^
                      0x9e3779b97f4a7c15ul;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdul;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ul;
    x ^= x >> 33;
    unsigned long random = (x & EVENT_PASS_RANDOM_MASK) | 1;
    return random << EVENT_PASS_SLOT_BITS | event_object_slot_of(object);
}

/* Takes the pass token off its object's list: the object, or NULL for an unknown token. */
static struct event_object *event_pass_take(unsigned long token)
{
    struct event_object *object =
        event_object_slot(token & ((1ul << EVENT_PASS_SLOT_BITS) - 1));
    if (object == NULL || object->kind == EVENT_FOREIGN || token == 0)
        return NULL;
    for (struct event_pass **link = &object->passes; *link != NULL; link = &(*link)->next) {
        if ((*link)->token != token)
            continue;
        struct event_pass *pass = *link;
        *link = pass->next;
        aramid_heap_free(pass, sizeof(*pass));
        object->pass_count--;
        return object;
    }
    return NULL;
}

void event_passes_free(struct event_object *object)
{
    while (object->passes != NULL) {
        struct event_pass *pass = object->passes;
        object->passes = pass->next;
        aramid_heap_free(pass, sizeof(*pass));
    }
    object->pass_count = 0;
}

void event_do_pass(struct event_call *call, const struct aramid_event_pass_request *request,
                   struct aramid_event_pass_reply *reply)
{
    (void)request;
    struct event_object *object = call->object;
    if (object == NULL || object->kind == EVENT_FOREIGN ||
        !aramid_holders_has(&object->holders, (long)call->sender)) {
        reply->result = -ARAMID_EBADF;
        return;
    }
    if (object->pass_count >= ARAMID_EVENT_PASSES_MAX) {
        reply->result = -ARAMID_ETOOMANYREFS;
        return;
    }
    struct event_pass *pass = aramid_heap_alloc(sizeof(*pass));
    if (pass == NULL) {
        reply->result = -ARAMID_ENOMEM;
        return;
    }
    pass->token = event_pass_token(object);
    pass->next = object->passes;
    object->passes = pass;
    object->pass_count++;
    reply->token = (long)pass->token;
    reply->result = 0;
}

void event_do_adopt(struct event_call *call, const struct aramid_event_adopt_request *request,
                    struct aramid_event_adopt_reply *reply)
{
    if (call->object != NULL) {
        reply->result = -ARAMID_EINVAL; /* a plain-endpoint call */
        return;
    }
    struct event_object *object = event_object_slot((unsigned long)request->token &
                                                    ((1ul << EVENT_PASS_SLOT_BITS) - 1));
    bool known = false;
    for (struct event_pass *pass = object != NULL && object->kind != EVENT_FOREIGN
                                       ? object->passes
                                       : NULL;
         pass != NULL && !known; pass = pass->next)
        known = pass->token == (unsigned long)request->token;
    if (!known) {
        reply->result = -ARAMID_EBADF;
        return;
    }
    bool named = request->named != 0;
    if (named && object->kind != EVENT_EVENTFD) {
        reply->result = -ARAMID_EMFILE; /* an epoll set is reached only through a handle */
        return;
    }
    long handle = named ? 0 : event_object_mint(object);
    long result = handle < 0 ? handle : aramid_holders_add(&object->holders, (long)call->sender);
    if (result < 0) {
        if (handle > 0)
            (void)sys_handle_close(handle);
        reply->result = result; /* the pass stays: a retry or a drop ends it */
        return;
    }
    call->grant = handle;
    (void)event_pass_take((unsigned long)request->token);
    reply->id = (long)object->id;
    reply->cookie = (long)object->cookie;
    reply->kind =
        object->kind == EVENT_EVENTFD ? ARAMID_EVENT_KIND_EVENTFD : ARAMID_EVENT_KIND_EPOLL;
    if (object->kind == EVENT_EVENTFD && object->counter.semaphore)
        reply->kind |= ARAMID_EVENT_KIND_SEMAPHORE;
    reply->result = 0;
}

void event_do_pass_drop(struct event_call *call,
                        const struct aramid_event_pass_drop_request *request,
                        struct aramid_event_pass_drop_reply *reply)
{
    if (call->object != NULL) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    struct event_object *object = event_pass_take((unsigned long)request->token);
    if (object == NULL) {
        reply->result = -ARAMID_EBADF;
        return;
    }
    reply->result = 0;
    if (event_object_unused(object))
        event_object_destroy(object);
}
