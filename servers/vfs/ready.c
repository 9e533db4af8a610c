/* vfs readiness: poll bits of open descriptions, the badged handles the event server asks
 * through, and the watchers told when an object becomes readable, writable or hung up. */
#include "vfs.h"

#include <aramid/proto/ready.h>

/*
 * A description's readiness handle is vfs's endpoint minted with a badge naming it:
 * VFS_READY_BADGE | serial << VFS_READY_SLOT_BITS | ofd. Holding that handle is the authority
 * to ask (ready_poll, ready_watch, ready_unwatch); the serial is given on the first ready_handle
 * of a description and cleared when it goes, so a handle to a freed description (whose number
 * a new one took) names nothing: -EBADF. The same value with ARAMID_READY_ID_VFS is the ready
 * id the event server dedupes by.
 *
 * Watches: at most VFS_READY_WATCHES_MAX notifications, each on one description. Invariant:
 * vfs_ready_watched lists (once each) the descriptions that have at least one watch, so a
 * change costs the watched descriptions, never the whole table.
 */
#define VFS_READY_SLOT_BITS 10
#define VFS_READY_SERIAL_MASK ((1ul << 40) - 1)
#define VFS_READY_BADGE (1ul << 62)
#define VFS_READY_WATCHES_MAX 1024
_Static_assert(OFD_MAX <= (1 << VFS_READY_SLOT_BITS), "a description number fits the badge");

struct vfs_ready_watch {
    aramid_handle_t notification; /* 0: a free slot */
    long ofd;
    unsigned long sender;
};


/* The readiness words (ready_map): made on the first ready_map, then written on every change of
 * a pipe end; clients map them read-only. */
#define VFS_READY_WORDS_ADDRESS 0x3c0000000000ul
#define VFS_READY_WORDS_BYTES (OFD_MAX * sizeof(unsigned long))
static aramid_handle_t vfs_ready_words_object;
static unsigned long *vfs_ready_words;

static struct vfs_ready_watch vfs_ready_watches[VFS_READY_WATCHES_MAX];
static long vfs_ready_watched[OFD_MAX];
static unsigned vfs_ready_watched_count;
static unsigned long vfs_ready_serial;

long vfs_ready_source(const struct ofd *ofd)
{
    switch (ofd->kind) {
    case OFD_PIPE_READ:
    case OFD_PIPE_WRITE:
    case OFD_PIPE_BOTH:
        return VFS_READY_SOURCE_PIPE | ofd->object;
    case OFD_DEVICE:
    case OFD_FILE:
        return VFS_READY_SOURCE_INODE | ofd->inode;
    case OFD_FREE:
        break;
    }
    return 0;
}

/* ring: count the bytes the pipe's ring holds (a watcher's bits); the words posix-shim's poll
 * reads do not (stale between transfers: the holder looks at the ring itself). */
static uint32_t vfs_ready_bits_counting(const struct ofd *ofd, unsigned long *generation,
                                        bool ring);

uint32_t vfs_ready_bits(const struct ofd *ofd, unsigned long *generation)
{
    return vfs_ready_bits_counting(ofd, generation, true);
}

static uint32_t vfs_ready_bits_counting(const struct ofd *ofd, unsigned long *generation,
                                        bool ring)
{
    *generation = 0;
    if (!ofd_is_pipe(ofd))
        return ARAMID_POLLIN | ARAMID_POLLRDNORM | ARAMID_POLLOUT | ARAMID_POLLWRNORM;
    /* Linux's pipe_poll: the read end is readable with bytes in the ring and hung up when no
     * writer is left (a FIFO's reader only once a writer came after its open); the write end
     * is writable while a page's worth is free and in error when no reader is left. An O_RDWR
     * FIFO is both (and, being a reader and a writer itself, never hung up nor in error); its
     * generation moves with either end's events. */
    const struct vfs_pipe_object *object = &vfs.pipes[ofd->object];
    const struct pipe *pipe = &object->pipe;
    unsigned long held = ring ? (unsigned long)vfs_pipe_ring_queued(ofd) : 0; /* older */
    uint32_t bits = 0;
    if (ofd_pipe_reads(ofd)) {
        *generation += object->read_events;
        if (pipe_readable(pipe) + held > 0)
            bits |= ARAMID_POLLIN | ARAMID_POLLRDNORM;
        if (pipe->writers == 0 && ofd->version != object->writer_opens)
            bits |= ARAMID_POLLHUP;
    }
    if (ofd_pipe_writes(ofd)) {
        *generation += object->write_events;
        if (pipe_writable(pipe) >= PIPE_PAGE_SIZE + held)
            bits |= ARAMID_POLLOUT | ARAMID_POLLWRNORM;
        if (pipe->readers == 0)
            bits |= ARAMID_POLLERR;
    }
    return bits;
}

/* Description id's source and bits; id 0 is the terminal (VFS_READY_SOURCE_TTY). */
static long vfs_ready_source_of(long id)
{
    return id == 0 ? VFS_READY_SOURCE_TTY : vfs_ready_source(&vfs.ofds.ofds[id]);
}

static uint32_t vfs_ready_bits_of(long id, unsigned long *generation)
{
    return id == 0 ? vfs_console_ready_bits(generation)
                   : vfs_ready_bits(&vfs.ofds.ofds[id], generation);
}

/* Tells the watchers of description id when its bits or generation moved. */
static void vfs_ready_tell(long id)
{
    struct ofd *state = &vfs.ofds.ofds[id];
    unsigned long generation;
    uint32_t bits = vfs_ready_bits_of(id, &generation);
    if (bits == state->told_bits && generation == state->told_generation)
        return;
    state->told_bits = bits;
    state->told_generation = generation;
    for (unsigned i = 0; i < VFS_READY_WATCHES_MAX; i++) {
        struct vfs_ready_watch *watch = &vfs_ready_watches[i];
        if (watch->notification > 0 && watch->ofd == id)
            (void)sys_notify_signal(watch->notification, ARAMID_READY_CHANGED);
    }
}

/* Description id's word: its bits as they are now (release: the words a caller sees are those
 * written before its answer). */
static void vfs_ready_publish(long id)
{
    unsigned long generation;
    unsigned long word = ARAMID_VFS_READY_VALID;
    if (id == 0)
        word |= vfs_console_ready_bits(&generation);
    else
        word |= vfs_ready_bits_counting(&vfs.ofds.ofds[id], &generation, false) |
                (vfs_pipe_ring_uses(&vfs.ofds.ofds[id]) ? ARAMID_VFS_READY_RING : 0);
    __atomic_store_n(&vfs_ready_words[id], word, __ATOMIC_RELEASE);
}

void vfs_ready_link(long id)
{
    struct ofd *ofd = &vfs.ofds.ofds[id];
    struct vfs_pipe_object *pipe = &vfs.pipes[ofd->object];
    ofd->next_end = pipe->first_end;
    pipe->first_end = id;
    vfs_ready_changed(VFS_READY_SOURCE_PIPE | ofd->object);
}

void vfs_ready_unlink(long id)
{
    struct ofd *ofd = &vfs.ofds.ofds[id];
    for (long *link = &vfs.pipes[ofd->object].first_end; *link != 0;
         link = &vfs.ofds.ofds[*link].next_end)
        if (*link == id) {
            *link = ofd->next_end;
            break;
        }
    ofd->next_end = 0;
}

void vfs_ready_changed(long source)
{
    if (vfs_ready_words != NULL && (source & VFS_READY_SOURCE_PIPE)) {
        for (long id = vfs.pipes[source & ~VFS_READY_SOURCE_PIPE].first_end; id != 0;
             id = vfs.ofds.ofds[id].next_end)
            vfs_ready_publish(id);
    }
    if (vfs_ready_words != NULL && source == VFS_READY_SOURCE_TTY)
        vfs_ready_publish(0);
    for (unsigned i = 0; i < vfs_ready_watched_count; i++) {
        long id = vfs_ready_watched[i];
        if (vfs_ready_source_of(id) == source)
            vfs_ready_tell(id);
    }
}

/* Drops one watch slot; the description leaves the watched list with its last. */
static void vfs_ready_watch_drop(struct vfs_ready_watch *watch, bool gone)
{
    if (gone)
        (void)sys_notify_signal(watch->notification, ARAMID_READY_GONE);
    (void)sys_handle_close(watch->notification);
    struct ofd *state = &vfs.ofds.ofds[watch->ofd];
    if (--state->ready_watches == 0) {
        for (unsigned i = 0; i < vfs_ready_watched_count; i++)
            if (vfs_ready_watched[i] == watch->ofd) {
                vfs_ready_watched[i] = vfs_ready_watched[--vfs_ready_watched_count];
                break;
            }
    }
    *watch = (struct vfs_ready_watch){0};
}

void vfs_ready_gone(long id)
{
    struct ofd *state = &vfs.ofds.ofds[id];
    if (state->ready_watches != 0)
        for (unsigned i = 0; i < VFS_READY_WATCHES_MAX; i++)
            if (vfs_ready_watches[i].notification > 0 && vfs_ready_watches[i].ofd == id)
                vfs_ready_watch_drop(&vfs_ready_watches[i], true);
    state->ready_serial = 0;
    state->ready_watches = 0;
    if (vfs_ready_words != NULL)
        __atomic_store_n(&vfs_ready_words[id], 0, __ATOMIC_RELEASE);
}

void vfs_ready_forget(unsigned long process)
{
    for (unsigned i = 0; i < VFS_READY_WATCHES_MAX; i++)
        if (vfs_ready_watches[i].notification > 0 && vfs_ready_watches[i].sender == process)
            vfs_ready_watch_drop(&vfs_ready_watches[i], false);
}

enum vfs_action vfs_do_ready_map(struct vfs_call *call,
                                 const struct aramid_vfs_ready_map_request *request,
                                 struct aramid_vfs_ready_map_reply *reply)
{
    (void)request;
    long result = 0;
    if (vfs_ready_words == NULL) {
        long object = sys_memory_object_create(VFS_READY_WORDS_BYTES);
        result = object < 0 ? object
                            : sys_vm_map(vfs.space, VFS_READY_WORDS_ADDRESS, VFS_READY_WORDS_BYTES,
                                         ARAMID_PROT_READ | ARAMID_PROT_WRITE, object, 0);
        if (result < 0 && object > 0)
            (void)sys_handle_close(object);
        if (result < 0) {
            reply->result = result;
            return VFS_REPLY;
        }
        vfs_ready_words_object = object;
        vfs_ready_words = (unsigned long *)VFS_READY_WORDS_ADDRESS;
        /* The terminal and every pipe end open now get their words. */
        vfs_ready_publish(0);
        for (long id = 1; id < OFD_MAX; id++)
            if (ofd_is_pipe(&vfs.ofds.ofds[id]))
                vfs_ready_publish(id);
    }
    long copy = sys_handle_duplicate(vfs_ready_words_object,
                                     ARAMID_RIGHT_READ | ARAMID_RIGHT_MAP | ARAMID_RIGHT_GRANT);
    if (copy < 0) {
        reply->result = copy;
        return VFS_REPLY;
    }
    call->grant_out = copy;
    reply->count = OFD_MAX;
    reply->result = 0;
    return VFS_REPLY;
}

enum vfs_action vfs_do_ready_handle(struct vfs_call *call,
                                    const struct aramid_vfs_ready_handle_request *request,
                                    struct aramid_vfs_ready_handle_reply *reply)
{
    /* Description 0 is the terminal: one for everybody, so anyone may watch it. */
    struct ofd *ofd = request->ofd == 0 ? &vfs.ofds.ofds[0]
                                        : ofd_find(&vfs.ofds, call->process, request->ofd);
    if (ofd == NULL) {
        reply->result = -ARAMID_EBADF;
        return VFS_REPLY;
    }
    struct ofd *state = &vfs.ofds.ofds[request->ofd];
    if (ofd_is_pipe(state)) /* the ring's holders tell the watchers of their transfers */
        vfs_pipe_ring_watch(state->object);
    if (state->ready_serial == 0)
        state->ready_serial = (++vfs_ready_serial & VFS_READY_SERIAL_MASK) ?: ++vfs_ready_serial;
    unsigned long badge = VFS_READY_BADGE | state->ready_serial << VFS_READY_SLOT_BITS |
                          (unsigned long)request->ofd;
    long handle = sys_endpoint_mint(vfs.endpoint, badge, ARAMID_RIGHT_SEND | ARAMID_RIGHT_GRANT |
                                                             ARAMID_RIGHT_DUPLICATE);
    if (handle < 0) {
        reply->result = handle;
        return VFS_REPLY;
    }
    call->grant_out = handle;
    reply->id = (long)(ARAMID_READY_ID_VFS | (badge & ~VFS_READY_BADGE));
    reply->result = 0;
    return VFS_REPLY;
}

/* The description a readiness badge names, or -1. */
static long vfs_ready_ofd_of(unsigned long badge)
{
    long id = (long)(badge & (OFD_MAX - 1));
    unsigned long serial = (badge & ~VFS_READY_BADGE) >> VFS_READY_SLOT_BITS;
    if ((badge & VFS_READY_BADGE) == 0 || (id != 0 && vfs.ofds.ofds[id].kind == OFD_FREE) ||
        vfs.ofds.ofds[id].ready_serial != serial || serial == 0)
        return -1;
    return id;
}

/* ready_poll: (bits, generation, id); ready_watch (grants the notification); ready_unwatch. */
static long vfs_ready_call(long id, unsigned long badge, unsigned label, unsigned long sender,
                           aramid_handle_t granted, unsigned long *words)
{
    struct ofd *state = &vfs.ofds.ofds[id];
    switch (label) {
    case ARAMID_READY_POLL:
        words[1] = vfs_ready_bits_of(id, &words[2]);
        words[3] = ARAMID_READY_ID_VFS | (badge & ~VFS_READY_BADGE);
        return 0;
    case ARAMID_READY_WATCH:
        if (granted <= 0)
            return -ARAMID_EINVAL;
        for (unsigned i = 0; i < VFS_READY_WATCHES_MAX; i++) {
            struct vfs_ready_watch *watch = &vfs_ready_watches[i];
            if (watch->notification > 0)
                continue;
            *watch = (struct vfs_ready_watch){granted, id, sender};
            if (state->ready_watches++ == 0)
                vfs_ready_watched[vfs_ready_watched_count++] = id;
            state->told_bits = vfs_ready_bits_of(id, &state->told_generation);
            return 0;
        }
        (void)sys_handle_close(granted);
        return -ARAMID_ENOMEM;
    case ARAMID_READY_UNWATCH:
        for (unsigned i = 0; i < VFS_READY_WATCHES_MAX && state->ready_watches != 0; i++)
            if (vfs_ready_watches[i].notification > 0 && vfs_ready_watches[i].ofd == id &&
                vfs_ready_watches[i].sender == sender)
                vfs_ready_watch_drop(&vfs_ready_watches[i], false);
        return 0;
    default:
        return -ARAMID_ENOSYS;
    }
}

void vfs_ready_handle_call(struct aramid_message *message)
{
    unsigned label = ARAMID_IPC_LABEL(message->info);
    aramid_handle_t granted =
        (message->info & ARAMID_IPC_GRANT) ? (aramid_handle_t)message->words[5] : 0;
    unsigned long words[ARAMID_IPC_REGISTERS] = {0};
    long id = vfs_ready_ofd_of(message->badge);
    long result;
    if (id < 0) {
        result = -ARAMID_EBADF;
    } else {
        result = vfs_ready_call(id, message->badge, label, message->sender, granted, words);
        if (label == ARAMID_READY_WATCH)
            granted = 0; /* kept, or closed */
    }
    if (granted > 0)
        (void)sys_handle_close(granted);
    words[0] = (unsigned long)result;
    aramid_message_answer(message, label, words, 0, 0);
}
