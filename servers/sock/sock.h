/* The sock server's internals: sockets, their names, kept calls, watchers, and the handlers
 * generated from ARAMID_SOCK_MESSAGES. */
#ifndef SOCK_SOCK_H
#define SOCK_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aramid/errno.h>
#include <aramid/heap.h>
#include <aramid/holders.h>
#include <aramid/process_map.h>
#include <aramid/proto/proc.h>
#include <aramid/server.h>
#include <aramid/proto/sock.h>
#include <aramid/sys.h>

#include "sockbuf.h"

enum sock_state { SOCK_UNCONNECTED, SOCK_LISTENING, SOCK_CONNECTED, SOCK_DISCONNECTED };

/* A kept call: a read, a write (with its bytes), an accept or a connect. */
struct sock_pending {
    struct sock_pending *next;
    unsigned long token;
    long flags;
    size_t length;
    long attachment;     /* write: its attachment token, 0: none */
    unsigned char *data; /* write: a copy of the bytes not yet queued */
    size_t done;         /* write: bytes of a stream write already queued */
    unsigned long sender;
};

/* A watch: a notification to signal when readiness changes, and who made it. */
struct sock_watch {
    struct sock_watch *next;
    aramid_handle_t notification;
    unsigned long sender;
    bool words; /* ARAMID_READY_WATCH_WORDS: it reads the socket's word, drops are not told */
};

/* SCM_RIGHTS in flight: the sockets a record carries (each holds one inflight count). */
struct sock_attachment {
    unsigned count;
    unsigned long ids[ARAMID_SOCK_ATTACH_MAX];
};

/* The rings of a connected stream pair (aramid/proto/sock.h): the memory object (kept to grant
 * it to the second end), the server's mapping, how many of the two ends still point here, and
 * retired once an end left the rings (no writer uses them again). */
struct sock_ring {
    aramid_handle_t memory;
    unsigned char *base;
    unsigned ends;
    bool retired;
};

/*
 * A socket. Invariants: id is unique for the server's life (the badge of its handles); it
 * lives while a process holds it or an attachment in flight carries it (inflight); peer is
 * the connected other end (NULL when none or gone); rx is its receive queue, bytes allocated
 * on the first write; a listener's queue holds accepted-to-be sockets already connected.
 */
struct sock {
    unsigned long id;
    int type;
    enum sock_state state;
    struct aramid_holders holders;
    unsigned inflight;
    struct sock *peer;
    struct sockbuf rx;
    bool shut_read, shut_write; /* this end's (a peer's close or SHUT_WR sets peer_shut) */
    bool peer_shut;             /* no more data will arrive */
    bool passcred;
    long writer_pid; /* the pid of the last sender on this socket (SCM_CREDENTIALS) */
    unsigned long writer_process; /* its kernel process id (writer_pid is looked up on change) */
    long error;                 /* SO_ERROR */
    long sndbuf, rcvbuf;        /* as Linux reports them */
    long pid, peer_pid;         /* SO_PEERCRED */
    unsigned char name[ARAMID_SOCK_ADDRESS_MAX];
    size_t name_length; /* 0: unbound; else a struct sockaddr_un's bytes */
    bool named;         /* owns name in the namespace (bound; an accepted end only reports it) */
    unsigned long file_key; /* named by a socket file: its key (inode); 0: by the name itself */
    bool peer_closed;   /* the connected peer is gone (Linux: SHUTDOWN_MASK from its release) */
    uint32_t last_bits; /* readiness last told to watchers */
    int backlog;
    struct sock **queue; /* listener: connections not accepted yet */
    size_t queue_count, queue_capacity;
    struct sock_pending *readers, *writers, *accepts, *connects;
    struct sock_watch *watches;
    unsigned long generation;
    unsigned long claim; /* socketpair: the second end's claim (0: none) */
    unsigned long claimant;
    bool marked; /* sock_collect's scratch */
    /* The fast path (ring.c): ring is the pair's (NULL until an end asks); ring_half the half
     * this end reads; ring_attached: its one holder uses the rings; ring_server: its holder
     * left them, the server consumes its half (ring_view, from where that holder stopped). */
    struct sock_ring *ring;
    unsigned ring_half;
    bool ring_attached, ring_server;
    struct aramid_ring ring_view;
};

/* The call being handled. */
struct sock_call {
    struct sock *sock; /* the badge's socket, NULL for the plain endpoint */
    unsigned long sender;
    unsigned long token;
    aramid_handle_t granted;
    aramid_handle_t grant;
    bool event;        /* through the event server's handle (ARAMID_SOCK_BADGE_EVENT) */
    unsigned char *buffer; /* IPC buffer: request bytes in, reply bytes out */
    size_t buffer_bytes;
    size_t reply_bytes;
    bool kept;
};

struct sock_globals {
    aramid_handle_t endpoint, space, proc, notifications, proc_feed;
    aramid_handle_t event, vfs; /* send: they drop the passes of messages never read */
};
extern struct sock_globals sockd;

#define SOCK_KEY_PROC 1ul

#define SOCK_HANDLER_DECLARE(label, name, request_list, reply_list)                                \
    void sock_do_##name(struct sock_call *call, const struct aramid_sock_##name##_request *request, \
                        struct aramid_sock_##name##_reply *reply);
ARAMID_SOCK_MESSAGES(SOCK_HANDLER_DECLARE)
#undef SOCK_HANDLER_DECLARE

/* table.c (ARAMID_SERVER_DISPATCH): always 0, the handlers answer or keep through call. */
int sock_dispatch(struct sock_call *call, unsigned label,
                  const unsigned long words[ARAMID_IPC_REGISTERS],
                  unsigned long reply_words[ARAMID_IPC_REGISTERS]);

/* table of sockets (socket.c) */
struct sock *sock_create(int type, unsigned long sender, long pid);
struct sock *sock_find(unsigned long id);
long sock_mint(struct sock *sock);
void sock_release(struct sock *sock, unsigned long sender);
/* Destroys sock when no process holds it and nothing carries it. */
void sock_maybe_destroy(struct sock *sock);
/* Frees the sockets only messages in flight keep that no held socket can reach: cycles of
 * sockets sent over each other and closed (Linux's unix_gc). */
void sock_collect(void);
void sock_feed(void);
/* The POSIX pid of client process sender as proc's feed reported it (never what the client
 * claims; claimed is used once for a process that started before the feed was read). */
long sock_pid_of(unsigned long sender, long claimed);
struct sock *sock_find_name(const unsigned char *name, size_t length);
/* The socket a received address names (Linux's errors: -EINVAL, -ENOENT, -ECONNREFUSED). */
/* The error for a name whose socket has another type. */
long sock_type_mismatch(const struct sock *target);
long sock_lookup_destination(const unsigned char *address, size_t length, unsigned long key,
                             struct sock **out);

/* After any change to sock: answer what kept calls can be answered, tell watchers. */
void sock_changed(struct sock *sock, bool event);
void sock_cancel(unsigned long token);
void sock_pending_fail_all(struct sock *sock, long result);
void sock_attachment_release(long attachment);
uint32_t sock_poll_bits(const struct sock *sock);
/* Tells the watchers; generation moves when event (ready.c, with the readiness words). */
void sock_notify(struct sock *sock, bool event);
/* The readiness words, made once at the start (pages taken on first touch): 0 or -errno (the
 * server then runs without them: ready_map is -ENOMEM, watchers call ready_poll). */
long sock_ready_start(void);
/* sock goes: its readiness word says so. */
void sock_ready_forget(const struct sock *sock);
/* A reader of sock that takes bytes from its ring must tell (ring_sync): some watcher does not
 * look at the ring itself (ARAMID_SOCK_RING_TELL_READS). */
bool sock_ready_reads_told(const struct sock *sock);
/* listener: try to accept for kept accepts and let kept connects in */
void sock_listener_service(struct sock *listener);
/* ring.c: the data fast path. */
/* Bytes sock's ring holds now (a look; 0 without a ring or when scribbled). */
uint32_t sock_ring_queued(const struct sock *sock);
/* Writes the flags of the half sock reads from its state and its peer's (before the answer of
 * any call that changed them: the writers read them). */
void sock_ring_publish(struct sock *sock);
/* A read of sock was just kept: its half says SLOW (a reader the server keeps is answered by
 * the server: a writer that used the ring meanwhile sends ring_sync); true when bytes came
 * into the ring before that (serve the readers now). */
bool sock_ring_kept(struct sock *sock);
/* sock gets another holder (fork, SCM_RIGHTS): no writer uses the pair's rings again; a
 * reader still attached takes what its ring holds. */
void sock_ring_retire(struct sock *sock);
/* A call on sock from a client that does not use its rings (ARAMID_SOCK_RING_DETACHED: it left
 * them, or never had them): no client consumes sock's half any more (a holder that had it
 * left before a fork or a pass, and only then can another call), so the server does, from
 * where the last reader stopped; the pair retires its rings. */
void sock_ring_detach(struct sock *sock);
/* Whether sender, sock's holder, may map rings now though it does not use them (a ring_map
 * would grant them): the pair's rings are live and its end not attached, or there are none
 * yet, or they are retired and may be replaced (each end one holder, nothing queued, kept or
 * in the rings, the peer's holder no longer on them). send and recv replies say so
 * (ARAMID_SOCK_RING_RENEW). */
bool sock_ring_renewable(const struct sock *sock, unsigned long sender);
/* ARAMID_SOCK_RING_RENEW when renewable, else 0 (for a send's or recv's answer). */
long sock_ring_renew_bit(const struct sock *sock, unsigned long sender);
/* ring_server ends: takes (or peeks) up to length bytes of sock's half (SOCK_SEQPACKET: one
 * record, *full_length its length, the rest of it dropped unless peek); -EAGAIN when empty or
 * broken. */
long sock_ring_take(struct sock *sock, unsigned char *out, size_t length, bool peek,
                    size_t *full_length);
/* The socket types with rings: SOCK_STREAM (bytes) and SOCK_SEQPACKET (one record a message:
 * aramid_ring_write_record's 4-byte length, then the bytes). */
bool sock_ring_type(int type);
/* sock goes: its half says SLOW for good; the memory goes with the last end. */
void sock_ring_release(struct sock *sock);

/* Every kept call anywhere (to find a cancelled token). */
void sock_for_each(void (*visit)(struct sock *sock, void *context), void *context);

#endif
