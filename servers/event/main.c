/* The event server: its start from init's hand-over page and the receive loop. */
#include "event.h"

#include <aramid/server.h>

#include "kstring.h"

struct event_globals event;

void event_do_close(struct event_call *call, const struct aramid_event_close_request *request,
                    struct aramid_event_close_reply *reply)
{
    (void)request;
    if (call->object == NULL || call->object->kind == EVENT_FOREIGN) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    reply->result = 0;
    event_object_release(call->object, call->sender);
}

static long event_start(unsigned long argument)
{
    struct aramid_server_handles handles = {0};
    long result = aramid_server_start(argument, ARAMID_EVENT_BOOT_MAGIC, EVENT_KEY_PROC, &handles);
    event.endpoint = handles.endpoint;
    event.space = handles.space;
    event.proc = handles.proc;
    event.notifications = handles.notifications;
    event.proc_feed = handles.proc_feed;
    event.sock = handles.sock;
    return result;
}

/* A notification: proc's feed, or an owner telling that a watched object changed. */
static void event_notified_key(unsigned long bits, unsigned long key)
{
    if (key == EVENT_KEY_PROC) {
        event_objects_feed();
    } else if (key & EVENT_KEY_OBJECT) {
        struct event_object *object = event_object_slot(key & ~EVENT_KEY_OBJECT);
        if (object != NULL && object->kind == EVENT_FOREIGN)
            event_foreign_notified(object, bits);
    }
}

void event_notifications_drain(void)
{
    /* Owners signal before they answer the call that changed an object, so what a client saw
     * happen before its epoll_wait is in these bits; take them all first. */
    unsigned long key;
    long bits;
    while ((bits = aramid_notify_poll(event.notifications, &key)) > 0 || key != 0) {
        event_notified_key((unsigned long)(bits > 0 ? bits : 0), key);
        key = 0;
    }
}

/* The calls a named eventfd makes on the plain endpoint (at most 3 request words each). */
static bool event_named_label(unsigned label)
{
    return label == ARAMID_EVENT_eventfd_read || label == ARAMID_EVENT_eventfd_write ||
           label == ARAMID_EVENT_close || label == ARAMID_EVENT_poll_object ||
           label == ARAMID_EVENT_sync || label == ARAMID_EVENT_pass;
}
_Static_assert(sizeof(struct aramid_event_eventfd_write_request) <=
                   ARAMID_EVENT_NAMED_COOKIE * sizeof(long),
               "named calls leave the naming words free");

/* Handles one call; returns true when it is answered now (message holds the reply). */
ARAMID_SERVER_INLINE bool event_handle(struct aramid_message *message, void *buffer)
{
    unsigned label = ARAMID_IPC_LABEL(message->info);
    struct event_call call = {
        .sender = message->sender,
        .token = message->reply,
        .granted = aramid_message_granted(message),
        .buffer = buffer,
    };
    unsigned long reply[ARAMID_IPC_REGISTERS];
    if (message->badge != 0) {
        call.object = event_object_find(message->badge);
        if (call.object == NULL) {
            memset(reply, 0, sizeof(reply));
            reply[0] = (unsigned long)-ARAMID_EBADF;
            goto answer;
        }
    } else if (event_named_label(label)) {
        /* A named eventfd: the words say which, the caller must hold it. */
        struct event_object *object = event_object_find(message->words[ARAMID_EVENT_NAMED_ID]);
        if (object == NULL || object->kind != EVENT_EVENTFD ||
            object->cookie != message->words[ARAMID_EVENT_NAMED_COOKIE] ||
            !aramid_holders_has(&object->holders, (long)message->sender)) {
            memset(reply, 0, sizeof(reply));
            reply[0] = (unsigned long)-ARAMID_EBADF;
            goto answer;
        }
        call.object = object;
    }
    if (ARAMID_IPC_BUFFER_BYTES(message->info) > ARAMID_IPC_BUFFER_SIZE) {
        memset(reply, 0, sizeof(reply));
        reply[0] = (unsigned long)-ARAMID_EINVAL;
        goto answer;
    }
    event_dispatch(&call, label, message->words, reply);
answer:
    return aramid_server_finish(message, label, reply, call.granted, call.kept, call.reply_bytes,
                                call.grant);
}

/* After an answer that went first (kept epoll_waits reuse the IPC buffer), or a notification:
 * the kept waits that can be answered now are, and the snapshots show it. */
static void event_service(void)
{
    event_epoll_service();
    event_snapshots_publish();
}

/* Snapshots are published before every answer: what the caller sees done is in them when it
 * reads them. With no kept epoll_wait the answer and the next wait are one call. */
static const struct aramid_server_loop event_loop = {
    .name = "event",
    .feed_key = EVENT_KEY_PROC,
    .feed = event_objects_feed,
    .notified = event_notified_key,
    .cancel = event_cancel,
    .handle = event_handle,
    .settle = event_snapshots_publish,
    .reply_first = event_epoll_has_waiters,
    .service = event_service,
};

int aramid_main(unsigned long argument)
{
    long result = event_start(argument);
    if (result < 0) {
        aramid_printf("event: bad start (%ld)\n", result);
        return 1;
    }
    return aramid_server_serve(&event_loop, event.endpoint);
}
