/* posix-shim's descriptions of event and sock objects (eventfd, epoll, socket): what a
 * descriptor's fd_file holds, shared by eventfd.c, epoll.c, poll.c and socket.c. */
#ifndef POSIX_SHIM_EVENT_H
#define POSIX_SHIM_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include <aramid/proto/event.h>

#include "fd.h"

/* EVENT_FILE_FOREIGN: another server's object watched like a socket (a POSIX message queue,
 * mqueue.c): epoll_ctl grants the event server a copy of its handle. */
enum event_file_kind { EVENT_FILE_EVENTFD = 1, EVENT_FILE_EPOLL, EVENT_FILE_SOCKET, EVENT_FILE_FOREIGN };

/*
 * fd_file->data of the three backends below; fd_file->handle is the object's minted handle
 * (inheritable: a fork child's copy of the table stays valid). id (and cookie, for the event
 * server's objects) name the object in epoll_ctl; poll_slot is its registration in this
 * process's hidden poll set (poll.c), valid while poll_serial matches that set's.
 */
struct event_file {
    enum event_file_kind kind;
    int type; /* socket type */
    unsigned long id, cookie;
    unsigned long poll_serial;
    int poll_slot;
    uint32_t poll_events;
    /* The event server's fast-path page for an eventfd or epoll fd, NULL when not mapped. */
    struct aramid_event_shared *shared;
    bool semaphore; /* EFD_SEMAPHORE */
    /* A stream socket's fast path (socket_ring.c): ring_state unknown (0: ask the server on
     * the next data call), attached (ring is set) or never. */
    int ring_state;
    struct socket_ring *ring;
    /* A pipe end's fast path (pipe_ring.c; ring_state as above): its pipe's ring view. */
    struct pipe_ring *pipe_ring;
};

/* Maps the event server's page of the object behind file (aramid/proto/event.h); without it
 * every operation goes to the server. */
void event_file_map(struct fd_file *file);

extern const struct fd_backend eventfd_backend;
extern const struct fd_backend epoll_backend;
extern const struct fd_backend socket_backend;

/* The event_file behind an fd_file of one of those backends (or a vfs description that has
 * one), or NULL. */
struct event_file *event_file_of(const struct fd_file *file);
/* As event_file_of, making the event_file of a vfs pipe or FIFO end or of the terminal on
 * first use: NULL for descriptors that tell no readiness (files, directories: always ready). */
struct event_file *event_file_pollable(struct fd_file *file);
/* The kind of such an event_file: in fd_file->data; id is vfs's ready id for the description
 * (0 until the first EPOLL_CTL_ADD asks vfs for a readiness handle). Apart from the enum's
 * members, which other servers' kinds extend. */
#define EVENT_FILE_VFS ((enum event_file_kind)16)
/* A new description of backend for handle, installed as the lowest free descriptor; on
 * failure the handle is closed. Returns the descriptor or -errno (newlib). */
long event_file_install(const struct fd_backend *backend, enum event_file_kind kind,
                        long handle, unsigned long id, unsigned long cookie, int type,
                        int status_flags, int close_on_exec);
/* execve (vfs.c's exec table): what rebuilds an eventfd, epoll or socket description in the
 * new image. Its handle is inheritable, so it keeps its value across process_exec, and its
 * server keeps this process's hold (the kernel id stays). save: false for other backends;
 * restore: a new description (one reference) or NULL for a record that names none. */
struct event_exec_object {
    long handle;
    unsigned long id, cookie;
    int kind, type;
    bool semaphore;
};
bool event_exec_save(const struct fd_file *file, struct event_exec_object *saved);
struct fd_file *event_exec_restore(const struct event_exec_object *saved, int status_flags);
/* The release common to the three: poll registration, the server's close, the handle. */
void event_file_release(struct fd_file *file, bool socket);

/* epoll_ctl for a description (epoll.c): adds, modifies or deletes the interest of target
 * (descriptor number fd) in the epoll handle. -errno (newlib). */
long epoll_control_file(long epoll_handle, int op, int fd, struct fd_file *target,
                        uint32_t events, uint64_t data);
/* The records an epoll_wait of at most maxevents would get, from the set's shared snapshot
 * (aramid/proto/event.h): their count (0: nothing ready), or -1 when the server must be
 * asked (no page, foreign objects, no snapshot, more than maxevents, a write under way). */
long epoll_snapshot_take(const struct aramid_event_shared *shared,
                         struct aramid_event_record *out, long maxevents);
/* Waits on epoll_handle: deadline as aramid_event_wait; records land in the IPC buffer. */
long epoll_wait_records(long epoll_handle, long maxevents, unsigned long deadline);
/* Forgets file's registration in the hidden poll set (poll.c). */
void poll_forget(struct fd_file *file);
/* For a descriptor that tells no readiness: -ENOSYS for message queues (the ipc server does
 * not tell readiness yet), else 0 (files, directories: always ready, as on Linux). */
long event_foreign_backend(struct fd_file *file);
/* A vfs description's poll state goes with it (vfs.c's release). */
void event_file_forget(struct fd_file *file);
/* SCM_RIGHTS of eventfds and epoll fds (eventfd.c): a pass of file's description as an
 * ARAMID_SOCK_ATTACH_EVENT attachment word (-EOPNOTSUPP for other backends), its drop when the
 * send did not go, and the receiver's descriptor for one (or -errno). */
long event_pass_out(struct fd_file *file, unsigned long *attachment);
void event_pass_cancel(unsigned long attachment);
long event_pass_in(unsigned long attachment, int close_on_exec);
/* socket_ring.c: the stream socket fast path (aramid/proto/sock.h). write/read move bytes of
 * vector from byte offset on through the rings, blocking on the ring's futex words unless
 * nonblock: the bytes moved (0: none, use the server; read: -EAGAIN when nonblock and nothing
 * is queued anywhere; -EFAULT; -EINTR when a signal came first). */
struct iovec;
long socket_ring_write(struct fd_file *file, struct event_file *object,
                       const struct iovec *vector, size_t count, size_t offset, size_t length,
                       bool nonblock);
long socket_ring_read(struct fd_file *file, struct event_file *object,
                      const struct iovec *vector, size_t count, size_t offset, size_t length,
                      bool peek, bool nonblock);
/* SOCK_SEQPACKET: one message as one record of the rings. write: all or nothing, *sent when it
 * went (else the server takes it); 0 or -EINTR. read: one record's first max bytes into out
 * (the rest dropped unless peek), *got when one came (*length its full length): the bytes
 * copied; 0 with nothing (use the server); -EAGAIN (nonblock, nothing queued anywhere),
 * -EINTR. */
long socket_ring_write_record(struct fd_file *file, struct event_file *object, const void *bytes,
                              size_t length, bool nonblock, bool *sent);
long socket_ring_read_record(struct fd_file *file, struct event_file *object, void *out,
                             size_t max, bool peek, bool nonblock, size_t *length, bool *got);
/* The bits send and recv add to their nonblock word: ARAMID_SOCK_RING_DETACHED unless this
 * end uses its rings. */
long socket_ring_request_bits(struct fd_file *file, struct event_file *object);
/* object's end leaves the rings (passed in SCM_RIGHTS, SO_PASSCRED) until the server says it
 * may have them again. */
void socket_ring_leave(struct event_file *object);
/* A send or recv answer said ARAMID_SOCK_RING_RENEW: an end not using rings asks for them
 * again on its next data call (new rings; the old mapping goes). */
void socket_ring_renew(struct event_file *object);
/* Before a fork or an execve: every attached socket leaves (parent and child would both use
 * them; the new image's mapping is not the old one's). */
void socket_ring_fork_prepare(void);
/* The descriptor goes: the mapping too. */
void socket_ring_forget(struct event_file *object);
/* For poll: whether object's own ring holds bytes (1) or not (0) while this end uses its
 * rings; -1 when it does not (the server's readiness says it all), -2 for a scribbled ring. */
int socket_ring_input(struct event_file *object);
/* Whether object's ring half is SLOW now (the server changed something: a bind, say). */
bool socket_ring_rx_slow(struct event_file *object);

/* pipe_ring.c: the pipe fast path (aramid/proto/vfs.h pipe_ring). write/read move bytes of a
 * pipe end's transfer through its pipe's ring, blocking on the ring's futex words unless the
 * end is O_NONBLOCK: the bytes moved (0: none, use the vfs), -EAGAIN (nothing, non-blocking),
 * -EFAULT, or -EINTR (a signal whose handler does not restart). write sets *rest when the
 * bytes it did not move go to the vfs (no ring, or the pipe left it meanwhile). */
long pipe_ring_write(struct fd_file *file, const void *buffer, size_t length, bool *rest);
/* event_file.ring_state of a pipe end: unknown (ask the vfs on the next transfer), attached
 * (pipe_ring is set; it may have left), never (refused: until a vfs reply offers a ring). */
enum { PIPE_RING_UNKNOWN, PIPE_RING_ATTACHED, PIPE_RING_NEVER };
/* The check before every pipe transfer: true when file's end uses no ring now (the vfs
 * refused one: an end shared by two processes, a queue not empty), so the transfer goes
 * straight to the vfs. */
static inline bool pipe_ring_never(const struct fd_file *file)
{
    const struct event_file *object = file->data;
    return object != NULL && object->kind == EVENT_FILE_VFS &&
           __atomic_load_n(&object->ring_state, __ATOMIC_RELAXED) == PIPE_RING_NEVER;
}
long pipe_ring_read(struct fd_file *file, void *buffer, size_t length);
/* file's pipe leaves its ring in this process and the vfs hears of it (before a pass: the
 * description gets another holder): 0 or -errno. */
long pipe_ring_leave_file(struct fd_file *file);
/* Every pipe of this process leaves its ring (before a fork, an exec or a pass: the vfs
 * retires the ring of a description that gets another holder). */
void pipe_ring_leave_all(void);
/* A pipe end's event_file goes (close): the mapping too, with the last end. */
void pipe_ring_forget(struct event_file *object);
/* A vfs read or write reply offered file's pipe a ring (ARAMID_VFS_RING_OFFER or _USE): the
 * next transfer asks for it. */
void pipe_ring_offered(struct fd_file *file);
/* The vfs hears that file's end does not use its pipe's ring (it retires): 0 or -errno. */
long pipe_ring_tell_leave(struct fd_file *file);
/* A poll of file's end whose vfs readiness word says it uses its pipe's ring
 * (ARAMID_VFS_READY_RING): its bits, from the ring and the word (hang-up, error, the queue);
 * no call while this process uses the ring (else the vfs hears that it left: its new word). */
unsigned long pipe_ring_poll(struct fd_file *file, unsigned long word);

/* Milliseconds (-1: forever, 0: now) as an event-server deadline. */
unsigned long event_deadline_ms(long timeout_ms);

#endif
