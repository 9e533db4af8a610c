/* Socket data: send and recv over the receive queues, kept readers and writers, SCM_RIGHTS in
 * flight, cancel notices (readiness and its watchers: ready.c). */
#include "sock.h"

#include <aramid/proto/event.h>
#include <aramid/proto/vfs.h>

#include "kstring.h"

/* A pass that will never be received (an event pass, a vfs handoff): its owner lets what it
 * holds go, unless someone else holds it. The call carries a deadline, as the event server's
 * calls to owners do: the event server and this one call each other, and a deadline ends the
 * rare meeting (the pass then stays). */
#define SOCK_PASS_DROP_DEADLINE_NS 100000000ul

static void sock_pass_drop(aramid_handle_t owner, unsigned label, unsigned long token)
{
    if (owner <= 0)
        return;
    struct aramid_message message = {.info = ARAMID_IPC_INFO(label, 0) | ARAMID_IPC_DEADLINE,
                                     .deadline = aramid_clock_monotonic_ns() +
                                                 SOCK_PASS_DROP_DEADLINE_NS};
    message.words[0] = token;
    long result;
    do
        result = aramid_ipc_call(owner, &message);
    while (result == -ARAMID_EINTR);
}

/* An attachment dropped unread: its sockets are no longer in flight, its event passes go. */
void sock_attachment_release(long attachment)
{
    struct sock_attachment *carried = (struct sock_attachment *)attachment;
    for (unsigned i = 0; i < carried->count; i++) {
        if (carried->ids[i] & ARAMID_SOCK_ATTACH_VFS) {
            sock_pass_drop(sockd.vfs, ARAMID_VFS_handoff_drop,
                           carried->ids[i] & ~ARAMID_SOCK_ATTACH_VFS);
            continue;
        }
        if (carried->ids[i] & ARAMID_SOCK_ATTACH_EVENT) {
            sock_pass_drop(sockd.event, ARAMID_EVENT_pass_drop,
                           carried->ids[i] & ARAMID_SOCK_ATTACH_TOKEN);
            continue;
        }
        struct sock *sock = sock_find(carried->ids[i]);
        if (sock != NULL && sock->inflight > 0) {
            sock->inflight--;
            sock_maybe_destroy(sock);
        }
    }
    aramid_heap_free(carried, sizeof(*carried));
}

/* Where sock's writes go now, or Linux's error for why there is nowhere. */
static long sock_destination(struct sock *sock, const unsigned char *address, size_t length,
                             unsigned long key, struct sock **target)
{
    if (sock->shut_write)
        return -ARAMID_EPIPE;
    if (sock->type != ARAMID_SOCK_DGRAM) {
        if (length != 0)
            return sock->state == SOCK_CONNECTED ? -ARAMID_EISCONN : -ARAMID_EOPNOTSUPP;
        if (sock->state == SOCK_DISCONNECTED || (sock->state == SOCK_CONNECTED && !sock->peer))
            return -ARAMID_EPIPE;
        if (sock->state != SOCK_CONNECTED)
            return -ARAMID_ENOTCONN;
        if (sock->peer->shut_read)
            return -ARAMID_EPIPE;
        *target = sock->peer;
        return 0;
    }
    if (length != 0) {
        long result = sock_lookup_destination(address, length, key, target);
        if (result < 0)
            return result;
        if ((*target)->type != ARAMID_SOCK_DGRAM)
            return sock_type_mismatch(*target);
    } else if (sock->peer != NULL) {
        *target = sock->peer;
    } else {
        return sock->peer_closed ? -ARAMID_ECONNREFUSED : -ARAMID_ENOTCONN;
    }
    if ((*target)->shut_read)
        return -ARAMID_EPIPE;
    return 0;
}

/* The attachment a send names: every id a socket the caller holds. *out 0 when count is 0. */
static long sock_attachment_make(const unsigned char *ids, size_t count, unsigned long sender,
                                 long *out)
{
    *out = 0;
    if (count == 0)
        return 0;
    if (count > ARAMID_SOCK_ATTACH_MAX)
        return -ARAMID_EINVAL;
    struct sock_attachment *carried = aramid_heap_alloc(sizeof(*carried));
    if (carried == NULL)
        return -ARAMID_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        unsigned long id;
        memcpy(&id, ids + 8 * i, sizeof(id));
        struct sock *sock = sock_find(id);
        if (id & ARAMID_SOCK_ATTACH_CARRIED) {
            /* the vfs or the event server holds it (or the console): carried untouched */
            carried->ids[carried->count++] = id;
            continue;
        }
        if (sock == NULL || !aramid_holders_has(&sock->holders, (long)sender)) {
            aramid_heap_free(carried, sizeof(*carried));
            return -ARAMID_EBADF;
        }
        carried->ids[carried->count++] = id;
    }
    /* A socket in flight gets another holder: its sender's posix-shim left its rings. */
    for (unsigned i = 0; i < carried->count; i++)
        if (!(carried->ids[i] & ARAMID_SOCK_ATTACH_CARRIED))
            sock_ring_retire(sock_find(carried->ids[i]));
    for (unsigned i = 0; i < carried->count; i++)
        if (!(carried->ids[i] & ARAMID_SOCK_ATTACH_CARRIED))
            sock_find(carried->ids[i])->inflight++;
    *out = (long)carried;
    return 0;
}

void sock_do_send(struct sock_call *call, const struct aramid_sock_send_request *request,
                  struct aramid_sock_send_reply *reply)
{
    struct sock *sock = call->sock;
    size_t address_length = (size_t)(request->address_length & ARAMID_SOCK_ADDRESS_LENGTH);
    unsigned long key = (unsigned long)request->address_length >> ARAMID_SOCK_KEY_SHIFT;
    size_t attachments = (size_t)request->attachments, length = (size_t)request->length;
    if (sock == NULL) {
        reply->result = -ARAMID_EBADF;
        return;
    }
    if (address_length > ARAMID_SOCK_ADDRESS_MAX || attachments > ARAMID_SOCK_ATTACH_MAX ||
        length > ARAMID_IPC_BUFFER_SIZE ||
        address_length + 8 * attachments + length != call->buffer_bytes) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    const unsigned char *ids = call->buffer + address_length;
    const unsigned char *data = ids + 8 * attachments;
    if (request->nonblock & ARAMID_SOCK_RING_DETACHED)
        sock_ring_detach(sock);
    if (sock->type == ARAMID_SOCK_DGRAM && address_length != 0)
        sock_ring_retire(sock); /* an address: the server's path from now on */
    struct sock *target = NULL;
    long result = sock_destination(sock, call->buffer, address_length, key, &target);
    long attachment = 0;
    if (result == 0)
        result = sock_attachment_make(ids, attachments, call->sender, &attachment);
    if (result == 0)
        result = sockbuf_write(&target->rx, data, length, attachment, (long)sock->id);
    bool nonblock = (request->nonblock & 1) || (request->flags & ARAMID_MSG_DONTWAIT);
    if (call->sender != sock->writer_process) { /* SCM_CREDENTIALS: the verified pid */
        sock->writer_process = call->sender;
        sock->writer_pid = sock_pid_of(call->sender, request->nonblock >> ARAMID_SOCK_PID_SHIFT);
    }
    if (result == -ARAMID_EAGAIN && !nonblock) {
        struct sock_pending *pending = aramid_heap_alloc(sizeof(*pending));
        unsigned char *copy = length ? aramid_heap_alloc(length) : NULL;
        if (pending != NULL && (copy != NULL || length == 0)) {
            memcpy(copy, data, length);
            *pending = (struct sock_pending){.token = call->token, .flags = (long)sock->id,
                                             .length = length, .attachment = attachment,
                                             .data = copy, .sender = call->sender};
            struct sock_pending **tail = &target->writers;
            while (*tail != NULL)
                tail = &(*tail)->next;
            *tail = pending;
            call->kept = true;
            return;
        }
        aramid_heap_free(pending, sizeof(*pending));
        aramid_heap_free(copy, length);
        result = -ARAMID_ENOMEM;
    }
    if (result < 0 && attachment != 0)
        sock_attachment_release(attachment);
    reply->result = result;
    if (result >= 0)
        sock_changed(target, true);
    reply->ring = sock_ring_renew_bit(sock, call->sender);
}

/* One read from sock's queue into buffer as the recv reply lays it out; fills words. Returns
 * the result (bytes, or -EAGAIN when nothing is there and the socket is still open). */
static long sock_read_into(struct sock *sock, unsigned char *buffer, long flags, size_t length,
                           unsigned long reader, long words[4], size_t *bytes)
{
    if (length > ARAMID_SOCK_DATA_MAX)
        length = ARAMID_SOCK_DATA_MAX;
    struct sockbuf_read_info info;
    unsigned char data[ARAMID_SOCK_DATA_MAX];
    long result;
    /* The ring's bytes are older than the queue's: its reader takes them itself (or the server,
     * for a reader that left the rings). */
    size_t ring_full = 0;
    long taken = sock->ring == NULL || !sock->ring_server
                     ? -ARAMID_EAGAIN
                     : sock_ring_take(sock, data, length, (flags & ARAMID_MSG_PEEK) != 0,
                                      &ring_full);
    if (taken < 0 && sock->ring != NULL && !sock->ring_server && sock_ring_queued(sock) != 0) {
        words[0] = words[1] = words[2] = 0;
        words[3] = ARAMID_SOCK_RING_FIRST;
        *bytes = 0;
        return 0;
    }
    if (taken >= 0) {
        info = (struct sockbuf_read_info){.full_length = ring_full};
        if (sock->peer != NULL && sock->peer->ring == sock->ring)
            info.sender = (long)sock->peer->id; /* a datagram's: the ring's other end */
        result = taken;
    } else {
        result = sockbuf_read(&sock->rx, data, length, (int)(flags & ARAMID_MSG_PEEK), &info);
    }
    if (result == -ARAMID_EAGAIN) {
        if (sock->error) {
            result = -sock->error;
            sock->error = 0;
            return result;
        }
        if (sock->state == SOCK_LISTENING ||
            (sock->type != ARAMID_SOCK_DGRAM && sock->state == SOCK_UNCONNECTED))
            return -ARAMID_EINVAL;
        if (sock->shut_read || sock->peer_shut)
            result = 0;
        if (result == 0) {
            words[0] = words[1] = words[2] = words[3] = 0;
            *bytes = 0;
        }
        return result;
    }
    /* The sender's address (datagrams), the ids received, the bytes. */
    size_t address_length = 0;
    if (sock->type == ARAMID_SOCK_DGRAM) {
        struct sock *from = sock_find((unsigned long)info.sender);
        /* An unnamed sender: no address (Linux's msg_namelen 0). */
        address_length = from != NULL && from->name_length ? from->name_length : 0;
        memset(buffer, 0, 2);
        if (from != NULL)
            memcpy(buffer, from->name, from->name_length);
        buffer[0] = ARAMID_AF_UNIX;
        buffer[1] = 0;
    }
    size_t attachments = 0;
    if (info.attachment != 0) {
        struct sock_attachment *carried = (struct sock_attachment *)info.attachment;
        for (unsigned i = 0; i < carried->count; i++) {
            memcpy(buffer + address_length + 8 * i, &carried->ids[i], 8);
            /* A peek installs the descriptors too (Linux's unix_peek_fds): the reader holds a
             * passed socket from now on; it stays in flight for the read that takes it. */
            struct sock *passed = sock_find(carried->ids[i]);
            if (passed != NULL && !(carried->ids[i] & ARAMID_SOCK_ATTACH_CARRIED))
                (void)aramid_holders_add(&passed->holders, (long)reader);
            if (passed != NULL && !(flags & ARAMID_MSG_PEEK))
                passed->inflight--;
        }
        attachments = carried->count;
        if (!(flags & ARAMID_MSG_PEEK))
            aramid_heap_free(carried, sizeof(*carried));
    }
    memcpy(buffer + address_length + 8 * attachments, data, (size_t)result);
    long msg_flags = info.full_length > (size_t)result && sock->type != ARAMID_SOCK_STREAM
                         ? ARAMID_MSG_TRUNC
                         : 0;
    if (sock->passcred) {
        /* SCM_CREDENTIALS: the writer's pid (the socket that wrote it, else the peer). */
        struct sock *writer = sock_find((unsigned long)info.sender);
        if (writer == NULL)
            writer = sock->peer;
        long pid = writer == NULL ? 0 : writer->writer_pid ? writer->writer_pid : writer->pid;
        msg_flags |= ARAMID_SOCK_CREDS | pid << ARAMID_SOCK_PID_SHIFT;
    }
    words[0] = (long)info.full_length;
    words[1] = (long)address_length;
    words[2] = (long)attachments;
    words[3] = msg_flags;
    *bytes = address_length + 8 * attachments + (size_t)result;
    if ((flags & ARAMID_MSG_TRUNC) && sock->type != ARAMID_SOCK_STREAM)
        result = (long)info.full_length;
    return result;
}

void sock_do_recv(struct sock_call *call, const struct aramid_sock_recv_request *request,
                  struct aramid_sock_recv_reply *reply)
{
    struct sock *sock = call->sock;
    if (sock == NULL) {
        reply->result = -ARAMID_EBADF;
        return;
    }
    long words[4] = {0};
    size_t bytes = 0;
    if (request->nonblock & ARAMID_SOCK_RING_DETACHED)
        sock_ring_detach(sock);
    long result = sock->readers == NULL
                      ? sock_read_into(sock, call->buffer, request->flags, (size_t)request->length,
                                       call->sender, words, &bytes)
                      : -ARAMID_EAGAIN;
    bool nonblock = (request->nonblock & 1) || (request->flags & ARAMID_MSG_DONTWAIT);
    if (result == -ARAMID_EAGAIN && !nonblock && sock->state != SOCK_LISTENING) {
        struct sock_pending *pending = aramid_heap_alloc(sizeof(*pending));
        if (pending == NULL) {
            reply->result = -ARAMID_ENOMEM;
            return;
        }
        *pending = (struct sock_pending){.token = call->token, .flags = request->flags,
                                         .length = (size_t)request->length,
                                         .sender = call->sender};
        struct sock_pending **tail = &sock->readers;
        while (*tail != NULL)
            tail = &(*tail)->next;
        *tail = pending;
        call->kept = true;
        if (sock_ring_kept(sock))
            sock_changed(sock, true); /* answered by token: RING_FIRST */
        return;
    }
    reply->result = result;
    reply->full_length = words[0];
    reply->address_length = words[1];
    reply->attachments = words[2];
    reply->msg_flags = words[3];
    call->reply_bytes = result >= 0 ? bytes : 0;
    if (result > 0 && !(request->flags & ARAMID_MSG_PEEK))
        sock_changed(sock, false);
    reply->msg_flags |= sock_ring_renew_bit(sock, call->sender);
}

/* Kept writers into sock's queue, oldest first, while they fit. */
static bool sock_service_writers(struct sock *sock)
{
    bool progress = false;
    while (sock->writers != NULL) {
        struct sock_pending *writer = sock->writers;
        long result;
        struct sock *from = sock_find((unsigned long)writer->flags);
        if (sock->shut_read) {
            result = -ARAMID_EPIPE;
        } else {
            result = sockbuf_write(&sock->rx, writer->data + writer->done,
                                   writer->length - writer->done, writer->attachment,
                                   from != NULL ? (long)from->id : 0);
            if (result == -ARAMID_EAGAIN)
                break;
        }
        if (result >= 0)
            writer->attachment = 0; /* queued with the first bytes */
        if (writer->attachment != 0)
            sock_attachment_release(writer->attachment);
        sock->writers = writer->next;
        long ring = from != NULL ? sock_ring_renew_bit(from, writer->sender) : 0;
        (void)aramid_server_answer(writer->token, result, &ring, 1, 0, 0);
        aramid_heap_free(writer->data, writer->length);
        aramid_heap_free(writer, sizeof(*writer));
        progress = true;
    }
    return progress;
}

/* Kept readers of sock, oldest first, while there is something (or EOF) to give. */
static bool sock_service_readers(struct sock *sock)
{
    bool progress = false;
    unsigned char *buffer = (unsigned char *)sys_ipc_buffer();
    while (sock->readers != NULL) {
        struct sock_pending *reader = sock->readers;
        long words[4] = {0};
        size_t bytes = 0;
        long result =
            sock_read_into(sock, buffer, reader->flags, reader->length, reader->sender, words,
                           &bytes);
        if (result == -ARAMID_EAGAIN)
            break;
        sock->readers = reader->next;
        words[3] |= sock_ring_renew_bit(sock, reader->sender);
        (void)aramid_server_answer(reader->token, result, words, 4, result >= 0 ? bytes : 0, 0);
        aramid_heap_free(reader, sizeof(*reader));
        progress = true;
    }
    return progress;
}

void sock_changed(struct sock *sock, bool event)
{
    while (sock_service_readers(sock) | sock_service_writers(sock))
        event = true;
    sock_notify(sock, event);
    /* Our queue's room is the writers' (the peer's) POLLOUT. */
    if (sock->peer != NULL)
        sock_notify(sock->peer, false);
}

/* Answers and frees every kept call of list with result (token 0: all). True when found. */
static bool sock_pending_answer(struct sock_pending **list, unsigned long token, long result,
                                bool writes)
{
    bool found = false;
    while (*list != NULL) {
        struct sock_pending *pending = *list;
        if (token != 0 && pending->token != token) {
            list = &pending->next;
            continue;
        }
        (void)aramid_server_answer(pending->token, result, NULL, 0, 0, 0);
        if (writes) {
            if (pending->attachment != 0)
                sock_attachment_release(pending->attachment);
            aramid_heap_free(pending->data, pending->length);
        }
        *list = pending->next;
        aramid_heap_free(pending, sizeof(*pending));
        found = true;
        if (token != 0)
            break;
    }
    return found;
}

void sock_pending_fail_all(struct sock *sock, long result)
{
    (void)sock_pending_answer(&sock->readers, 0, 0, false); /* a read ends at EOF */
    (void)sock_pending_answer(&sock->writers, 0, result, true);
    (void)sock_pending_answer(&sock->accepts, 0, -ARAMID_EINVAL, false);
    (void)sock_pending_answer(&sock->connects, 0, -ARAMID_ECONNREFUSED, false);
}

struct sock_cancel {
    unsigned long token;
    bool done;
};

static void sock_cancel_visit(struct sock *sock, void *context)
{
    struct sock_cancel *cancel = context;
    if (cancel->done)
        return;
    cancel->done = sock_pending_answer(&sock->readers, cancel->token, -ARAMID_EINTR, false) ||
                   sock_pending_answer(&sock->writers, cancel->token, -ARAMID_EINTR, true) ||
                   sock_pending_answer(&sock->accepts, cancel->token, -ARAMID_EINTR, false) ||
                   sock_pending_answer(&sock->connects, cancel->token, -ARAMID_EINTR, false);
}

void sock_cancel(unsigned long token)
{
    struct sock_cancel cancel = {token, false};
    sock_for_each(sock_cancel_visit, &cancel);
}

/* The kind of a carried pass: ARAMID_SOCK_ATTACH_VFS (its token uses every bit below), or
 * ARAMID_SOCK_ATTACH_EVENT; 0 for the console and a socket id (nothing to repass). */
static unsigned long sock_carried_kind(unsigned long id)
{
    if (id & ARAMID_SOCK_ATTACH_VFS)
        return ARAMID_SOCK_ATTACH_VFS;
    return id & ARAMID_SOCK_ATTACH_EVENT;
}

/* In the first of sock's queued messages carrying old: old becomes new. */
static bool sock_repass_one(struct sock *sock, unsigned long old, unsigned long new)
{
    for (uint32_t i = 0; i < sock->rx.count; i++) {
        struct sockbuf_record *record =
            &sock->rx.records[(sock->rx.first + i) % SOCKBUF_RECORDS_MAX];
        struct sock_attachment *carried = (struct sock_attachment *)record->attachment;
        for (unsigned j = 0; carried != NULL && j < carried->count; j++)
            if (carried->ids[j] == old) {
                carried->ids[j] = new;
                return true;
            }
    }
    return false;
}

void sock_do_repass(struct sock_call *call, const struct aramid_sock_repass_request *request,
                    struct aramid_sock_repass_reply *reply)
{
    struct sock *sock = call->sock;
    size_t count = (size_t)request->count;
    if (sock == NULL || !aramid_holders_has(&sock->holders, (long)call->sender)) {
        reply->result = -ARAMID_EBADF;
        return;
    }
    if (count == 0 || count > ARAMID_SOCK_ATTACH_MAX || call->buffer_bytes != 16 * count) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    reply->result = 0;
    for (size_t i = 0; i < count && reply->result == 0; i++) {
        unsigned long pair[2];
        memcpy(pair, call->buffer + 16 * i, sizeof(pair));
        unsigned long kind = sock_carried_kind(pair[0]);
        if (kind == 0 || sock_carried_kind(pair[1]) != kind)
            reply->result = -ARAMID_EINVAL;
        else if (!sock_repass_one(sock, pair[0], pair[1]))
            reply->result = -ARAMID_ENOENT;
    }
}
