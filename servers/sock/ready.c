/* Socket readiness: Linux's unix_poll bits, the watchers told of changes (aramid/proto/ready.h)
 * and the readiness words the event server maps read-only instead of calling ready_poll. */
#include "sock.h"

/*
 * The words (ready_map): made at the start (sock_ready_start), one per socket slot below
 * SOCK_READY_WORDS (a socket in a higher slot has none: its watchers ask ready_poll). Invariant:
 * a socket's word is 0 or what it last told its watchers (last_bits and generation), written
 * before the signal and before the answer of the call that changed it; a socket that goes
 * leaves 0. A socket nobody watches may change without being told (bytes in its ring without
 * ARAMID_SOCK_RING_TELL): only a watcher's word is current, and ready_poll and ready_watch
 * bring it up to date.
 */
#define SOCK_READY_WORDS 32768ul
#define SOCK_READY_WORDS_BYTES (SOCK_READY_WORDS * sizeof(unsigned long))
static aramid_handle_t sock_ready_words_object;
static unsigned long *sock_ready_words;

/* sock has a word (the words exist and its slot is below their count). */
static bool sock_ready_has_word(const struct sock *sock)
{
    return sock_ready_words != NULL && aramid_sock_ready_slot(sock->id) < SOCK_READY_WORDS;
}

static void sock_ready_store(const struct sock *sock, unsigned long word)
{
    if (sock_ready_has_word(sock))
        __atomic_store_n(&sock_ready_words[aramid_sock_ready_slot(sock->id)], word,
                         __ATOMIC_RELEASE);
}

/* sock's word says what its watchers were told last (last_bits, just computed from sock's
 * state), and whether its input is only its ring's bytes (ARAMID_READY_WORD_RING). */
static void sock_ready_publish(const struct sock *sock)
{
    unsigned long bits = sock->last_bits;
    if ((bits & ARAMID_POLLIN) && sock->state != SOCK_LISTENING && !sockbuf_readable(&sock->rx) &&
        !sock->shut_read && !sock->peer_shut)
        bits |= ARAMID_READY_WORD_RING;
    sock_ready_store(sock,
                     aramid_ready_word(aramid_sock_ready_check(sock->id), sock->generation, bits));
}

long sock_ready_start(void)
{
    aramid_handle_t object = 0;
    long address = aramid_memory_create_mapped(sockd.space, SOCK_READY_WORDS_BYTES, &object);
    if (address < 0)
        return address;
    sock_ready_words_object = object;
    sock_ready_words = (unsigned long *)address;
    return 0;
}

void sock_ready_forget(const struct sock *sock)
{
    sock_ready_store(sock, 0);
}

bool sock_ready_reads_told(const struct sock *sock)
{
    for (const struct sock_watch *watch = sock->watches; watch != NULL; watch = watch->next)
        if (!watch->words || !sock_ready_has_word(sock))
            return true;
    return false;
}

uint32_t sock_poll_bits(const struct sock *sock)
{
    uint32_t bits = 0;
    if (sock->state == SOCK_LISTENING)
        return sock->queue_count ? (ARAMID_POLLIN | ARAMID_POLLRDNORM) : 0;
    bool receive_shut = sock->shut_read || sock->peer_shut;
    bool send_shut = sock->shut_write || sock->peer_closed;
    if (sock->error)
        bits |= ARAMID_POLLERR;
    if (sockbuf_readable(&sock->rx) || sock_ring_queued(sock) != 0)
        bits |= ARAMID_POLLIN | ARAMID_POLLRDNORM;
    if (receive_shut)
        bits |= ARAMID_POLLRDHUP | ARAMID_POLLIN | ARAMID_POLLRDNORM;
    if (receive_shut && send_shut)
        bits |= ARAMID_POLLHUP;
    if (sock->type != ARAMID_SOCK_DGRAM && sock->state == SOCK_UNCONNECTED)
        bits |= ARAMID_POLLHUP; /* Linux: a connection-mode socket in TCP_CLOSE */
    bool writable = sock->peer == NULL || sockbuf_writable(&sock->peer->rx);
    if (writable)
        bits |= ARAMID_POLLOUT | ARAMID_POLLWRNORM | ARAMID_POLLWRBAND;
    return bits;
}

void sock_notify(struct sock *sock, bool event)
{
    sock_ring_publish(sock);
    uint32_t bits = sock_poll_bits(sock);
    if (bits == sock->last_bits && !event)
        return;
    /* Only bits gone (a read emptied the queue): watchers that read the word before they
     * report need no signal (ARAMID_READY_WATCH_WORDS). */
    bool drop = !event && (bits & ~sock->last_bits) == 0 && sock_ready_has_word(sock);
    sock->last_bits = bits;
    sock->generation++;
    sock_ready_publish(sock); /* the word first: a watcher reads it when signalled */
    for (struct sock_watch *watch = sock->watches; watch != NULL; watch = watch->next)
        if (!drop || !watch->words)
            (void)sys_notify_signal(watch->notification, ARAMID_READY_CHANGED);
}

void sock_do_ready_poll(struct sock_call *call, const struct aramid_sock_ready_poll_request *request,
                        struct aramid_sock_ready_poll_reply *reply)
{
    (void)request;
    struct sock *sock = call->sock;
    if (sock == NULL) {
        reply->result = -ARAMID_EBADF;
        return;
    }
    /* What the caller is told is what its word says from now on (later changes are measured
     * from it, as after ready_watch). */
    uint32_t bits = sock_poll_bits(sock);
    sock->last_bits = bits;
    sock_ready_publish(sock);
    reply->bits = bits;
    reply->generation = (long)sock->generation;
    reply->id = (long)sock->id;
    reply->result = 0;
}

void sock_do_ready_watch(struct sock_call *call,
                         const struct aramid_sock_ready_watch_request *request,
                         struct aramid_sock_ready_watch_reply *reply)
{
    struct sock_watch *watch = NULL;
    if (call->sock == NULL || call->granted <= 0 ||
        (watch = aramid_heap_alloc(sizeof(*watch))) == NULL) {
        reply->result = call->sock == NULL || call->granted <= 0 ? -ARAMID_EINVAL : -ARAMID_ENOMEM;
        return;
    }
    *watch = (struct sock_watch){.next = call->sock->watches, .notification = call->granted,
                                 .sender = call->sender,
                                 .words = (request->flags & ARAMID_READY_WATCH_WORDS) != 0};
    call->granted = 0;
    call->sock->watches = watch;
    sock_ring_publish(call->sock); /* writers tell the server now, readers too */
    call->sock->last_bits = sock_poll_bits(call->sock);
    sock_ready_publish(call->sock);
    reply->result = 0;
}

void sock_do_ready_unwatch(struct sock_call *call,
                           const struct aramid_sock_ready_unwatch_request *request,
                           struct aramid_sock_ready_unwatch_reply *reply)
{
    (void)request;
    if (call->sock == NULL) {
        reply->result = -ARAMID_EBADF;
        return;
    }
    for (struct sock_watch **link = &call->sock->watches; *link != NULL;) {
        struct sock_watch *watch = *link;
        if (watch->sender == call->sender) {
            *link = watch->next;
            (void)sys_handle_close(watch->notification);
            aramid_heap_free(watch, sizeof(*watch));
        } else {
            link = &watch->next;
        }
    }
    sock_ring_publish(call->sock);
    reply->result = 0;
}

/* ready_map with an id: the socket's rings, for the event server only. */
static void sock_ready_ring(struct sock_call *call,
                            const struct aramid_sock_ready_map_request *request,
                            struct aramid_sock_ready_map_reply *reply)
{
    if (!call->event) {
        reply->result = -ARAMID_EPERM; /* the ring's bytes are its holders' */
        return;
    }
    struct sock *sock = sock_find((unsigned long)request->id);
    if (sock == NULL || sock->ring == NULL) {
        reply->result = -ARAMID_ENOENT;
        return;
    }
    long copy = sys_handle_duplicate(sock->ring->memory,
                                     ARAMID_RIGHT_READ | ARAMID_RIGHT_MAP | ARAMID_RIGHT_GRANT);
    if (copy < 0) {
        reply->result = copy;
        return;
    }
    call->grant = copy;
    reply->count = (long)sock->ring_half;
    reply->result = 0;
}

void sock_do_ready_map(struct sock_call *call, const struct aramid_sock_ready_map_request *request,
                       struct aramid_sock_ready_map_reply *reply)
{
    if (request->id != 0) {
        sock_ready_ring(call, request, reply);
        return;
    }
    if (call->sock != NULL) {
        reply->result = -ARAMID_EINVAL; /* the plain endpoint's call (or the event server's) */
        return;
    }
    if (sock_ready_words == NULL) {
        reply->result = -ARAMID_ENOMEM; /* sock_ready_start could not make them */
        return;
    }
    long copy = sys_handle_duplicate(sock_ready_words_object,
                                     ARAMID_RIGHT_READ | ARAMID_RIGHT_MAP | ARAMID_RIGHT_GRANT);
    if (copy < 0) {
        reply->result = copy;
        return;
    }
    call->grant = copy;
    reply->count = (long)SOCK_READY_WORDS;
    reply->result = 0;
}
