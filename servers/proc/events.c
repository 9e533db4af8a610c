/* The process-event feed: fork, spawn, exec and exit records queued for each subscribed server,
 * so that servers can keep per-process state that follows their clients. */
#include "proc.h"

#include "kstring.h"

#define PROC_EVENT_SUBSCRIBERS 8
#define PROC_EVENT_QUEUE 512

/* Invariant: a slot is free when notification is 0; queue[(head + i) % PROC_EVENT_QUEUE] for
 * i < count are the records not read yet, oldest first. */
struct proc_subscriber {
    unsigned long sender; /* the subscriber's kernel process id */
    long notification;    /* proc's handle; signalled with bit 0 when records are queued */
    struct aramid_proc_event queue[PROC_EVENT_QUEUE];
    unsigned head;
    unsigned count;
    bool lost;   /* records were dropped because the queue was full */
    bool system; /* a system server init started (not in the process table) */
};

static struct proc_subscriber proc_subscribers[PROC_EVENT_SUBSCRIBERS];

static struct proc_subscriber *proc_subscriber_find(unsigned long sender)
{
    for (size_t i = 0; i < PROC_EVENT_SUBSCRIBERS; i++)
        if (proc_subscribers[i].notification > 0 && proc_subscribers[i].sender == sender)
            return &proc_subscribers[i];
    return NULL;
}

/* A free slot for sender's subscription: 0 and *slot_out, -EBUSY when sender has one already,
 * -ENOSPC when every slot is taken. */
static long proc_subscriber_take(unsigned long sender, struct proc_subscriber **slot_out)
{
    if (proc_subscriber_find(sender) != NULL)
        return -ARAMID_EBUSY;
    struct proc_subscriber *slot = proc_subscriber_find(0);
    for (size_t i = 0; slot == NULL && i < PROC_EVENT_SUBSCRIBERS; i++)
        if (proc_subscribers[i].notification <= 0)
            slot = &proc_subscribers[i];
    if (slot == NULL)
        return -ARAMID_ENOSPC;
    *slot_out = slot;
    return 0;
}

void proc_events_post(long kind, const struct proc_entry *entry, const struct proc_entry *parent)
{
    struct aramid_proc_event event = {
        .kind = kind,
        .process = (long)entry->badge,
        .parent = parent ? (long)parent->badge : 0,
        .pid = entry->pid,
    };
    for (size_t i = 0; i < PROC_EVENT_SUBSCRIBERS; i++) {
        struct proc_subscriber *subscriber = &proc_subscribers[i];
        if (subscriber->notification <= 0)
            continue;
        if (kind == ARAMID_PROC_EVENT_EXIT && subscriber->sender == entry->badge) {
            (void)sys_handle_close(subscriber->notification); /* the subscriber itself died */
            memset(subscriber, 0, sizeof(*subscriber));
            continue;
        }
        if (subscriber->count == PROC_EVENT_QUEUE) {
            subscriber->lost = true;
            continue;
        }
        subscriber->queue[(subscriber->head + subscriber->count) % PROC_EVENT_QUEUE] = event;
        if (subscriber->count++ == 0)
            (void)sys_notify_signal(subscriber->notification, 1);
    }
}

bool proc_events_system_server(unsigned long sender)
{
    const struct proc_subscriber *subscriber = proc_subscriber_find(sender);
    return subscriber != NULL && subscriber->system;
}

enum proc_action proc_do_events_subscribe(struct proc_call *call,
                                          const struct aramid_proc_events_subscribe_request *request,
                                          struct aramid_proc_events_subscribe_reply *reply)
{
    (void)request;
    struct proc_entry *caller = call->caller;
    if (caller == NULL) {
        /* A system server init started: it brought its own notification. */
        struct proc_subscriber *slot = NULL;
        long taken = proc_subscriber_take(call->sender, &slot);
        if (taken < 0 || call->granted <= 0) {
            reply->result = taken < 0 ? taken : -ARAMID_EINVAL;
            return PROC_REPLY;
        }
        memset(slot, 0, sizeof(*slot));
        slot->sender = call->sender;
        slot->notification = call->granted;
        slot->system = true;
        call->granted = 0; /* kept */
        reply->result = 0;
        return PROC_REPLY;
    }
    if (caller->process <= 0) {
        reply->result = -ARAMID_EPERM; /* init: proc cannot grant into it */
        return PROC_REPLY;
    }
    struct proc_subscriber *slot = NULL;
    long taken = proc_subscriber_take(caller->badge, &slot);
    if (taken < 0) {
        reply->result = taken;
        return PROC_REPLY;
    }
    long notification = sys_notification_create(0, 0);
    if (notification < 0) {
        reply->result = notification;
        return PROC_REPLY;
    }
    long granted = sys_handle_grant(caller->process, notification, ARAMID_RIGHT_WAIT);
    if (granted < 0) {
        (void)sys_handle_close(notification);
        reply->result = granted;
        return PROC_REPLY;
    }
    memset(slot, 0, sizeof(*slot));
    slot->sender = caller->badge;
    slot->notification = notification;
    reply->result = 0;
    reply->notification = granted;
    return PROC_REPLY;
}

enum proc_action proc_do_events_read(struct proc_call *call,
                                     const struct aramid_proc_events_read_request *request,
                                     struct aramid_proc_events_read_reply *reply)
{
    (void)request;
    struct proc_subscriber *subscriber = proc_subscriber_find(call->sender);
    if (subscriber == NULL) {
        reply->result = -ARAMID_ENOENT;
        return PROC_REPLY;
    }
    struct aramid_proc_event *out = call->reply_buffer;
    unsigned count = 0;
    while (subscriber->count > 0 && count < ARAMID_PROC_EVENTS_PER_READ) {
        out[count++] = subscriber->queue[subscriber->head];
        subscriber->head = (subscriber->head + 1) % PROC_EVENT_QUEUE;
        subscriber->count--;
    }
    call->reply_bytes = count * sizeof(*out);
    reply->result = count;
    reply->lost = subscriber->lost;
    subscriber->lost = false;
    return PROC_REPLY;
}
