/* posix-shim's half of the pipe fast path: a pipe(2) pipe whose two ends are each held by one
 * process (this one, and this or another) moves its bytes through a ring shared with them and
 * the vfs (aramid/proto/vfs.h pipe_ring, docs/vfs.md "The pipe fast path"). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/uio.h>

#include <aramid/proto/vfs.h>

#include "event.h"
#include "ring_io.h"
#include "shim.h"
#include "vfs.h"

/*
 * One pipe's view in this process, shared by the event_files of its ends here (ends counts
 * them: one or two). tx is the write end's producer view, rx the read end's consumer view, each
 * behind its own lock so that the ring stays single-producer single-consumer across threads.
 * left: this process left the ring (fork, exec, a pass, a close, a waiting poll or epoll, a
 * scribble, the vfs's SLOW): no thread touches it again (set under a lock), and every transfer
 * goes to the vfs. A left view may take a new ring of the pipe (a new memory object) when the
 * vfs offers one: shared and the views change under both locks. pid: the process that made the
 * view (a fork child's copy is not its own: its locks may be held by a thread that is not there).
 */
struct pipe_ring {
    struct pipe_ring *next; /* every pipe ring of this process */
    long pipe;              /* the vfs's number of the pipe */
    long pid;
    unsigned ends;
    struct aramid_vfs_pipe_ring *shared;
    struct aramid_ring rx, tx;
    pthread_mutex_t rx_lock, tx_lock;
    bool left;
};

static struct pipe_ring *pipe_rings;
static pthread_mutex_t pipe_rings_lock = PTHREAD_MUTEX_INITIALIZER;

long pipe_ring_tell_leave(struct fd_file *file)
{
    struct aramid_vfs_pipe_ring_leave_request request = {.ofd = file->handle};
    struct aramid_vfs_pipe_ring_leave_reply reply;
    return shim_error_from_sys(aramid_vfs_call_pipe_ring_leave(&request, 0, &reply, NULL));
}

/* Maps memory as ring's ring (its views joining the ring where it is now): false on failure. */
static bool pipe_ring_map(struct pipe_ring *ring, aramid_handle_t memory)
{
    long address = aramid_memory_map(shim_self_space, ARAMID_VFS_PIPE_RING_BYTES,
                                     ARAMID_PROT_READ | ARAMID_PROT_WRITE, memory, 0);
    if (address < 0)
        return false;
    ring->shared = (struct aramid_vfs_pipe_ring *)address;
    (void)aramid_ring_attach(&ring->rx, &ring->shared->ring, ARAMID_VFS_PIPE_RING_CAPACITY, false);
    (void)aramid_ring_attach(&ring->tx, &ring->shared->ring, ARAMID_VFS_PIPE_RING_CAPACITY, false);
    return true;
}

/* Under pipe_rings_lock: one end fewer uses ring; the last takes the view and its mapping. */
static void pipe_ring_drop_locked(struct pipe_ring *ring)
{
    if (--ring->ends != 0)
        return;
    for (struct pipe_ring **link = &pipe_rings; *link != NULL; link = &(*link)->next)
        if (*link == ring) {
            *link = ring->next;
            break;
        }
    (void)sys_vm_unmap(shim_self_space, (unsigned long)ring->shared, ARAMID_VFS_PIPE_RING_BYTES);
    free(ring);
}

/* Under pipe_rings_lock: this process's view of pipe (a left one takes memory, a new ring),
 * or a new view; NULL when memory cannot be mapped. */
static struct pipe_ring *pipe_ring_view(long pipe, aramid_handle_t memory)
{
    struct pipe_ring *ring = pipe_rings;
    while (ring != NULL && (ring->pipe != pipe || ring->pid != aramid_proc_self.pid))
        ring = ring->next;
    if (ring != NULL && __atomic_load_n(&ring->left, __ATOMIC_ACQUIRE)) {
        pthread_mutex_lock(&ring->rx_lock);
        pthread_mutex_lock(&ring->tx_lock);
        struct aramid_vfs_pipe_ring *old = ring->shared;
        bool mapped = pipe_ring_map(ring, memory);
        if (mapped) {
            (void)sys_vm_unmap(shim_self_space, (unsigned long)old, ARAMID_VFS_PIPE_RING_BYTES);
            __atomic_store_n(&ring->left, false, __ATOMIC_RELEASE);
        }
        pthread_mutex_unlock(&ring->tx_lock);
        pthread_mutex_unlock(&ring->rx_lock);
        return mapped ? ring : NULL;
    }
    if (ring != NULL)
        return ring; /* in use: the ring the vfs granted again (the other end's here) */
    ring = calloc(1, sizeof(*ring));
    if (ring == NULL || !pipe_ring_map(ring, memory)) {
        free(ring);
        return NULL;
    }
    ring->pipe = pipe;
    ring->pid = aramid_proc_self.pid;
    pthread_mutex_init(&ring->rx_lock, NULL);
    pthread_mutex_init(&ring->tx_lock, NULL);
    ring->next = pipe_rings;
    pipe_rings = ring;
    return ring;
}

/* Under pipe_rings_lock: pipe_ring, then this process's view of that pipe (made on the first
 * end's answer, shared with the second's). NULL: not now (the vfs keeps the pipe). */
static struct pipe_ring *pipe_ring_attach(struct fd_file *file, struct event_file *object,
                                          bool existing)
{
    aramid_handle_t memory = 0;
    long pipe = -1;
    long result = aramid_vfs_pipe_ring(file->handle, existing, &memory, &pipe);
    if (result == -ARAMID_ENOENT && existing)
        return NULL; /* no ring yet: this end may get one later */
    struct pipe_ring *ring = result == 0 && memory > 0 ? pipe_ring_view(pipe, memory) : NULL;
    if (memory > 0)
        (void)sys_handle_close(memory); /* the mapping keeps the memory */
    if (ring == NULL) {
        __atomic_store_n(&object->ring_state, PIPE_RING_NEVER, __ATOMIC_RELEASE);
        if (result == 0) /* granted but not usable here: the other end must not use it either */
            (void)pipe_ring_tell_leave(file);
        return NULL;
    }
    if (object->pipe_ring != ring) {
        if (object->pipe_ring != NULL)
            pipe_ring_drop_locked(object->pipe_ring); /* a fork parent's view */
        ring->ends++;
        object->pipe_ring = ring;
    }
    __atomic_store_n(&object->ring_state, PIPE_RING_ATTACHED, __ATOMIC_RELEASE);
    return ring;
}

/* The ring of file's pipe while it may be used, asking the vfs the first time (and when it
 * offered a ring again); NULL: the vfs. */
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
    return ring != NULL && !__atomic_load_n(&ring->left, __ATOMIC_ACQUIRE) &&
                   ring->pid == aramid_proc_self.pid
               ? ring
               : NULL;
}

void pipe_ring_offered(struct fd_file *file)
{
    struct event_file *object = event_file_of(file);
    if (object == NULL || object->kind != EVENT_FILE_VFS)
        return;
    pthread_mutex_lock(&pipe_rings_lock);
    struct pipe_ring *ring = object->pipe_ring;
    if (object->ring_state == PIPE_RING_NEVER ||
        (ring != NULL && (__atomic_load_n(&ring->left, __ATOMIC_ACQUIRE) ||
                          ring->pid != aramid_proc_self.pid)))
        __atomic_store_n(&object->ring_state, PIPE_RING_UNKNOWN, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&pipe_rings_lock);
}

/* Under one of the locks (the vfs's SLOW, a scribble) or both: nobody touches the ring again. */
static void pipe_ring_leave_locked(struct pipe_ring *ring)
{
    __atomic_store_n(&ring->left, true, __ATOMIC_RELEASE);
}

/* Leaves ring (never a fork parent's view: its locks may be held by a thread that is not
 * here). Returns whether the vfs still has to hear of it (the ring was not SLOW). */
static bool pipe_ring_leave_ring(struct pipe_ring *ring)
{
    if (ring->pid != aramid_proc_self.pid)
        return false;
    pthread_mutex_lock(&ring->rx_lock);
    pthread_mutex_lock(&ring->tx_lock);
    bool tell = !(__atomic_load_n(&ring->shared->flags, __ATOMIC_SEQ_CST) &
                  ARAMID_VFS_PIPE_RING_SLOW);
    pipe_ring_leave_locked(ring);
    pthread_mutex_unlock(&ring->tx_lock);
    pthread_mutex_unlock(&ring->rx_lock);
    return tell;
}

long pipe_ring_leave_file(struct fd_file *file)
{
    struct event_file *object = event_file_of(file);
    if (object == NULL || object->kind != EVENT_FILE_VFS || object->ring_state == PIPE_RING_NEVER)
        return 0;
    if (object->ring_state == PIPE_RING_UNKNOWN) {
        /* This end never asked, but its other end may use a ring here: join it to leave it
         * (no pipe of this process has a ring: none to leave). */
        if (__atomic_load_n(&pipe_rings, __ATOMIC_ACQUIRE) == NULL)
            return 0;
        pthread_mutex_lock(&pipe_rings_lock);
        if (object->ring_state == PIPE_RING_UNKNOWN)
            (void)pipe_ring_attach(file, object, true);
        pthread_mutex_unlock(&pipe_rings_lock);
        if (object->ring_state != PIPE_RING_ATTACHED)
            return 0;
    }
    /* Retired already (SLOW): the vfs counts this end as left when its transfers come; else
     * it hears now (its words would not count the ring). */
    if (!pipe_ring_leave_ring(object->pipe_ring))
        return 0;
    return pipe_ring_tell_leave(file);
}

void pipe_ring_leave_all(void)
{
    pthread_mutex_lock(&pipe_rings_lock);
    for (struct pipe_ring *ring = pipe_rings; ring != NULL; ring = ring->next)
        (void)pipe_ring_leave_ring(ring);
    pthread_mutex_unlock(&pipe_rings_lock);
}

void pipe_ring_forget(struct event_file *object)
{
    if (object->kind != EVENT_FILE_VFS || object->pipe_ring == NULL)
        return;
    struct pipe_ring *ring = object->pipe_ring;
    object->pipe_ring = NULL;
    object->ring_state = PIPE_RING_NEVER;
    (void)pipe_ring_leave_ring(ring); /* the vfs's close retires the ring: nobody may use it now */
    pthread_mutex_lock(&pipe_rings_lock);
    pipe_ring_drop_locked(ring);
    pthread_mutex_unlock(&pipe_rings_lock);
}

/* After a transfer that moved bytes: watchers hear through the vfs when it asked (TELL). */
static void pipe_ring_tell(struct fd_file *file, struct pipe_ring *ring)
{
    if (__atomic_load_n(&ring->shared->flags, __ATOMIC_SEQ_CST) & ARAMID_VFS_PIPE_RING_TELL) {
        struct aramid_vfs_pipe_ring_sync_request request = {.ofd = file->handle};
        struct aramid_vfs_pipe_ring_sync_reply reply;
        (void)aramid_vfs_call_pipe_ring_sync(&request, 0, &reply, NULL);
    }
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
        if (result == -EPROTO)
            pipe_ring_leave_locked(ring); /* scribbled: the rest goes to the vfs */
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
    /* SLOW came while our bytes went in: the vfs may not have seen them (a reader it keeps
     * waits for them): it hears, and takes them once the reader left the ring. */
    bool tell = ring->left && done == length;
    if (done > 0 && !tell)
        pipe_ring_tell(file, ring); /* under the lock: the mapping stays */
    pthread_mutex_unlock(&ring->tx_lock);
    if (tell)
        (void)pipe_ring_tell_leave(file);
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
    /* The ring's bytes first, SLOW or not: they are older than anything the vfs queued (its
     * writer sent there only after it left), and the vfs takes them only once we left. */
    while (!ring->left) {
        result = ring_io_take(&ring->rx, &vector, 1, 0, length, false);
        if (result == -EPROTO)
            pipe_ring_leave_locked(ring); /* scribbled: the vfs from now on */
        if (result != 0 || pipe_ring_slow(ring, &ring->rx))
            break;
        if (nonblock) {
            result = -EAGAIN; /* the ring is the pipe's: nothing queued anywhere */
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
    if (result > 0)
        pipe_ring_tell(file, ring); /* under the lock: the mapping stays */
    pthread_mutex_unlock(&ring->rx_lock);
    return result == -EPROTO ? 0 : result; /* bytes, -EAGAIN, -EFAULT, -EINTR; 0: the vfs */
}

unsigned long pipe_ring_poll(struct fd_file *file, unsigned long word)
{
    struct event_file *object = event_file_of(file);
    if (object == NULL || object->kind != EVENT_FILE_VFS)
        return word;
    if (__atomic_load_n(&object->ring_state, __ATOMIC_ACQUIRE) == PIPE_RING_UNKNOWN) {
        /* The other end made the ring (in this process or another): join it to look. */
        pthread_mutex_lock(&pipe_rings_lock);
        if (object->ring_state == PIPE_RING_UNKNOWN)
            (void)pipe_ring_attach(file, object, true);
        pthread_mutex_unlock(&pipe_rings_lock);
    }
    struct pipe_ring *ring = object->pipe_ring;
    bool reads = (file->status_flags & O_ACCMODE) != O_WRONLY;
    long queued = -EPROTO;
    bool slow = true;
    if (__atomic_load_n(&object->ring_state, __ATOMIC_ACQUIRE) == PIPE_RING_ATTACHED &&
        ring->pid == aramid_proc_self.pid) {
        pthread_mutex_t *lock = reads ? &ring->rx_lock : &ring->tx_lock;
        pthread_mutex_lock(lock); /* the mapping stays while we look */
        if (!ring->left) {
            queued = aramid_ring_observe(&ring->shared->ring, ARAMID_VFS_PIPE_RING_CAPACITY);
            slow = (__atomic_load_n(&ring->shared->flags, __ATOMIC_SEQ_CST) &
                    ARAMID_VFS_PIPE_RING_SLOW) != 0;
        }
        pthread_mutex_unlock(lock);
    }
    if (queued < 0 || (slow && !(reads && queued > 0))) {
        /* Not on the ring here, but the vfs counts us on it: it hears that we left (and takes
         * what the ring holds), and its word then tells. */
        (void)pipe_ring_tell_leave(file);
        return vfs_ready_word(file->handle);
    }
    /* Linux's pipe_poll over the ring (older than anything queued, which counts too) and the
     * vfs's word (hang-up and error, the queue's bytes). */
    unsigned long bits = word & (POLLHUP | POLLERR | (reads ? POLLIN | POLLRDNORM : 0));
    if (reads && queued > 0)
        bits |= POLLIN | POLLRDNORM;
    if (!reads && !slow && ARAMID_VFS_PIPE_RING_CAPACITY - (unsigned long)queued >= 4096)
        bits |= POLLOUT | POLLWRNORM;
    return bits;
}
