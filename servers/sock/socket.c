/* Sockets: the table, holders across fork and exit, names, and the connection calls. */
#include "sock.h"

#include <aramid/server.h>
#include <aramid/slots.h>

#include "kstring.h"

#define SOCK_SLOT_BITS ARAMID_SOCK_SLOT_BITS
#define SOCK_SLOTS_MAX (1u << SOCK_SLOT_BITS)
#define SOCK_BUF_DEFAULT 212992 /* Linux's net.core.[rw]mem_default, what SO_*BUF reports */

/* Invariant: slot i is NULL or the socket whose id has slot i in its low bits. */
static struct aramid_slots sock_table;
static unsigned long sock_serial;

void *sockbuf_memory_alloc(size_t bytes)
{
    return aramid_heap_alloc(bytes);
}

void sockbuf_memory_free(void *memory, size_t bytes)
{
    aramid_heap_free(memory, bytes);
}

/* The socket in slot i (i < sock_table.capacity), or NULL. */
static inline struct sock *sock_slot(unsigned i)
{
    return sock_table.slots[i];
}

/* Sockets sender holds now (O(slots)). */
static unsigned long sock_held(unsigned long sender)
{
    unsigned long held = 0;
    for (unsigned i = 0; i < sock_table.capacity; i++)
        held += sock_slot(i) != NULL && aramid_holders_has(&sock_slot(i)->holders, (long)sender);
    return held;
}

struct sock *sock_create(int type, unsigned long sender, long pid)
{
    if (sender != 0 && sock_held(sender) >= ARAMID_SERVER_OBJECTS_PER_PROCESS)
        return NULL;
    long slot = aramid_slots_take(&sock_table, SOCK_SLOTS_MAX);
    if (slot < 0)
        return NULL;
    struct sock *sock = aramid_heap_alloc(sizeof(*sock));
    if (sock == NULL)
        return NULL;
    sock->id = ARAMID_READY_ID_SOCK | (++sock_serial << SOCK_SLOT_BITS) | (unsigned long)slot;
    sock->type = type;
    sock->state = SOCK_UNCONNECTED;
    sock->sndbuf = sock->rcvbuf = SOCK_BUF_DEFAULT;
    sock->pid = pid;
    sockbuf_init(&sock->rx, type, SOCKBUF_CAPACITY_DEFAULT);
    if (sender != 0 && aramid_holders_add(&sock->holders, (long)sender) < 0) {
        aramid_heap_free(sock, sizeof(*sock));
        return NULL;
    }
    aramid_slots_put(&sock_table, (unsigned long)slot, sock);
    return sock;
}

struct sock *sock_find(unsigned long id)
{
    unsigned long slot = id & (SOCK_SLOTS_MAX - 1);
    struct sock *sock = aramid_slots_get(&sock_table, slot);
    return sock != NULL && sock->id == id ? sock : NULL;
}

void sock_for_each(void (*visit)(struct sock *sock, void *context), void *context)
{
    for (unsigned i = 0; i < sock_table.capacity; i++)
        if (sock_slot(i) != NULL)
            visit(sock_slot(i), context);
}

long sock_mint(struct sock *sock)
{
    return sys_endpoint_mint(sockd.endpoint, sock->id,
                             ARAMID_RIGHT_SEND | ARAMID_RIGHT_GRANT | ARAMID_RIGHT_DUPLICATE |
                                 ARAMID_RIGHT_INHERIT);
}

struct sock *sock_find_name(const unsigned char *name, size_t length)
{
    for (unsigned i = 0; i < sock_table.capacity; i++) {
        struct sock *sock = sock_slot(i);
        if (sock != NULL && sock->named && sock->name_length == length &&
            memcmp(sock->name, name, length) == 0)
            return sock;
    }
    return NULL;
}

/* Checks a struct sockaddr_un (Linux's unix_mkname) and gives its canonical length: a path
 * name ends at its NUL (which is counted), an abstract name is every byte. */
static long sock_address_check(const unsigned char *address, size_t length, size_t *canonical)
{
    if (length < 2 || length > ARAMID_SOCK_ADDRESS_MAX)
        return -ARAMID_EINVAL;
    if (address[0] != ARAMID_AF_UNIX || address[1] != 0)
        return -ARAMID_EINVAL;
    if (length == 2 || address[2] == 0) {
        *canonical = length;
        return 0;
    }
    size_t end = 2;
    while (end < length && address[end] != 0)
        end++;
    *canonical = end + 1 > ARAMID_SOCK_ADDRESS_MAX ? ARAMID_SOCK_ADDRESS_MAX : end + 1;
    return 0;
}

/* The socket bound to the socket file key, or NULL. */
static struct sock *sock_find_key(unsigned long key)
{
    for (unsigned i = 0; i < sock_table.capacity; i++) {
        struct sock *sock = sock_slot(i);
        if (sock != NULL && sock->named && sock->file_key == key)
            return sock;
    }
    return NULL;
}

/* The socket named by a received address, in a canonical copy (a path with a key: the socket
 * bound to that socket file); Linux's errors. */
static long sock_lookup_address(const unsigned char *address, size_t length, unsigned long key,
                                struct sock **out)
{
    size_t canonical;
    long result = sock_address_check(address, length, &canonical);
    if (result < 0)
        return result;
    if (length == 2)
        return -ARAMID_EINVAL;
    if (key != 0 && address[2] != 0) {
        *out = sock_find_key(key);
        return *out != NULL ? 0 : -ARAMID_ECONNREFUSED; /* a file nothing is bound to */
    }
    unsigned char name[ARAMID_SOCK_ADDRESS_MAX] = {0};
    memcpy(name, address, canonical < length ? canonical : length);
    *out = sock_find_name(name, canonical);
    if (*out == NULL)
        return address[2] != 0 ? -ARAMID_ENOENT : -ARAMID_ECONNREFUSED;
    return 0;
}

long sock_lookup_destination(const unsigned char *address, size_t length, unsigned long key,
                             struct sock **out)
{
    return sock_lookup_address(address, length, key, out);
}

long sock_type_mismatch(const struct sock *target)
{
    /* Linux finds abstract names by name and type (none: refused); a path's socket file is
     * found whatever its type (then EPROTOTYPE). */
    return target->name[2] == 0 ? -ARAMID_ECONNREFUSED : -ARAMID_EPROTOTYPE;
}

static void sock_unlink_peer(struct sock *sock, void *context)
{
    struct sock *gone = context;
    if (sock->peer == gone) {
        sock->peer = NULL;
        sock->peer_closed = true;
        if (sock->type != ARAMID_SOCK_DGRAM) {
            sock->peer_shut = true;
            sock->state = SOCK_DISCONNECTED;
        }
        sock_changed(sock, true);
    }
}

static void sock_destroy(struct sock *sock)
{
    sock_pending_fail_all(sock, -ARAMID_EPIPE);
    /* Closing with unread data: the peer sees ECONNRESET (Linux's unix_release_sock). */
    if (sock->peer != NULL && sock->type != ARAMID_SOCK_DGRAM &&
        (sockbuf_readable(&sock->rx) || sock_ring_queued(sock) != 0))
        sock->peer->error = ARAMID_ECONNRESET;
    for (size_t i = 0; i < sock->queue_count; i++) {
        struct sock *embryo = sock->queue[i];
        if (embryo->peer != NULL)
            embryo->peer->error = ARAMID_ECONNRESET;
        sock_destroy(embryo);
    }
    if (sock->queue != NULL)
        aramid_heap_free(sock->queue, sock->queue_capacity * sizeof(*sock->queue));
    sock->queue_count = 0;
    unsigned long slot = sock->id & (SOCK_SLOTS_MAX - 1);
    aramid_slots_clear(&sock_table, slot);
    sock_ready_forget(sock);
    sock->name_length = 0;
    sock_for_each(sock_unlink_peer, sock);
    for (struct sock_watch *watch = sock->watches, *next; watch != NULL; watch = next) {
        next = watch->next;
        (void)sys_notify_signal(watch->notification, ARAMID_READY_GONE);
        (void)sys_handle_close(watch->notification);
        aramid_heap_free(watch, sizeof(*watch));
    }
    sockbuf_destroy(&sock->rx, sock_attachment_release);
    sock_ring_release(sock);
    aramid_holders_free(&sock->holders);
    aramid_heap_free(sock, sizeof(*sock));
}

void sock_maybe_destroy(struct sock *sock)
{
    if (sock->holders.count == 0 && sock->inflight == 0)
        sock_destroy(sock);
    else if (sock->holders.count == 0)
        sock_collect(); /* kept only by messages in flight: perhaps a cycle */
}

/* Marks the sockets an attachment carries that nothing else keeps; pushes them. */
static void sock_mark_attachment(long attachment, struct sock **stack, size_t capacity,
                                 size_t *depth)
{
    const struct sock_attachment *carried = (const void *)attachment;
    for (unsigned k = 0; carried != NULL && k < carried->count; k++) {
        struct sock *passed = sock_find(carried->ids[k]);
        if (passed != NULL && !passed->marked && passed->holders.count == 0) {
            passed->marked = true;
            if (*depth < capacity)
                stack[(*depth)++] = passed;
        }
    }
}

/* Marks what sock carries (its queue, its kept writers' attachments, the connections waiting
 * on it as a listener) and what those carry, depth first on an explicit stack. */
static void sock_mark_from(struct sock *sock, struct sock **stack, size_t capacity)
{
    size_t depth = 0;
    stack[depth++] = sock;
    while (depth > 0) {
        struct sock *from = stack[--depth];
        for (uint32_t i = 0; i < from->rx.count; i++)
            sock_mark_attachment(
                from->rx.records[(from->rx.first + i) % SOCKBUF_RECORDS_MAX].attachment, stack,
                capacity, &depth);
        for (const struct sock_pending *writer = from->writers; writer != NULL;
             writer = writer->next)
            sock_mark_attachment(writer->attachment, stack, capacity, &depth);
        for (size_t i = 0; i < from->queue_count; i++)
            if (!from->queue[i]->marked && depth < capacity) {
                from->queue[i]->marked = true;
                stack[depth++] = from->queue[i];
            }
    }
}

void sock_collect(void)
{
    static bool collecting;
    if (collecting)
        return; /* destroys below come back here */
    collecting = true;
    size_t capacity = sock_table.capacity ? sock_table.capacity : 1;
    struct sock **stack = aramid_heap_alloc(capacity * sizeof(*stack));
    unsigned long *garbage = aramid_heap_alloc(capacity * sizeof(*garbage));
    if (stack == NULL || garbage == NULL) {
        aramid_heap_free(stack, capacity * sizeof(*stack));
        aramid_heap_free(garbage, capacity * sizeof(*garbage));
        collecting = false;
        return;
    }
    for (unsigned i = 0; i < sock_table.capacity; i++)
        if (sock_slot(i) != NULL)
            sock_slot(i)->marked = false;
    /* Live: held by a process, or reachable from one that is. (The stack holds each socket at
     * most once: a socket is pushed when it is first marked.) */
    for (unsigned i = 0; i < sock_table.capacity; i++)
        if (sock_slot(i) != NULL && sock_slot(i)->holders.count > 0)
            sock_mark_from(sock_slot(i), stack, capacity);
    size_t count = 0;
    for (unsigned i = 0; i < sock_table.capacity; i++) {
        struct sock *sock = sock_slot(i);
        if (sock != NULL && sock->holders.count == 0 && sock->inflight > 0 && !sock->marked)
            garbage[count++] = sock->id;
    }
    /* Destroying one releases what its queue carries, which may free others of the list:
     * each is looked up again by id. */
    for (size_t i = 0; i < count; i++) {
        struct sock *sock = sock_find(garbage[i]);
        if (sock != NULL) {
            sock->inflight = 0;
            sock_destroy(sock);
        }
    }
    aramid_heap_free(stack, capacity * sizeof(*stack));
    aramid_heap_free(garbage, capacity * sizeof(*garbage));
    collecting = false;
}

void sock_release(struct sock *sock, unsigned long sender)
{
    if (!aramid_holders_remove(&sock->holders, (long)sender))
        return;
    if (sock->holders.count == 0) {
        unsigned long id = sock->id; /* the feed may free sock (its other holders' exits) */
        sock_feed(); /* a fork not read yet may have a child holding it too */
        struct sock *again = sock_find(id);
        if (again != NULL)
            sock_maybe_destroy(again);
    }
}

static void sock_drop_process(struct sock *sock, void *context)
{
    long process = *(long *)context;
    if (aramid_holders_remove(&sock->holders, process))
        sock_maybe_destroy(sock);
}

struct sock_fork {
    long parent, child;
};

/* A fork: the child holds what the parent holds; posix-shim left the rings before the fork. */
static void sock_fork_process(struct sock *sock, void *context)
{
    struct sock_fork *fork = context;
    if (aramid_holders_has(&sock->holders, fork->parent)) {
        (void)aramid_holders_add(&sock->holders, fork->child);
        sock_ring_retire(sock);
    }
}

static void sock_feed_fork(long parent, long child)
{
    struct sock_fork fork = {parent, child};
    sock_for_each(sock_fork_process, &fork);
}

/* An execve: the process keeps its kernel id and its sockets' inheritable handles, and
 * posix-shim hands the descriptors without FD_CLOEXEC to the new image (it closed the others),
 * so the holds stay. The old image's mapping of the rings is gone: an end only it held is
 * detached (the server reads its ring for it), and the pair's rings retire, as at a fork, until
 * the new image asks for new ones. */
static void sock_exec_process(struct sock *sock, void *context)
{
    long process = *(long *)context;
    if (!aramid_holders_has(&sock->holders, process))
        return;
    if (sock->holders.count == 1)
        sock_ring_detach(sock);
    sock_ring_retire(sock);
}

/* Exit: the process holds no socket any more. Exec: see sock_exec_process. */
static void sock_feed_gone(long process, long kind)
{
    if (kind == ARAMID_PROC_EVENT_EXEC) {
        sock_for_each(sock_exec_process, &process);
        return;
    }
    /* A destroy may free later slots: walk by index, re-reading each. */
    for (unsigned s = 0; s < sock_table.capacity; s++)
        if (sock_slot(s) != NULL)
            sock_drop_process(sock_slot(s), &process);
}

/* The POSIX pid of each client process (kernel process id -> pid), from proc's feed. */
static struct aramid_process_map sock_pids;

/* Every record: a process that is there (fork, spawn, exec) has its pid, an exit drops it. */
static void sock_feed_record(const struct aramid_proc_event *record)
{
    if (record->kind != ARAMID_PROC_EVENT_EXIT) {
        long *pid = aramid_process_map_add(&sock_pids, record->process);
        if (pid != NULL)
            *pid = record->pid;
    } else {
        aramid_process_map_remove(&sock_pids, record->process);
    }
}

long sock_pid_of(unsigned long sender, long claimed)
{
    long *pid = aramid_process_map_find(&sock_pids, (long)sender);
    if (pid == NULL) {
        sock_feed(); /* a fork or spawn not read yet */
        pid = aramid_process_map_find(&sock_pids, (long)sender);
    }
    if (pid == NULL) {
        /* Started before the server read proc's feed (the first program, a system server):
         * its first word is kept, so later claims change nothing. */
        pid = aramid_process_map_add(&sock_pids, (long)sender);
        if (pid == NULL)
            return claimed;
        *pid = claimed;
    }
    return *pid;
}

void sock_feed(void)
{
    static const struct aramid_server_feed feed = {
        .each = sock_feed_record,
        .fork = sock_feed_fork,
        .gone = sock_feed_gone,
    };
    aramid_server_feed_read(&feed, sockd.proc);
}

/* The handlers of creation and connection. */

static long sock_check_kind(long domain, long type, long protocol)
{
    if (domain != ARAMID_AF_UNIX)
        return -ARAMID_EAFNOSUPPORT;
    if (type != ARAMID_SOCK_STREAM && type != ARAMID_SOCK_DGRAM && type != ARAMID_SOCK_SEQPACKET)
        return -ARAMID_ESOCKTNOSUPPORT;
    if (protocol != 0)
        return -ARAMID_EPROTONOSUPPORT;
    return 0;
}

void sock_do_socket(struct sock_call *call, const struct aramid_sock_socket_request *request,
                    struct aramid_sock_socket_reply *reply)
{
    long result = sock_check_kind(request->domain, request->type, request->protocol);
    if (result < 0) {
        reply->result = result;
        return;
    }
    struct sock *sock = sock_create((int)request->type, call->sender,
                                    sock_pid_of(call->sender, request->pid));
    if (sock == NULL) {
        reply->result = -ARAMID_ENOMEM;
        return;
    }
    long handle = sock_mint(sock);
    if (handle < 0) {
        sock_destroy(sock);
        reply->result = handle;
        return;
    }
    call->grant = handle;
    reply->id = (long)sock->id;
    reply->result = 0;
}

static void sock_connect_pair(struct sock *a, struct sock *b)
{
    a->peer = b;
    b->peer = a;
    a->state = b->state = SOCK_CONNECTED;
    a->peer_pid = b->pid;
    b->peer_pid = a->pid;
}

void sock_do_socketpair(struct sock_call *call,
                        const struct aramid_sock_socketpair_request *request,
                        struct aramid_sock_socketpair_reply *reply)
{
    long result = sock_check_kind(request->domain, request->type, request->protocol);
    if (result < 0) {
        reply->result = result;
        return;
    }
    long pid = sock_pid_of(call->sender, request->pid);
    struct sock *a = sock_create((int)request->type, call->sender, pid);
    struct sock *b = a ? sock_create((int)request->type, call->sender, pid) : NULL;
    long handle = b ? sock_mint(a) : -ARAMID_ENOMEM;
    if (handle < 0) {
        if (a != NULL)
            sock_destroy(a);
        if (b != NULL)
            sock_destroy(b);
        reply->result = handle;
        return;
    }
    sock_connect_pair(a, b);
    b->claim = b->id ^ (aramid_clock_monotonic_ns() * 0x9e3779b97f4a7c15ul);
    b->claimant = call->sender;
    call->grant = handle;
    reply->id = (long)a->id;
    reply->id2 = (long)b->id;
    reply->claim = (long)b->claim;
    reply->result = 0;
}

static void sock_claim_find(struct sock *sock, void *context)
{
    struct sock **found = context;
    if (sock->claim != 0 && sock->claim == (unsigned long)found[1])
        found[0] = sock;
}

void sock_do_claim(struct sock_call *call, const struct aramid_sock_claim_request *request,
                   struct aramid_sock_claim_reply *reply)
{
    struct sock *found[2] = {NULL, (struct sock *)(unsigned long)request->claim};
    if (request->claim != 0)
        sock_for_each(sock_claim_find, found);
    struct sock *sock = found[0];
    if (sock == NULL || sock->claimant != call->sender) {
        reply->result = -ARAMID_EBADF;
        return;
    }
    long handle = sock_mint(sock);
    if (handle < 0) {
        reply->result = handle;
        return;
    }
    sock->claim = 0;
    call->grant = handle;
    reply->id = (long)sock->id;
    reply->result = 0;
}

void sock_do_close(struct sock_call *call, const struct aramid_sock_close_request *request,
                   struct aramid_sock_close_reply *reply)
{
    (void)request;
    if (call->sock == NULL) {
        reply->result = -ARAMID_EBADF;
        return;
    }
    reply->result = 0;
    sock_release(call->sock, call->sender);
}

void sock_do_bind(struct sock_call *call, const struct aramid_sock_bind_request *request,
                  struct aramid_sock_bind_reply *reply)
{
    struct sock *sock = call->sock;
    size_t length = (size_t)request->length, canonical;
    if (sock == NULL || length > call->buffer_bytes) {
        reply->result = sock == NULL ? -ARAMID_EBADF : -ARAMID_EINVAL;
        return;
    }
    long result = sock_address_check(call->buffer, length, &canonical);
    if (result == 0 && sock->name_length != 0)
        result = -ARAMID_EINVAL;
    unsigned char name[ARAMID_SOCK_ADDRESS_MAX] = {0};
    if (result == 0) {
        memcpy(name, call->buffer, canonical < length ? canonical : length);
        if (length == 2) {
            /* Autobind: an abstract name of five hex digits, as Linux makes. */
            static unsigned next = 1;
            canonical = 8;
            for (unsigned tries = 0; tries < 0x100000; tries++) {
                unsigned value = next++ & 0xfffff;
                name[2] = 0;
                for (int i = 0; i < 5; i++)
                    name[3 + i] = "0123456789abcdef"[(value >> (4 * (4 - i))) & 15];
                if (sock_find_name(name, canonical) == NULL)
                    break;
            }
        }
        bool file = request->key != 0 && name[2] != 0;
        if (file) {
            /* The client just made the file: a socket still holding its key had its file
             * unlinked (the inode is reused) and is unreachable by name, as on Linux. */
            struct sock *stale = sock_find_key((unsigned long)request->key);
            if (stale != NULL)
                stale->file_key = 0;
        } else if (sock_find_name(name, canonical) != NULL) {
            result = -ARAMID_EADDRINUSE;
        }
    }
    if (result == 0) {
        memcpy(sock->name, name, canonical);
        sock->name_length = canonical;
        sock->named = true;
        sock_ring_retire(sock); /* a datagram pair's rings: others can sendto it now */
        sock->file_key = request->key != 0 && name[2] != 0 ? (unsigned long)request->key : 0;
    }
    reply->result = result;
}

void sock_do_listen(struct sock_call *call, const struct aramid_sock_listen_request *request,
                    struct aramid_sock_listen_reply *reply)
{
    struct sock *sock = call->sock;
    if (sock == NULL) {
        reply->result = -ARAMID_EBADF;
        return;
    }
    if (sock->type == ARAMID_SOCK_DGRAM) {
        reply->result = -ARAMID_EOPNOTSUPP;
        return;
    }
    if (sock->state != SOCK_UNCONNECTED && sock->state != SOCK_LISTENING) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    if (sock->name_length == 0) {
        reply->result = -ARAMID_EINVAL; /* Linux: a listener must be bound */
        return;
    }
    sock->backlog = sockbuf_backlog_clamp((int)request->backlog);
    sock->state = SOCK_LISTENING;
    reply->result = 0;
    sock_listener_service(sock);
    sock_changed(sock, false);
}

/* A new connection on listener for connecting: the server end joins the queue. */
static long sock_enqueue_connection(struct sock *listener, struct sock *connecting)
{
    if (listener->queue_count == listener->queue_capacity) {
        size_t capacity = listener->queue_capacity ? listener->queue_capacity * 2 : 8;
        struct sock **grown = aramid_heap_alloc(capacity * sizeof(*grown));
        if (grown == NULL)
            return -ARAMID_ENOMEM;
        if (listener->queue != NULL) {
            memcpy(grown, listener->queue, listener->queue_count * sizeof(*grown));
            aramid_heap_free(listener->queue, listener->queue_capacity * sizeof(*grown));
        }
        listener->queue = grown;
        listener->queue_capacity = capacity;
    }
    struct sock *server = sock_create(listener->type, 0, listener->pid);
    if (server == NULL)
        return -ARAMID_ENOMEM;
    /* The accepted end reports the listener's name (not owning it in the namespace). */
    memcpy(server->name, listener->name, listener->name_length);
    server->name_length = listener->name_length;
    sock_connect_pair(server, connecting);
    listener->queue[listener->queue_count++] = server;
    return 0;
}

void sock_do_connect(struct sock_call *call, const struct aramid_sock_connect_request *request,
                     struct aramid_sock_connect_reply *reply)
{
    struct sock *sock = call->sock;
    size_t length = (size_t)request->length;
    if (sock == NULL || length > call->buffer_bytes) {
        reply->result = sock == NULL ? -ARAMID_EBADF : -ARAMID_EINVAL;
        return;
    }
    struct sock *target;
    long result = sock_lookup_address(call->buffer, length, (unsigned long)request->key, &target);
    if (result < 0) {
        reply->result = result;
        return;
    }
    if (sock->pid == 0)
        sock->pid = sock_pid_of(call->sender, request->pid);
    if (sock->type == ARAMID_SOCK_DGRAM) {
        if (target->type != ARAMID_SOCK_DGRAM) {
            reply->result = sock_type_mismatch(target);
            return;
        }
        sock_ring_retire(sock); /* a socketpair's rings go before its peer changes */
        sock->peer = target; /* the default destination; the target is not told */
        sock->state = SOCK_CONNECTED;
        sock->peer_pid = target->pid;
        reply->result = 0;
        sock_changed(sock, false);
        return;
    }
    if (sock->state == SOCK_CONNECTED || sock->state == SOCK_DISCONNECTED) {
        reply->result = -ARAMID_EISCONN;
        return;
    }
    if (sock->state == SOCK_LISTENING) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    if (target->type != sock->type) {
        reply->result = sock_type_mismatch(target);
        return;
    }
    if (target->state != SOCK_LISTENING) {
        reply->result = -ARAMID_ECONNREFUSED;
        return;
    }
    if (sockbuf_backlog_full(target->backlog, target->queue_count)) {
        if (request->nonblock) {
            reply->result = -ARAMID_EAGAIN;
            return;
        }
        struct sock_pending *pending = aramid_heap_alloc(sizeof(*pending));
        if (pending == NULL) {
            reply->result = -ARAMID_ENOMEM;
            return;
        }
        *pending = (struct sock_pending){.token = call->token, .flags = (long)sock->id};
        struct sock_pending **tail = &target->connects;
        while (*tail != NULL)
            tail = &(*tail)->next;
        *tail = pending;
        call->kept = true;
        return;
    }
    result = sock_enqueue_connection(target, sock);
    reply->result = result;
    if (result == 0) {
        sock_listener_service(target);
        sock_changed(target, true);
        sock_changed(sock, true);
    }
}

/* Hands the oldest queued connection to a kept accept, and lets kept connects in. */
void sock_listener_service(struct sock *listener)
{
    for (;;) {
        bool progress = false;
        while (listener->accepts != NULL && listener->queue_count > 0) {
            struct sock_pending *accept = listener->accepts;
            struct sock *server = listener->queue[0];
            memmove(listener->queue, listener->queue + 1,
                    (listener->queue_count - 1) * sizeof(*listener->queue));
            listener->queue_count--;
            listener->accepts = accept->next;
            long handle = sock_mint(server);
            if (handle > 0)
                (void)aramid_holders_add(&server->holders, (long)accept->sender);
            size_t name_length = 0;
            unsigned char *buffer = (unsigned char *)sys_ipc_buffer();
            if (server->peer != NULL) {
                name_length = server->peer->name_length ? server->peer->name_length : 2;
                memcpy(buffer, server->peer->name, server->peer->name_length);
                buffer[0] = ARAMID_AF_UNIX;
                buffer[1] = 0;
            }
            long words[2] = {(long)server->id, (long)name_length};
            if (handle < 0 ||
                aramid_server_answer(accept->token, handle < 0 ? handle : 0, words, 2, name_length,
                            handle > 0 ? handle : 0) < 0) {
                /* The accepter went away: the connection is dropped, as a close would. */
                if (handle > 0)
                    (void)sys_handle_close(handle);
                aramid_holders_remove(&server->holders, (long)accept->sender);
                sock_maybe_destroy(server);
            }
            aramid_heap_free(accept, sizeof(*accept));
            progress = true;
        }
        while (listener->connects != NULL &&
               !sockbuf_backlog_full(listener->backlog, listener->queue_count)) {
            struct sock_pending *connect = listener->connects;
            listener->connects = connect->next;
            struct sock *connecting = sock_find((unsigned long)connect->flags);
            long result = connecting == NULL ? -ARAMID_ECONNREFUSED
                                             : sock_enqueue_connection(listener, connecting);
            (void)aramid_server_answer(connect->token, result, NULL, 0, 0, 0);
            if (connecting != NULL)
                sock_changed(connecting, true);
            aramid_heap_free(connect, sizeof(*connect));
            progress = true;
        }
        if (!progress)
            return;
    }
}

void sock_do_accept(struct sock_call *call, const struct aramid_sock_accept_request *request,
                    struct aramid_sock_accept_reply *reply)
{
    struct sock *listener = call->sock;
    if (listener == NULL || listener->state != SOCK_LISTENING) {
        reply->result = listener == NULL ? -ARAMID_EBADF
                        : listener->type == ARAMID_SOCK_DGRAM ? -ARAMID_EOPNOTSUPP
                                                              : -ARAMID_EINVAL;
        return;
    }
    if (listener->queue_count == 0 && request->nonblock) {
        reply->result = -ARAMID_EAGAIN;
        return;
    }
    struct sock_pending *pending = aramid_heap_alloc(sizeof(*pending));
    if (pending == NULL) {
        reply->result = -ARAMID_ENOMEM;
        return;
    }
    *pending = (struct sock_pending){.token = call->token, .sender = call->sender};
    struct sock_pending **tail = &listener->accepts;
    while (*tail != NULL)
        tail = &(*tail)->next;
    *tail = pending;
    call->kept = true; /* answered below (at once when one waits) or when one connects */
    sock_listener_service(listener);
    sock_changed(listener, false);
}

void sock_do_shutdown(struct sock_call *call, const struct aramid_sock_shutdown_request *request,
                      struct aramid_sock_shutdown_reply *reply)
{
    struct sock *sock = call->sock;
    if (sock == NULL) {
        reply->result = -ARAMID_EBADF;
        return;
    }
    if (request->how < 0 || request->how > 2) {
        reply->result = -ARAMID_EINVAL;
        return;
    }
    if (sock->state != SOCK_CONNECTED && sock->state != SOCK_DISCONNECTED) {
        reply->result = -ARAMID_ENOTCONN;
        return;
    }
    if (sock->type == ARAMID_SOCK_DGRAM)
        sock_ring_retire(sock); /* the peer is not told: its half goes SLOW with ours */
    if (request->how != 1)
        sock->shut_read = true;
    if (request->how != 0) {
        sock->shut_write = true;
        if (sock->peer != NULL && sock->type != ARAMID_SOCK_DGRAM) {
            sock->peer->peer_shut = true;
            sock_changed(sock->peer, true);
        }
    }
    reply->result = 0;
    sock_changed(sock, true);
}

void sock_do_getsockopt(struct sock_call *call,
                        const struct aramid_sock_getsockopt_request *request,
                        struct aramid_sock_getsockopt_reply *reply)
{
    struct sock *sock = call->sock;
    if (sock == NULL) {
        reply->result = -ARAMID_EBADF;
        return;
    }
    if (request->level != ARAMID_SOL_SOCKET) {
        reply->result = -ARAMID_EOPNOTSUPP;
        return;
    }
    reply->result = 0;
    switch (request->name) {
    case ARAMID_SO_TYPE:
        reply->value = sock->type;
        break;
    case ARAMID_SO_ERROR:
        reply->value = sock->error;
        sock->error = 0;
        break;
    case ARAMID_SO_SNDBUF:
        reply->value = sock->sndbuf;
        break;
    case ARAMID_SO_RCVBUF:
        reply->value = sock->rcvbuf;
        break;
    case ARAMID_SO_PASSCRED:
        reply->value = sock->passcred;
        break;
    case ARAMID_SO_PEERCRED:
        /* Linux gives pid 0 and the overflow ids when there is no peer. */
        reply->value = sock->peer != NULL || sock->state == SOCK_DISCONNECTED ? sock->peer_pid
                                                                              : 0;
        reply->value2 = sock->peer != NULL ? 0 : 65534;
        reply->value3 = sock->peer != NULL ? 0 : 65534;
        break;
    case ARAMID_SO_ACCEPTCONN:
        reply->value = sock->state == SOCK_LISTENING;
        break;
    case ARAMID_SO_PROTOCOL:
        reply->value = 0;
        break;
    case ARAMID_SO_DOMAIN:
        reply->value = ARAMID_AF_UNIX;
        break;
    default:
        reply->result = -ARAMID_ENOPROTOOPT;
    }
}

void sock_do_setsockopt(struct sock_call *call,
                        const struct aramid_sock_setsockopt_request *request,
                        struct aramid_sock_setsockopt_reply *reply)
{
    struct sock *sock = call->sock;
    if (sock == NULL) {
        reply->result = -ARAMID_EBADF;
        return;
    }
    if (request->level != ARAMID_SOL_SOCKET) {
        reply->result = -ARAMID_ENOPROTOOPT;
        return;
    }
    long value = (int)request->value;
    reply->result = 0;
    switch (request->name) {
    case ARAMID_SO_SNDBUF:
    case ARAMID_SO_RCVBUF: {
        /* Linux doubles the value (bookkeeping overhead) within its limits. */
        long limit = SOCK_BUF_DEFAULT;
        if (value > limit)
            value = limit;
        value = value * 2;
        long minimum = request->name == ARAMID_SO_SNDBUF ? 4608 : 2304;
        if (value < minimum)
            value = minimum;
        if (request->name == ARAMID_SO_SNDBUF)
            sock->sndbuf = value;
        else
            sock->rcvbuf = value;
        break;
    }
    case ARAMID_SO_PASSCRED:
        sock->passcred = value != 0;
        sock_ring_publish(sock); /* credentials come with the server's reads only */
        break;
    case ARAMID_SO_TYPE:
    case ARAMID_SO_ERROR:
    case ARAMID_SO_PEERCRED:
    case ARAMID_SO_ACCEPTCONN:
    case ARAMID_SO_PROTOCOL:
    case ARAMID_SO_DOMAIN:
        reply->result = -ARAMID_ENOPROTOOPT;
        break;
    default:
        reply->result = -ARAMID_ENOPROTOOPT;
    }
}

void sock_do_getname(struct sock_call *call, const struct aramid_sock_getname_request *request,
                     struct aramid_sock_getname_reply *reply)
{
    struct sock *sock = call->sock;
    if (sock == NULL) {
        reply->result = -ARAMID_EBADF;
        return;
    }
    const struct sock *named = sock;
    if (request->peer) {
        if (sock->peer == NULL) {
            reply->result = -ARAMID_ENOTCONN;
            return;
        }
        named = sock->peer;
    }
    size_t length = named->name_length ? named->name_length : 2;
    memcpy(call->buffer, named->name, named->name_length);
    call->buffer[0] = ARAMID_AF_UNIX;
    call->buffer[1] = 0;
    call->reply_bytes = length;
    reply->length = (long)length;
    reply->result = 0;
}

void sock_do_take(struct sock_call *call, const struct aramid_sock_take_request *request,
                  struct aramid_sock_take_reply *reply)
{
    struct sock *sock = sock_find((unsigned long)request->id);
    if (sock == NULL || !aramid_holders_has(&sock->holders, (long)call->sender)) {
        reply->result = -ARAMID_EBADF;
        return;
    }
    long handle = sock_mint(sock);
    if (handle < 0) {
        reply->result = handle;
        return;
    }
    call->grant = handle;
    reply->type = sock->type;
    reply->result = 0;
}
