/* The event server's protocol, defined once: eventfd, epoll, and the boot hand-over. */
#ifndef ARAMID_PROTO_EVENT_H
#define ARAMID_PROTO_EVENT_H

#include <stddef.h>

#include <aramid/proto/proto.h>
#include <aramid/syscall.h>

/*
 * X(label, name, (request words), (reply words after `result`))
 *
 * Two kinds of calls. Creation calls go to the server's plain endpoint (aramid_proc_self.event)
 * and the reply grants (ARAMID_IPC_GRANT, mr5) a handle minted for the new object (send, grant,
 * duplicate, inherit): its badge names the object, and holding it is the authority to use it.
 * Object calls go to that handle. The server counts which processes hold each object (the
 * creator; a forked child, from proc's event feed; a process's close, exit or execve drops
 * it); the object goes when no process holds it (epoll(7) Q6: its interests go with it).
 *
 * eventfd_create: initial value and flags (EFD_SEMAPHORE 1, EFD_NONBLOCK 04000, EFD_CLOEXEC
 *          02000000, ARAMID_EVENTFD_NAMED; others -EINVAL). result 0; id and cookie name the
 *          object in epoll_ctl. ARAMID_EVENTFD_NAMED (a process with more descriptors than
 *          handles): the reply grants no handle and the object has no shared page; its calls
 *          (eventfd_read, eventfd_write, close, poll_object, sync) go to the plain endpoint with
 *          ARAMID_EVENT_NAMED_COOKIE and ARAMID_EVENT_NAMED_ID set to its cookie and id, and
 *          the server checks that the caller holds it (-EBADF otherwise), as the vfs does.
 * epoll_create: flags 0 or EPOLL_CLOEXEC (02000000; others -EINVAL). result 0, id, cookie.
 * close:   the calling process no longer holds the object. result 0.
 * eventfd_read: result 0, value; -EAGAIN (counter 0 and nonblock). Without nonblock the server
 *          keeps the call until a write (or a signal: -EINTR).
 * eventfd_write: value (2^64-1: -EINVAL). result 0; -EAGAIN (would overflow and nonblock), or
 *          kept until a read makes room.
 * epoll_ctl: op_fd = op << 32 | fd (the fd number is part of the interest's key, as on Linux),
 *          events, data. The target is one of the server's objects (target = its id, cookie =
 *          its cookie; a wrong cookie: -EBADF), or, with target 0, an object of another server
 *          whose handle the call grants (mr5): the server asks that owner for readiness and to
 *          be told of changes (aramid/proto/ready.h). Linux's errors: -EINVAL, -EEXIST,
 *          -ENOENT, -ELOOP, -EPERM (the target cannot be watched), -ENOMEM.
 * epoll_wait: maxevents (1..ARAMID_EVENT_WAIT_MAX, else -EINVAL), deadline (absolute
 *          CLOCK_MONOTONIC ns; 0: forever; 1: do not block). result = the number of struct
 *          aramid_event_record in the reply's IPC buffer. When none is ready the server keeps
 *          the call; a cancel notice gets 0 when the deadline has passed and -EINTR otherwise
 *          (the client's call carries the same deadline, so it is cancelled when it passes).
 * poll_object: the readiness (poll bits) of the object behind the handle, with its id.
 * map:     the object's shared page (an eventfd or an epoll instance): the reply grants a memory
 *          object (read, write, map) of one page holding a struct aramid_event_shared.
 * sync:    an eventfd: the caller changed the counter in the shared page and saw
 *          ARAMID_EVENT_SLOW: the server re-reads it, answers kept calls, tells watchers.
 * pass:    SCM_RIGHTS of an eventfd or epoll fd (on its handle, or named): the object is kept
 *          alive by a pass in flight, whatever its holders do, until the pass is adopted or
 *          dropped. result 0, token (below 2^56, unguessable; the sock server carries it as an
 *          ARAMID_SOCK_ATTACH_EVENT attachment). -ETOOMANYREFS past ARAMID_EVENT_PASSES_MAX
 *          passes of one object in flight (Linux's error for too many descriptors in flight).
 * adopt:   token (plain endpoint): the caller holds the object now (the open file
 *          description is shared: one counter, one interest set) and the pass is gone. named 1:
 *          grant no handle (an eventfd is then named, ARAMID_EVENTFD_NAMED; an epoll set needs
 *          one: -EMFILE). result 0, id, cookie, kind (ARAMID_EVENT_KIND_*, | ARAMID_EVENT_
 *          KIND_SEMAPHORE for an EFD_SEMAPHORE eventfd); -EBADF for an unknown token.
 * pass_drop: token (plain endpoint): the pass is dropped unread (a send that failed); the
 *          object goes if nobody holds it. result 0; -EBADF for an unknown token.
 */
#define ARAMID_EVENT_MESSAGES(X)                                                                   \
    X(1, eventfd_create, (initial, flags), (id, cookie))                                           \
    X(2, epoll_create, (flags), (id, cookie))                                                      \
    X(3, close, (), ())                                                                            \
    X(4, eventfd_read, (nonblock), (value))                                                        \
    X(5, eventfd_write, (value, nonblock), ())                                                     \
    X(6, epoll_ctl, (op_fd, events, data, target, cookie), ())                                     \
    X(7, epoll_wait, (maxevents, deadline), ())                                                    \
    X(8, poll_object, (), (bits, id))                                                             \
    X(9, map, (), ())                                                                              \
    X(10, sync, (), ())                                                                            \
    X(11, pass, (), (token))                                                                       \
    X(12, adopt, (token, named), (id, cookie, kind))                                               \
    X(13, pass_drop, (token), ())

#define ARAMID_EVENT_LABEL(label, name, request, reply) ARAMID_EVENT_##name = label,
enum aramid_event_label { ARAMID_EVENT_MESSAGES(ARAMID_EVENT_LABEL) ARAMID_EVENT_LABEL_END };
#undef ARAMID_EVENT_LABEL

#define ARAMID_EVENT_STRUCTS(label, name, request, reply)                                          \
    struct aramid_event_##name##_request {                                                         \
        ARAMID_PROTO_FIELDS(request)                                                               \
    };                                                                                             \
    struct aramid_event_##name##_reply {                                                           \
        long result;                                                                               \
        ARAMID_PROTO_FIELDS(reply)                                                                 \
    };                                                                                             \
    _Static_assert(sizeof(struct aramid_event_##name##_request) <=                                 \
                           (ARAMID_IPC_REGISTERS - 1) * sizeof(long) &&                            \
                       sizeof(struct aramid_event_##name##_reply) <=                               \
                           (ARAMID_IPC_REGISTERS - 1) * sizeof(long),                              \
                   "event message " #name " must leave mr5 for a granted handle");
ARAMID_EVENT_MESSAGES(ARAMID_EVENT_STRUCTS)
#undef ARAMID_EVENT_STRUCTS

/* One epoll event in an epoll_wait reply (struct epoll_event's fields, not packed). */
struct aramid_event_record {
    unsigned long events;
    unsigned long data;
};
/*
 * The fast paths: a page per eventfd or epoll instance, written by the server and (for an
 * eventfd's value) by every holder, so that the uncontended cases need no system call.
 * eventfd: value is the counter; a client may add or take with compare-and-swap while flags
 * is 0, and must stay within Linux's rules (never past 0xfffffffffffffffe, never below 0);
 * after its swap it reads flags again (sequentially consistent) and sends `sync` if it became
 * nonzero. The server sets ARAMID_EVENT_SLOW while it keeps calls or while a set watches the
 * eventfd, then re-reads value (the same discipline from its side: set the flag, re-check),
 * so no wake-up is lost. epoll: ready is nonzero while the ready list is not empty and
 * foreign while the set watches other servers' objects (whose news come by notification);
 * with both 0, epoll_wait with timeout 0 has nothing to report. A holder that scribbles over
 * the page hurts only the holders of that object: the server clamps what it reads and never
 * reads anything else from it.
 */
/* Every field is accessed only with the compiler's __atomic builtins (C libraries' stdatomic.h
 * differ: newlib's cannot be used here). */
struct aramid_event_shared {
    unsigned long value;
    unsigned long flags;
    unsigned long ready;
    unsigned long foreign;
};
#define ARAMID_EVENT_SLOW 1ul

#define ARAMID_EVENTFD_NAMED (1l << 40)
/* adopt's kind word, and how many passes of one object may be in flight. */
#define ARAMID_EVENT_KIND_EVENTFD 1
#define ARAMID_EVENT_KIND_EPOLL 2
#define ARAMID_EVENT_KIND_SEMAPHORE 0x100
#define ARAMID_EVENT_PASSES_MAX 256
/* The message words naming an object in a call without a handle (requests of at most 3 words). */
#define ARAMID_EVENT_NAMED_COOKIE 3
#define ARAMID_EVENT_NAMED_ID 4

/*
 * An epoll instance's page also holds, at ARAMID_EVENT_SNAPSHOT_OFFSET, what an epoll_wait would
 * report now when the server can say it (every ready item level-triggered, without
 * EPOLLONESHOT or EPOLLEXCLUSIVE, at most ARAMID_EVENT_SNAPSHOT_MAX of them, no foreign
 * objects): count records in ready-list order; count ARAMID_EVENT_SNAPSHOT_NONE otherwise.
 * Reporting such items changes nothing in the set when all of them fit the caller's maxevents
 * (the round robin turns the whole list), so a caller with room for count records may return
 * them without a call. A seqlock: the server makes sequence odd, writes, makes it even
 * (release); a reader loads sequence (acquire) and gives up on an odd one, reads count once and
 * range-checks it, copies the records, and keeps them only if sequence is unchanged after an
 * acquire fence. The server never reads the snapshot back.
 */
struct aramid_event_snapshot {
    unsigned long sequence;
    unsigned long count;
    struct aramid_event_record records[];
};
#define ARAMID_EVENT_SNAPSHOT_OFFSET 64ul
#define ARAMID_EVENT_SNAPSHOT_MAX 128ul
#define ARAMID_EVENT_SNAPSHOT_NONE (~0ul)
_Static_assert(sizeof(struct aramid_event_shared) <= ARAMID_EVENT_SNAPSHOT_OFFSET &&
                   ARAMID_EVENT_SNAPSHOT_OFFSET + sizeof(struct aramid_event_snapshot) +
                           ARAMID_EVENT_SNAPSHOT_MAX * 2 * sizeof(unsigned long) <= 4096,
               "the snapshot fits the shared page after the words");
/* libsys/event_snapshot.c. The writer (the server): count records, or count < 0 for "cannot
 * say"; *sequence is the writer's own copy of the seqlock count. The reader (a client): the
 * records an epoll_wait of at most maxevents would get (their count), or -1 when the server
 * must be asked (no snapshot, more than maxevents, a write under way, a scribbled page). */
void aramid_event_snapshot_write(struct aramid_event_snapshot *snapshot, unsigned long *sequence,
                                 const struct aramid_event_record *records, long count);
long aramid_event_snapshot_read(const struct aramid_event_snapshot *snapshot,
                                struct aramid_event_record *out, long maxevents);

#define ARAMID_EVENT_WAIT_MAX (ARAMID_IPC_BUFFER_SIZE / sizeof(struct aramid_event_record))
#define ARAMID_EVENT_DEADLINE_NOW 1ul

/* The client stubs (libsys/event_client.c): send to endpoint (a plain or a minted handle), with
 * buffer_bytes of the IPC buffer and, if grant > 0, that handle moved with the call. The
 * handle a reply grants lands in *granted (may be NULL: 0 then). -EINTR from a queued call is
 * retried; a cancelled held call returns the server's answer. An IPC error leaves *reply
 * untouched; a dead server or endpoint gives -EIO (ARAMID_PROTO_SERVER_GONE, proto.h). */
#define ARAMID_EVENT_STUB_DECLARE(label, name, request, reply)                                     \
    long aramid_event_call_##name(aramid_handle_t endpoint,                                        \
                                  const struct aramid_event_##name##_request *request_words,       \
                                  size_t buffer_bytes, aramid_handle_t grant,                      \
                                  struct aramid_event_##name##_reply *reply_words,                 \
                                  aramid_handle_t *granted);
ARAMID_EVENT_MESSAGES(ARAMID_EVENT_STUB_DECLARE)
#undef ARAMID_EVENT_STUB_DECLARE
/* A call about a named eventfd (ARAMID_EVENTFD_NAMED) on the plain endpoint: request_size
 * bytes of words (at most 3), the object's id and cookie in the naming words. */
long aramid_event_call_named(unsigned label, unsigned long id, unsigned long cookie,
                             const void *request, size_t request_size, long *reply,
                             size_t reply_size);
/* epoll_wait with the call's own deadline too (so the kernel cancels it when it passes):
 * the number of records in the IPC buffer, 0 when the deadline passed, or -errno. */
long aramid_event_wait(aramid_handle_t epoll, long maxevents, unsigned long deadline);

/* init hands the event server a struct aramid_server_boot (aramid/proto/ready.h). */
#define ARAMID_EVENT_BOOT_MAGIC 0x544f4f42544e5645ul /* "EVNTBOOT" */

#endif
