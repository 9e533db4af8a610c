/* vfs held calls: pipe reads and writes and F_SETLKW that must wait, answered later by token. */
#include "vfs.h"

#include "kstring.h"

/*
 * A held call keeps the caller's reply token (IPC v2: replies are capabilities) and what it
 * asked; vfs_wait_retry runs it again whenever the object it waits for changes and answers it
 * once it can go on. A cancel notice (a signal for the caller) answers it with -EINTR. token 0:
 * a free slot.
 */
#define VFS_WAITERS_MAX 128

struct vfs_waiter {
    unsigned long token;
    unsigned long process;
    unsigned label;
    unsigned shared_index; /* the caller's shared buffer the transfer moves through */
    enum vfs_wait wait;
    long object;
    long ofd;
    long length;
    bool probe; /* a read or write that moves nothing (ARAMID_VFS_PROBE) */
    struct vfs_lock_wait lock;
};

static struct vfs_waiter vfs_waiters[VFS_WAITERS_MAX];

/* Answers a held call with result (every reply starts with it; an open of a FIFO also says
 * what it opened). The slot is free before anything else runs: closing a FIFO end retries the
 * waiters, and this one must not be among them. */
static void vfs_wait_answer(struct vfs_waiter *waiter, long result)
{
    struct vfs_waiter held = *waiter;
    waiter->token = 0;
    if (held.wait == VFS_WAIT_PIPE)
        vfs.pipes[held.object].waiters--;
    struct aramid_message message = {.info = ARAMID_IPC_INFO(held.label, 0)};
    message.words[0] = (unsigned long)result;
    if (held.wait == VFS_WAIT_PIPE && held.label != ARAMID_VFS_open)
        message.words[1] = vfs_pipe_ring_offer(held.object, held.process); /* read's ring */
    if (held.label == ARAMID_VFS_open && result >= 0) {
        struct aramid_vfs_open_reply reply = {
            .result = result, .kind = ARAMID_VFS_KIND_PIPE, .status = held.length};
        memcpy(message.words, &reply, sizeof(reply));
    } else if (held.label == ARAMID_VFS_open) {
        (void)vfs_ofd_close(held.process, held.ofd); /* the end it had opened goes */
    }
    (void)aramid_ipc_reply(held.token, &message); /* -ESRCH: the caller is gone, inert */
}

enum vfs_action vfs_wait_hold(struct vfs_call *call, unsigned label, enum vfs_wait wait,
                              long object, long ofd, long length, bool probe,
                              const struct vfs_lock_wait *lock, long *result)
{
    for (unsigned i = 0; i < VFS_WAITERS_MAX; i++) {
        struct vfs_waiter *waiter = &vfs_waiters[i];
        if (waiter->token != 0)
            continue;
        *waiter = (struct vfs_waiter){
            .token = call->reply,
            .process = call->process,
            .label = label,
            .shared_index = call->shared_index,
            .wait = wait,
            .object = object,
            .ofd = ofd,
            .length = length,
            .probe = probe,
        };
        if (lock != NULL)
            waiter->lock = *lock;
        if (call->reply == 0) {
            waiter->token = 0;
            break; /* not a call that can be kept */
        }
        if (wait == VFS_WAIT_PIPE)
            vfs.pipes[object].waiters++; /* nobody kept: a condition of its ring */
        return VFS_SUSPEND;
    }
    *result = -ARAMID_EAGAIN; /* too many waiting: the caller sees a busy pipe */
    return VFS_REPLY;
}

/* Runs a held call again: its result, or -EAGAIN while it must still wait. */
static long vfs_wait_try(struct vfs_waiter *waiter)
{
    unsigned char *shared =
        vfs_session_buffer(vfs_session_find(waiter->process), waiter->shared_index);
    struct ofd *ofd = ofd_find(&vfs.ofds, waiter->process, waiter->ofd);
    if (shared == NULL || ofd == NULL)
        return -ARAMID_EBADF;
    const struct pipe *pipe = &vfs.pipes[ofd->object].pipe;
    switch (waiter->label) {
    case ARAMID_VFS_open: /* a FIFO end waits for the other end to be opened */
        if (ofd->kind == OFD_PIPE_READ ? pipe->writers == 0 : pipe->readers == 0)
            return -ARAMID_EAGAIN;
        return waiter->ofd;
    case ARAMID_VFS_read:
        return waiter->probe
                   ? vfs_pipe_probe(ofd, waiter->process, false, (size_t)waiter->length)
                   : vfs_pipe_read(ofd, waiter->process, shared, (size_t)waiter->length);
    case ARAMID_VFS_write:
        return waiter->probe
                   ? vfs_pipe_probe(ofd, waiter->process, true, (size_t)waiter->length)
                   : vfs_pipe_write(ofd, waiter->process, shared, (size_t)waiter->length);
    default:
        return lock_set(&vfs.locks, waiter->lock.inode, waiter->process, waiter->lock.type,
                        waiter->lock.start, waiter->lock.end);
    }
}

/* The pipe whose kept calls are being run again (-1: none): a call of it run again may not
 * start another round of them (a ring drained into the queue while it reads), which would
 * answer that call twice; the round under way runs until nothing moves anyway. */
static long vfs_wait_retrying = -1;

void vfs_wait_retry(enum vfs_wait wait, long object)
{
    if (wait == VFS_WAIT_PIPE && vfs_wait_retrying == object)
        return; /* the round under way runs every kept call of the pipe, this one's too */
    long outer = vfs_wait_retrying;
    if (wait == VFS_WAIT_PIPE)
        vfs_wait_retrying = object;
    /* A write that goes on may let a read go on and the other way round: again until nothing
     * moves (every pass answers at least one call or stops). */
    bool moved = true;
    while (moved) {
        moved = false;
        for (unsigned i = 0; i < VFS_WAITERS_MAX; i++) {
            struct vfs_waiter *waiter = &vfs_waiters[i];
            if (waiter->token == 0 || waiter->wait != wait || waiter->object != object)
                continue;
            long result = vfs_wait_try(waiter);
            if (result == -ARAMID_EAGAIN)
                continue;
            vfs_wait_answer(waiter, result);
            moved = true;
        }
    }
    vfs_wait_retrying = outer;
    /* The readiness hook: watchers hear of it before the call that changed it is answered. */
    if (wait == VFS_WAIT_PIPE)
        vfs_ready_changed(VFS_READY_SOURCE_PIPE | object);
}

void vfs_wait_cancel(unsigned long token)
{
    for (unsigned i = 0; i < VFS_WAITERS_MAX; i++) {
        if (vfs_waiters[i].token == token && token != 0) {
            vfs_wait_answer(&vfs_waiters[i], -ARAMID_EINTR);
            return;
        }
    }
}

void vfs_wait_forget(unsigned long process)
{
    for (unsigned i = 0; i < VFS_WAITERS_MAX; i++) {
        if (vfs_waiters[i].token != 0 && vfs_waiters[i].process == process)
            vfs_wait_answer(&vfs_waiters[i], -ARAMID_EBADF);
    }
}
