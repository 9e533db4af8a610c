/* posix-shim's half of the pipe fast path: a pipe(2) pipe whose two ends this process alone
 * holds moves its bytes through a ring shared with the vfs (aramid/proto/vfs.h pipe_ring,
 * docs/vfs.md "The pipe fast path"). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/uio.h>

#include <aramid/proto/vfs.h>

#include "event.h"
#include "ring_io.h"
#include "shim.h"

/*
 * One pipe's view, shared by the event_files of its two ends in this process (ends counts
 * them). tx is the write end's producer view, rx the read end's consumer view, each behind its
 * own lock so that the ring stays single-producer single-consumer across threads. left: the
 * pipe left its ring (fork, exec, a pass, a close, a poll or epoll, a scribble, the vfs's SLOW):
 * no thread touches the ring again (set under both locks), and every transfer goes to the vfs,
 * which takes what the ring holds into its queue first.
 */
struct pipe_ring {
    struct pipe_ring *next; /* every pipe ring of this process */
    long pipe;              /* the vfs's number of the pipe */
    unsigned ends;
    struct aramid_vfs_pipe_ring *shared;
    struct aramid_ring rx, tx;
    pthread_mutex_t rx_lock, tx_lock;
    bool left;
};

static struct pipe_ring *pipe_rings;
static pthread_mutex_t pipe_rings_lock = PTHREAD_MUTEX_INITIALIZER;

/* The vfs retires file's pipe's ring (its bytes into the queue): 0 or -errno. */
static long pipe_ring_tell_leave(struct fd_file *file)
{
    struct aramid_vfs_pipe_ring_leave_request request = {.ofd = file->handle};
    struct aramid_vfs_pipe_ring_leave_reply reply;
    return shim_error_from_sys(aramid_vfs_call_pipe_ring_leave(&request, 0, &reply, NULL));
}

/* Under pipe_rings_lock: pipe_ring, then this process's view of that pipe (made on the first
 * end's answer, shared with the second's). NULL: never (the vfs keeps the pipe). */
static struct pipe_ring *pipe_ring_attach(struct fd_file *file, struct event_file *object,
                                          bool existing)
{
    aramid_handle_t memory = 0;
    long pipe = -1;
    long result = aramid_vfs_pipe_ring(file->handle, existing, &memory, &pipe);
    if (result == -ARAMID_ENOENT && existing)
        return NULL; /* no ring yet: this end may get one later */
    struct pipe_ring *ring = NULL;
    if (result == 0)
        for (ring = pipe_rings; ring != NULL && ring->pipe != pipe; ring = ring->next)
            ;
    if (result == 0 && ring == NULL && memory > 0 && (ring = calloc(1, sizeof(*ring))) != NULL) {
        long address = aramid_memory_map(shim_self_space, ARAMID_VFS_PIPE_RING_BYTES,
                                         ARAMID_PROT_READ | ARAMID_PROT_WRITE, memory, 0);
        if (address < 0) {
            free(ring);
            ring = NULL;
        } else {
            ring->pipe = pipe;
            ring->shared = (struct aramid_vfs_pipe_ring *)address;
            (void)aramid_ring_attach(&ring->rx, &ring->shared->ring,
                                     ARAMID_VFS_PIPE_RING_CAPACITY, false);
            (void)aramid_ring_attach(&ring->tx, &ring->shared->ring,
                                     ARAMID_VFS_PIPE_RING_CAPACITY, false);
            pthread_mutex_init(&ring->rx_lock, NULL);
            pthread_mutex_init(&ring->tx_lock, NULL);
            ring->next = pipe_rings;
            pipe_rings = ring;
        }
    }
    if (memory > 0)
        (void)sys_handle_close(memory); /* the mapping keeps the memory */
    if (ring == NULL) {
        object->ring_state = PIPE_RING_NEVER;
        if (result == 0) /* granted but not usable here: the other end must not use it either */
            (void)pipe_ring_tell_leave(file);
        return NULL;
    }
    ring->ends++;
    object->pipe_ring = ring;
    __atomic_store_n(&object->ring_state, PIPE_RING_ATTACHED, __ATOMIC_RELEASE);
    return ring;
}

/* The ring of file's pipe while it may be used, asking the vfs the first time; NULL: the vfs. */
static struct pipe_ring *pipe_ring_get(struct fd_file *file)
{
    struct event_file *object = event_file_pollable(file);
    if (object == NULL)
        return NULL;
    int state = __atomic_load_n(&object->ring_state, __ATOMIC_ACQUIRE);
    struct pipe_ring *ring = object->pipe_ring;
    if (state == PIPE_RING_UNKNOWN) {
        pthread_mutex_lock(&pipe_rings_lock);
        ring = object->ring_state == PIPE_RING_UNKNOWN ? pipe_ring_attach(file, object, false)
                                                       : object->pipe_ring;
        pthread_mutex_unlock(&pipe_rings_lock);
    } else if (state == PIPE_RING_NEVER) {
        return NULL;
    }
    return ring != NULL && !__atomic_load_n(&ring->left, __ATOMIC_ACQUIRE) ? ring : NULL;
}

/* Under one of the locks (the vfs's SLOW, a scribble) or both: nobody touches the ring again. */
static void pipe_ring_leave_locked(struct pipe_ring *ring)
{
    __atomic_store_n(&ring->left, true, __ATOMIC_RELEASE);
}

/* Once left, never again: a fork child's copy of a lock another thread held stays untouched. */
static void pipe_ring_leave_ring(struct pipe_ring *ring)
{
    if (__atomic_load_n(&ring->left, __ATOMIC_ACQUIRE))
        return;
    pthread_mutex_lock(&ring->rx_lock);
    pthread_mutex_lock(&ring->tx_lock);
    pipe_ring_leave_locked(ring);
    pthread_mutex_unlock(&ring->tx_lock);
    pthread_mutex_unlock(&ring->rx_lock);
}

long pipe_ring_leave_file(struct fd_file *file)
{
    struct event_file *object = event_file_of(file);
    if (object == NULL || object->kind != EVENT_FILE_VFS || object->ring_state == PIPE_RING_NEVER)
        return 0;
    if (object->ring_state == PIPE_RING_UNKNOWN) {
        /* This end never asked, but its other end may use a ring here: join it to leave it
         * (no pipe of this process has a ring: none to leave). */
        pthread_mutex_lock(&pipe_rings_lock);
        if (pipe_rings != NULL && object->ring_state == PIPE_RING_UNKNOWN)
            (void)pipe_ring_attach(file, object, true);
        pthread_mutex_unlock(&pipe_rings_lock);
        if (object->ring_state != PIPE_RING_ATTACHED)
            return 0;
    }
    struct pipe_ring *ring = object->pipe_ring;
    pipe_ring_leave_ring(ring);
    /* Left here (a scribble) but not retired yet: the vfs's words would not count the ring. */
    if (__atomic_load_n(&ring->shared->flags, __ATOMIC_SEQ_CST) & ARAMID_VFS_PIPE_RING_SLOW)
        return 0;
    return pipe_ring_tell_leave(file);
}

void pipe_ring_leave_all(void)
{
    pthread_mutex_lock(&pipe_rings_lock);
    for (struct pipe_ring *ring = pipe_rings; ring != NULL; ring = ring->next)
        pipe_ring_leave_ring(ring);
    pthread_mutex_unlock(&pipe_rings_lock);
}

void pipe_ring_forget(struct event_file *object)
{
    if (object->kind != EVENT_FILE_VFS || object->ring_state != PIPE_RING_ATTACHED)
        return;
    struct pipe_ring *ring = object->pipe_ring;
    object->pipe_ring = NULL;
    object->ring_state = PIPE_RING_NEVER;
    pipe_ring_leave_ring(ring); /* the vfs's close retires the ring: nobody may use it now */
    pthread_mutex_lock(&pipe_rings_lock);
    bool last = --ring->ends == 0;
    if (last)
        for (struct pipe_ring **link = &pipe_rings; *link != NULL; link = &(*link)->next)
            if (*link == ring) {
                *link = ring->next;
                break;
            }
    pthread_mutex_unlock(&pipe_rings_lock);
    if (!last)
        return;
    (void)sys_vm_unmap(shim_self_space, (unsigned long)ring->shared, ARAMID_VFS_PIPE_RING_BYTES);
    free(ring);
}

/* The vfs's flags say the pipe is its own now (or the ring broke): leave, under a lock. */
static bool pipe_ring_slow(struct pipe_ring *ring, struct aramid_ring *view)
{
    if (view->broken ||
        (__atomic_load_n(&ring->shared->flags, __ATOMIC_SEQ_CST) & ARAMID_VFS_PIPE_RING_SLOW))
        pipe_ring_leave_locked(ring);
    return ring->left;
}

long pipe_ring_write(struct fd_file *file, const void *buffer, size_t length, bool *rest)
{
    struct pipe_ring *ring = length == 0 ? NULL : pipe_ring_get(file);
    *rest = true;
    if (ring == NULL)
        return 0;
    bool nonblock = (file->status_flags & O_NONBLOCK) != 0;
    struct iovec vector = {.iov_base = (void *)buffer, .iov_len = length};
    struct signal_watch watch;
    signal_watch_start(&watch);
    pthread_mutex_lock(&ring->tx_lock);
    size_t done = 0;
    long result = 0;
    while (done < length && !pipe_ring_slow(ring, &ring->tx)) {
        /* PIPE_BUF atomicity: up to PIPE_BUF bytes go in whole or wait (EAGAIN) for room. */
        size_t needed = length - done;
        if (needed > ARAMID_VFS_PIPE_RING_CAPACITY / 4)
            needed = ARAMID_VFS_PIPE_RING_CAPACITY / 4;
        if (length <= PIPE_BUF) {
            long queued = aramid_ring_observe(ring->tx.shared, ARAMID_VFS_PIPE_RING_CAPACITY);
            if (queued >= 0 && ARAMID_VFS_PIPE_RING_CAPACITY - (size_t)queued < length)
                result = 0; /* no room for all of it: wait (or EAGAIN) */
            else
                result = ring_io_put(&ring->tx, &vector, 1, done, length - done);
        } else {
            result = ring_io_put(&ring->tx, &vector, 1, done, length - done);
        }
        if (result < 0 || pipe_ring_slow(ring, &ring->tx))
            break;
        done += (size_t)result;
        if (done == length)
            break;
        if (nonblock) {
            if (done == 0)
                result = -EAGAIN;
            break;
        }
        /* Full and blocking: say we wait, re-check, sleep until the reader took bytes (or the
         * vfs set SLOW: it wakes us too). */
        if (!aramid_ring_producer_prepare_sleep(&ring->tx, (uint32_t)needed))
            continue;
        if (pipe_ring_slow(ring, &ring->tx))
            break;
        pthread_mutex_unlock(&ring->tx_lock);
        long waited = sys_futex_wait(
            (const volatile unsigned *)&ring->tx.shared->producer_waiting, 1, 0);
        pthread_mutex_lock(&ring->tx_lock);
        if (waited == -ARAMID_EINTR && done == 0 && signal_watch_interrupts(&watch, true)) {
            result = -EINTR;
            break;
        }
        if (waited == -ARAMID_EINTR && done != 0 && signal_watch_interrupts(&watch, true))
            break; /* a partial count, as Linux gives */
    }
    *rest = ring->left && done < length; /* else: all, or the answer (partial, an error) */
    pthread_mutex_unlock(&ring->tx_lock);
    if (done == 0 && result < 0 && result != -EPROTO)
        return result; /* -EFAULT, -EAGAIN, -EINTR */
    return (long)done;
}

long pipe_ring_read(struct fd_file *file, void *buffer, size_t length)
{
    struct pipe_ring *ring = length == 0 ? NULL : pipe_ring_get(file);
    if (ring == NULL)
        return 0;
    bool nonblock = (file->status_flags & O_NONBLOCK) != 0;
    struct iovec vector = {.iov_base = buffer, .iov_len = length};
    struct signal_watch watch;
    signal_watch_start(&watch);
    pthread_mutex_lock(&ring->rx_lock);
    long result = 0;
    while (!pipe_ring_slow(ring, &ring->rx)) {
        result = ring_io_take(&ring->rx, &vector, 1, 0, length, false);
        if (result != 0 || pipe_ring_slow(ring, &ring->rx))
            break;
        if (nonblock) {
            result = -EAGAIN; /* the writer is this process: nothing queued anywhere */
            break;
        }
        /* Empty and blocking: set the waiting word, re-check the ring and the flags (the vfs
         * wakes sleepers when it sets SLOW), sleep on the word the writer clears before its
         * futex_wake. */
        if (!aramid_ring_consumer_prepare_sleep(&ring->rx))
            continue;
        if (pipe_ring_slow(ring, &ring->rx))
            break;
        pthread_mutex_unlock(&ring->rx_lock);
        long waited = sys_futex_wait(
            (const volatile unsigned *)&ring->rx.shared->consumer_waiting, 1, 0);
        pthread_mutex_lock(&ring->rx_lock);
        if (waited == -ARAMID_EINTR && signal_watch_interrupts(&watch, true)) {
            result = -EINTR;
            break;
        }
    }
    pthread_mutex_unlock(&ring->rx_lock);
    return result == -EPROTO ? 0 : result; /* bytes, -EAGAIN, -EFAULT, -EINTR; 0: the vfs */
}
