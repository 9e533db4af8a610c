/* The pipe fast path: a pipe or FIFO whose two ends are each held by one process gets a ring
 * in memory shared with those holders; the vfs retires it (and takes its bytes into its
 * queue once the reader left it) before anything needs the queue, and makes a new one when
 * the holders settle again (aramid/proto/vfs.h pipe_ring, docs/vfs.md). */
#include "vfs.h"

#include <stdatomic.h>

/* Each ring keeps one memory handle in vfs and charges its quota with 68 KiB: at most this many
 * pipes have rings at a time (beyond: the queue, as before). */
#define VFS_PIPE_RINGS_MAX 64
static unsigned vfs_pipe_rings;

/* A sleeper on word (it saw the flags clear) must look again: they are set now. */
static void vfs_pipe_ring_wake_word(_Atomic uint32_t *word)
{
    if (atomic_load_explicit(word, memory_order_relaxed) != 0 &&
        atomic_exchange_explicit(word, 0, memory_order_acq_rel) != 0)
        (void)sys_futex_wake((const volatile unsigned *)word, 0x7fffffffu);
}

/* The ring's bytes (read once through a private view: a scribbled index takes nothing more)
 * into the queue. Only once the read end left the ring: vfs is its one consumer then. The
 * queue holds only bytes newer than the ring's (a writer sends to vfs only after it left),
 * so the bytes go in front of them: the queue is empty then, or the writer left first and the
 * reader took the ring's bytes itself before it left. Returns whether bytes moved. */
static bool vfs_pipe_ring_drain(struct vfs_pipe_object *pipe)
{
    struct aramid_ring view;
    (void)aramid_ring_attach(&view, &pipe->ring->ring, ARAMID_VFS_PIPE_RING_CAPACITY, false);
    unsigned char chunk[512];
    bool moved = false;
    for (;;) {
        bool wake;
        long room = (long)pipe_writable(&pipe->pipe);
        long taken = aramid_ring_read(&view, chunk,
                                      room < (long)sizeof(chunk) ? (size_t)room : sizeof(chunk),
                                      &wake);
        if (wake)
            (void)sys_futex_wake((const volatile unsigned *)&pipe->ring->ring.producer_waiting,
                                 0x7fffffffu);
        if (taken <= 0)
            return moved; /* empty, full, or scribbled: the holders' own pipe loses the rest */
        long put = pipe_write(&pipe->pipe, chunk, (size_t)taken, vfs_page_alloc, NULL);
        if (put != taken)
            return true; /* no memory: the rest is lost with the ring, as its holder's own bytes */
        pipe->read_events++;
        moved = true;
    }
}

/* A retiring ring: the reader left, so vfs takes what is there; both left, the memory goes. */
static void vfs_pipe_ring_settle(long object)
{
    struct vfs_pipe_object *pipe = &vfs.pipes[object];
    if (pipe->ring_state != VFS_PIPE_RING_RETIRING)
        return;
    bool moved = false;
    if ((pipe->ring_left & VFS_PIPE_RING_READ_LEFT) && pipe->pipe.readers > 0)
        moved = vfs_pipe_ring_drain(pipe);
    if (pipe->ring_left == (VFS_PIPE_RING_READ_LEFT | VFS_PIPE_RING_WRITE_LEFT)) {
        (void)sys_vm_unmap(vfs.space, (unsigned long)pipe->ring, ARAMID_VFS_PIPE_RING_BYTES);
        (void)sys_handle_close(pipe->ring_memory);
        pipe->ring = NULL;
        pipe->ring_memory = 0;
        pipe->ring_state = VFS_PIPE_RING_NONE;
        vfs_pipe_rings--;
        moved = true;
    }
    if (moved) {
        vfs_ready_changed(VFS_READY_SOURCE_PIPE | object); /* the words count the queue again */
        vfs_wait_retry(VFS_WAIT_PIPE, object);
    }
}

void vfs_pipe_ring_retire_active(long object)
{
    struct vfs_pipe_object *pipe = &vfs.pipes[object];
    atomic_fetch_or_explicit(&pipe->ring->flags, ARAMID_VFS_PIPE_RING_SLOW, memory_order_seq_cst);
    atomic_thread_fence(memory_order_seq_cst); /* SLOW before the waiting words and the tail */
    vfs_pipe_ring_wake_word(&pipe->ring->ring.consumer_waiting);
    vfs_pipe_ring_wake_word(&pipe->ring->ring.producer_waiting);
    pipe->ring_state = VFS_PIPE_RING_RETIRING;
    vfs_pipe_ring_settle(object);
}

/* The ends of pipe that process holds (VFS_PIPE_RING_*_LEFT bits). */
static unsigned vfs_pipe_ring_ends_of(const struct vfs_pipe_object *pipe, unsigned long process)
{
    unsigned ends = 0;
    for (long id = pipe->first_end; id != 0; id = vfs.ofds.ofds[id].next_end) {
        const struct ofd *end = &vfs.ofds.ofds[id];
        for (unsigned i = 0; i < end->holder_count; i++)
            if (end->holders[i] == process)
                ends |= (ofd_pipe_reads(end) ? VFS_PIPE_RING_READ_LEFT : 0) |
                        (ofd_pipe_writes(end) ? VFS_PIPE_RING_WRITE_LEFT : 0);
    }
    return ends;
}

void vfs_pipe_ring_leave_slow(long object, unsigned long process, unsigned left)
{
    struct vfs_pipe_object *pipe = &vfs.pipes[object];
    unsigned before = pipe->ring_left;
    pipe->ring_left |= left | vfs_pipe_ring_ends_of(pipe, process);
    if (pipe->ring_left != before)
        vfs_ready_changed(VFS_READY_SOURCE_PIPE | object); /* the words' ring bits */
    if (pipe->ring_state == VFS_PIPE_RING_ACTIVE)
        vfs_pipe_ring_retire_active(object);
    else
        vfs_pipe_ring_settle(object);
}

bool vfs_pipe_ring_uses(const struct ofd *ofd)
{
    if (!ofd_is_pipe(ofd))
        return false;
    const struct vfs_pipe_object *pipe = &vfs.pipes[ofd->object];
    unsigned end = ofd_pipe_reads(ofd) ? VFS_PIPE_RING_READ_LEFT : VFS_PIPE_RING_WRITE_LEFT;
    return pipe->ring_state != VFS_PIPE_RING_NONE && !(pipe->ring_left & end);
}

void vfs_pipe_ring_held(long id, unsigned long process)
{
    const struct ofd *ofd = &vfs.ofds.ofds[id];
    if (ofd_is_pipe(ofd))
        vfs_pipe_ring_leave(ofd->object, process, 0);
}

/* Whether process may use pipe's ring: a pipe(2) pipe or a FIFO of exactly one read end and
 * one write end (no O_RDWR one), each held by one process (the same or another; process one
 * of them), nothing queued and nobody kept. (Watchers are told through TELL.) */
static bool vfs_pipe_ring_allowed(const struct vfs_pipe_object *pipe, unsigned long process)
{
    if (pipe->pipe.readers != 1 || pipe->pipe.writers != 1 ||
        pipe_readable(&pipe->pipe) != 0 || pipe->waiters != 0)
        return false;
    unsigned ends = 0;
    bool holder = false;
    for (long id = pipe->first_end; id != 0; id = vfs.ofds.ofds[id].next_end) {
        const struct ofd *end = &vfs.ofds.ofds[id];
        if ((end->kind != OFD_PIPE_READ && end->kind != OFD_PIPE_WRITE) ||
            end->holder_count != 1 || end->holders[0] >= VFS_HANDOFF_HOLDER_BASE)
            return false;
        holder = holder || end->holders[0] == process;
        ends++;
    }
    return ends == 2 && holder;
}

unsigned long vfs_pipe_ring_offer(long object, unsigned long process)
{
    const struct vfs_pipe_object *pipe = &vfs.pipes[object];
    return pipe->ring_state != VFS_PIPE_RING_RETIRING && vfs_pipe_rings < VFS_PIPE_RINGS_MAX &&
                   vfs_pipe_ring_allowed(pipe, process)
               ? ARAMID_VFS_RING_OFFER
               : 0;
}

bool vfs_pipe_ring_redirect(long object, unsigned long process)
{
    /* Only between two processes: the other made the ring and uses it (its bytes are there,
     * or it reads there); a transfer here would retire it, and the next one make another. A
     * process holding both ends that sends here does not use its ring: it retires. */
    const struct vfs_pipe_object *pipe = &vfs.pipes[object];
    return pipe->ring_state == VFS_PIPE_RING_ACTIVE && pipe->ring_left == 0 &&
           vfs_pipe_ring_allowed(pipe, process) &&
           vfs_pipe_ring_ends_of(pipe, process) !=
               (VFS_PIPE_RING_READ_LEFT | VFS_PIPE_RING_WRITE_LEFT);
}

/* The ring of pipe, made on the first pipe_ring of either end. */
static long vfs_pipe_ring_create(struct vfs_pipe_object *pipe)
{
    if (vfs_pipe_rings >= VFS_PIPE_RINGS_MAX)
        return -ARAMID_EPERM;
    aramid_handle_t memory = 0;
    long address = aramid_memory_create_mapped(vfs.space, ARAMID_VFS_PIPE_RING_BYTES, &memory);
    if (address < 0)
        return address;
    pipe->ring_memory = memory;
    pipe->ring = (struct aramid_vfs_pipe_ring *)address;
    struct aramid_ring view;
    atomic_store_explicit(&pipe->ring->flags, 0, memory_order_relaxed);
    (void)aramid_ring_attach(&view, &pipe->ring->ring, ARAMID_VFS_PIPE_RING_CAPACITY, true);
    pipe->ring_state = VFS_PIPE_RING_ACTIVE;
    pipe->ring_left = 0;
    for (long id = pipe->first_end; id != 0; id = vfs.ofds.ofds[id].next_end)
        if (vfs.ofds.ofds[id].ready_serial != 0) /* a readiness handle may ask any time */
            atomic_store_explicit(&pipe->ring->flags, ARAMID_VFS_PIPE_RING_TELL,
                                  memory_order_seq_cst);
    vfs_pipe_rings++;
    vfs_ready_changed(VFS_READY_SOURCE_PIPE | (pipe - vfs.pipes)); /* the words' ring bits */
    return 0;
}

enum vfs_action vfs_do_pipe_ring(struct vfs_call *call,
                                 const struct aramid_vfs_pipe_ring_request *request,
                                 struct aramid_vfs_pipe_ring_reply *reply)
{
    struct ofd *ofd = ofd_find(&vfs.ofds, call->process, request->ofd);
    if (ofd == NULL || !ofd_is_pipe(ofd)) {
        reply->result = -ARAMID_EBADF;
        return VFS_REPLY;
    }
    struct vfs_pipe_object *pipe = &vfs.pipes[ofd->object];
    if (request->existing && pipe->ring_state != VFS_PIPE_RING_ACTIVE) {
        reply->result = -ARAMID_ENOENT;
        return VFS_REPLY;
    }
    long result = -ARAMID_EPERM;
    if (pipe->ring_state != VFS_PIPE_RING_RETIRING && vfs_pipe_ring_allowed(pipe, call->process))
        result = pipe->ring_state == VFS_PIPE_RING_ACTIVE ? 0 : vfs_pipe_ring_create(pipe);
    long handle = result < 0 ? result
                             : sys_handle_duplicate(pipe->ring_memory,
                                                    ARAMID_RIGHT_READ | ARAMID_RIGHT_WRITE |
                                                        ARAMID_RIGHT_MAP | ARAMID_RIGHT_GRANT);
    if (handle < 0) {
        /* Refused: the caller does not use the ring (its other end, if any, must not use one
         * the caller does not know: it retires). It may ask again when a transfer's reply
         * offers one. */
        vfs_pipe_ring_leave(ofd->object, call->process, 0);
        reply->result = -ARAMID_EPERM;
        return VFS_REPLY;
    }
    call->grant_out = handle;
    reply->pipe = ofd->object;
    reply->result = 0;
    return VFS_REPLY;
}

enum vfs_action vfs_do_pipe_ring_leave(struct vfs_call *call,
                                       const struct aramid_vfs_pipe_ring_leave_request *request,
                                       struct aramid_vfs_pipe_ring_leave_reply *reply)
{
    struct ofd *ofd = ofd_find(&vfs.ofds, call->process, request->ofd);
    if (ofd == NULL || !ofd_is_pipe(ofd)) {
        reply->result = -ARAMID_EBADF;
        return VFS_REPLY;
    }
    vfs_pipe_ring_leave(ofd->object, call->process, 0);
    reply->result = 0;
    return VFS_REPLY;
}

void vfs_pipe_ring_watch(long object)
{
    struct vfs_pipe_object *pipe = &vfs.pipes[object];
    if (pipe->ring_state == VFS_PIPE_RING_ACTIVE)
        atomic_fetch_or_explicit(&pipe->ring->flags, ARAMID_VFS_PIPE_RING_TELL,
                                 memory_order_seq_cst);
}

long vfs_pipe_ring_queued(const struct ofd *ofd)
{
    const struct vfs_pipe_object *pipe = &vfs.pipes[ofd->object];
    if (pipe->ring_state == VFS_PIPE_RING_NONE || (pipe->ring_left & VFS_PIPE_RING_READ_LEFT))
        return 0; /* none, or the vfs took its bytes (and takes the writer's later ones) */
    long queued = aramid_ring_observe(&pipe->ring->ring, ARAMID_VFS_PIPE_RING_CAPACITY);
    return queued < 0 ? 0 : queued; /* a scribble: the holders' own pipe */
}

enum vfs_action vfs_do_pipe_ring_sync(struct vfs_call *call,
                                      const struct aramid_vfs_pipe_ring_sync_request *request,
                                      struct aramid_vfs_pipe_ring_sync_reply *reply)
{
    struct ofd *ofd = ofd_find(&vfs.ofds, call->process, request->ofd);
    if (ofd == NULL || !ofd_is_pipe(ofd)) {
        reply->result = -ARAMID_EBADF;
        return VFS_REPLY;
    }
    struct vfs_pipe_object *pipe = &vfs.pipes[ofd->object];
    if (ofd_pipe_writes(ofd))
        pipe->read_events++; /* each write is an edge for the readers (Linux's pipe_write) */
    if (ofd_pipe_reads(ofd))
        pipe->write_events++;
    vfs_ready_changed(VFS_READY_SOURCE_PIPE | ofd->object);
    reply->result = 0;
    return VFS_REPLY;
}
