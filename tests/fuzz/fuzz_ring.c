/* The fuzzer over the shared data rings: a worker's rounds on its own pipe and socketpair rings
 * (transfers through the ring and the server, random bytes over every word and data byte of the
 * ring memory, waits on its waiting words, a forked child doing the same on the same ring), and
 * the bystander, whose own rings must carry every byte right while the workers scribble. */
#include <aramid/proto/proc.h>
#include <aramid/proto/sock.h>
#include <aramid/proto/vfs.h>
#include <aramid/ring.h>
#include <aramid/sys.h>
#include <stdatomic.h>

#include "fuzz_ring.h"
#include "kstring.h"

#define FUZZ_RINGS 0x520000000000ul /* where a worker or the bystander maps its one ring */
#define FUZZ_RING_STEPS_MAX 48      /* steps of one round */
#define FUZZ_RING_CHILD_STEPS_MAX 64
#define FUZZ_RING_CHUNK 3584ul      /* the most one transfer moves (<= the vfs buffer, sock's max) */
#define FUZZ_RING_WAIT_NS 500000ul  /* every futex_wait's deadline is at most this far ahead */
#define FUZZ_RING_CALL_NS 2000000ul /* a worker's server read or write: its deadline */
#define FUZZ_BYSTANDER_CALL_NS (5ul * 1000 * 1000 * 1000) /* the bystander's (never kept) */
#define FUZZ_RING_FORK_PERCENT 25
#define FUZZ_RING_CHILD_NS (10ul * 1000 * 1000 * 1000) /* a forked child is done by then */
#define FUZZ_RING_READ_TRIES 64     /* the bystander's reads of one chunk before it calls it lost */
#define FUZZ_BYSTANDER_CHUNKS 16    /* chunks through one pipe or pair before it is closed */
#define FUZZ_BYSTANDER_PAUSE_NS 2000000ul /* between its rounds */

_Static_assert(FUZZ_RING_CHUNK <= ARAMID_SOCK_DATA_MAX, "a chunk fits one send");

/*
 * A pipe (one direction: the write end produces, the read end consumes) or a socketpair (two:
 * direction d is end d writing to end 1 - d) with its ring memory mapped at FUZZ_RINGS. The
 * views are this process's: the round's own, or the bystander's.
 */
struct fuzz_ring_pair {
    int socket;
    long ends[2]; /* pipe: read ofd, write ofd; socket: the ends' handles (0: none) */
    long ids[2];  /* socket: the ends' ids at the server (what SCM_RIGHTS carries) */
    int open[2];
    size_t bytes; /* mapped at FUZZ_RINGS (0: no ring) */
    unsigned long call_ns; /* deadline of its server reads and writes (fuzz_ring_call) */
    unsigned directions;
    _Atomic uint32_t *flags[2];
    struct aramid_ring_shared *shared[2];
    struct aramid_ring tx[2], rx[2];
};

static long fuzz_ring_writer(const struct fuzz_ring_pair *p, unsigned d)
{
    return p->socket ? p->ends[d] : p->ends[1];
}

static long fuzz_ring_reader(const struct fuzz_ring_pair *p, unsigned d)
{
    return p->socket ? p->ends[1 - d] : p->ends[0];
}

/* Maps the granted ring memory at FUZZ_RINGS (the mapping keeps it; the handle is closed). */
static long fuzz_ring_map(struct fuzz_ring_pair *p, aramid_handle_t memory, size_t bytes)
{
    long result = sys_vm_map(aramid_proc_self.space, FUZZ_RINGS, bytes,
                             ARAMID_PROT_READ | ARAMID_PROT_WRITE, memory, 0);
    (void)sys_handle_close(memory);
    if (result == 0)
        p->bytes = bytes;
    return result;
}

static void fuzz_ring_views(struct fuzz_ring_pair *p)
{
    for (unsigned d = 0; d < p->directions; d++) {
        (void)aramid_ring_attach(&p->tx[d], p->shared[d], ARAMID_SOCK_RING_CAPACITY, false);
        (void)aramid_ring_attach(&p->rx[d], p->shared[d], ARAMID_SOCK_RING_CAPACITY, false);
    }
}

_Static_assert(ARAMID_SOCK_RING_CAPACITY == ARAMID_VFS_PIPE_RING_CAPACITY, "one capacity");

long fuzz_ring_session(aramid_handle_t *buffer, size_t *size)
{
    aramid_handle_t own = sys_handle_duplicate(aramid_proc_self.process, ARAMID_RIGHT_READ |
                                                                              ARAMID_RIGHT_MANAGE |
                                                                              ARAMID_RIGHT_GRANT);
    *buffer = 0;
    *size = 0;
    return aramid_vfs_session(own, buffer, size);
}

long fuzz_ring_session_again(void)
{
    aramid_handle_t buffer = 0;
    size_t size = 0;
    long result = fuzz_ring_session(&buffer, &size);
    if (buffer > 0)
        (void)sys_handle_close(buffer);
    return result;
}

/* A non-blocking pipe and its ring: 0, 1 (the pipe, but no ring) or -errno (no pipe). */
static long fuzz_ring_pipe_open(struct fuzz_ring_pair *p)
{
    struct aramid_vfs_pipe_request request = {.flags = VFS_O_NONBLOCK};
    struct aramid_vfs_pipe_reply reply;
    long read_end = aramid_vfs_call_pipe(&request, 0, &reply, NULL);
    if (read_end == -ARAMID_EPERM && fuzz_ring_session_again() >= 0)
        read_end = aramid_vfs_call_pipe(&request, 0, &reply, NULL); /* it had none */
    if (read_end < 0)
        return read_end;
    p->ends[0] = read_end;
    p->ends[1] = reply.write;
    p->open[0] = p->open[1] = 1;
    p->directions = 1;
    aramid_handle_t memory = 0;
    long number = 0;
    if (aramid_vfs_pipe_ring(read_end, false, &memory, &number) != 0 || memory <= 0 ||
        fuzz_ring_map(p, memory, ARAMID_VFS_PIPE_RING_BYTES) != 0)
        return 1;
    struct aramid_vfs_pipe_ring *ring = (struct aramid_vfs_pipe_ring *)FUZZ_RINGS;
    p->flags[0] = &ring->flags;
    p->shared[0] = &ring->ring;
    fuzz_ring_views(p);
    return 0;
}

/* A stream socketpair (both ends claimed) and its rings: 0, 1 (no rings) or -errno. */
static long fuzz_ring_sock_open(struct fuzz_ring_pair *p)
{
    long sock = aramid_proc_self.sock;
    struct aramid_sock_socketpair_request pair = {
        .domain = ARAMID_AF_UNIX, .type = ARAMID_SOCK_STREAM, .pid = aramid_proc_self.pid};
    struct aramid_sock_socketpair_reply paired;
    aramid_handle_t ends[2] = {0, 0};
    long result = aramid_sock_call_socketpair(sock, &pair, 0, 0, &paired, &ends[0]);
    if (result != 0 || ends[0] <= 0)
        return result != 0 ? result : -ARAMID_EIO;
    p->socket = 1;
    p->ends[0] = ends[0];
    p->ids[0] = paired.id;
    p->ids[1] = paired.id2;
    p->open[0] = 1;
    p->directions = 2;
    struct aramid_sock_claim_request claim = {.claim = paired.claim};
    struct aramid_sock_claim_reply claimed;
    result = aramid_sock_call_claim(sock, &claim, 0, 0, &claimed, &ends[1]);
    if (result != 0 || ends[1] <= 0)
        return result != 0 ? result : -ARAMID_EIO;
    p->ends[1] = ends[1];
    p->open[1] = 1;
    long half = -1;
    for (unsigned i = 0; i < 2; i++) {
        struct aramid_sock_ring_map_request map;
        struct aramid_sock_ring_map_reply reply;
        aramid_handle_t memory = 0;
        if (aramid_sock_call_ring_map(ends[i], &map, 0, 0, &reply, &memory) != 0 || memory <= 0)
            return 1;
        if (i == 0) {
            half = reply.half;
            if ((half != 0 && half != 1) || fuzz_ring_map(p, memory, ARAMID_SOCK_RING_BYTES) != 0)
                return 1;
        } else {
            (void)sys_handle_close(memory); /* the same memory, mapped already */
        }
    }
    for (unsigned d = 0; d < 2; d++) {
        /* End 0 reads half `half`: direction 0 (end 0 writes) is the other half. */
        unsigned read_half = d == 0 ? (unsigned)(1 - half) : (unsigned)half;
        struct aramid_sock_ring_half *h =
            (struct aramid_sock_ring_half *)(FUZZ_RINGS + read_half * ARAMID_SOCK_RING_HALF);
        p->flags[d] = &h->flags;
        p->shared[d] = &h->ring;
    }
    fuzz_ring_views(p);
    return 0;
}

/* Closes both ends (a close retires the ring: the server drains it) and unmaps the ring. */
static void fuzz_ring_close(struct fuzz_ring_pair *p)
{
    for (unsigned i = 0; i < 2; i++) {
        if (!p->open[i])
            continue;
        if (p->socket) {
            struct aramid_sock_close_request request;
            struct aramid_sock_close_reply reply;
            (void)aramid_sock_call_close(p->ends[i], &request, 0, 0, &reply, NULL);
            (void)sys_handle_close(p->ends[i]);
        } else {
            struct aramid_vfs_close_request request = {.ofd = p->ends[i]};
            struct aramid_vfs_close_reply reply;
            (void)aramid_vfs_call_close(&request, 0, &reply, NULL);
        }
        p->open[i] = 0;
    }
    if (p->bytes)
        (void)sys_vm_unmap(aramid_proc_self.space, FUZZ_RINGS, p->bytes);
    p->bytes = 0;
}

/* A call with a deadline call_ns ahead; words in and the reply's words out (a granted handle
 * is closed). The result word, or the IPC error (-ETIMEDOUT, or -EINTR for a call the server
 * kept: a pipe another holder made blocking, a recv of an empty socket, so that nothing the
 * holders do can hang the caller). */
static long fuzz_ring_call(long target, unsigned label, size_t bytes,
                           unsigned long words[ARAMID_IPC_REGISTERS], unsigned long call_ns)
{
    struct aramid_message message = {.info = ARAMID_IPC_INFO(label, bytes) | ARAMID_IPC_DEADLINE,
                                     .deadline = aramid_clock_monotonic_ns() + call_ns};
    memcpy(message.words, words, sizeof(message.words));
    long result = aramid_ipc_call(target, &message);
    if (result != 0)
        return result;
    if (message.info & ARAMID_IPC_GRANT)
        (void)sys_handle_close((aramid_handle_t)message.words[5]);
    memcpy(words, message.words, sizeof(message.words));
    return (long)words[0];
}

/* A server write of length bytes (the vfs: from the session buffer; sock: the IPC buffer). */
static long fuzz_ring_server_write(const struct fuzz_ring_pair *p, unsigned d, size_t length,
                                   long detached)
{
    unsigned long words[ARAMID_IPC_REGISTERS] = {0};
    if (!p->socket) {
        words[0] = (unsigned long)p->ends[1];
        words[1] = length;
        return fuzz_ring_call(aramid_proc_self.vfs, ARAMID_VFS_write, 0, words, p->call_ns);
    }
    words[1] = length;
    words[4] = (unsigned long)(1 | detached | (long)aramid_proc_self.pid << ARAMID_SOCK_PID_SHIFT);
    return fuzz_ring_call(fuzz_ring_writer(p, d), ARAMID_SOCK_send, length, words, p->call_ns);
}

/* A server read of up to length bytes; *first: sock said the ring holds older bytes (1), or the
 * reply carried an address or descriptors, so the data is not at the buffer's start (2). */
static long fuzz_ring_server_read(const struct fuzz_ring_pair *p, unsigned d, size_t length,
                                  long flags, long detached, int *first)
{
    unsigned long words[ARAMID_IPC_REGISTERS] = {0};
    *first = 0;
    if (!p->socket) {
        words[0] = (unsigned long)p->ends[0];
        words[1] = length;
        return fuzz_ring_call(aramid_proc_self.vfs, ARAMID_VFS_read, 0, words, p->call_ns);
    }
    words[0] = (unsigned long)flags;
    words[1] = length;
    words[2] = (unsigned long)(1 | detached);
    long result = fuzz_ring_call(fuzz_ring_reader(p, d), ARAMID_SOCK_recv, 0, words, p->call_ns);
    struct aramid_sock_recv_reply reply;
    memcpy(&reply, words, sizeof(reply));
    if (result >= 0 && (reply.msg_flags & ARAMID_SOCK_RING_FIRST))
        *first = 1;
    if (result >= 0 && (reply.address_length != 0 || reply.attachments != 0))
        *first |= 2;
    return result;
}

/* ---- the hostile side: a worker's rounds ---- */

/* A value for a shared index: random, a boundary, or one near the live indexes (the checks'
 * edges: just past the capacity, one behind, a little ahead). */
static uint32_t fuzz_ring_index_value(struct fuzz_random *r, const struct aramid_ring_shared *s)
{
    uint32_t head = atomic_load_explicit(&s->head, memory_order_relaxed);
    uint32_t tail = atomic_load_explicit(&s->tail, memory_order_relaxed);
    switch (fuzz_below(r, 8)) {
    case 0:
        return tail + (uint32_t)fuzz_below(r, ARAMID_SOCK_RING_CAPACITY + 2);
    case 1:
        return head - 1;
    case 2:
        return head + ARAMID_SOCK_RING_CAPACITY + (uint32_t)fuzz_below(r, 2);
    case 3:
        return tail - (uint32_t)fuzz_below(r, 16);
    case 4:
        return (uint32_t)fuzz_below(r, 2) ? 0u : ~0u;
    default:
        return (uint32_t)fuzz_next(r);
    }
}

/* Random bytes over one part of the ring memory: the server's flags, its reserved words, an
 * index, a waiting word, or data. */
static void fuzz_ring_scribble(struct fuzz_random *r, struct fuzz_ring_pair *p,
                               struct fuzz_ring_counts *c)
{
    if (!p->bytes)
        return;
    unsigned d = (unsigned)fuzz_below(r, p->directions);
    struct aramid_ring_shared *s = p->shared[d];
    uint32_t value = fuzz_ring_index_value(r, s);
    switch (fuzz_below(r, 8)) {
    case 0:
        atomic_store(p->flags[d], fuzz_chance(r, 50) ? 0u : (uint32_t)fuzz_next(r));
        break;
    case 1:
        ((volatile uint32_t *)p->flags[d])[1 + fuzz_below(r, 15)] = (uint32_t)fuzz_next(r);
        break;
    case 2:
        atomic_store(&s->head, value);
        break;
    case 3:
        atomic_store(&s->tail, value);
        break;
    case 4:
        atomic_store(&s->consumer_waiting, fuzz_chance(r, 50) ? 1u : (uint32_t)fuzz_next(r));
        break;
    case 5:
        atomic_store(&s->producer_waiting, fuzz_chance(r, 50) ? 1u : (uint32_t)fuzz_next(r));
        break;
    default: {
        /* A run of random bytes somewhere in the data (touching its pages). */
        unsigned long at = fuzz_below(r, ARAMID_SOCK_RING_CAPACITY);
        unsigned long run = 1 + fuzz_below(r, 256);
        for (unsigned long i = 0; i < run && at + i < ARAMID_SOCK_RING_CAPACITY; i++)
            ((volatile unsigned char *)s->data)[at + i] = (unsigned char)fuzz_next(r);
        break;
    }
    }
    c->scribbles++;
}

/* Sleeps on a waiting word of direction d (consumer or producer) until its deadline or a wake,
 * after the discipline's re-check; counts it when it slept. */
static void fuzz_ring_wait(struct fuzz_random *r, struct fuzz_ring_pair *p, unsigned d,
                           struct fuzz_ring_counts *c)
{
    if (!p->bytes)
        return;
    struct aramid_ring_shared *s = p->shared[d];
    unsigned long deadline = aramid_clock_monotonic_ns() + fuzz_below(r, FUZZ_RING_WAIT_NS);
    if (fuzz_chance(r, 50)) {
        if (aramid_ring_consumer_prepare_sleep(&p->rx[d])) {
            (void)sys_futex_wait((const volatile unsigned *)&s->consumer_waiting, 1, deadline);
            c->waits++;
        }
    } else if (aramid_ring_producer_prepare_sleep(
                   &p->tx[d], 1 + (uint32_t)fuzz_below(r, ARAMID_SOCK_RING_CAPACITY))) {
        (void)sys_futex_wait((const volatile unsigned *)&s->producer_waiting, 1, deadline);
        c->waits++;
    }
}

/* A call that makes the server look at, retire or hand out the ring again. */
static void fuzz_ring_poke(struct fuzz_random *r, struct fuzz_ring_pair *p)
{
    long end = p->ends[fuzz_below(r, 2)];
    unsigned pick = (unsigned)fuzz_below(r, 4);
    if (!p->socket) {
        aramid_handle_t handle = 0;
        unsigned long id = 0;
        long number = 0;
        if (pick == 0) {
            struct aramid_vfs_pipe_ring_leave_request request = {.ofd = end};
            struct aramid_vfs_pipe_ring_leave_reply reply;
            (void)aramid_vfs_call_pipe_ring_leave(&request, 0, &reply, NULL);
        } else if (pick == 1 && aramid_vfs_ready_handle(end, &handle, &id) == 0) {
            (void)sys_handle_close(handle);
        } else if (pick >= 2 && aramid_vfs_pipe_ring(end, pick == 3, &handle, &number) == 0) {
            (void)sys_handle_close(handle);
        }
        return;
    }
    if (pick == 0) {
        struct aramid_sock_ring_sync_request request = {.wrote = (long)fuzz_below(r, 2)};
        struct aramid_sock_ring_sync_reply reply;
        (void)aramid_sock_call_ring_sync(end, &request, 0, 0, &reply, NULL);
    } else if (pick == 1) {
        struct aramid_sock_ring_map_request request;
        struct aramid_sock_ring_map_reply reply;
        aramid_handle_t memory = 0;
        if (aramid_sock_call_ring_map(end, &request, 0, 0, &reply, &memory) == 0 && memory > 0)
            (void)sys_handle_close(memory);
    } else if (pick == 2) {
        struct aramid_sock_getsockopt_request request = {.level = ARAMID_SOL_SOCKET,
                                                         .name = ARAMID_SO_ERROR};
        struct aramid_sock_getsockopt_reply reply;
        (void)aramid_sock_call_getsockopt(end, &request, 0, 0, &reply, NULL);
    } else if (fuzz_chance(r, 50)) {
        /* One of the pair's own ends in flight in SCM_RIGHTS (retires the rings; a cycle when
         * it is the receiving end), a byte with it. */
        long *ids = (long *)sys_ipc_buffer();
        ids[0] = p->ids[fuzz_below(r, 2)];
        ((unsigned char *)sys_ipc_buffer())[8] = 'r';
        unsigned long words[ARAMID_IPC_REGISTERS] = {0};
        words[1] = 1; /* length */
        words[3] = 1; /* attachments */
        words[4] = (unsigned long)(1 | (long)aramid_proc_self.pid << ARAMID_SOCK_PID_SHIFT);
        (void)fuzz_ring_call(end, ARAMID_SOCK_send, 9, words, p->call_ns);
    } else if (fuzz_chance(r, 20)) {
        struct aramid_sock_shutdown_request request = {.how = (long)fuzz_below(r, 3)};
        struct aramid_sock_shutdown_reply reply;
        (void)aramid_sock_call_shutdown(end, &request, 0, 0, &reply, NULL);
    }
}

/* A blocking read the server keeps (the pipe made blocking for it), with a deadline: the
 * server holds it while the ring is written and scribbled (by a forked child, if any) until
 * data comes or the deadline cancels it (-EINTR). Returns its result. */
static long fuzz_ring_kept_read(struct fuzz_random *r, struct fuzz_ring_pair *p, unsigned d,
                                size_t length)
{
    struct aramid_message message = {.deadline = aramid_clock_monotonic_ns() +
                                                 fuzz_below(r, 2 * FUZZ_RING_WAIT_NS)};
    long target;
    if (p->socket) {
        message.info = ARAMID_IPC_INFO(ARAMID_SOCK_recv, 0) | ARAMID_IPC_DEADLINE;
        message.words[1] = length;
        message.words[2] = fuzz_chance(r, 20) ? ARAMID_SOCK_RING_DETACHED : 0; /* blocking */
        target = fuzz_ring_reader(p, d);
    } else {
        struct aramid_vfs_setfl_request setfl = {.ofd = p->ends[0], .status = 0};
        struct aramid_vfs_setfl_reply reply;
        (void)aramid_vfs_call_setfl(&setfl, 0, &reply, NULL);
        message.info = ARAMID_IPC_INFO(ARAMID_VFS_read, 0) | ARAMID_IPC_DEADLINE;
        message.words[0] = (unsigned long)p->ends[0];
        message.words[1] = length;
        target = aramid_proc_self.vfs;
    }
    long result = aramid_ipc_call(target, &message);
    if (result == 0)
        result = (long)message.words[0];
    if (message.info & ARAMID_IPC_GRANT)
        (void)sys_handle_close((aramid_handle_t)message.words[5]);
    if (!p->socket) {
        struct aramid_vfs_setfl_request setfl = {.ofd = p->ends[0], .status = VFS_O_NONBLOCK};
        struct aramid_vfs_setfl_reply reply;
        (void)aramid_vfs_call_setfl(&setfl, 0, &reply, NULL);
    }
    return result;
}

/* An answer longer than what was asked: a server bug, printed and counted. */
static void fuzz_ring_bound(struct fuzz_ring_counts *c, const char *what, long result,
                            size_t length)
{
    c->transfers++;
    if (result > (long)length) {
        c->unbounded++;
        aramid_printf("fuzz: ring: %s gave %ld bytes for %lu asked\n", what, result,
                      (unsigned long)length);
    }
}

/* One step of a round: a ring or server transfer, a scribble, a wait, a re-attached view (a
 * late joiner over scribbled indexes), or a call that makes the server look at the ring. */
static void fuzz_ring_step(struct fuzz_random *r, struct fuzz_ring_pair *p,
                           struct fuzz_ring_counts *c, unsigned char *buffer)
{
    unsigned d = (unsigned)fuzz_below(r, p->directions);
    size_t length = 1 + fuzz_below(r, fuzz_chance(r, 70) ? 512 : FUZZ_RING_CHUNK);
    long detached = fuzz_chance(r, 20) ? ARAMID_SOCK_RING_DETACHED : 0;
    bool wake = false;
    long result;
    int first;
    switch (p->bytes ? fuzz_below(r, 10) : 4 + fuzz_below(r, 2)) {
    case 0:
    case 1:
        for (size_t i = 0; i < length; i++)
            buffer[i] = (unsigned char)fuzz_next(r);
        result = aramid_ring_write(&p->tx[d], buffer, length, &wake);
        if (wake)
            (void)sys_futex_wake((const volatile unsigned *)&p->shared[d]->consumer_waiting, 1);
        if (p->socket && result > 0 && (wake || atomic_load(p->flags[d]) != 0)) {
            struct aramid_sock_ring_sync_request request = {.wrote = 1};
            struct aramid_sock_ring_sync_reply reply;
            (void)aramid_sock_call_ring_sync(fuzz_ring_writer(p, d), &request, 0, 0, &reply,
                                             NULL);
        }
        fuzz_ring_bound(c, "ring write", result, length);
        break;
    case 2:
    case 3:
        result = aramid_ring_read(&p->rx[d], buffer, length, &wake);
        if (wake)
            (void)sys_futex_wake((const volatile unsigned *)&p->shared[d]->producer_waiting, 1);
        fuzz_ring_bound(c, "ring read", result, length);
        break;
    case 4:
        if (p->socket)
            for (size_t i = 0; i < length; i++)
                ((unsigned char *)sys_ipc_buffer())[i] = (unsigned char)fuzz_next(r);
        fuzz_ring_bound(c, p->socket ? "sock send" : "vfs pipe write",
                        fuzz_ring_server_write(p, d, length, detached), length);
        break;
    case 5:
        result = fuzz_ring_server_read(p, d, length,
                                       fuzz_chance(r, 20) ? ARAMID_MSG_PEEK : 0, detached, &first);
        fuzz_ring_bound(c, p->socket ? "sock recv" : "vfs pipe read", result, length);
        break;
    case 6:
        fuzz_ring_scribble(r, p, c);
        break;
    case 7:
        if (fuzz_chance(r, 25))
            fuzz_ring_bound(c, "kept read", fuzz_ring_kept_read(r, p, d, length), length);
        else
            fuzz_ring_wait(r, p, d, c);
        break;
    case 8:
        (void)aramid_ring_attach(fuzz_chance(r, 50) ? &p->rx[d] : &p->tx[d], p->shared[d],
                                 ARAMID_SOCK_RING_CAPACITY, false);
        break;
    default:
        fuzz_ring_poke(r, p);
        break;
    }
}

/* The forked child: a third party on the same ring memory (its mapping is the parent's), or,
 * given a vfs handoff token, a second holder of the pipe (the vfs retires the ring when it
 * adopts). It scribbles, wakes and waits on the waiting words, moves bytes with its copy of
 * the views (a second producer and consumer) and through the server, then exits. */
_Noreturn static void fuzz_ring_child(struct fuzz_random *r, struct fuzz_ring_pair *p,
                                      unsigned long token, unsigned char *buffer)
{
    static struct fuzz_ring_counts ignored;
    r->state = (r->state ^ 0x94d049bb133111ebul) | 1; /* its own stream from here */
    if (token != 0) {
        aramid_handle_t shared = 0;
        size_t size = 0;
        struct aramid_vfs_adopt_request adopt = {.token = (long)token};
        struct aramid_vfs_adopt_reply adopted;
        long result = fuzz_ring_session(&shared, &size);
        if (shared > 0)
            (void)sys_handle_close(shared);
        if (result >= 0)
            result = aramid_vfs_call_adopt(&adopt, 0, &adopted, NULL);
        if (result < 0) { /* the handoff would hold the worker's descriptions for good */
            aramid_printf("fuzz: ring: child: vfs session or adopt %ld\n", result);
            aramid_proc_exit(4);
        }
    }
    unsigned long steps = 4 + fuzz_below(r, FUZZ_RING_CHILD_STEPS_MAX);
    for (unsigned long i = 0; i < steps; i++) {
        unsigned d = (unsigned)fuzz_below(r, p->directions);
        switch (fuzz_below(r, 7)) {
        case 0:
            fuzz_ring_scribble(r, p, &ignored);
            break;
        case 1: {
            /* A storm: scribbles without a pause for up to FUZZ_RING_WAIT_NS, so that the
             * parent's calls (the server reading or draining the ring) may run meanwhile. */
            unsigned long until = aramid_clock_monotonic_ns() + fuzz_below(r, FUZZ_RING_WAIT_NS);
            do
                for (unsigned n = 0; n < 64; n++)
                    fuzz_ring_scribble(r, p, &ignored);
            while (aramid_clock_monotonic_ns() < until);
            break;
        }
        case 2:
            (void)sys_futex_wake(fuzz_chance(r, 50)
                                     ? (const volatile unsigned *)&p->shared[d]->consumer_waiting
                                     : (const volatile unsigned *)&p->shared[d]->producer_waiting,
                                 fuzz_chance(r, 50) ? 1 : ~0ul);
            break;
        case 3:
            fuzz_ring_wait(r, p, d, &ignored);
            break;
        case 4:
        case 5:
            fuzz_ring_step(r, p, &ignored, buffer);
            break;
        default:
            sys_sleep(fuzz_below(r, FUZZ_RING_WAIT_NS));
            break;
        }
    }
    aramid_proc_exit(ignored.unbounded == 0 ? 0 : 3);
}

void fuzz_ring_round(struct fuzz_random *r, struct fuzz_ring_counts *c)
{
    static struct fuzz_ring_pair pair;
    static unsigned char buffer[FUZZ_RING_CHUNK];
    struct fuzz_ring_pair *p = &pair;
    memset(p, 0, sizeof(*p));
    p->call_ns = FUZZ_RING_CALL_NS;
    int socket = aramid_proc_self.sock > 0 && (aramid_proc_self.vfs <= 0 || fuzz_chance(r, 50));
    if (!socket && aramid_proc_self.vfs <= 0)
        return;
    long opened = socket ? fuzz_ring_sock_open(p) : fuzz_ring_pipe_open(p);
    if (opened != 0) {
        c->refused++;
        fuzz_ring_close(p);
        return;
    }
    c->rounds++;
    /* Some bytes in the ring first, so that a retire has something to drain. */
    unsigned long warm = fuzz_below(r, 4);
    for (unsigned long i = 0; i < warm; i++) {
        bool wake;
        memset(buffer, (int)i, FUZZ_RING_CHUNK);
        (void)aramid_ring_write(&p->tx[0], buffer, 1 + fuzz_below(r, FUZZ_RING_CHUNK), &wake);
    }
    long child = 0;
    unsigned long token = 0;
    if (fuzz_chance(r, FUZZ_RING_FORK_PERCENT)) {
        if (!socket && fuzz_chance(r, 50)) {
            struct aramid_vfs_handoff_request request = {.kind = VFS_HANDOFF_FORK};
            struct aramid_vfs_handoff_reply reply;
            if (aramid_vfs_call_handoff(&request, 0, &reply, NULL) == 0)
                token = (unsigned long)reply.token;
        }
        /* The fuzzed signal_register may have set nocldwait: the child must stay ours to reap
         * (a child that outlived the round, or its worker, would hold the ring meanwhile). */
        (void)aramid_proc_signal_register(0, NULL, NULL);
        child = aramid_proc_fork();
        if (child == 0)
            fuzz_ring_child(r, p, token, buffer);
        if (child < 0 && token != 0) {
            struct aramid_vfs_adopt_request request = {.token = (long)token};
            struct aramid_vfs_adopt_reply reply;
            (void)aramid_vfs_call_adopt(&request, 0, &reply, NULL); /* the giver's own: a cancel */
        }
        c->forks += child > 0;
    }
    unsigned long steps = 4 + fuzz_below(r, FUZZ_RING_STEPS_MAX);
    for (unsigned long i = 0; i < steps; i++) {
        /* With a child at it too: often asleep on a waiting word while it scribbles and wakes. */
        if (child > 0 && fuzz_chance(r, 30))
            fuzz_ring_wait(r, p, (unsigned)fuzz_below(r, p->directions), c);
        else
            fuzz_ring_step(r, p, c, buffer);
    }
    /* The end: the close retires the ring while the child may still be at it. */
    fuzz_ring_close(p);
    if (child > 0) {
        /* Every call the child makes has a deadline: one still running after
         * FUZZ_RING_CHILD_NS is stuck in a call past it (a kernel or server bug), said so. */
        int status = 0;
        long reaped = 0;
        unsigned long until = aramid_clock_monotonic_ns() + FUZZ_RING_CHILD_NS;
        while ((reaped = aramid_proc_wait4(child, &status, ARAMID_WNOHANG)) == 0 &&
               aramid_clock_monotonic_ns() < until)
            sys_sleep(FUZZ_RING_WAIT_NS);
        if (reaped == 0) {
            aramid_printf("fuzz: ring: child %ld still running after %lu s: killed\n", child,
                          FUZZ_RING_CHILD_NS / 1000000000ul);
            (void)aramid_proc_kill(child, ARAMID_SIGKILL);
            reaped = aramid_proc_wait4(child, &status, 0);
            status = status != 0 ? status : -1;
        }
        if (reaped != child || status != 0) {
            c->unbounded++;
            aramid_printf("fuzz: ring: child %ld: wait4 %ld, status %#x\n", child, reaped, status);
        }
    }
}

/* ---- the bystander: its own rings, every byte checked ---- */

static unsigned char *fuzz_bystander_buffer; /* its vfs session buffer (pipe data via the vfs) */

/* Byte i of a chunk made with salt: a shift, a drop or a repeat changes it. */
static unsigned char fuzz_bystander_byte(unsigned long salt, size_t i)
{
    return (unsigned char)((salt >> ((i & 7) * 8)) + i * 131 + (i >> 8));
}

/* Writes the whole chunk: into the ring while the server's flags allow it, the rest through
 * the server. 0 or -errno. */
static long fuzz_bystander_write(struct fuzz_ring_pair *p, unsigned d, const unsigned char *chunk,
                                 size_t length, struct fuzz_bystander *report)
{
    size_t done = 0;
    for (int tries = 0; done < length && tries < FUZZ_RING_READ_TRIES; tries++) {
        if (p->bytes && atomic_load(p->flags[d]) == 0) {
            bool wake = false;
            long put = aramid_ring_write(&p->tx[d], chunk + done, length - done, &wake);
            if (put < 0)
                return put; /* our own ring broken: someone else wrote it */
            done += (size_t)put;
            report->ring_bytes += (unsigned long)put;
            if (put > 0)
                continue;
        }
        memcpy(p->socket ? (unsigned char *)sys_ipc_buffer() : fuzz_bystander_buffer, chunk + done,
               length - done);
        long put = fuzz_ring_server_write(p, d, length - done, 0);
        if (put < 0 && put != -ARAMID_EAGAIN)
            return put;
        if (put > 0) {
            done += (size_t)put;
            report->server_bytes += (unsigned long)put;
        }
    }
    return done == length ? 0 : -ARAMID_EAGAIN;
}

/* Reads length bytes: the ring first (its bytes are older; a pipe's only while the vfs's flags
 * are clear), then the server. 0 or -errno. */
static long fuzz_bystander_read(struct fuzz_ring_pair *p, unsigned d, unsigned char *out,
                                size_t length)
{
    size_t done = 0;
    for (int tries = 0; done < length && tries < FUZZ_RING_READ_TRIES; tries++) {
        if (p->bytes && (p->socket || atomic_load(p->flags[d]) == 0)) {
            bool wake = false;
            long got = aramid_ring_read(&p->rx[d], out + done, length - done, &wake);
            if (got < 0)
                return got;
            done += (size_t)got;
            if (got > 0)
                continue;
        }
        int first = 0;
        long got = fuzz_ring_server_read(p, d, length - done, 0, 0, &first);
        if (got < 0 && got != -ARAMID_EAGAIN)
            return got;
        if (first & 2)
            return -ARAMID_EPROTO; /* a pair of its own carries no address or descriptors */
        if (got > 0) {
            if ((size_t)got > length - done)
                return -ARAMID_EPROTO;
            memcpy(out + done,
                   p->socket ? (const unsigned char *)sys_ipc_buffer() : fuzz_bystander_buffer,
                   (size_t)got);
            done += (size_t)got;
        }
    }
    return done == length ? 0 : -ARAMID_EAGAIN;
}

/* One pipe or pair: FUZZ_BYSTANDER_CHUNKS chunks written and read back and checked; now and
 * then the pipe leaves its ring with bytes in it (the vfs drains them into its queue) and the
 * rest goes through the vfs. */
static void fuzz_bystander_round(struct fuzz_random *r, struct fuzz_bystander *report, int socket)
{
    static struct fuzz_ring_pair pair;
    static unsigned char chunk[FUZZ_RING_CHUNK], back[FUZZ_RING_CHUNK];
    struct fuzz_ring_pair *p = &pair;
    memset(p, 0, sizeof(*p));
    p->call_ns = FUZZ_BYSTANDER_CALL_NS;
    long opened = socket ? fuzz_ring_sock_open(p) : fuzz_ring_pipe_open(p);
    if (opened < 0) {
        report->errors++;
        aramid_printf("fuzz: bystander: no %s: %ld\n", socket ? "socketpair" : "pipe", opened);
        fuzz_ring_close(p);
        return;
    }
    report->no_ring += opened == 1;
    unsigned long leave_at = !socket && fuzz_chance(r, 25) ? fuzz_below(r, FUZZ_BYSTANDER_CHUNKS)
                                                           : FUZZ_BYSTANDER_CHUNKS;
    for (unsigned long n = 0; n < FUZZ_BYSTANDER_CHUNKS; n++) {
        unsigned d = (unsigned)fuzz_below(r, p->directions);
        size_t length = 1 + fuzz_below(r, FUZZ_RING_CHUNK);
        unsigned long salt = fuzz_next(r);
        for (size_t i = 0; i < length; i++)
            chunk[i] = fuzz_bystander_byte(salt, i);
        long result = fuzz_bystander_write(p, d, chunk, length, report);
        if (result == 0 && n == leave_at) {
            struct aramid_vfs_pipe_ring_leave_request request = {.ofd = p->ends[0]};
            struct aramid_vfs_pipe_ring_leave_reply reply;
            result = aramid_vfs_call_pipe_ring_leave(&request, 0, &reply, NULL);
        }
        if (result == 0)
            result = fuzz_bystander_read(p, d, back, length);
        if (result != 0) {
            report->errors++;
            aramid_printf("fuzz: bystander: %s chunk %lu of %lu bytes: %ld\n",
                          socket ? "socketpair" : "pipe", n, (unsigned long)length, result);
            break;
        }
        for (size_t i = 0; i < length; i++) {
            report->wrong += back[i] != fuzz_bystander_byte(salt, i);
            report->checksum = (report->checksum ^ back[i]) * 0x100000001b3ul;
        }
    }
    fuzz_ring_close(p);
    report->rounds++;
}

_Noreturn void fuzz_bystander_run(struct fuzz_bystander *report, unsigned long seed)
{
    struct fuzz_random random = {(seed ^ 0x6279737461ul) | 1};
    aramid_handle_t shared = 0;
    size_t size = 0;
    long address = -ARAMID_ENOSYS;
    if (fuzz_ring_session(&shared, &size) >= 0 && size >= FUZZ_RING_CHUNK)
        address = aramid_memory_map(aramid_proc_self.space, size,
                                    ARAMID_PROT_READ | ARAMID_PROT_WRITE, shared, 0);
    if (shared > 0)
        (void)sys_handle_close(shared);
    if (address <= 0) {
        aramid_printf("fuzz: bystander: no vfs session buffer: %ld\n", address);
        report->errors++;
    }
    fuzz_bystander_buffer = (unsigned char *)address;
    for (unsigned long round = 0; !report->stop; round++) {
        fuzz_bystander_round(&random, report,
                             aramid_proc_self.sock > 0 && (address <= 0 || (round & 1)));
        sys_sleep(FUZZ_BYSTANDER_PAUSE_NS); /* the workers get the CPU most of the time */
    }
    int ok = report->wrong == 0 && report->errors == 0;
    report->done = 1;
    aramid_proc_exit(ok ? 0 : 1);
}
