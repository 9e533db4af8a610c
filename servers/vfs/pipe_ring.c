/* The pipe fast path: a pipe(2) pipe whose two ends one process alone holds gets a ring in
 * memory shared with that process; the vfs retires it for good (draining it into its queue)
 * before anything needs the queue (aramid/proto/vfs.h pipe_ring, docs/vfs.md). */
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
 * into the queue, which is empty while the ring is in use (every transfer through vfs retires
 * the ring first), so they keep their order and fit. */
static void vfs_pipe_ring_drain(struct vfs_pipe_object *pipe)
{
    struct aramid_ring view;
    (void)aramid_ring_attach(&view, &pipe->ring->ring, ARAMID_VFS_PIPE_RING_CAPACITY, false);
    unsigned char chunk[512];
    for (;;) {
        bool wake;
        long taken = aramid_ring_read(&view, chunk, sizeof(chunk), &wake);
        if (taken <= 0)
            return; /* empty, or scribbled: the holder's own pipe loses the rest */
        long put = pipe_write(&pipe->pipe, chunk, (size_t)taken, vfs_page_alloc, NULL);
        if (put != taken)
            return; /* no memory: the rest is lost with the ring, as its holder's own bytes */
        pipe->read_events++;
    }
}

void vfs_pipe_ring_retire_active(long object)
{
    struct vfs_pipe_object *pipe = &vfs.pipes[object];
    atomic_store_explicit(&pipe->ring->flags, ARAMID_VFS_PIPE_RING_SLOW, memory_order_seq_cst);
    vfs_pipe_ring_wake_word(&pipe->ring->ring.consumer_waiting);
    vfs_pipe_ring_wake_word(&pipe->ring->ring.producer_waiting);
    if (pipe->pipe.readers > 0)
        vfs_pipe_ring_drain(pipe);
    (void)sys_vm_unmap(vfs.space, (unsigned long)pipe->ring, ARAMID_VFS_PIPE_RING_BYTES);
    (void)sys_handle_close(pipe->ring_memory);
    pipe->ring = NULL;
    pipe->ring_memory = 0;
    pipe->ring_state = VFS_PIPE_RING_RETIRED;
    vfs_pipe_rings--;
    vfs_ready_changed(VFS_READY_SOURCE_PIPE | object); /* the words count the queue again */
    vfs_wait_retry(VFS_WAIT_PIPE, object);
}

void vfs_pipe_ring_held(long id)
{
    const struct ofd *ofd = &vfs.ofds.ofds[id];
    if (ofd_is_pipe(ofd))
        vfs_pipe_ring_retire(ofd->object);
}

/* Whether the caller alone may use pipe's ring: a pipe(2) pipe of exactly one read end and
 * one write end, each held by the caller alone, with no readiness handle (a watcher would
 * count the queue only), nothing queued and nobody kept. */
static bool vfs_pipe_ring_allowed(const struct vfs_pipe_object *pipe, unsigned long process)
{
    if (pipe->inode != 0 || pipe->pipe.readers != 1 || pipe->pipe.writers != 1 ||
        pipe_readable(&pipe->pipe) != 0 || pipe->waiters != 0)
        return false;
    unsigned ends = 0;
    for (long id = pipe->first_end; id != 0; id = vfs.ofds.ofds[id].next_end) {
        const struct ofd *end = &vfs.ofds.ofds[id];
        if ((end->kind != OFD_PIPE_READ && end->kind != OFD_PIPE_WRITE) ||
            end->holder_count != 1 || end->holders[0] != process || end->ready_serial != 0 ||
            end->ready_watches != 0)
            return false;
        ends++;
    }
    return ends == 2;
}

/* The ring of pipe, made on the first pipe_ring of either end. */
static long vfs_pipe_ring_create(struct vfs_pipe_object *pipe)
{
    if (vfs_pipe_rings >= VFS_PIPE_RINGS_MAX)
        return -ARAMID_EPERM;
    long memory = sys_memory_object_create(ARAMID_VFS_PIPE_RING_BYTES);
    long address = memory < 0 ? memory
                              : aramid_memory_map(vfs.space, ARAMID_VFS_PIPE_RING_BYTES,
                                                  ARAMID_PROT_READ | ARAMID_PROT_WRITE, memory,
                                                  0);
    if (address < 0) {
        if (memory > 0)
            (void)sys_handle_close(memory);
        return address;
    }
    pipe->ring_memory = memory;
    pipe->ring = (struct aramid_vfs_pipe_ring *)address;
    struct aramid_ring view;
    atomic_store_explicit(&pipe->ring->flags, 0, memory_order_relaxed);
    (void)aramid_ring_attach(&view, &pipe->ring->ring, ARAMID_VFS_PIPE_RING_CAPACITY, true);
    pipe->ring_state = VFS_PIPE_RING_ACTIVE;
    vfs_pipe_rings++;
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
    if (pipe->ring_state != VFS_PIPE_RING_RETIRED && vfs_pipe_ring_allowed(pipe, call->process))
        result = pipe->ring_state == VFS_PIPE_RING_ACTIVE ? 0 : vfs_pipe_ring_create(pipe);
    long handle = result < 0 ? result
                             : sys_handle_duplicate(pipe->ring_memory,
                                                    ARAMID_RIGHT_READ | ARAMID_RIGHT_WRITE |
                                                        ARAMID_RIGHT_MAP | ARAMID_RIGHT_GRANT);
    if (handle < 0) {
        /* Refused once, never: an end that asked later must not use a ring its other end
         * does not know. */
        vfs_pipe_ring_retire(ofd->object);
        pipe->ring_state = VFS_PIPE_RING_RETIRED;
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
    vfs_pipe_ring_retire(ofd->object);
    reply->result = 0;
    return VFS_REPLY;
}
