/* vfs client sessions: shared buffers, wake-ups, and handing descriptions over at fork and exec. */
#include "vfs.h"

#include "kstring.h"

/*
 * Sessions are found by process id through an open-addressed table (probing from id %
 * VFS_SESSIONS_MAX); a freed slot is marked VFS_SESSION_GONE so that probes go past it.
 * The shared buffers live at VFS_BUFFERS_START + slot * VFS_SESSION_BUFFER.
 */
#define VFS_SESSION_GONE (~0ul)
#define VFS_BUFFERS_START 0x300000000000ul

/*
 * The further buffers (buffer: one per thread that moves data): slot i at VFS_EXTRA_START +
 * i * VFS_SESSION_BUFFER in vfs's space while vfs.extra_used[i]. vfs keeps no handle to them
 * (the one it made goes to the client): its mapping and the client's hold the object, and
 * unmapping it when the session ends is all that is needed.
 */
#define VFS_EXTRA_START 0x310000000000ul

struct vfs_session *vfs_session_find(unsigned long process)
{
    for (unsigned n = 0; n < VFS_SESSIONS_MAX; n++) {
        struct vfs_session *session = &vfs.sessions[(process + n) % VFS_SESSIONS_MAX];
        if (session->process == process)
            return session;
        if (session->process == 0)
            return NULL;
    }
    return NULL;
}

/* A free slot for process (which has no session). */
static struct vfs_session *vfs_session_slot(unsigned long process)
{
    for (unsigned n = 0; n < VFS_SESSIONS_MAX; n++) {
        struct vfs_session *session = &vfs.sessions[(process + n) % VFS_SESSIONS_MAX];
        if (session->process == 0 || session->process == VFS_SESSION_GONE)
            return session;
    }
    return NULL;
}

/* A slot left without an owner gives its buffer back (the client's mapping keeps the object
 * only as long as it lives), so that vfs does not keep a dirty 64 KiB for every slot ever
 * used; the slot's next owner gets a fresh one. */
static void vfs_session_buffer_drop(struct vfs_session *session)
{
    if (session->buffer != NULL &&
        sys_vm_unmap(vfs.space, (unsigned long)session->buffer, VFS_SESSION_BUFFER) == 0) {
        (void)sys_handle_close(session->buffer_object);
        session->buffer_object = 0;
        session->buffer = NULL;
    }
}

/* Ends a session: its exit watch and handles go, and its buffer unless keep_buffer (a repeated
 * session call of the same process, a new image or posix-shim's own second session, gets the
 * buffer its first mapping still shows). */
static void vfs_session_end(struct vfs_session *session, bool keep_buffer)
{
    for (unsigned i = 1; i < ARAMID_VFS_BUFFERS; i++) {
        unsigned char *extra = session->extra[i];
        if (extra == NULL)
            continue;
        (void)sys_vm_unmap(vfs.space, (unsigned long)extra, VFS_SESSION_BUFFER);
        vfs.extra_used[((unsigned long)extra - VFS_EXTRA_START) / VFS_SESSION_BUFFER] = false;
        session->extra[i] = NULL;
    }
    if (session->watched > 0) {
        (void)sys_process_notify_exit(session->watched, 0, 0);
        (void)sys_handle_close(session->watched);
    }
    if (session->exit_notification > 0)
        (void)sys_handle_close(session->exit_notification);
    session->watched = session->exit_notification = 0;
    session->process = VFS_SESSION_GONE;
    if (!keep_buffer)
        vfs_session_buffer_drop(session);
}

void vfs_session_release_all(unsigned long process)
{
    long cursor = 1;
    for (long ofd = ofd_next_held(&vfs.ofds, process, &cursor); ofd != 0;
         ofd = ofd_next_held(&vfs.ofds, process, &cursor))
        (void)vfs_ofd_close(process, ofd);
    lock_release(&vfs.locks, process, 0);
    vfs_wait_retry(VFS_WAIT_LOCK, 0);
}

void vfs_session_exited(unsigned long key)
{
    if (key == 0 || key > VFS_SESSIONS_MAX)
        return;
    struct vfs_session *session = &vfs.sessions[key - 1];
    if (session->process == 0 || session->process == VFS_SESSION_GONE)
        return;
    unsigned long process = session->process;
    vfs_wait_forget(process);
    vfs_console_exited(process);
    vfs_ready_forget(process);
    vfs_session_release_all(process);
    vfs_session_end(session, false);
}

/* Watches the session's process (the handle the session call brought): its exit signals a
 * child of vfs.exits with the slot's key. */
static long vfs_session_watch(struct vfs_session *session, aramid_handle_t process)
{
    long key = (long)(session - vfs.sessions) + 1;
    long notification = sys_notification_create(vfs.exits, (unsigned long)key);
    if (notification < 0)
        return notification;
    long result = sys_process_notify_exit(process, notification, 1);
    if (result < 0) {
        (void)sys_handle_close(notification);
        return result;
    }
    session->watched = process;
    session->exit_notification = notification;
    return 0;
}

enum vfs_action vfs_do_session(struct vfs_call *call, const struct aramid_vfs_session_request *request,
                               struct aramid_vfs_session_reply *reply)
{
    (void)request;
    if (call->granted <= 0) {
        reply->result = -ARAMID_EINVAL; /* the caller's process handle must come with it */
        return VFS_REPLY;
    }
    struct vfs_session *session = call->session;
    if (session != NULL) {
        /* A new image (execve keeps the process) or a repeat: the watch is made again, and
         * the calls vfs keeps for the old image's threads (their buffers go) are answered. */
        unsigned long process = session->process;
        vfs_wait_forget(process);
        vfs_session_end(session, true);
        session->process = process;
    } else {
        session = vfs_session_slot(call->process);
        if (session == NULL) {
            reply->result = -ARAMID_EAGAIN;
            return VFS_REPLY;
        }
    }
    long result = 0;
    if (session->buffer == NULL) {
        long object = sys_memory_object_create(VFS_SESSION_BUFFER);
        unsigned long address =
            VFS_BUFFERS_START + (unsigned long)(session - vfs.sessions) * VFS_SESSION_BUFFER;
        result = object < 0 ? object
                            : sys_vm_map(vfs.space, address, VFS_SESSION_BUFFER,
                                         ARAMID_PROT_READ | ARAMID_PROT_WRITE, object, 0);
        if (result < 0 && object > 0)
            (void)sys_handle_close(object);
        if (result == 0) {
            session->buffer_object = object;
            session->buffer = (unsigned char *)address;
        }
    }
    long copy = result < 0 ? result
                           : sys_handle_duplicate(session->buffer_object,
                                                  ARAMID_RIGHT_READ | ARAMID_RIGHT_WRITE |
                                                      ARAMID_RIGHT_MAP | ARAMID_RIGHT_GRANT);
    if (copy >= 0)
        result = vfs_session_watch(session, call->granted);
    if (copy < 0 || result < 0) {
        if (copy > 0)
            (void)sys_handle_close(copy);
        session->process = session->process == call->process ? VFS_SESSION_GONE : session->process;
        vfs_session_buffer_drop(session); /* made above for a slot that has no owner now */
        reply->result = copy < 0 ? copy : result;
        return VFS_REPLY;
    }
    session->process = call->process;
    call->granted = 0; /* the session's watch keeps it (vfs_handle closes it otherwise) */
    call->grant_out = copy;
    reply->size = (long)VFS_SESSION_BUFFER;
    return VFS_REPLY;
}

enum vfs_action vfs_do_buffer(struct vfs_call *call, const struct aramid_vfs_buffer_request *request,
                              struct aramid_vfs_buffer_reply *reply)
{
    struct vfs_session *session = call->session;
    if (request->index <= 0 || request->index >= ARAMID_VFS_BUFFERS) {
        reply->result = -ARAMID_EINVAL;
        return VFS_REPLY;
    }
    if (session->extra[request->index] != NULL) {
        reply->result = -ARAMID_EBUSY;
        return VFS_REPLY;
    }
    unsigned slot = 0;
    while (slot < VFS_EXTRA_MAX && vfs.extra_used[slot])
        slot++;
    if (slot == VFS_EXTRA_MAX) {
        reply->result = -ARAMID_EAGAIN;
        return VFS_REPLY;
    }
    unsigned long address = VFS_EXTRA_START + slot * VFS_SESSION_BUFFER;
    long object = sys_memory_object_create(VFS_SESSION_BUFFER);
    long result = object < 0 ? object
                             : sys_vm_map(vfs.space, address, VFS_SESSION_BUFFER,
                                          ARAMID_PROT_READ | ARAMID_PROT_WRITE, object, 0);
    if (result < 0) {
        if (object > 0)
            (void)sys_handle_close(object);
        reply->result = result;
        return VFS_REPLY;
    }
    vfs.extra_used[slot] = true;
    session->extra[request->index] = (unsigned char *)address;
    call->grant_out = object; /* moved to the client: vfs keeps only its mapping */
    reply->size = (long)VFS_SESSION_BUFFER;
    return VFS_REPLY;
}

/* An unguessable one-time secret. */
static unsigned long vfs_token(void)
{
    unsigned long x = vfs.random_state ^ aramid_clock_monotonic_ns();
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    vfs.random_state = x;
    return (x | 1) & ~(1ul << 63); /* the top bit is free for SCM_RIGHTS' tag (sock.h) */
}

/* The holder id a pending handoff holds its descriptions under: never a kernel process id
 * (those are small). */
static unsigned long vfs_handoff_holder(const struct vfs_handoff *handoff)
{
    return VFS_HANDOFF_HOLDER_BASE + (unsigned long)(handoff - vfs.handoffs);
}

/* Moves every hold of from to to. */
static long vfs_holds_move(unsigned long from, unsigned long to, bool keep)
{
    long cursor = 1, result = 0;
    for (long ofd = ofd_next_held(&vfs.ofds, from, &cursor); ofd != 0;
         ofd = ofd_next_held(&vfs.ofds, from, &cursor)) {
        long held = ofd_hold(&vfs.ofds, to, ofd);
        if (held >= 0)
            vfs_pipe_ring_held(ofd, from);
        if (held < 0)
            result = held;
        else if (!keep)
            (void)ofd_release(&vfs.ofds, from, ofd); /* to holds it: never the last */
    }
    return result;
}

/* The records of a pass (SCM_RIGHTS): each description the caller holds gets held by holder
 * too, its record filled from vfs's own (kind, status, rdev). -EBADF for one it does not hold. */
static long vfs_pass_hold(struct vfs_call *call, unsigned long holder)
{
    struct vfs_handoff *handoff = &vfs.handoffs[holder - VFS_HANDOFF_HOLDER_BASE];
    size_t count = call->buffer_bytes / sizeof(struct aramid_vfs_pass);
    struct aramid_vfs_pass *records = (struct aramid_vfs_pass *)handoff->table;
    memcpy(records, call->buffer, call->buffer_bytes);
    for (size_t i = 0; i < count; i++) {
        struct ofd *ofd = ofd_find(&vfs.ofds, call->process, records[i].ofd);
        if (ofd == NULL)
            return -ARAMID_EBADF;
        long held = ofd_hold(&vfs.ofds, holder, records[i].ofd);
        if (held < 0)
            return held;
        vfs_pipe_ring_held(records[i].ofd, call->process);
        unsigned mode = ofd_is_pipe(ofd) ? 0 : vfs.tmpfs.inodes[ofd->inode].mode;
        records[i].kind = ofd->kind == OFD_DEVICE ? ARAMID_VFS_KIND_DEVICE
                          : mode == 0             ? ARAMID_VFS_KIND_PIPE
                          : TMPFS_IS_DIR(mode)    ? ARAMID_VFS_KIND_DIRECTORY
                                                  : ARAMID_VFS_KIND_FILE;
        records[i].status = ofd->flags & (VFS_O_ACCMODE | VFS_O_APPEND | VFS_O_NONBLOCK);
        records[i].rdev = ofd->kind == OFD_DEVICE ? (long)vfs.tmpfs.inodes[ofd->inode].rdev : 0;
    }
    return 0;
}

enum vfs_action vfs_do_handoff(struct vfs_call *call, const struct aramid_vfs_handoff_request *request,
                               struct aramid_vfs_handoff_reply *reply)
{
    if ((request->kind != VFS_HANDOFF_FORK && request->kind != VFS_HANDOFF_EXEC &&
         request->kind != VFS_HANDOFF_PASS) ||
        call->buffer_bytes > VFS_HANDOFF_BYTES ||
        (request->kind == VFS_HANDOFF_PASS &&
         (call->buffer_bytes == 0 || call->buffer_bytes % sizeof(struct aramid_vfs_pass) != 0))) {
        reply->result = -ARAMID_EINVAL;
        return VFS_REPLY;
    }
    struct vfs_handoff *handoff = NULL;
    for (unsigned i = 0; i < VFS_HANDOFFS_MAX && handoff == NULL; i++) {
        if (vfs.handoffs[i].token == 0)
            handoff = &vfs.handoffs[i];
    }
    if (handoff == NULL) {
        reply->result = -ARAMID_EAGAIN;
        return VFS_REPLY;
    }
    /* The handoff holds what the giver holds now: a close between fork and the child's adopt
     * must not take the child's copy away. A pass holds only the descriptions it names. */
    long result = request->kind == VFS_HANDOFF_PASS
                      ? vfs_pass_hold(call, vfs_handoff_holder(handoff))
                      : vfs_holds_move(call->process, vfs_handoff_holder(handoff), true);
    if (result < 0) {
        vfs_session_release_all(vfs_handoff_holder(handoff));
        reply->result = result;
        return VFS_REPLY;
    }
    handoff->giver = call->process;
    handoff->kind = request->kind;
    handoff->token = vfs_token();
    handoff->bytes = call->buffer_bytes;
    if (request->kind != VFS_HANDOFF_PASS) /* a pass's records are filled in by vfs_pass_hold */
        memcpy(handoff->table, call->buffer, call->buffer_bytes);
    reply->token = (long)handoff->token;
    return VFS_REPLY;
}

enum vfs_action vfs_do_adopt(struct vfs_call *call, const struct aramid_vfs_adopt_request *request,
                             struct aramid_vfs_adopt_reply *reply)
{
    struct vfs_handoff *handoff = NULL;
    for (unsigned i = 0; i < VFS_HANDOFFS_MAX; i++) {
        if (request->token != 0 && vfs.handoffs[i].token == (unsigned long)request->token)
            handoff = &vfs.handoffs[i];
    }
    if (handoff == NULL) {
        reply->result = -ARAMID_EINVAL;
        return VFS_REPLY;
    }
    unsigned long holder = vfs_handoff_holder(handoff);
    long result = vfs_holds_move(holder, call->process, true);
    vfs_session_release_all(holder);
    /* An exec's new image takes over from the old one; the giver adopting its own handoff (a
     * failed execve) just cancels it. */
    if (handoff->kind == VFS_HANDOFF_EXEC && handoff->giver != call->process) {
        vfs_session_release_all(handoff->giver);
        struct vfs_session *giver = vfs_session_find(handoff->giver);
        if (giver != NULL)
            vfs_session_end(giver, false);
    }
    memcpy(call->reply_buffer, handoff->table, handoff->bytes);
    call->reply_bytes = handoff->bytes;
    handoff->token = 0;
    handoff->giver = 0;
    reply->result = result < 0 ? result : (long)call->reply_bytes;
    return VFS_REPLY;
}

enum vfs_action vfs_do_handoff_drop(struct vfs_call *call,
                                    const struct aramid_vfs_handoff_drop_request *request,
                                    struct aramid_vfs_handoff_drop_reply *reply)
{
    (void)call;
    reply->result = -ARAMID_EINVAL;
    for (unsigned i = 0; i < VFS_HANDOFFS_MAX; i++) {
        struct vfs_handoff *handoff = &vfs.handoffs[i];
        if (request->token == 0 || handoff->token != (unsigned long)request->token ||
            handoff->kind != VFS_HANDOFF_PASS)
            continue;
        vfs_session_release_all(vfs_handoff_holder(handoff));
        handoff->token = 0;
        handoff->giver = 0;
        reply->result = 0;
    }
    return VFS_REPLY;
}

enum vfs_action vfs_do_release(struct vfs_call *call, const struct aramid_vfs_release_request *request,
                               struct aramid_vfs_release_reply *reply)
{
    (void)request;
    /* Pending handoffs stay: a fork child or an execve's image adopts them later. The caller
     * is exiting: a session leader's terminal hangs up now (its exit watch ends with the
     * session, so it would not later). */
    vfs_wait_forget(call->process);
    vfs_console_exiting(call->process);
    vfs_ready_forget(call->process);
    vfs_session_release_all(call->process);
    vfs_session_end(call->session, false);
    reply->result = 0;
    return VFS_REPLY;
}
