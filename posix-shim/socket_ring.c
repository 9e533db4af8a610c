/* posix-shim's half of the socket data fast path: a connected stream socket's rings shared with
 * its peer and the sock server (aramid/proto/sock.h, docs/sock.md). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <aramid/proto/sock.h>

#include "event.h"
#include "ring_io.h"
#include "shim.h"

/*
 * One attached socket's view. tx is this end's producer view of the half its peer reads, rx
 * its consumer view of its own half; each behind its own lock, so that two threads never
 * produce (or consume) at once: the rings are single-producer single-consumer. left: this end
 * left the rings (fork, SCM_RIGHTS, SO_PASSCRED, a scribbled ring): no thread touches them
 * again, and every send and recv tells the server so, until an answer says renew (the server
 * may grant new rings: the next data call asks, and on success maps them in place of the old,
 * under both locks, so a thread that waited for a lock finds the new views). The struct lives
 * as long as the descriptor's object (threads keep pointers to it).
 */
struct socket_ring {
    struct socket_ring *next; /* every attached socket of this process (for fork) */
    struct event_file *object;
    unsigned char *base;
    struct aramid_sock_ring_half *rx_half, *tx_half;
    struct aramid_ring rx, tx;
    pthread_mutex_t rx_lock, tx_lock;
    bool left;
    bool renew; /* left, and the server said it may have new rings: ask (socket_ring_remap) */
};

enum { SOCKET_RING_UNKNOWN, SOCKET_RING_ATTACHED, SOCKET_RING_NEVER };

/* A half's consumer_waiting word is also the futex its reader sleeps on (the kernel keys it by
 * the physical page: the writer's and the server's mappings wake it). */
static const volatile unsigned *socket_ring_futex(struct aramid_sock_ring_half *half)
{
    return (const volatile unsigned *)&half->ring.consumer_waiting;
}

static struct socket_ring *socket_rings;
static pthread_mutex_t socket_rings_lock = PTHREAD_MUTEX_INITIALIZER;

static struct socket_ring *socket_ring_map(struct fd_file *file, struct event_file *object);
static void socket_ring_remap(struct fd_file *file, struct socket_ring *ring);
static void socket_ring_leave_locked(struct socket_ring *ring);

/* The rings of object, asking the server the first time (one thread asks: the others wait for
 * its answer) and again after a renew; NULL: use the server. */
static struct socket_ring *socket_ring_get(struct fd_file *file, struct event_file *object)
{
    int state = __atomic_load_n(&object->ring_state, __ATOMIC_ACQUIRE);
    if (state == SOCKET_RING_ATTACHED) {
        struct socket_ring *ring = object->ring;
        if (!__atomic_load_n(&ring->renew, __ATOMIC_ACQUIRE))
            return __atomic_load_n(&ring->left, __ATOMIC_ACQUIRE) ? NULL : ring;
        pthread_mutex_lock(&socket_rings_lock);
        if (ring->renew)
            socket_ring_remap(file, ring);
        pthread_mutex_unlock(&socket_rings_lock);
        return __atomic_load_n(&ring->left, __ATOMIC_ACQUIRE) ? NULL : ring;
    }
    if (state == SOCKET_RING_NEVER || (object->type != SOCK_STREAM &&
                                        object->type != SOCK_SEQPACKET &&
                                        object->type != SOCK_DGRAM))
        return NULL;
    pthread_mutex_lock(&socket_rings_lock);
    struct socket_ring *ring = object->ring_state == SOCKET_RING_UNKNOWN
                                   ? socket_ring_map(file, object)
                                   : object->ring;
    pthread_mutex_unlock(&socket_rings_lock);
    return ring != NULL && !__atomic_load_n(&ring->left, __ATOMIC_ACQUIRE) ? ring : NULL;
}

/* ring_map and the mapping: its address (*half: the half this end reads), or -errno
 * (-EAGAIN: not connected yet). */
static long socket_ring_ask(struct fd_file *file, unsigned *half)
{
    struct aramid_sock_ring_map_request request;
    struct aramid_sock_ring_map_reply reply;
    aramid_handle_t memory = 0;
    long result = shim_error_from_sys(
        aramid_sock_call_ring_map(file->handle, &request, 0, 0, &reply, &memory));
    long address = result < 0 ? result : -EPROTO;
    if (result == 0 && memory > 0 && (reply.half == 0 || reply.half == 1))
        address = aramid_memory_map(shim_self_space, ARAMID_SOCK_RING_BYTES,
                                    ARAMID_PROT_READ | ARAMID_PROT_WRITE, memory, 0);
    if (memory > 0)
        (void)sys_handle_close(memory); /* the mapping keeps the memory */
    *half = (unsigned)reply.half;
    return address;
}

/* Under both of ring's locks: its views of the mapping at address. */
static void socket_ring_views(struct socket_ring *ring, long address, unsigned half)
{
    ring->base = (unsigned char *)address;
    ring->rx_half =
        (struct aramid_sock_ring_half *)(ring->base + (size_t)half * ARAMID_SOCK_RING_HALF);
    ring->tx_half =
        (struct aramid_sock_ring_half *)(ring->base + (size_t)(1 - half) * ARAMID_SOCK_RING_HALF);
    (void)aramid_ring_attach(&ring->rx, &ring->rx_half->ring, ARAMID_SOCK_RING_CAPACITY, false);
    (void)aramid_ring_attach(&ring->tx, &ring->tx_half->ring, ARAMID_SOCK_RING_CAPACITY, false);
}

/* Under socket_rings_lock: new rings in place of the old ones (retired: the server told an
 * end still on them, or one that left them). This end leaves the old ones under both locks
 * (the server counts on it: it replaces them only after an end's ring_map), then their mapping
 * goes (nobody touches it: a thread woken from one of its futexes checks left before anything
 * else). Refused: left stays, until the next renew. */
static void socket_ring_remap(struct fd_file *file, struct socket_ring *ring)
{
    pthread_mutex_lock(&ring->rx_lock);
    pthread_mutex_lock(&ring->tx_lock);
    socket_ring_leave_locked(ring);
    __atomic_store_n(&ring->renew, false, __ATOMIC_RELAXED);
    if (ring->base != NULL)
        (void)sys_vm_unmap(shim_self_space, (unsigned long)ring->base, ARAMID_SOCK_RING_BYTES);
    ring->base = NULL;
    unsigned half;
    long address = socket_ring_ask(file, &half);
    if (address >= 0) {
        socket_ring_views(ring, address, half);
        __atomic_store_n(&ring->left, false, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&ring->tx_lock);
    pthread_mutex_unlock(&ring->rx_lock);
}

/* Under socket_rings_lock: ring_map, the mapping, the views. */
static struct socket_ring *socket_ring_map(struct fd_file *file, struct event_file *object)
{
    unsigned half;
    long address = socket_ring_ask(file, &half);
    if (address == -EAGAIN)
        return NULL; /* not connected yet */
    struct socket_ring *ring = address >= 0 ? calloc(1, sizeof(*ring)) : NULL;
    if (ring == NULL) {
        if (address >= 0)
            (void)sys_vm_unmap(shim_self_space, (unsigned long)address, ARAMID_SOCK_RING_BYTES);
        object->ring_state = SOCKET_RING_NEVER; /* until a renew */
        return NULL;
    }
    ring->object = object;
    socket_ring_views(ring, address, half);
    pthread_mutex_init(&ring->rx_lock, NULL);
    pthread_mutex_init(&ring->tx_lock, NULL);
    ring->next = socket_rings;
    socket_rings = ring;
    object->ring = ring;
    __atomic_store_n(&object->ring_state, SOCKET_RING_ATTACHED, __ATOMIC_RELEASE);
    return ring;
}

/* Under one of the locks (the other side checks left under its own): no thread touches the
 * rings again. The mapping stays until the descriptor goes (socket_ring_forget). */
static void socket_ring_leave_locked(struct socket_ring *ring)
{
    __atomic_store_n(&ring->left, true, __ATOMIC_RELEASE);
}

static void socket_ring_leave_ring(struct socket_ring *ring)
{
    pthread_mutex_lock(&ring->rx_lock);
    pthread_mutex_lock(&ring->tx_lock);
    socket_ring_leave_locked(ring);
    pthread_mutex_unlock(&ring->tx_lock);
    pthread_mutex_unlock(&ring->rx_lock);
}

void socket_ring_leave(struct event_file *object)
{
    if (object->ring_state == SOCKET_RING_ATTACHED)
        socket_ring_leave_ring(object->ring);
    else
        object->ring_state = SOCKET_RING_NEVER; /* do not ask: the server refuses for now */
}

void socket_ring_renew(struct event_file *object)
{
    int state = __atomic_load_n(&object->ring_state, __ATOMIC_ACQUIRE);
    if (state == SOCKET_RING_ATTACHED)
        __atomic_store_n(&object->ring->renew, true, __ATOMIC_RELEASE);
    else if (state == SOCKET_RING_NEVER &&
             (object->type == SOCK_STREAM || object->type == SOCK_SEQPACKET ||
              object->type == SOCK_DGRAM))
        __atomic_compare_exchange_n(&object->ring_state, &state, SOCKET_RING_UNKNOWN, false,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

long socket_ring_request_bits(struct fd_file *file, struct event_file *object)
{
    if (object->ring_state == SOCKET_RING_UNKNOWN)
        (void)socket_ring_get(file, object); /* a first call with descriptors, say */
    /* Not using the rings (left, never had them): the server reads our ring for us. */
    return object->ring_state == SOCKET_RING_ATTACHED &&
                   !__atomic_load_n(&object->ring->left, __ATOMIC_ACQUIRE)
               ? 0
               : ARAMID_SOCK_RING_DETACHED;
}

void socket_ring_fork_prepare(void)
{
    pthread_mutex_lock(&socket_rings_lock);
    for (struct socket_ring *ring = socket_rings; ring != NULL; ring = ring->next)
        socket_ring_leave_ring(ring);
    pthread_mutex_unlock(&socket_rings_lock);
}

void socket_ring_forget(struct event_file *object)
{
    if (object->ring_state != SOCKET_RING_ATTACHED)
        return;
    struct socket_ring *ring = object->ring;
    pthread_mutex_lock(&socket_rings_lock);
    for (struct socket_ring **link = &socket_rings; *link != NULL; link = &(*link)->next)
        if (*link == ring) {
            *link = ring->next;
            break;
        }
    pthread_mutex_unlock(&socket_rings_lock);
    socket_ring_leave_ring(ring);
    if (ring->base != NULL)
        (void)sys_vm_unmap(shim_self_space, (unsigned long)ring->base, ARAMID_SOCK_RING_BYTES);
    free(ring);
    object->ring = NULL;
    object->ring_state = SOCKET_RING_NEVER;
}

static void socket_ring_sync(struct fd_file *file, long wrote)
{
    struct aramid_sock_ring_sync_request request = {.wrote = wrote};
    struct aramid_sock_ring_sync_reply reply;
    (void)aramid_sock_call_ring_sync(file->handle, &request, 0, 0, &reply, NULL);
}

/* A scribbled ring (-EPROTO): this end leaves the rings; the server carries on without them. */
static void socket_ring_broken(struct socket_ring *ring)
{
    socket_ring_leave_locked(ring);
}

/* Under tx_lock, a blocking writer's wait for needed bytes of room (the reader wakes it after
 * taking bytes, the server when it sets the flags; the lock is dropped while asleep): 1 look
 * again, 0 stop (SLOW: the server's turn), -EINTR. */
static long socket_ring_wait_room(struct socket_ring *ring, uint32_t needed)
{
    if (!aramid_ring_producer_prepare_sleep(&ring->tx, needed))
        return 1; /* room came meanwhile */
    if (__atomic_load_n(&ring->tx_half->flags, __ATOMIC_SEQ_CST) & ARAMID_SOCK_RING_SLOW)
        return 0;
    pthread_mutex_unlock(&ring->tx_lock);
    long waited =
        sys_futex_wait((const volatile unsigned *)&ring->tx_half->ring.producer_waiting, 1, 0);
    pthread_mutex_lock(&ring->tx_lock);
    return waited == -ARAMID_EINTR ? -EINTR : 1;
}

long socket_ring_write(struct fd_file *file, struct event_file *object,
                       const struct iovec *vector, size_t count, size_t offset, size_t length,
                       bool nonblock)
{
    struct socket_ring *ring = socket_ring_get(file, object);
    if (ring == NULL)
        return 0;
    pthread_mutex_lock(&ring->tx_lock);
    size_t done = 0;
    long result = 0;
    while (!ring->left && done < length &&
           !(__atomic_load_n(&ring->tx_half->flags, __ATOMIC_ACQUIRE) & ARAMID_SOCK_RING_SLOW)) {
        /* Woken if it said it waits (ring_io_put); the server wants to know when a flag is
         * set (watchers, or a reader it keeps). */
        result = ring_io_put(&ring->tx, vector, count, offset + done, length - done);
        if (ring->tx.broken)
            socket_ring_broken(ring);
        if (result < 0)
            break;
        done += (size_t)result;
        uint32_t flags = __atomic_load_n(&ring->tx_half->flags, __ATOMIC_SEQ_CST);
        if (result != 0 && flags != 0)
            socket_ring_sync(file, 1);
        if (done == length || (flags & ARAMID_SOCK_RING_SLOW) || nonblock)
            break; /* the rest (if any) goes to the server's queue, after these bytes */
        /* Full and blocking: wait for room the same way (the reader wakes us after it took
         * bytes; the server when it sets the flags). */
        size_t needed = length - done < ARAMID_SOCK_RING_CAPACITY / 4
                            ? length - done
                            : ARAMID_SOCK_RING_CAPACITY / 4;
        long waited = socket_ring_wait_room(ring, (uint32_t)needed);
        if (waited <= 0) {
            result = waited;
            break;
        }
    }
    pthread_mutex_unlock(&ring->tx_lock);
    if (done == 0 && result < 0 && result != -EPROTO)
        return result; /* a bad buffer: EFAULT, as the slow path gives; -EINTR */
    return (long)done;
}

long socket_ring_read(struct fd_file *file, struct event_file *object,
                      const struct iovec *vector, size_t count, size_t offset, size_t length,
                      bool peek, bool nonblock)
{
    struct socket_ring *ring = socket_ring_get(file, object);
    if (ring == NULL || length == 0)
        return 0;
    pthread_mutex_lock(&ring->rx_lock);
    size_t done = 0;
    long result = 0;
    uint32_t flags = ARAMID_SOCK_RING_SLOW;
    while (!ring->left) {
        result = ring_io_take(&ring->rx, vector, count, offset, length, peek);
        if (ring->rx.broken)
            socket_ring_broken(ring);
        if (result > 0)
            done = (size_t)result;
        flags = ring->left ? ARAMID_SOCK_RING_SLOW
                           : __atomic_load_n(&ring->rx_half->flags, __ATOMIC_ACQUIRE);
        if (done != 0 || result < 0 || flags != 0 || nonblock)
            break;
        /* Empty, blocking, and the server has nothing for us either: the futex discipline.
         * Say we wait, re-check the ring and the flags (the server wakes waiters when it sets
         * them), sleep on the word the writer clears before its futex_wake. */
        if (!aramid_ring_consumer_prepare_sleep(&ring->rx))
            continue; /* bytes came meanwhile */
        flags = __atomic_load_n(&ring->rx_half->flags, __ATOMIC_SEQ_CST);
        if (flags != 0)
            break; /* the server's turn (a stale waiting flag costs a spurious wake only) */
        pthread_mutex_unlock(&ring->rx_lock);
        long waited = sys_futex_wait(socket_ring_futex(ring->rx_half), 1, 0);
        pthread_mutex_lock(&ring->rx_lock);
        if (waited == -ARAMID_EINTR) {
            result = -EINTR; /* a signal: the caller restarts or reports it */
            break;
        }
    }
    pthread_mutex_unlock(&ring->rx_lock);
    if (done != 0) {
        if ((flags & ARAMID_SOCK_RING_TELL_READS) && !peek)
            socket_ring_sync(file, 0);
        return (long)done;
    }
    if (result < 0 && result != -EPROTO)
        return result; /* -EFAULT, -EINTR */
    if (!(flags & ARAMID_SOCK_RING_SLOW) && nonblock)
        return -EAGAIN; /* nothing queued anywhere: the server's flags say so */
    return 0;
}

long socket_ring_write_record(struct fd_file *file, struct event_file *object, const void *bytes,
                              size_t length, bool nonblock, bool *sent)
{
    *sent = false;
    struct socket_ring *ring = socket_ring_get(file, object);
    if (ring == NULL)
        return 0;
    pthread_mutex_lock(&ring->tx_lock);
    long result = 0;
    while (!ring->left &&
           !(__atomic_load_n(&ring->tx_half->flags, __ATOMIC_ACQUIRE) & ARAMID_SOCK_RING_SLOW)) {
        uint32_t tail = ring->tx.tail;
        bool wake;
        /* All or nothing (a 4-byte length, then the bytes): only the tail says it went (a
         * record of length 0 returns 0 either way). */
        long put = aramid_ring_write_record(&ring->tx, bytes, (uint32_t)length, &wake);
        if (put < 0) {
            socket_ring_broken(ring); /* -EPROTO (-EMSGSIZE cannot be: the caller bounds it) */
            break;
        }
        if (ring->tx.tail != tail) {
            if (wake)
                ring_io_wake(&ring->tx_half->ring.consumer_waiting);
            *sent = true;
            uint32_t flags = __atomic_load_n(&ring->tx_half->flags, __ATOMIC_SEQ_CST);
            pthread_mutex_unlock(&ring->tx_lock);
            if (flags != 0)
                socket_ring_sync(file, 1);
            return 0;
        }
        if (nonblock)
            break; /* full: the server's queue takes it, after the ring's records */
        long waited = socket_ring_wait_room(ring, (uint32_t)length + 4);
        if (waited <= 0) {
            result = waited;
            break;
        }
    }
    pthread_mutex_unlock(&ring->tx_lock);
    return result;
}

long socket_ring_read_record(struct fd_file *file, struct event_file *object, void *out,
                             size_t max, bool peek, bool nonblock, size_t *length, bool *got)
{
    *got = false;
    struct socket_ring *ring = socket_ring_get(file, object);
    if (ring == NULL)
        return 0;
    pthread_mutex_lock(&ring->rx_lock);
    long result = 0;
    uint32_t flags = ARAMID_SOCK_RING_SLOW;
    while (!ring->left) {
        uint32_t record = 0;
        bool wake = false;
        result = peek ? aramid_ring_peek_record(&ring->rx, out, (uint32_t)max, &record)
                      : aramid_ring_read_record(&ring->rx, out, (uint32_t)max, &record, &wake);
        if (wake) /* the writer waits for room: the kernel wakes it */
            ring_io_wake(&ring->rx_half->ring.producer_waiting);
        if (result == -ARAMID_EPROTO)
            socket_ring_broken(ring);
        if (result >= 0) {
            *got = true;
            *length = record;
        }
        flags = ring->left ? ARAMID_SOCK_RING_SLOW
                           : __atomic_load_n(&ring->rx_half->flags, __ATOMIC_ACQUIRE);
        if (*got || flags != 0 || nonblock || result == -ARAMID_EPROTO)
            break;
        /* Empty and blocking: the futex discipline, as socket_ring_read. */
        if (!aramid_ring_consumer_prepare_sleep(&ring->rx))
            continue;
        flags = __atomic_load_n(&ring->rx_half->flags, __ATOMIC_SEQ_CST);
        if (flags != 0)
            break;
        pthread_mutex_unlock(&ring->rx_lock);
        long waited = sys_futex_wait(socket_ring_futex(ring->rx_half), 1, 0);
        pthread_mutex_lock(&ring->rx_lock);
        if (waited == -ARAMID_EINTR) {
            pthread_mutex_unlock(&ring->rx_lock);
            return -EINTR;
        }
    }
    pthread_mutex_unlock(&ring->rx_lock);
    if (*got) {
        if ((flags & ARAMID_SOCK_RING_TELL_READS) && !peek)
            socket_ring_sync(file, 0);
        return result;
    }
    if (!(flags & ARAMID_SOCK_RING_SLOW) && nonblock)
        return -EAGAIN; /* nothing queued anywhere: the server's flags say so */
    return 0;
}

int socket_ring_input(struct event_file *object)
{
    if (__atomic_load_n(&object->ring_state, __ATOMIC_ACQUIRE) != SOCKET_RING_ATTACHED)
        return -1;
    struct socket_ring *ring = object->ring;
    if (__atomic_load_n(&ring->left, __ATOMIC_ACQUIRE))
        return -1;
    long queued = aramid_ring_observe(&ring->rx_half->ring, ARAMID_SOCK_RING_CAPACITY);
    return queued < 0 ? -2 : queued > 0;
}

bool socket_ring_rx_slow(struct event_file *object)
{
    if (__atomic_load_n(&object->ring_state, __ATOMIC_ACQUIRE) != SOCKET_RING_ATTACHED)
        return true;
    struct socket_ring *ring = object->ring;
    return __atomic_load_n(&ring->left, __ATOMIC_ACQUIRE) ||
           (__atomic_load_n(&ring->rx_half->flags, __ATOMIC_ACQUIRE) & ARAMID_SOCK_RING_SLOW);
}
