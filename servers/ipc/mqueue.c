/* POSIX message queues: open, unlink, send and receive with kept calls, attributes and the
 * one-process notification, with Linux's rules (ipc/mqueue.c). */
#include "ipc.h"

#include "kstring.h"

#define IPC_O_ACCMODE 03
#define IPC_O_CREAT 0100
#define IPC_O_EXCL 0200
/* Linux charges each queue's worst case to its creator's user, against RLIMIT_MSGQUEUE
 * (819,200 bytes by default): maxmsg * (msgsize + struct msg_msg + a tree node, 96 bytes).
 * One user here, so one account. */
#define IPC_MQ_BYTES_LIMIT 819200ul
#define IPC_MQ_BYTES_PER_MESSAGE 96ul
static unsigned long ipc_mq_bytes;

static unsigned long ipc_mq_charge(const struct mq_queue *queue)
{
    return queue->maxmsg * (queue->msgsize + IPC_MQ_BYTES_PER_MESSAGE);
}

static struct ipc_pending *ipc_pending_new(const struct ipc_call *call, unsigned long deadline)
{
    struct ipc_pending *pending = aramid_heap_alloc(sizeof(*pending));
    if (pending == NULL)
        return NULL;
    pending->token = call->token;
    pending->sender = call->sender;
    pending->deadline = deadline;
    return pending;
}

/* Appends pending to the list at head (FIFO: Linux orders waiters by thread priority, which
 * is equal here). */
static void ipc_pending_append(struct ipc_pending **head, struct ipc_pending *pending)
{
    while (*head != NULL)
        head = &(*head)->next;
    pending->next = NULL;
    *head = pending;
}

static struct ipc_pending *ipc_pending_pop(struct ipc_pending **head)
{
    struct ipc_pending *pending = *head;
    if (pending != NULL)
        *head = pending->next;
    return pending;
}

static void ipc_message_free(struct mq_message *message)
{
    if (message != NULL)
        aramid_heap_free(message, sizeof(*message) + message->length);
}

static void ipc_pending_free(struct ipc_pending *pending)
{
    ipc_message_free(pending->message);
    aramid_heap_free(pending, sizeof(*pending));
}

static void ipc_pending_free_all(struct ipc_pending **head)
{
    struct ipc_pending *pending;
    while ((pending = ipc_pending_pop(head)) != NULL)
        ipc_pending_free(pending);
}

static void ipc_watches_drop(struct ipc_object *object, unsigned long sender);

void ipc_mq_destroy(struct ipc_object *object)
{
    ipc_watches_drop(object, 0);
    ipc_mq_bytes -= ipc_mq_charge(&object->queue);
    struct mq_message *message;
    while ((message = mq_queue_take(&object->queue)) != NULL)
        ipc_message_free(message);
    ipc_pending_free_all(&object->senders);
    ipc_pending_free_all(&object->receivers);
    ipc_pending_free_all(&object->notify_waiters);
}

/* The answer to a kept call whose deadline may have passed. */
static long ipc_pending_timeout(const struct ipc_pending *pending)
{
    return pending->deadline != 0 && aramid_clock_monotonic_ns() >= pending->deadline
               ? -ARAMID_ETIMEDOUT
               : -ARAMID_EINTR;
}

/* Finds token in the list at head: answers it with -ETIMEDOUT or -EINTR. */
static bool ipc_pending_cancel(struct ipc_pending **head, unsigned long token)
{
    for (; *head != NULL; head = &(*head)->next) {
        struct ipc_pending *pending = *head;
        if (pending->token != token)
            continue;
        *head = pending->next;
        (void)aramid_server_answer(token, ipc_pending_timeout(pending), NULL, 0, 0, 0);
        ipc_pending_free(pending);
        return true;
    }
    return false;
}

/* Drops the kept calls of process from the list (their answers would go nowhere). */
static void ipc_pending_drop(struct ipc_pending **head, unsigned long process)
{
    while (*head != NULL) {
        struct ipc_pending *pending = *head;
        if (pending->sender == process) {
            *head = pending->next;
            ipc_pending_free(pending);
        } else {
            head = &pending->next;
        }
    }
}

void ipc_cancel(unsigned long token)
{
    unsigned long at = 0;
    for (struct ipc_object *object; (object = ipc_object_next(IPC_MQ, at, &at)) != NULL; at++)
        if (ipc_pending_cancel(&object->senders, token) ||
            ipc_pending_cancel(&object->receivers, token) ||
            ipc_pending_cancel(&object->notify_waiters, token))
            return;
}

/* The registration of process went: its notification waiters learn it (-ENOENT). */
void ipc_mq_closed(struct ipc_object *object, unsigned long process)
{
    if (object->notify_owner == process)
        object->notify_owner = 0;
    for (struct ipc_pending **head = &object->notify_waiters; *head != NULL;) {
        struct ipc_pending *pending = *head;
        if (pending->sender != process) {
            head = &pending->next;
            continue;
        }
        *head = pending->next;
        (void)aramid_server_answer(pending->token, -ARAMID_ENOENT, NULL, 0, 0, 0);
        ipc_pending_free(pending);
    }
}

void ipc_mq_process_gone(unsigned long process)
{
    unsigned long at = 0;
    for (struct ipc_object *object; (object = ipc_object_next(IPC_MQ, at, &at)) != NULL; at++) {
        ipc_pending_drop(&object->senders, process);
        ipc_pending_drop(&object->receivers, process);
        ipc_pending_drop(&object->notify_waiters, process);
        if (object->notify_owner == process)
            object->notify_owner = 0;
    }
}

/* A message went into the empty queue with nobody in mq_receive: the registered process is
 * told once and its registration goes (Linux's __do_notify). */
static void ipc_notify_fire(struct ipc_object *object, long sender)
{
    unsigned long owner = object->notify_owner;
    if (owner == 0 || object->queue.count != 1)
        return;
    object->notify_owner = 0;
    object->notify_sender = sender;
    for (struct ipc_pending **head = &object->notify_waiters; *head != NULL;
         head = &(*head)->next) {
        struct ipc_pending *pending = *head;
        if (pending->sender != owner || pending->generation != object->notify_generation)
            continue;
        *head = pending->next;
        long answered = aramid_server_answer(pending->token, 0, &sender, 1, 0, 0);
        ipc_pending_free(pending);
        if (answered == 0)
            return;
        break;
    }
    object->notify_fired = true; /* its waiter has not come yet */
}

void ipc_do_mq_open(struct ipc_call *call, const struct aramid_ipcs_mq_open_request *request,
                    struct aramid_ipcs_mq_open_reply *reply)
{
    char name[ARAMID_IPCS_NAME_MAX + 1];
    long result = call->object != NULL ? -ARAMID_EINVAL : ipc_name_read(call, name);
    long flags = request->flags;
    if (result < 0) {
        reply->result = result;
        return;
    }
    struct ipc_object *object = ipc_object_lookup(IPC_MQ, name);
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
        long maxmsg = request->maxmsg, msgsize = request->msgsize;
        if (maxmsg == 0 && msgsize == 0) {
            maxmsg = ARAMID_IPCS_MQ_MAXMSG_DEFAULT;
            msgsize = ARAMID_IPCS_MQ_MSGSIZE_DEFAULT;
        } else if (maxmsg <= 0 || msgsize <= 0 || maxmsg > ARAMID_IPCS_MQ_MAXMSG_LIMIT ||
                   msgsize > ARAMID_IPCS_MQ_MSGSIZE_LIMIT) {
            reply->result = -ARAMID_EINVAL;
            return;
        }
        struct mq_queue queue;
        mq_queue_init(&queue, (unsigned)maxmsg, (size_t)msgsize);
        if (ipc_mq_bytes + ipc_mq_charge(&queue) > IPC_MQ_BYTES_LIMIT) {
            reply->result = -ARAMID_EMFILE; /* Linux's answer past RLIMIT_MSGQUEUE */
            return;
        }
        object = ipc_object_create(IPC_MQ, name, call->sender);
        if (object == NULL) {
            reply->result = -ARAMID_ENFILE;
            return;
        }
        object->mode = (unsigned long)request->mode & 07777ul;
        object->queue = queue;
        ipc_mq_bytes += ipc_mq_charge(&queue);
        created = true;
    } else if ((flags & IPC_O_ACCMODE) == IPC_O_ACCMODE) {
        reply->result = -ARAMID_EINVAL; /* Linux refuses it only for a queue that exists */
        return;
    } else if ((result = ipc_object_hold(object, call->sender)) < 0) {
        reply->result = result;
        return;
    }
    /* Linux's OPEN_FMODE: (flags + 1) & O_ACCMODE gives read (1) and write (2); 3 gives none. */
    unsigned long mode = ((unsigned long)flags + 1) & IPC_O_ACCMODE;
    unsigned long access = (mode & 2 ? ARAMID_IPCS_BADGE_WRITE : 0) |
                           (mode & 1 ? ARAMID_IPCS_BADGE_READ : 0);
    long handle = ipc_object_mint_opened(object, access, created, call->sender);
    if (handle < 0) {
        reply->result = handle;
        return;
    }
    call->grant = handle;
    reply->result = 0;
    reply->id = (long)(ARAMID_READY_ID_IPC | object->id); /* as ready_poll names it */
}

void ipc_do_mq_unlink(struct ipc_call *call, const struct aramid_ipcs_mq_unlink_request *request,
                      struct aramid_ipcs_mq_unlink_reply *reply)
{
    (void)request;
    reply->result = ipc_object_unlink_named(call, IPC_MQ);
}

/* The queue the call is about when it may use it for access (else -EBADF). */
static struct ipc_object *ipc_mq_of(const struct ipc_call *call, unsigned long access,
                                    long *result)
{
    struct ipc_object *object = call->object;
    if (object == NULL || object->kind != IPC_MQ || (access & ~call->access) != 0) {
        *result = -ARAMID_EBADF;
        return NULL;
    }
    *result = 0;
    return object;
}

/* A deadline (0: none) that has passed. */
static bool ipc_deadline_passed(long deadline)
{
    return deadline != 0 && aramid_clock_monotonic_ns() >= (unsigned long)deadline;
}

/* The message goes straight to the first kept receiver that is still there; false when
 * there is none (the message stays the caller's). */
static bool ipc_mq_hand_over(struct ipc_object *object, const struct mq_message *message)
{
    struct ipc_pending *receiver;
    while ((receiver = ipc_pending_pop(&object->receivers)) != NULL) {
        long answered = ipc_answer_bulk(receiver->token, (long)message->length,
                                        (long)message->priority, message->data, message->length);
        ipc_pending_free(receiver);
        if (answered == 0)
            return true;
    }
    return false;
}

void ipc_do_mq_send(struct ipc_call *call, const struct aramid_ipcs_mq_send_request *request,
                    struct aramid_ipcs_mq_send_reply *reply)
{
    long result;
    struct ipc_object *object = ipc_mq_of(call, ARAMID_IPCS_BADGE_WRITE, &result);
    if (object != NULL)
        result = request->length < 0 ? -ARAMID_EINVAL
                                     : mq_queue_check_send(&object->queue, (size_t)request->length,
                                                           (unsigned long)request->priority);
    if (result < 0) {
        reply->result = result;
        return;
    }
    size_t length = (size_t)request->length;
    struct mq_message *message = aramid_heap_alloc(sizeof(*message) + length);
    if (message == NULL) {
        reply->result = -ARAMID_ENOMEM;
        return;
    }
    message->priority = (unsigned)request->priority;
    message->length = length;
    if ((result = ipc_bulk_in(call, message->data, length)) < 0 ||
        ipc_mq_hand_over(object, message)) {
        ipc_message_free(message);
        reply->result = result;
        return;
    }
    bool full = mq_queue_full(&object->queue);
    struct ipc_pending *pending = NULL;
    if (full && request->nonblock)
        result = -ARAMID_EAGAIN;
    else if (full && ipc_deadline_passed(request->deadline))
        result = -ARAMID_ETIMEDOUT;
    else if (full && (pending = ipc_pending_new(call, (unsigned long)request->deadline)) == NULL)
        result = -ARAMID_ENOMEM;
    if (result < 0) {
        ipc_message_free(message);
        reply->result = result;
        return;
    }
    if (full) {
        pending->message = message;
        ipc_pending_append(&object->senders, pending);
        call->kept = true;
        return;
    }
    mq_queue_insert(&object->queue, message);
    ipc_notify_fire(object, request->sender);
    ipc_mq_changed(object);
    reply->result = 0;
}

void ipc_do_mq_receive(struct ipc_call *call,
                       const struct aramid_ipcs_mq_receive_request *request,
                       struct aramid_ipcs_mq_receive_reply *reply)
{
    long result;
    struct ipc_object *object = ipc_mq_of(call, ARAMID_IPCS_BADGE_READ, &result);
    if (object != NULL && (request->capacity < 0 ||
                           (size_t)request->capacity < object->queue.msgsize))
        result = -ARAMID_EMSGSIZE;
    if (result < 0) {
        reply->result = result;
        return;
    }
    struct mq_message *message = mq_queue_take(&object->queue);
    if (message == NULL) {
        struct ipc_pending *pending;
        if (request->nonblock)
            reply->result = -ARAMID_EAGAIN;
        else if (ipc_deadline_passed(request->deadline))
            reply->result = -ARAMID_ETIMEDOUT;
        else if ((pending = ipc_pending_new(call, (unsigned long)request->deadline)) == NULL)
            reply->result = -ARAMID_ENOMEM;
        else {
            pending->capacity = (size_t)request->capacity;
            ipc_pending_append(&object->receivers, pending);
            call->kept = true;
        }
        return;
    }
    long bytes = ipc_bulk_out(message->data, message->length, &call->grant);
    if (bytes < 0) {
        mq_queue_insert(&object->queue, message); /* it stays first: nothing else was taken */
        reply->result = bytes;
        return;
    }
    call->reply_bytes = (size_t)bytes;
    reply->result = (long)message->length;
    reply->priority = (long)message->priority;
    ipc_message_free(message);
    ipc_mq_changed(object);
    /* Room was made: the first kept sender that is still there gets its message in. */
    struct ipc_pending *sender;
    while ((sender = ipc_pending_pop(&object->senders)) != NULL) {
        struct mq_message *waiting = sender->message;
        sender->message = NULL;
        long answered = aramid_server_answer(sender->token, 0, NULL, 0, 0, 0);
        ipc_pending_free(sender);
        if (answered == 0) {
            mq_queue_insert(&object->queue, waiting);
            break;
        }
        ipc_message_free(waiting);
    }
}

void ipc_do_mq_getattr(struct ipc_call *call,
                       const struct aramid_ipcs_mq_getattr_request *request,
                       struct aramid_ipcs_mq_getattr_reply *reply)
{
    (void)request;
    long result;
    struct ipc_object *object = ipc_mq_of(call, 0, &result);
    reply->result = result;
    if (object == NULL)
        return;
    reply->maxmsg = object->queue.maxmsg;
    reply->msgsize = (long)object->queue.msgsize;
    reply->curmsgs = object->queue.count;
}

void ipc_do_mq_notify(struct ipc_call *call, const struct aramid_ipcs_mq_notify_request *request,
                      struct aramid_ipcs_mq_notify_reply *reply)
{
    long result;
    struct ipc_object *object = ipc_mq_of(call, 0, &result);
    if (object == NULL) {
        reply->result = result;
        return;
    }
    reply->result = 0;
    if (request->registration == 0) {
        if (object->notify_owner == call->sender)
            ipc_mq_closed(object, call->sender);
        return;
    }
    if (object->notify_owner != 0) {
        reply->result = -ARAMID_EBUSY;
        return;
    }
    object->notify_owner = call->sender;
    object->notify_generation++;
    object->notify_fired = false;
    reply->generation = (long)object->notify_generation;
}

void ipc_do_mq_notify_wait(struct ipc_call *call,
                           const struct aramid_ipcs_mq_notify_wait_request *request,
                           struct aramid_ipcs_mq_notify_wait_reply *reply)
{
    long result;
    struct ipc_object *object = ipc_mq_of(call, 0, &result);
    if (object == NULL) {
        reply->result = result;
        return;
    }
    bool current = (unsigned long)request->generation == object->notify_generation;
    if (current && object->notify_fired) {
        object->notify_fired = false;
        reply->result = 0;
        reply->sender = object->notify_sender;
        return;
    }
    if (!current || object->notify_owner != call->sender) {
        reply->result = -ARAMID_ENOENT;
        return;
    }
    struct ipc_pending *pending = ipc_pending_new(call, 0);
    if (pending == NULL) {
        reply->result = -ARAMID_ENOMEM;
        return;
    }
    pending->generation = (unsigned long)request->generation;
    ipc_pending_append(&object->notify_waiters, pending);
    call->kept = true;
}

/* --- readiness for the event server (aramid/proto/ready.h) --- */

static unsigned long ipc_mq_poll_bits(const struct ipc_object *object)
{
    unsigned long bits = 0;
    if (object->queue.count > 0)
        bits |= ARAMID_POLLIN | ARAMID_POLLRDNORM;
    if (!mq_queue_full(&object->queue))
        bits |= ARAMID_POLLOUT | ARAMID_POLLWRNORM;
    return bits;
}

void ipc_mq_changed(struct ipc_object *object)
{
    object->generation++;
    for (struct ipc_watch *watch = object->watches; watch != NULL; watch = watch->next)
        (void)sys_notify_signal(watch->notification, ARAMID_READY_CHANGED);
}

void ipc_do_ready_poll(struct ipc_call *call, const struct aramid_ipcs_ready_poll_request *request,
                       struct aramid_ipcs_ready_poll_reply *reply)
{
    (void)request;
    long result;
    struct ipc_object *object = ipc_mq_of(call, 0, &result);
    reply->result = result;
    if (object == NULL)
        return;
    reply->bits = (long)ipc_mq_poll_bits(object);
    reply->generation = (long)object->generation;
    reply->id = (long)(ARAMID_READY_ID_IPC | object->id);
}

void ipc_do_ready_watch(struct ipc_call *call,
                        const struct aramid_ipcs_ready_watch_request *request,
                        struct aramid_ipcs_ready_watch_reply *reply)
{
    (void)request;
    long result;
    struct ipc_object *object = ipc_mq_of(call, 0, &result);
    struct ipc_watch *watch = NULL;
    if (object == NULL || call->granted <= 0 ||
        (watch = aramid_heap_alloc(sizeof(*watch))) == NULL) {
        reply->result = object == NULL || call->granted <= 0 ? -ARAMID_EINVAL : -ARAMID_ENOMEM;
        return;
    }
    *watch = (struct ipc_watch){.next = object->watches, .notification = call->granted,
                                .sender = call->sender};
    call->granted = 0;
    object->watches = watch;
    reply->result = 0;
}

/* Drops the watches sender made on object (every watch when sender is 0: the queue goes, and
 * its watchers are told so). */
static void ipc_watches_drop(struct ipc_object *object, unsigned long sender)
{
    for (struct ipc_watch **link = &object->watches; *link != NULL;) {
        struct ipc_watch *watch = *link;
        if (sender != 0 && watch->sender != sender) {
            link = &watch->next;
            continue;
        }
        *link = watch->next;
        if (sender == 0)
            (void)sys_notify_signal(watch->notification, ARAMID_READY_GONE);
        (void)sys_handle_close(watch->notification);
        aramid_heap_free(watch, sizeof(*watch));
    }
}

void ipc_do_ready_unwatch(struct ipc_call *call,
                          const struct aramid_ipcs_ready_unwatch_request *request,
                          struct aramid_ipcs_ready_unwatch_reply *reply)
{
    (void)request;
    long result;
    struct ipc_object *object = ipc_mq_of(call, 0, &result);
    reply->result = result;
    if (object != NULL)
        ipc_watches_drop(object, call->sender);
}
