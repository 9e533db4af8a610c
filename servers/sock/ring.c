/* The socket data fast path: a connected stream pair's rings in memory shared with its two
 * holders, the flags that send writers to the server, and the server taking over a ring whose
 * reader left (aramid/proto/sock.h, docs/sock.md). */
#include "sock.h"

#include "kstring.h"

#include <stdatomic.h>

/* Each pair's rings keep one memory handle in the server and charge its quota with their whole
 * size (ARAMID_SOCK_RING_BYTES, 136 KiB, whether touched or not): at most this many pairs have
 * rings (17 MiB), so that the server's 1,024 handles and its quota stay enough for watches,
 * queues and the rest (beyond: the server path, as before). */
#define SOCK_RINGS_MAX 128
static unsigned sock_rings;

/* A datagram pair keeps its rings while nobody else can reach either end: both unbound (no
 * address to sendto), each the other's peer (a socketpair's, not connected elsewhere). */
static bool sock_ring_dgram_paired(const struct sock *sock)
{
    const struct sock *peer = sock->peer;
    return sock->type != ARAMID_SOCK_DGRAM ||
           (peer != NULL && peer->peer == sock && sock->name_length == 0 &&
            peer->name_length == 0);
}

static struct aramid_sock_ring_half *sock_ring_half(const struct sock *sock)
{
    if (sock->ring == NULL)
        return NULL;
    return (struct aramid_sock_ring_half *)(sock->ring->base +
                                            sock->ring_half * ARAMID_SOCK_RING_HALF);
}

uint32_t sock_ring_queued(const struct sock *sock)
{
    const struct aramid_sock_ring_half *half = sock_ring_half(sock);
    if (half == NULL)
        return 0;
    long queued = aramid_ring_observe(&half->ring, ARAMID_SOCK_RING_CAPACITY);
    return queued > 0 ? (uint32_t)queued : 0;
}

/* Why the writer of sock's half must go to the server (0: it may use the ring). Watchers
 * only want to hear of every change (TELL: writers send ring_sync; TELL_READS: readers too,
 * unless every watcher looks at the ring itself), since the readiness the server reports
 * counts the ring. */
static uint32_t sock_ring_flags(const struct sock *sock)
{
    const struct sock *writer = sock->peer;
    bool slow = sock->ring->retired || !sock->ring_attached || writer == NULL ||
                !writer->ring_attached || sockbuf_used(&sock->rx) != 0 || sock->rx.count != 0 ||
                sock->readers != NULL || sock->shut_read || sock->peer_shut ||
                writer->shut_write || sock->passcred || sock->error != 0 ||
                !sock_ring_dgram_paired(sock);
    uint32_t flags = slow ? ARAMID_SOCK_RING_SLOW : 0;
    if (sock->watches != NULL)
        flags |= ARAMID_SOCK_RING_TELL;
    if (sock_ready_reads_told(sock))
        flags |= ARAMID_SOCK_RING_TELL_READS;
    return flags;
}

/* A reader asleep on its half's futex (it saw the flags clear) must look again: the server
 * set them, or the rings are going; so must a writer asleep waiting for room in it. */
static void sock_ring_wake_word(_Atomic uint32_t *word)
{
    if (atomic_load_explicit(word, memory_order_relaxed) != 0 &&
        atomic_exchange_explicit(word, 0, memory_order_acq_rel) != 0)
        (void)sys_futex_wake((const volatile unsigned *)word, 0x7fffffffu);
}

static void sock_ring_wake_reader(struct aramid_sock_ring_half *half)
{
    atomic_thread_fence(memory_order_seq_cst); /* the flags before the waiting words */
    sock_ring_wake_word(&half->ring.consumer_waiting);
    sock_ring_wake_word(&half->ring.producer_waiting);
}

void sock_ring_publish(struct sock *sock)
{
    struct aramid_sock_ring_half *half = sock_ring_half(sock);
    if (half == NULL)
        return;
    uint32_t flags = sock->ring->ends < 2 ? ARAMID_SOCK_RING_SLOW : sock_ring_flags(sock);
    if (atomic_load_explicit(&half->flags, memory_order_relaxed) != flags) {
        atomic_store_explicit(&half->flags, flags, memory_order_seq_cst);
        if (flags != 0)
            sock_ring_wake_reader(half);
    }
    /* What the server looks at next (the ring's indexes) comes after the flags: a writer that
     * published before it saw them sends ring_sync (the set-flag/re-check discipline). */
    atomic_thread_fence(memory_order_seq_cst);
}

bool sock_ring_kept(struct sock *sock)
{
    if (sock->ring == NULL || sock->ring_server)
        return false;
    sock_ring_publish(sock); /* SLOW now: a writer that used the ring sends ring_sync */
    return sock_ring_queued(sock) != 0;
}

void sock_ring_retire(struct sock *sock)
{
    if (sock->ring == NULL)
        return;
    sock->ring->retired = true;
    sock_ring_publish(sock);
    if (sock->peer != NULL && sock->peer->ring == sock->ring)
        sock_ring_publish(sock->peer);
}

void sock_ring_detach(struct sock *sock)
{
    /* An end whose holder never attached the current rings: its half was SLOW all along
     * (sock_ring_flags), so it is empty and the rings stay (a pair re-armed for the peer). */
    if (!sock->ring_attached || sock->ring == NULL)
        return;
    sock->ring_attached = false;
    if (!sock->ring_server) {
        struct aramid_sock_ring_half *half = sock_ring_half(sock);
        (void)aramid_ring_attach(&sock->ring_view, &half->ring, ARAMID_SOCK_RING_CAPACITY,
                                 false);
        sock->ring_server = true;
    }
    sock_ring_retire(sock);
}

static long sock_ring_copy(void *to, const void *from, size_t length)
{
    memcpy(to, from, length);
    return 0;
}

long sock_ring_take(struct sock *sock, unsigned char *out, size_t length, bool peek,
                    size_t *full_length)
{
    if (!sock->ring_server || sock->ring == NULL)
        return -ARAMID_EAGAIN;
    bool wake;
    if (sock->type != ARAMID_SOCK_STREAM) { /* SEQPACKET, DGRAM: one record each */
        uint32_t record = 0;
        long taken = peek ? aramid_ring_peek_record(&sock->ring_view, out, (uint32_t)length,
                                                    &record)
                          : aramid_ring_read_record(&sock->ring_view, out, (uint32_t)length,
                                                    &record, &wake);
        *full_length = record;
        return taken >= 0 ? taken : -ARAMID_EAGAIN; /* broken: only this pair's are lost */
    }
    long taken = aramid_ring_read_copy(&sock->ring_view, out, length, sock_ring_copy, peek,
                                       &wake);
    *full_length = taken > 0 ? (size_t)taken : 0;
    return taken > 0 ? taken : -ARAMID_EAGAIN; /* broken: only this pair's bytes are lost */
}

void sock_ring_release(struct sock *sock)
{
    struct sock_ring *ring = sock->ring;
    if (ring == NULL)
        return;
    atomic_store_explicit(&sock_ring_half(sock)->flags,
                          ARAMID_SOCK_RING_SLOW | ARAMID_SOCK_RING_GONE, memory_order_seq_cst);
    sock_ring_wake_reader(sock_ring_half(sock));
    if (sock->peer != NULL && sock->peer->ring == ring) {
        /* The peer's reader, asleep on its futex, finds its writer gone. */
        atomic_store_explicit(&sock_ring_half(sock->peer)->flags,
                              ARAMID_SOCK_RING_SLOW | ARAMID_SOCK_RING_GONE,
                              memory_order_seq_cst);
        sock_ring_wake_reader(sock_ring_half(sock->peer));
    }
    sock->ring = NULL;
    if (--ring->ends != 0)
        return;
    (void)sys_vm_unmap(sockd.space, (unsigned long)ring->base, ARAMID_SOCK_RING_BYTES);
    (void)sys_handle_close(ring->memory);
    aramid_heap_free(ring, sizeof(*ring));
    sock_rings--;
}

bool sock_ring_type(int type)
{
    return type == ARAMID_SOCK_STREAM || type == ARAMID_SOCK_SEQPACKET ||
           type == ARAMID_SOCK_DGRAM;
}

/* Nothing of sock's is queued, kept or in its ring, and its stream is open both ways. */
static bool sock_ring_idle(const struct sock *sock)
{
    return sockbuf_used(&sock->rx) == 0 && sock->rx.count == 0 && sock->readers == NULL &&
           sock->writers == NULL && sock_ring_queued(sock) == 0 && !sock->shut_read &&
           !sock->shut_write && !sock->peer_shut && sock->error == 0 && sock->inflight == 0;
}

/* The pair's retired rings may go for new ones: each end has one holder again, nothing is
 * queued, kept or left in either ring, and no client still uses them (the peer's holder left
 * and said so; sock's is asking). A holder that left stops producing before it says so (its
 * posix-shim leaves under the ring locks), so nobody writes into the old memory any more. */
static bool sock_ring_replaceable(const struct sock *sock)
{
    const struct sock *peer = sock->peer;
    return peer->peer == sock && peer->ring == sock->ring && peer->holders.count == 1 &&
           !peer->passcred && !peer->ring_attached && sock_ring_idle(sock) &&
           sock_ring_idle(peer);
}

bool sock_ring_renewable(const struct sock *sock, unsigned long sender)
{
    if (!sock_ring_type(sock->type) || sock->state != SOCK_CONNECTED ||
        sock->peer == NULL || sock->holders.count != 1 ||
        !aramid_holders_has(&sock->holders, (long)sender) || sock->passcred ||
        !sock_ring_dgram_paired(sock))
        return false;
    if (sock->ring == NULL)
        return sock_rings < SOCK_RINGS_MAX;
    if (!sock->ring->retired)
        return !sock->ring_attached;
    return sock_ring_replaceable(sock);
}

long sock_ring_renew_bit(const struct sock *sock, unsigned long sender)
{
    return sock_ring_renewable(sock, sender) ? ARAMID_SOCK_RING_RENEW : 0;
}

/* The pair's rings, made on the first ring_map of either end: both halves SLOW until both
 * ends are attached. */
static long sock_ring_create(struct sock *sock)
{
    if (sock_rings >= SOCK_RINGS_MAX)
        return -ARAMID_EPERM;
    struct sock_ring *ring = aramid_heap_alloc(sizeof(*ring));
    if (ring == NULL)
        return -ARAMID_ENOMEM;
    aramid_handle_t memory = 0;
    long address = aramid_memory_create_mapped(sockd.space, ARAMID_SOCK_RING_BYTES, &memory);
    if (address < 0) {
        aramid_heap_free(ring, sizeof(*ring));
        return address;
    }
    *ring = (struct sock_ring){.memory = memory, .base = (unsigned char *)address, .ends = 2};
    for (unsigned i = 0; i < 2; i++) {
        struct aramid_sock_ring_half *half =
            (struct aramid_sock_ring_half *)(ring->base + i * ARAMID_SOCK_RING_HALF);
        struct aramid_ring view;
        atomic_store_explicit(&half->flags, ARAMID_SOCK_RING_SLOW, memory_order_relaxed);
        (void)aramid_ring_attach(&view, &half->ring, ARAMID_SOCK_RING_CAPACITY, true);
    }
    sock_rings++;
    sock->ring = sock->peer->ring = ring;
    sock->ring_half = 0;
    sock->peer->ring_half = 1;
    return 0;
}

void sock_do_ring_map(struct sock_call *call, const struct aramid_sock_ring_map_request *request,
                      struct aramid_sock_ring_map_reply *reply)
{
    (void)request;
    struct sock *sock = call->sock;
    if (sock == NULL) {
        reply->result = -ARAMID_EBADF;
        return;
    }
    if (sock->type != ARAMID_SOCK_DGRAM && sock_ring_type(sock->type) &&
        sock->state == SOCK_UNCONNECTED) {
        reply->result = -ARAMID_EAGAIN; /* a connect may come */
        return;
    }
    unsigned long id = sock->id;
    sock_feed(); /* a fork not read yet gives the socket a second holder */
    if (sock_find(id) != sock) {
        reply->result = -ARAMID_EBADF;
        return;
    }
    /* A holder still on retired rings asks only after it left them (posix-shim leaves first). */
    if (sock->ring != NULL && sock->ring->retired && sock->ring_attached &&
        aramid_holders_has(&sock->holders, (long)call->sender))
        sock_ring_detach(sock);
    if (!sock_ring_renewable(sock, call->sender)) {
        reply->result = -ARAMID_EPERM;
        return;
    }
    if (sock->ring != NULL && sock->ring->retired) {
        /* Re-armed: a new memory object (a former holder may still map the old one, which
         * stays SLOW for good); the old one goes with the server's two ends. */
        struct sock *peer = sock->peer;
        sock_ring_release(sock);
        sock_ring_release(peer);
        sock->ring_server = peer->ring_server = false;
        peer->ring_attached = false;
    }
    long result = sock->ring != NULL ? 0 : sock_ring_create(sock);
    long handle = result < 0 ? result
                             : sys_handle_duplicate(sock->ring->memory,
                                                    ARAMID_RIGHT_READ | ARAMID_RIGHT_WRITE |
                                                        ARAMID_RIGHT_MAP | ARAMID_RIGHT_GRANT);
    if (handle < 0) {
        reply->result = handle;
        return;
    }
    call->grant = handle;
    sock->ring_attached = true;
    reply->half = (long)sock->ring_half;
    reply->result = 0;
    sock_ring_publish(sock);
    sock_ring_publish(sock->peer);
}

void sock_do_ring_sync(struct sock_call *call, const struct aramid_sock_ring_sync_request *request,
                       struct aramid_sock_ring_sync_reply *reply)
{
    struct sock *sock = call->sock;
    if (sock == NULL) {
        reply->result = -ARAMID_EBADF;
        return;
    }
    reply->result = 0;
    if (request->wrote) {
        if (sock->peer != NULL)
            sock_changed(sock->peer, true); /* kept readers get RING_FIRST, watchers hear */
    } else {
        sock_changed(sock, false);
    }
}
