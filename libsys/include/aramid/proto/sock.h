/* The sock server's protocol, defined once: AF_UNIX sockets and the readiness calls. */
#ifndef ARAMID_PROTO_SOCK_H
#define ARAMID_PROTO_SOCK_H

#include <stddef.h>

#include <aramid/proto/proto.h>
#include <aramid/proto/ready.h>
#include <aramid/ring.h>
#include <aramid/syscall.h>

/*
 * X(label, name, (request words), (reply words after `result`))
 *
 * As the event server's (aramid/proto/event.h): socket, socketpair, claim and accept go to the
 * plain endpoint or a listener and their replies grant a handle minted for the new socket
 * (send, grant, duplicate, inherit; the badge names it); every other call goes to a socket's
 * handle. Errors are Linux's. pid is the caller's POSIX pid (SO_PEERCRED). Status flags
 * (O_NONBLOCK) are the client's: nonblock travels with each call that could block.
 *
 * socket:  domain AF_UNIX (1; others -EAFNOSUPPORT), type SOCK_STREAM 1, SOCK_DGRAM 2,
 *          SOCK_SEQPACKET 5 (others -ESOCKTNOSUPPORT; flags are the client's), protocol 0
 *          (else -EPROTONOSUPPORT). id: the socket's id (epoll_ctl names it so).
 * socketpair: a connected pair; the reply grants the first, claim (once, by the same
 *          process) grants the second. id, id2, claim.
 * bind:    buffer = a struct sockaddr_un of length bytes (2: autobind an abstract name).
 *          -EINVAL (bad length or family, bound already), -EADDRINUSE. key: for a path name,
 *          the socket file the client made for it in the vfs (its inode number, nonzero; 0:
 *          no vfs, the name lives in the server's own table). Names with a key are found by
 *          key: the file is the name (a later bind of the same key, a new file on a reused
 *          inode, takes it over).
 * listen:  backlog (clamped to SOMAXCONN, 4096). -EINVAL (not bound... Linux autobinds;
 *          DGRAM: -EOPNOTSUPP).
 * accept:  flags (the client's); the reply grants the connection; address_length bytes of its
 *          peer's address in the buffer. Kept until a connection arrives unless nonblock
 *          (-EAGAIN); -EINVAL not listening.
 * connect: buffer = address; key: the socket file the path names (the client resolved it
 *          in the vfs; 0: by the server's table). -ENOENT, -ECONNREFUSED (also: a socket file
 *          no socket is bound to), -EISCONN, -EPROTOTYPE, -EAGAIN (backlog full and nonblock;
 *          else kept), -EINVAL.
 * send:    buffer = address (address_length & ARAMID_SOCK_ADDRESS_LENGTH bytes; the bits above
 *          ARAMID_SOCK_KEY_SHIFT: the socket file's key, as connect's), attachments socket ids (8 bytes each),
 *          data (length bytes). result = bytes queued (a stream may take fewer), -EPIPE (the
 *          client raises SIGPIPE unless MSG_NOSIGNAL), -EAGAIN, -EMSGSIZE, -ENOTCONN,
 *          -EDESTADDRREQ, -EBADF (an attachment the caller does not hold), -ECONNREFUSED.
 * recv:    flags MSG_PEEK 2, MSG_TRUNC 0x20, MSG_DONTWAIT 0x40 (as nonblock), length.
 *          result = bytes in the buffer (after address_length address bytes and
 *          attachments ids); full_length the record's length; msg_flags MSG_TRUNC 0x20 /
 *          MSG_CTRUNC 8. 0 at end of stream. Kept while empty unless nonblock (-EAGAIN).
 * shutdown: how SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2 (else -EINVAL); -ENOTCONN.
 * getsockopt/setsockopt: level SOL_SOCKET 1: SO_TYPE 3, SO_ERROR 4 (read and cleared),
 *          SO_SNDBUF 7, SO_RCVBUF 8, SO_PASSCRED 16, SO_PEERCRED 17 (value pid, value2 uid,
 *          value3 gid), SO_ACCEPTCONN 30, SO_PROTOCOL 38, SO_DOMAIN 39; else -ENOPROTOOPT.
 * getname: peer 0: the socket's address, 1: its peer's (-ENOTCONN); buffer = the address.
 * take:    id: a socket received as an attachment that the caller now holds; the reply
 *          grants a handle to it (type in the reply). -EBADF.
 * close:   the caller no longer holds the socket.
 * ring_map: a connected SOCK_STREAM end held by the caller alone: the reply grants the pair's
 *          ring memory (ARAMID_SOCK_RING_BYTES, read/write) and half is the half this end
 *          reads (it writes the other). -EAGAIN: not connected yet (ask again later);
 *          -EPERM: not now (not a stream, another holder, the pair's rings retired and not
 *          replaceable yet: ask again after a reply with ARAMID_SOCK_RING_RENEW). A caller
 *          still attached to retired rings asks only after it left them; replaced rings are a
 *          new memory object.
 * ring_sync: wrote 1: the caller put bytes in its peer's ring and the peer waits or the
 *          server's flags are set (wake and re-evaluate); wrote 0: it took bytes from its own
 *          ring while ARAMID_SOCK_RING_TELL_READS was set (readiness may have changed).
 * repass:  after a MSG_PEEK that gave pass tokens (vfs, event), which the peeking receiver
 *          adopted (an adopt ends a pass): buffer = count pairs of 8-byte words {old, new},
 *          new a pass the caller made of the description it installed; in the first queued
 *          message that carries old, old becomes new (the later read adopts that one).
 *          Both must be carried attachments of the same kind (ARAMID_SOCK_ATTACH_VFS or
 *          _EVENT; -EINVAL, as for a bad count or length); -EBADF: the caller does not hold the
 *          socket; -ENOENT: no queued message carries old (a read took it meanwhile: the
 *          caller drops its new passes); pairs before a failing one are made.
 * ready_map: (plain endpoint) id 0: the reply grants the readiness words (read and map only),
 *          count words of aramid/proto/ready.h's format: word i is that of the socket whose id
 *          has slot i in its low ARAMID_SOCK_SLOT_BITS bits (check: the id's next 15 bits), for
 *          every socket some watcher asked ready_poll or ready_watch about (the others: 0).
 *          With id (a socket's; the event server only: init's handle minted with
 *          ARAMID_SOCK_BADGE_EVENT, else -EPERM): the reply grants that socket's rings instead
 *          (read and map only), count being the half it reads. -ENOENT: no such socket, or it
 *          has no rings. The event server looks at the half's ring indexes when the socket's
 *          word says its input is only ring bytes (ARAMID_READY_WORD_RING), so that a read
 *          from the ring needs no ring_sync for it (ARAMID_SOCK_RING_TELL_READS).
 */
#define ARAMID_SOCK_MESSAGES(X)                                                                    \
    X(1, socket, (domain, type, protocol, pid), (id))                                              \
    X(2, socketpair, (domain, type, protocol, pid), (id, id2, claim))                              \
    X(3, claim, (claim), (id))                                                                     \
    X(4, close, (), ())                                                                            \
    X(5, bind, (length, key), ())                                                                       \
    X(6, listen, (backlog), ())                                                                    \
    X(7, accept, (nonblock, pid), (id, address_length))                                            \
    X(8, connect, (length, nonblock, pid, key), ())                                                     \
    X(9, send, (flags, length, address_length, attachments, nonblock), (ring))                     \
    X(10, recv, (flags, length, nonblock), (full_length, address_length, attachments, msg_flags))  \
    X(11, shutdown, (how), ())                                                                     \
    X(12, getsockopt, (level, name), (value, value2, value3))                                      \
    X(13, setsockopt, (level, name, value), ())                                                    \
    X(14, getname, (peer), (length))                                                               \
    X(15, take, (id), (type))                                                                      \
    X(16, ring_map, (), (half))                                                                    \
    X(17, ring_sync, (wrote), ())                                                                  \
    X(18, repass, (count), ())                                                                     \
    X(25, ready_map, (id), (count))                                                                \
    X(ARAMID_READY_POLL, ready_poll, (), (bits, generation, id))                                   \
    X(ARAMID_READY_WATCH, ready_watch, (flags), ())                                                \
    X(ARAMID_READY_UNWATCH, ready_unwatch, (), ())

/* send's nonblock word: bit 0 nonblock, the bits from ARAMID_SOCK_PID_SHIFT the sender's pid
 * (what SCM_CREDENTIALS reports). recv's msg_flags word: with ARAMID_SOCK_CREDS (the receiver
 * has SO_PASSCRED), the bits from ARAMID_SOCK_PID_SHIFT are the writer's pid (uid and gid 0). */
#define ARAMID_SOCK_PID_SHIFT 32
#define ARAMID_SOCK_CREDS (1l << 31)
/* send's and recv's nonblock word, bit 1: the caller does not use the end's rings (it left
 * them after a fork, a pass in SCM_RIGHTS or SO_PASSCRED, or never had them): the server takes
 * over reading its ring from then on (the pair retires its rings). recv's
 * msg_flags ARAMID_SOCK_RING_FIRST (result 0): nothing given, the caller's ring holds bytes
 * older than anything queued: read those first. */
#define ARAMID_SOCK_RING_DETACHED 2l
#define ARAMID_SOCK_RING_FIRST (1l << 30)
/* send's reply word ring and recv's msg_flags, ARAMID_SOCK_RING_RENEW: the caller does not use
 * the end's rings and may have them now (ring_map would grant them: each end of the pair has
 * one holder again and nothing is queued, kept or left in retired rings). A client that left
 * the rings (or was refused them) asks again on its next data call; without the bit it does
 * not ask (no call per transfer on the server path). */
#define ARAMID_SOCK_RING_RENEW (1l << 29)

/*
 * The data fast path of a connected stream pair (docs/sock.md): one memory object, two halves,
 * half i the ring its end i reads (ends in the order of the pair; ring_map says which half).
 * Each half starts with the server's flags word (written only by the server, read by both
 * ends), then the SPSC ring of aramid/ring.h: the writer's end is its producer, the reader's
 * end its consumer, the server neither (it takes over the consuming only from an end that left
 * the rings). While flags is 0 a writer puts what fits in the ring and a reader takes from it;
 * ARAMID_SOCK_RING_SLOW: writers go to the server (its queue is not empty, a shutdown, the
 * peer is gone or left the rings); a reader still takes what the ring holds first (it is older
 * than the queue). ARAMID_SOCK_RING_TELL (someone watches the reader): writes are told;
 * with ARAMID_SOCK_RING_TELL_READS a reader that took bytes sends ring_sync too. A writer reads flags after publishing (full fence) and sends ring_sync
 * when any is set or the reader said it waits (so watchers hear of every write).
 */
#define ARAMID_SOCK_RING_CAPACITY 65536u
#define ARAMID_SOCK_RING_HALF (4096ul + ARAMID_SOCK_RING_CAPACITY)
#define ARAMID_SOCK_RING_BYTES (2 * ARAMID_SOCK_RING_HALF)
#define ARAMID_SOCK_RING_SLOW 1u
#define ARAMID_SOCK_RING_TELL 2u
/* With TELL: a reader that took bytes sends ring_sync too (a watcher that does not look at the
 * ring itself watches it; without this bit only writes are told). */
#define ARAMID_SOCK_RING_TELL_READS 4u
/* With SLOW, for good: the half is no longer its socket's (the socket went, or its pair got
 * new rings); whoever looks at it (the event server, ready_map with an id) asks for the socket's rings
 * again. */
#define ARAMID_SOCK_RING_GONE 8u
/* The badge of the sock endpoint handle init gives the event server (socket ids have
 * ARAMID_READY_ID_SOCK set, so none is this). */
#define ARAMID_SOCK_BADGE_EVENT 1ul
struct aramid_sock_ring_half {
    _Atomic uint32_t flags;
    uint32_t reserved[15];
    struct aramid_ring_shared ring;
};
/* A socket id: ARAMID_READY_ID_SOCK | serial << ARAMID_SOCK_SLOT_BITS | slot. Its readiness
 * word (ready_map) is word slot, its check the serial's low bits. */
#define ARAMID_SOCK_SLOT_BITS 20
static inline unsigned long aramid_sock_ready_slot(unsigned long id)
{
    return id & ((1ul << ARAMID_SOCK_SLOT_BITS) - 1);
}
static inline unsigned long aramid_sock_ready_check(unsigned long id)
{
    return (id >> ARAMID_SOCK_SLOT_BITS) & ARAMID_READY_WORD_CHECK_MASK;
}
#define ARAMID_SOCK_KEY_SHIFT 16
#define ARAMID_SOCK_ADDRESS_LENGTH ((1l << ARAMID_SOCK_KEY_SHIFT) - 1)

#define ARAMID_SOCK_LABEL(label, name, request, reply) ARAMID_SOCK_##name = label,
enum aramid_sock_label { ARAMID_SOCK_MESSAGES(ARAMID_SOCK_LABEL) ARAMID_SOCK_LABEL_END };
#undef ARAMID_SOCK_LABEL

#define ARAMID_SOCK_STRUCTS(label, name, request, reply)                                           \
    struct aramid_sock_##name##_request {                                                          \
        ARAMID_PROTO_FIELDS(request)                                                               \
    };                                                                                             \
    struct aramid_sock_##name##_reply {                                                            \
        long result;                                                                               \
        ARAMID_PROTO_FIELDS(reply)                                                                 \
    };                                                                                             \
    _Static_assert(sizeof(struct aramid_sock_##name##_request) <=                                  \
                           (ARAMID_IPC_REGISTERS - 1) * sizeof(long) &&                            \
                       sizeof(struct aramid_sock_##name##_reply) <=                                \
                           (ARAMID_IPC_REGISTERS - 1) * sizeof(long),                              \
                   "sock message " #name " must leave mr5 for a granted handle");
ARAMID_SOCK_MESSAGES(ARAMID_SOCK_STRUCTS)
#undef ARAMID_SOCK_STRUCTS

/* The client stubs (libsys/server_client.c), as aramid_event_call_NAME (a dead server or
 * endpoint: -EIO). */
#define ARAMID_SOCK_STUB_DECLARE(label, name, request, reply)                                      \
    long aramid_sock_call_##name(aramid_handle_t endpoint,                                         \
                                 const struct aramid_sock_##name##_request *request_words,         \
                                 size_t buffer_bytes, aramid_handle_t grant,                       \
                                 struct aramid_sock_##name##_reply *reply_words,                   \
                                 aramid_handle_t *granted);
ARAMID_SOCK_MESSAGES(ARAMID_SOCK_STUB_DECLARE)
#undef ARAMID_SOCK_STUB_DECLARE

/* Linux's values the protocol uses. */
#define ARAMID_AF_UNIX 1
#define ARAMID_SOCK_STREAM 1
#define ARAMID_SOCK_DGRAM 2
#define ARAMID_SOCK_SEQPACKET 5
#define ARAMID_MSG_PEEK 0x2
#define ARAMID_MSG_CTRUNC 0x8
#define ARAMID_MSG_TRUNC 0x20
#define ARAMID_MSG_DONTWAIT 0x40
#define ARAMID_MSG_WAITALL 0x100
#define ARAMID_MSG_NOSIGNAL 0x4000
#define ARAMID_SOL_SOCKET 1
#define ARAMID_SO_TYPE 3
#define ARAMID_SO_ERROR 4
#define ARAMID_SO_SNDBUF 7
#define ARAMID_SO_RCVBUF 8
#define ARAMID_SO_PASSCRED 16
#define ARAMID_SO_PEERCRED 17
#define ARAMID_SO_ACCEPTCONN 30
#define ARAMID_SO_PROTOCOL 38
#define ARAMID_SO_DOMAIN 39
#define ARAMID_SOCK_ADDRESS_MAX 110 /* sizeof(struct sockaddr_un) */
/* An attachment that is no socket: a vfs pass token (VFS_HANDOFF_PASS) with this bit; the server
 * carries it untouched, the receiver adopts it from the vfs. */
#define ARAMID_SOCK_ATTACH_VFS (1ul << 63)
/* An event server pass token (aramid/proto/event.h `pass`, below 2^56): the receiver adopts it
 * there; with ARAMID_SOCK_ATTACH_NONBLOCK the sender's description had O_NONBLOCK. */
#define ARAMID_SOCK_ATTACH_EVENT (1ul << 62)
#define ARAMID_SOCK_ATTACH_NONBLOCK (1ul << 59)
#define ARAMID_SOCK_ATTACH_TOKEN ((1ul << 56) - 1)
/* The console terminal (posix-shim's console backend; nothing to keep alive): the bits below
 * 32 are the description's status flags, bit 32 its output stream. */
#define ARAMID_SOCK_ATTACH_CONSOLE (1ul << 61)
/* Attachments the server carries untouched (socket ids have none of these bits). */
#define ARAMID_SOCK_ATTACH_CARRIED                                                                 \
    (ARAMID_SOCK_ATTACH_VFS | ARAMID_SOCK_ATTACH_EVENT | ARAMID_SOCK_ATTACH_CONSOLE)
#define ARAMID_SOCK_ATTACH_MAX 16 /* descriptors one message carries (Linux: 253); -EINVAL beyond */
/* Data bytes one send or recv carries (the rest of the IPC buffer is address and ids). */
#define ARAMID_SOCK_DATA_MAX (ARAMID_IPC_BUFFER_SIZE - ARAMID_SOCK_ADDRESS_MAX - 2 - 8 * 16)

#define ARAMID_SOCK_BOOT_MAGIC 0x544f4f424b434f53ul /* "SOCKBOOT" */

#endif
