/* posix-shim sockets: AF_UNIX over the sock server; descriptors of the socket backend. */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include <aramid/proto/sock.h>

#include "event.h"
#include "vfs.h"
#include "shim.h"

#define SOCKET_TYPE_MASK 0xf

/* The socket behind fd: -EBADF, -ENOTSOCK. */
static long socket_lookup(int fd, struct fd_file **file, struct event_file **object)
{
    *file = fd_lookup(fd);
    if (*file == NULL)
        return -EBADF;
    *object = event_file_of(*file);
    if (*object == NULL || (*object)->kind != EVENT_FILE_SOCKET)
        return -ENOTSOCK;
    return 0;
}

static int socket_nonblock(const struct fd_file *file, int flags)
{
    return (file->status_flags & O_NONBLOCK) || (flags & MSG_DONTWAIT);
}

/* A server answer -EINTR: restart the call if a signal's handler allows it (SA_RESTART). */
static bool socket_retry(long result, struct signal_watch *watch)
{
    return result == -EINTR && !signal_watch_interrupts(watch, true);
}

/* What one send moves: the bytes (gathered), a destination, SCM_RIGHTS ids. */
struct socket_send {
    const struct iovec *vector;
    size_t count;
    const void *address;
    size_t address_length;
    unsigned long key; /* the socket file a path address names (0: none) */
    unsigned long ids[ARAMID_SOCK_ATTACH_MAX];
    size_t id_count;
};

static void socket_passes_cancel(const struct socket_send *send);

/* Total bytes of an iovec array (copied in once); -EINVAL when it overflows. */
static long socket_total(const struct iovec *vector, size_t count, size_t *total)
{
    *total = 0;
    for (size_t i = 0; i < count; i++) {
        if (vector[i].iov_len > (size_t)SSIZE_MAX - *total)
            return -EINVAL;
        *total += vector[i].iov_len;
    }
    return 0;
}

/* Gathers bytes [offset, offset + length) of the vector into out. */
static long socket_gather(const struct iovec *vector, size_t count, size_t offset, char *out,
                          size_t length)
{
    size_t done = 0;
    for (size_t i = 0; i < count && done < length; i++) {
        if (offset >= vector[i].iov_len) {
            offset -= vector[i].iov_len;
            continue;
        }
        size_t run = vector[i].iov_len - offset;
        if (run > length - done)
            run = length - done;
        long copied = shim_copy_in(out + done, (const char *)vector[i].iov_base + offset, run);
        if (copied < 0)
            return copied;
        done += run;
        offset = 0;
    }
    return (long)done;
}

/* Scatters length bytes into the vector from byte offset on. */
static long socket_scatter(const struct iovec *vector, size_t count, size_t offset,
                           const char *bytes, size_t length)
{
    size_t done = 0;
    for (size_t i = 0; i < count && done < length; i++) {
        if (offset >= vector[i].iov_len) {
            offset -= vector[i].iov_len;
            continue;
        }
        size_t run = vector[i].iov_len - offset;
        if (run > length - done)
            run = length - done;
        long copied = shim_copy_out((char *)vector[i].iov_base + offset, bytes + done, run);
        if (copied < 0)
            return copied;
        done += run;
        offset = 0;
    }
    return (long)done;
}

static long socket_send_core(struct fd_file *file, struct event_file *object,
                             struct socket_send *send, int flags)
{
    size_t total;
    long result = socket_total(send->vector, send->count, &total);
    if (result < 0)
        return result;
    bool stream = object->type == SOCK_STREAM;
    size_t room = ARAMID_IPC_BUFFER_SIZE - send->address_length - 8 * send->id_count;
    if (!stream && total > room)
        return -EMSGSIZE; /* one datagram is one message (docs/sock.md: the limit) */
    size_t sent = 0;
    struct signal_watch watch;
    signal_watch_start(&watch);
    if (stream && send->address_length == 0 && send->id_count == 0 && total != 0) {
        do {
            result = socket_ring_write(file, object, send->vector, send->count, 0, total,
                                       socket_nonblock(file, flags));
        } while (socket_retry(result, &watch));
        if (result < 0)
            return result;
        sent = (size_t)result;
        if (sent == total)
            return (long)sent;
    }
    if ((object->type == SOCK_SEQPACKET || object->type == SOCK_DGRAM) &&
        send->address_length == 0 && send->id_count == 0) {
        /* One message, one record of the peer's ring (the server's queue keeps it so too); a
         * datagram pair has rings only while unbound and each other's peer (docs/sock.md). */
        char bounce[ARAMID_IPC_BUFFER_SIZE];
        result = socket_gather(send->vector, send->count, 0, bounce, total);
        if (result < 0)
            return result;
        bool went;
        do {
            result = socket_ring_write_record(file, object, bounce, total,
                                              socket_nonblock(file, flags), &went);
        } while (socket_retry(result, &watch));
        if (result < 0)
            return result;
        if (went)
            return (long)total;
    }
    char *buffer = (char *)sys_ipc_buffer();
    do {
        size_t chunk = total - sent < room ? total - sent : room;
        size_t head = send->address_length + 8 * send->id_count;
        memcpy(buffer, send->address, send->address_length);
        memcpy(buffer + send->address_length, send->ids, 8 * send->id_count);
        result = socket_gather(send->vector, send->count, sent, buffer + head, chunk);
        if (result < 0)
            break;
        struct aramid_sock_send_request request = {
            .flags = flags & ~MSG_NOSIGNAL,
            .length = (long)chunk,
            .address_length = (long)(send->address_length | send->key << ARAMID_SOCK_KEY_SHIFT),
            .attachments = (long)send->id_count,
            .nonblock = socket_nonblock(file, flags) | socket_ring_request_bits(file, object) |
                        (long)aramid_proc_self.pid << ARAMID_SOCK_PID_SHIFT, /* SCM_CREDENTIALS */
        };
        struct aramid_sock_send_reply reply = {0}; /* an IPC error fills none */
        result = shim_error_from_sys(
            aramid_sock_call_send(file->handle, &request, head + chunk, 0, &reply, NULL));
        if (socket_retry(result, &watch) && sent == 0)
            continue;
        if (reply.ring & ARAMID_SOCK_RING_RENEW)
            socket_ring_renew(object); /* the next data call asks for rings */
        if (result < 0)
            break;
        sent += (size_t)result;
        send->id_count = 0; /* descriptors go with the first bytes only */
        room = ARAMID_IPC_BUFFER_SIZE - send->address_length;
    } while (stream && sent < total);
    if (sent > 0 || (result >= 0 && total == 0))
        return (long)sent; /* a partial stream write reports what went */
    if (result == -EPIPE && !(flags & MSG_NOSIGNAL) && stream)
        (void)signal_send_self(SIGPIPE); /* Linux raises it for streams only (not seqpacket) */
    return result;
}

/* What one recv got besides the bytes. */
struct socket_received {
    unsigned char address[ARAMID_SOCK_ADDRESS_MAX];
    size_t address_length;
    unsigned long ids[ARAMID_SOCK_ATTACH_MAX];
    size_t id_count;
    int msg_flags;
    bool creds; /* the receiver has SO_PASSCRED: the writer's pid (uid, gid 0) */
    long pid;
    bool peeked; /* MSG_PEEK: the message and its descriptors stay queued */
};

/* A datagram from the ring came from the peer, unbound while the ring was in use (no address,
 * as Linux says for an unnamed sender); a bind since retired the rings: ask its name now, as
 * Linux reports the sender's address when the datagram is read. */
static void socket_dgram_sender(struct fd_file *file, struct socket_received *got)
{
    struct aramid_sock_getname_request request = {.peer = 1};
    struct aramid_sock_getname_reply reply;
    long result = shim_error_from_sys(
        aramid_sock_call_getname(file->handle, &request, 0, 0, &reply, NULL));
    if (result < 0 || reply.length <= 2 || reply.length > ARAMID_SOCK_ADDRESS_MAX)
        return;
    memcpy(got->address, (const void *)sys_ipc_buffer(), (size_t)reply.length);
    got->address_length = (size_t)reply.length;
}

static long socket_recv_core(struct fd_file *file, struct event_file *object,
                             const struct iovec *vector, size_t count, int flags,
                             struct socket_received *got)
{
    size_t total;
    long result = socket_total(vector, count, &total);
    if (result < 0)
        return result;
    memset(got, 0, sizeof(*got));
    struct signal_watch watch;
    signal_watch_start(&watch);
    size_t done = 0;
    bool all = (flags & MSG_WAITALL) && object->type == SOCK_STREAM && !(flags & MSG_PEEK);
    unsigned ring_first = 0;
    for (;;) {
        if (object->type == SOCK_STREAM) {
            /* The ring first: its bytes are older than the server's queue. */
            result = socket_ring_read(file, object, vector, count, done, total - done,
                                      (flags & MSG_PEEK) != 0, socket_nonblock(file, flags));
            if (socket_retry(result, &watch) && done == 0)
                continue;
            if (result < 0)
                break;
            if (result > 0) {
                if (!all)
                    return result;
                done += (size_t)result;
                if (done >= total)
                    break;
                continue;
            }
        } else if (object->type == SOCK_SEQPACKET || object->type == SOCK_DGRAM) {
            /* A record in the ring first (older than the server's queue). */
            char bounce[ARAMID_IPC_BUFFER_SIZE];
            size_t full = 0;
            bool came;
            result = socket_ring_read_record(file, object, bounce,
                                             total < sizeof(bounce) ? total : sizeof(bounce),
                                             (flags & MSG_PEEK) != 0,
                                             socket_nonblock(file, flags), &full, &came);
            if (socket_retry(result, &watch))
                continue;
            if (result < 0)
                break;
            if (came) {
                long copied = socket_scatter(vector, count, 0, bounce, (size_t)result);
                if (copied < 0)
                    return copied;
                if (full > (size_t)result)
                    got->msg_flags |= MSG_TRUNC;
                if (object->type == SOCK_DGRAM && socket_ring_rx_slow(object))
                    socket_dgram_sender(file, got); /* the peer may have bound since */
                return (flags & MSG_TRUNC) ? (long)full : result;
            }
        }
        size_t want = total - done;
        if (want > ARAMID_SOCK_DATA_MAX)
            want = ARAMID_SOCK_DATA_MAX;
        struct aramid_sock_recv_request request = {
            .flags = flags & (MSG_PEEK | MSG_TRUNC),
            .length = (long)want,
            .nonblock = socket_nonblock(file, flags) | socket_ring_request_bits(file, object),
        };
        struct aramid_sock_recv_reply reply = {0}; /* an IPC error fills none */
        result = shim_error_from_sys(
            aramid_sock_call_recv(file->handle, &request, 0, 0, &reply, NULL));
        if (reply.msg_flags & ARAMID_SOCK_RING_RENEW)
            socket_ring_renew(object); /* the next data call asks for rings */
        if (socket_retry(result, &watch) && done == 0)
            continue;
        if (result < 0)
            break;
        if (reply.msg_flags & ARAMID_SOCK_RING_FIRST) {
            /* Bytes are waiting in our ring (or came while we slept): read them. Only a
             * scribbler can make the server say so for ever. */
            if (++ring_first > 64) {
                result = -EIO;
                break;
            }
            continue;
        }
        ring_first = 0;
        const unsigned char *buffer = (const unsigned char *)sys_ipc_buffer();
        size_t address_length = (size_t)reply.address_length;
        size_t ids = (size_t)reply.attachments;
        if (address_length > ARAMID_SOCK_ADDRESS_MAX || ids > ARAMID_SOCK_ATTACH_MAX)
            return -EIO;
        if (done == 0) {
            memcpy(got->address, buffer, address_length);
            got->address_length = address_length;
        }
        memcpy(got->ids, buffer + address_length, 8 * ids);
        got->id_count = ids;
        got->peeked = (flags & MSG_PEEK) != 0;
        got->msg_flags |= (int)(reply.msg_flags & (ARAMID_SOCK_RING_RENEW - 1));
        if (reply.msg_flags & ARAMID_SOCK_CREDS) {
            got->creds = true;
            got->pid = reply.msg_flags >> ARAMID_SOCK_PID_SHIFT;
        }
        size_t bytes = (size_t)result < want ? (size_t)result : want;
        long copied = socket_scatter(vector, count, done,
                                     (const char *)buffer + address_length + 8 * ids, bytes);
        if (copied < 0)
            return copied;
        if (!all)
            return result; /* MSG_TRUNC on a datagram: the record's full length */
        done += (size_t)result;
        if (result == 0 || ids != 0 || done >= total)
            break; /* end of stream, or descriptors: the read ends with their record */
    }
    return result < 0 && done == 0 ? result : (long)done;
}

/* A descriptor of an attachment another server holds (a vfs or event pass) or of the console. */
static long socket_carried_in(unsigned long attachment, bool close_on_exec)
{
    if (attachment & ARAMID_SOCK_ATTACH_VFS)
        return vfs_pass_in(attachment & ~ARAMID_SOCK_ATTACH_VFS, close_on_exec);
    if (attachment & ARAMID_SOCK_ATTACH_EVENT)
        return event_pass_in(attachment, close_on_exec);
    /* The console: a new description of the terminal with the sender's status flags. */
    int flags = (int)(attachment & 0xffffffffu) & (O_ACCMODE | O_APPEND | O_NONBLOCK);
    struct fd_file *file = fd_file_create(&console_backend, flags);
    if (file == NULL)
        return -ENFILE;
    file->index = (attachment >> 32) & 1 ? SHIM_CONSOLE_STDERR : SHIM_CONSOLE_STDOUT;
    int descriptor = fd_install(file, 0, close_on_exec);
    fd_file_put(file); /* the descriptor's reference, or the release on failure */
    return descriptor;
}

/* A new descriptor of socket id when this process has a file of it already (the server counts
 * one hold per process: it is shared, as a dup would; Linux gives the one description too);
 * -ENOENT when it has none. */
static long socket_installed(unsigned long id, bool close_on_exec)
{
    for (int fd = 0; fd < fd_table_end(); fd++) {
        struct fd_file *file = fd_lookup(fd);
        struct event_file *object = event_file_of(file);
        if (object != NULL && object->kind == EVENT_FILE_SOCKET && object->id == id)
            return fd_install(file, 0, close_on_exec);
    }
    return -ENOENT;
}

/* A peeked message's passes, which our adopts ended: each pairs the old token with a new pass
 * of the description now installed here; repass puts the new ones in the queued message for
 * the read that takes it (a read that took it meanwhile: the new passes go again). */
struct socket_repass {
    unsigned long pairs[ARAMID_SOCK_ATTACH_MAX][2];
    size_t count;
};

static void socket_repass_add(struct socket_repass *repass, unsigned long old, int fd)
{
    struct fd_file *file = fd_lookup(fd);
    unsigned long token = 0;
    if (file == NULL)
        return;
    if (old & ARAMID_SOCK_ATTACH_VFS) {
        if (vfs_pass_out(file, &token) == 0)
            token |= ARAMID_SOCK_ATTACH_VFS;
    } else if (old & ARAMID_SOCK_ATTACH_EVENT) {
        if (event_pass_out(file, &token) != 0)
            token = 0;
    }
    if (token == 0)
        return; /* the console's needs none; a failed pass: the read gets none (EBADF) */
    repass->pairs[repass->count][0] = old;
    repass->pairs[repass->count][1] = token;
    repass->count++;
}

static void socket_repass_send(struct fd_file *channel, struct socket_repass *repass)
{
    if (repass->count == 0)
        return;
    memcpy((void *)sys_ipc_buffer(), repass->pairs, 16 * repass->count);
    struct aramid_sock_repass_request request = {.count = (long)repass->count};
    struct aramid_sock_repass_reply reply;
    if (shim_error_from_sys(aramid_sock_call_repass(channel->handle, &request,
                                                    16 * repass->count, 0, &reply, NULL)) == 0)
        return;
    struct socket_send dropped = {.id_count = repass->count};
    for (size_t i = 0; i < repass->count; i++)
        dropped.ids[i] = repass->pairs[i][1];
    socket_passes_cancel(&dropped);
}

/* Descriptors received with a message: each becomes a new descriptor (cloexec on request).
 * Returns how many fit in out (the rest are closed, as Linux does with MSG_CTRUNC). A peek
 * installs them too (new descriptors each time, as Linux's unix_peek_fds): passes that do not
 * fit stay unadopted, the adopted ones are replaced in the message (socket_repass). */
static size_t socket_take(struct fd_file *channel, const struct socket_received *got, int *out,
                          size_t room, bool close_on_exec, int *msg_flags)
{
    size_t installed = 0;
    struct socket_repass repass = {.count = 0};
    for (size_t i = 0; i < got->id_count; i++) {
        if (got->ids[i] & ARAMID_SOCK_ATTACH_CARRIED) {
            if (got->peeked && installed >= room) {
                *msg_flags |= MSG_CTRUNC; /* left for the read */
                continue;
            }
            long fd = socket_carried_in(got->ids[i], close_on_exec);
            if (fd >= 0 && got->peeked)
                socket_repass_add(&repass, got->ids[i], (int)fd);
            if (fd >= 0 && installed < room) {
                out[installed++] = (int)fd;
            } else if (fd >= 0) {
                (void)fd_close((int)fd);
                *msg_flags |= MSG_CTRUNC;
            }
            continue;
        }
        long fd = socket_installed(got->ids[i], close_on_exec);
        if (fd == -ENOENT) {
            struct aramid_sock_take_request request = {.id = (long)got->ids[i]};
            struct aramid_sock_take_reply reply;
            aramid_handle_t handle = 0;
            long result = shim_error_from_sys(aramid_sock_call_take(
                aramid_proc_self.sock, &request, 0, 0, &reply, &handle));
            if (result < 0 || handle <= 0)
                continue;
            fd = event_file_install(&socket_backend, EVENT_FILE_SOCKET, handle, got->ids[i], 0,
                                    (int)reply.type, O_RDWR, close_on_exec);
        }
        if (fd < 0)
            continue;
        if (installed < room) {
            out[installed++] = (int)fd;
        } else {
            (void)fd_close((int)fd);
            *msg_flags |= MSG_CTRUNC;
        }
    }
    socket_repass_send(channel, &repass);
    return installed;
}

/* Descriptors a received message brought but the caller gave no room for: closed. */
static void socket_drop_taken(struct fd_file *channel, const struct socket_received *got)
{
    int flags = 0;
    (void)socket_take(channel, got, NULL, 0, false, &flags);
}

static long socket_file_read(struct fd_file *file, void *buffer, size_t length)
{
    struct event_file *object = event_file_of(file);
    struct iovec vector = {buffer, length};
    struct socket_received got;
    long result = socket_recv_core(file, object, &vector, 1, 0, &got);
    if (got.id_count != 0)
        socket_drop_taken(file, &got);
    return result;
}

static long socket_file_write(struct fd_file *file, const void *buffer, size_t length)
{
    struct event_file *object = event_file_of(file);
    struct iovec vector = {(void *)buffer, length};
    struct socket_send send = {.vector = &vector, .count = 1};
    return socket_send_core(file, object, &send, 0);
}

static long socket_stat(struct fd_file *file, struct stat *status)
{
    (void)file;
    memset(status, 0, sizeof(*status));
    status->st_mode = S_IFSOCK | S_IRWXU | S_IRWXG | S_IRWXO;
    status->st_blksize = 4096;
    return 0;
}

static void socket_release(struct fd_file *file)
{
    socket_ring_forget(event_file_of(file));
    event_file_release(file, true);
}

const struct fd_backend socket_backend = {
    .name = "socket",
    .read = socket_file_read,
    .write = socket_file_write,
    .stat = socket_stat,
    .release = socket_release,
    .event_data = 1,
};

/* type's flag bits: -EINVAL for unknown ones. */
static long socket_flags(int type, int *base, int *status_flags, int *close_on_exec)
{
    int flags = type & ~SOCKET_TYPE_MASK;
    if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
        return -EINVAL;
    *base = type & SOCKET_TYPE_MASK;
    *status_flags = O_RDWR | ((flags & SOCK_NONBLOCK) ? O_NONBLOCK : 0);
    *close_on_exec = (flags & SOCK_CLOEXEC) != 0;
    return 0;
}

int socket(int domain, int type, int protocol)
{
    if (aramid_proc_self.sock <= 0)
        return (int)shim_return(domain == AF_UNIX ? -ENOSYS : -EAFNOSUPPORT);
    int base, status_flags, close_on_exec;
    long result = socket_flags(type, &base, &status_flags, &close_on_exec);
    if (result < 0)
        return (int)shim_return(result);
    struct aramid_sock_socket_request request = {
        .domain = domain, .type = base, .protocol = protocol, .pid = aramid_proc_self.pid};
    struct aramid_sock_socket_reply reply;
    aramid_handle_t handle = 0;
    result = shim_error_from_sys(
        aramid_sock_call_socket(aramid_proc_self.sock, &request, 0, 0, &reply, &handle));
    if (result < 0)
        return (int)shim_return(result);
    return (int)shim_return(event_file_install(&socket_backend, EVENT_FILE_SOCKET, handle,
                                               (unsigned long)reply.id, 0, base, status_flags,
                                               close_on_exec));
}

int socketpair(int domain, int type, int protocol, int fds[2])
{
    if (aramid_proc_self.sock <= 0)
        return (int)shim_return(domain == AF_UNIX ? -ENOSYS : -EAFNOSUPPORT);
    int base, status_flags, close_on_exec;
    long result = socket_flags(type, &base, &status_flags, &close_on_exec);
    if (result < 0)
        return (int)shim_return(result);
    struct aramid_sock_socketpair_request request = {
        .domain = domain, .type = base, .protocol = protocol, .pid = aramid_proc_self.pid};
    struct aramid_sock_socketpair_reply reply;
    aramid_handle_t first = 0, second = 0;
    result = shim_error_from_sys(
        aramid_sock_call_socketpair(aramid_proc_self.sock, &request, 0, 0, &reply, &first));
    if (result < 0)
        return (int)shim_return(result);
    struct aramid_sock_claim_request claim = {.claim = reply.claim};
    struct aramid_sock_claim_reply claimed;
    long fd0 = event_file_install(&socket_backend, EVENT_FILE_SOCKET, first,
                                  (unsigned long)reply.id, 0, base, status_flags, close_on_exec);
    result = shim_error_from_sys(
        aramid_sock_call_claim(aramid_proc_self.sock, &claim, 0, 0, &claimed, &second));
    long fd1 = result < 0 ? result
                          : event_file_install(&socket_backend, EVENT_FILE_SOCKET, second,
                                               (unsigned long)reply.id2, 0, base, status_flags,
                                               close_on_exec);
    int pair[2] = {(int)fd0, (int)fd1};
    long copied = fd0 >= 0 && fd1 >= 0 ? shim_copy_out(fds, pair, sizeof(pair)) : 0;
    if (fd0 < 0 || fd1 < 0 || copied < 0) {
        if (fd0 >= 0)
            (void)fd_close((int)fd0);
        if (fd1 >= 0)
            (void)fd_close((int)fd1);
        return (int)shim_return(fd0 < 0 ? fd0 : fd1 < 0 ? fd1 : copied);
    }
    return 0;
}

/* Copies a user sockaddr into the IPC buffer: its length or -errno (Linux: EINVAL, EFAULT). */
static long socket_address_in(const struct sockaddr *address, socklen_t length)
{
    if ((int)length < 0 || length > sizeof(struct sockaddr_storage))
        return -EINVAL;
    if (length > ARAMID_SOCK_ADDRESS_MAX)
        length = ARAMID_SOCK_ADDRESS_MAX; /* the rest of a sockaddr_storage is padding */
    long copied = shim_copy_in((void *)sys_ipc_buffer(), address, length);
    return copied < 0 ? copied : (long)length;
}

/* Writes an address back as Linux does: at most *length bytes, *length = the full length. */
static long socket_address_out(struct sockaddr *address, socklen_t *length,
                               const void *bytes, size_t full)
{
    if (address == NULL || length == NULL)
        return 0;
    socklen_t room;
    long copied = shim_copy_in(&room, length, sizeof(room));
    if (copied < 0)
        return copied;
    if ((int)room < 0)
        return -EINVAL;
    copied = shim_copy_out(address, bytes, room < full ? room : full);
    if (copied < 0)
        return copied;
    socklen_t written = (socklen_t)full;
    return shim_copy_out(length, &written, sizeof(written));
}

/*
 * Socket files (docs/sock.md): a path address names a socket file in the vfs, and the sock
 * server finds the socket by the file's inode (the key). bind makes the file first (it exists:
 * EADDRINUSE, as Linux's unix_bind_bsd), connect and sendto resolve it (ENOENT and the like;
 * a file that is not a socket: ECONNREFUSED). *key stays 0 for other addresses or without a
 * vfs (the server's own table then). Uses the IPC buffer: call it before filling that.
 */
static long socket_file_key(const unsigned char *address, size_t length, bool create,
                            unsigned long *key)
{
    *key = 0;
    if (!vfs_available() || length <= offsetof(struct sockaddr_un, sun_path) ||
        ((const struct sockaddr_un *)(const void *)address)->sun_family != AF_UNIX ||
        address[offsetof(struct sockaddr_un, sun_path)] == 0)
        return 0;
    char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
    size_t bytes = length - offsetof(struct sockaddr_un, sun_path);
    if (bytes > sizeof(path) - 1)
        bytes = sizeof(path) - 1;
    memcpy(path, address + offsetof(struct sockaddr_un, sun_path), bytes);
    path[bytes] = 0; /* Linux ends sun_path where the length does */
    if (create) {
        int saved = errno;
        int made = mknod(path, S_IFSOCK | 0777, 0); /* the umask applies, as on Linux */
        long error = made == 0 ? 0 : errno == EEXIST ? -EADDRINUSE : -errno;
        errno = saved;
        if (error < 0)
            return error;
    }
    struct stat status;
    long result = vfs_stat_at(AT_FDCWD, path, 0, &status);
    if (result < 0)
        return result;
    if (!S_ISSOCK(status.st_mode))
        return -ECONNREFUSED;
    *key = (unsigned long)status.st_ino;
    return 0;
}

/* Undoes a bind's socket file when the server refused the bind (Linux unlinks it too). */
static void socket_file_drop(const unsigned char *address, size_t length)
{
    char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
    size_t bytes = length - offsetof(struct sockaddr_un, sun_path);
    if (bytes > sizeof(path) - 1)
        bytes = sizeof(path) - 1;
    memcpy(path, address + offsetof(struct sockaddr_un, sun_path), bytes);
    path[bytes] = 0;
    int saved = errno;
    (void)unlink(path);
    errno = saved;
}

/* A user address copied (socket_address_in's rules) into copy, and its socket file's key. */
static long socket_address_key(const struct sockaddr *address, socklen_t length, bool create,
                               unsigned char copy[ARAMID_SOCK_ADDRESS_MAX], unsigned long *key)
{
    long result = socket_address_in(address, length);
    if (result < 0)
        return result;
    memcpy(copy, (const void *)sys_ipc_buffer(), (size_t)result);
    long found = socket_file_key(copy, (size_t)result, create, key);
    if (found < 0)
        return found;
    memcpy((void *)sys_ipc_buffer(), copy, (size_t)result);
    return result;
}

int bind(int fd, const struct sockaddr *address, socklen_t length)
{
    struct fd_file *file;
    struct event_file *object;
    unsigned char copy[ARAMID_SOCK_ADDRESS_MAX];
    unsigned long key = 0;
    long result = socket_lookup(fd, &file, &object);
    if (result == 0)
        result = socket_address_key(address, length, true, copy, &key);
    if (result < 0)
        return (int)shim_return(result);
    size_t bytes = (size_t)result;
    struct aramid_sock_bind_request request = {.length = result, .key = (long)key};
    struct aramid_sock_bind_reply reply;
    result = shim_error_from_sys(
        aramid_sock_call_bind(file->handle, &request, bytes, 0, &reply, NULL));
    if (result < 0 && key != 0)
        socket_file_drop(copy, bytes);
    return (int)shim_return(result);
}

int connect(int fd, const struct sockaddr *address, socklen_t length)
{
    shim_cancel_point();
    struct fd_file *file;
    struct event_file *object;
    unsigned char copy[ARAMID_SOCK_ADDRESS_MAX];
    unsigned long key = 0;
    long result = socket_lookup(fd, &file, &object);
    if (result == 0)
        result = socket_address_key(address, length, false, copy, &key);
    if (result < 0)
        return (int)shim_return(result);
    struct aramid_sock_connect_request request = {.length = result,
                                                  .nonblock = socket_nonblock(file, 0),
                                                  .pid = aramid_proc_self.pid,
                                                  .key = (long)key};
    struct aramid_sock_connect_reply reply;
    size_t bytes = (size_t)result;
    struct signal_watch watch;
    signal_watch_start(&watch);
    do {
        result = shim_error_from_sys(
            aramid_sock_call_connect(file->handle, &request, bytes, 0, &reply, NULL));
        if (result == -EINTR)
            memcpy((void *)sys_ipc_buffer(), copy, bytes); /* the buffer may have been reused */
    } while (socket_retry(result, &watch));
    return (int)shim_return(result);
}

int listen(int fd, int backlog)
{
    struct fd_file *file;
    struct event_file *object;
    long result = socket_lookup(fd, &file, &object);
    if (result < 0)
        return (int)shim_return(result);
    struct aramid_sock_listen_request request = {.backlog = backlog};
    struct aramid_sock_listen_reply reply;
    return (int)shim_return(shim_error_from_sys(
        aramid_sock_call_listen(file->handle, &request, 0, 0, &reply, NULL)));
}

int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags)
{
    shim_cancel_point();
    struct fd_file *file;
    struct event_file *object;
    long result = socket_lookup(fd, &file, &object);
    if (result < 0)
        return (int)shim_return(result);
    if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
        return (int)shim_return(-EINVAL);
    struct aramid_sock_accept_request request = {.nonblock = socket_nonblock(file, 0),
                                                 .pid = aramid_proc_self.pid};
    struct aramid_sock_accept_reply reply;
    aramid_handle_t handle = 0;
    struct signal_watch watch;
    signal_watch_start(&watch);
    do {
        result = shim_error_from_sys(
            aramid_sock_call_accept(file->handle, &request, 0, 0, &reply, &handle));
    } while (socket_retry(result, &watch));
    if (result < 0)
        return (int)shim_return(result);
    size_t name_length = (size_t)reply.address_length;
    unsigned char name[ARAMID_SOCK_ADDRESS_MAX];
    if (name_length > sizeof(name))
        name_length = sizeof(name);
    memcpy(name, (const void *)sys_ipc_buffer(), name_length);
    long accepted = event_file_install(
        &socket_backend, EVENT_FILE_SOCKET, handle, (unsigned long)reply.id, 0, object->type,
        O_RDWR | ((flags & SOCK_NONBLOCK) ? O_NONBLOCK : 0), (flags & SOCK_CLOEXEC) != 0);
    if (accepted < 0)
        return (int)shim_return(accepted);
    result = socket_address_out(address, length, name, name_length);
    if (result < 0) {
        (void)fd_close((int)accepted);
        return (int)shim_return(result);
    }
    return (int)accepted;
}

int accept(int fd, struct sockaddr *address, socklen_t *length)
{
    return accept4(fd, address, length, 0);
}

int shutdown(int fd, int how)
{
    struct fd_file *file;
    struct event_file *object;
    long result = socket_lookup(fd, &file, &object);
    if (result < 0)
        return (int)shim_return(result);
    struct aramid_sock_shutdown_request request = {.how = how};
    struct aramid_sock_shutdown_reply reply;
    return (int)shim_return(shim_error_from_sys(
        aramid_sock_call_shutdown(file->handle, &request, 0, 0, &reply, NULL)));
}

/* A send that did not go: the vfs descriptions it was to carry are let go again. */
static void socket_passes_cancel(const struct socket_send *send)
{
    for (size_t i = 0; i < send->id_count; i++) {
        if (send->ids[i] & ARAMID_SOCK_ATTACH_VFS)
            vfs_pass_cancel(send->ids[i] & ~ARAMID_SOCK_ATTACH_VFS);
        else if (send->ids[i] & ARAMID_SOCK_ATTACH_EVENT)
            event_pass_cancel(send->ids[i]);
    }
}

/* Parses msg_control for SCM_RIGHTS into send->ids (socket descriptors). Linux's errors:
 * -EINVAL for a malformed header or an unknown SOL_SOCKET type, -EBADF for a bad descriptor. */
static long socket_control_in(const struct msghdr *message, struct socket_send *send)
{
    if (message->msg_controllen == 0)
        return 0;
    if (message->msg_controllen > 65536)
        return -ENOBUFS;
    unsigned char *control = malloc(message->msg_controllen);
    if (control == NULL)
        return -ENOMEM;
    long result = shim_copy_in(control, message->msg_control, message->msg_controllen);
    size_t offset = 0;
    while (result >= 0 && message->msg_controllen - offset >= sizeof(struct cmsghdr)) {
        struct cmsghdr header;
        memcpy(&header, control + offset, sizeof(header));
        if (header.cmsg_len < sizeof(header) ||
            header.cmsg_len > message->msg_controllen - offset) {
            result = -EINVAL;
            break;
        }
        if (header.cmsg_level == SOL_SOCKET) {
            if (header.cmsg_type == SCM_RIGHTS) {
                size_t count = (header.cmsg_len - sizeof(header)) / sizeof(int);
                for (size_t i = 0; i < count && result >= 0; i++) {
                    int fd;
                    memcpy(&fd, control + offset + sizeof(header) + i * sizeof(int), sizeof(fd));
                    struct fd_file *file = fd_lookup(fd);
                    struct event_file *object = event_file_of(file);
                    unsigned long token = 0;
                    if (file == NULL)
                        result = -EBADF;
                    else if (send->id_count == ARAMID_SOCK_ATTACH_MAX)
                        result = -EINVAL;
                    else if (object != NULL && object->kind == EVENT_FILE_SOCKET) {
                        socket_ring_leave(object); /* it gets another holder */
                        send->ids[send->id_count++] = object->id;
                    }
                    else if (file->backend == &console_backend)
                        send->ids[send->id_count++] =
                            ARAMID_SOCK_ATTACH_CONSOLE | (file->index << 32) |
                            (unsigned)file->status_flags;
                    else if (file->backend == &eventfd_backend ||
                             file->backend == &epoll_backend) {
                        if ((result = event_pass_out(file, &token)) == 0)
                            send->ids[send->id_count++] = token;
                    } else if ((result = vfs_pass_out(file, &token)) == 0)
                        send->ids[send->id_count++] = ARAMID_SOCK_ATTACH_VFS | token;
                }
            } else if (header.cmsg_type != SCM_CREDENTIALS) {
                result = -EINVAL;
            }
        }
        offset += CMSG_ALIGN(header.cmsg_len);
        if (offset > message->msg_controllen)
            break;
    }
    free(control);
    if (result < 0)
        socket_passes_cancel(send);
    return result;
}

ssize_t sendmsg(int fd, const struct msghdr *user, int flags)
{
    shim_cancel_point();
    struct fd_file *file;
    struct event_file *object;
    long result = socket_lookup(fd, &file, &object);
    struct msghdr message;
    if (result == 0)
        result = shim_copy_in(&message, user, sizeof(message));
    if (result < 0)
        return (ssize_t)shim_return(result);
    if (message.msg_iovlen > UIO_MAXIOV)
        return (ssize_t)shim_return(-EMSGSIZE);
    struct iovec *vector = message.msg_iovlen ? malloc(message.msg_iovlen * sizeof(*vector))
                                              : NULL;
    if (message.msg_iovlen && vector == NULL)
        return (ssize_t)shim_return(-ENOMEM);
    result = shim_copy_in(vector, message.msg_iov, message.msg_iovlen * sizeof(*vector));
    unsigned char address[ARAMID_SOCK_ADDRESS_MAX];
    struct socket_send send = {.vector = vector, .count = message.msg_iovlen};
    if (result >= 0 && message.msg_name != NULL && message.msg_namelen != 0) {
        if (message.msg_namelen > sizeof(struct sockaddr_storage))
            result = -EINVAL;
        else {
            size_t length = message.msg_namelen < sizeof(address) ? message.msg_namelen
                                                                  : sizeof(address);
            result = shim_copy_in(address, message.msg_name, length);
            send.address = address;
            send.address_length = length;
            /* A datagram to a path goes to its socket file's socket (stream and seqpacket
             * sockets ignore or refuse the address in the server, as on Linux). */
            if (result >= 0 && object->type == SOCK_DGRAM)
                result = socket_file_key(address, length, false, &send.key);
        }
    }
    if (result >= 0)
        result = socket_control_in(&message, &send);
    if (result >= 0) {
        result = socket_send_core(file, object, &send, flags);
        if (result < 0)
            socket_passes_cancel(&send);
    }
    free(vector);
    return (ssize_t)shim_return(result);
}

ssize_t sendto(int fd, const void *buffer, size_t length, int flags, const struct sockaddr *address,
               socklen_t address_length)
{
    shim_cancel_point();
    struct iovec vector = {(void *)buffer, length};
    struct msghdr message = {.msg_name = (void *)address,
                             .msg_namelen = address != NULL ? address_length : 0,
                             .msg_iov = &vector,
                             .msg_iovlen = 1};
    return sendmsg(fd, &message, flags);
}

ssize_t send(int fd, const void *buffer, size_t length, int flags)
{
    return sendto(fd, buffer, length, flags, NULL, 0);
}

ssize_t recvmsg(int fd, struct msghdr *user, int flags)
{
    shim_cancel_point();
    struct fd_file *file;
    struct event_file *object;
    long result = socket_lookup(fd, &file, &object);
    struct msghdr message;
    if (result == 0)
        result = shim_copy_in(&message, user, sizeof(message));
    if (result < 0)
        return (ssize_t)shim_return(result);
    if (message.msg_iovlen > UIO_MAXIOV)
        return (ssize_t)shim_return(-EMSGSIZE);
    struct iovec *vector = message.msg_iovlen ? malloc(message.msg_iovlen * sizeof(*vector))
                                              : NULL;
    if (message.msg_iovlen && vector == NULL)
        return (ssize_t)shim_return(-ENOMEM);
    result = shim_copy_in(vector, message.msg_iov, message.msg_iovlen * sizeof(*vector));
    static struct socket_received got;
    if (result >= 0)
        result = socket_recv_core(file, object, vector, message.msg_iovlen, flags, &got);
    free(vector);
    if (result < 0)
        return (ssize_t)shim_return(result);
    int msg_flags = got.msg_flags;
    size_t control_used = 0;
    if (got.creds) {
        /* SO_PASSCRED: the credentials come first, as Linux's scm_recv puts them. */
        struct ucred creds = {.pid = (pid_t)got.pid, .uid = 0, .gid = 0};
        unsigned char control[CMSG_SPACE(sizeof(creds))];
        struct cmsghdr header = {.cmsg_len = CMSG_LEN(sizeof(creds)),
                                 .cmsg_level = SOL_SOCKET,
                                 .cmsg_type = SCM_CREDENTIALS};
        memset(control, 0, sizeof(control));
        memcpy(control, &header, sizeof(header));
        memcpy(CMSG_DATA((struct cmsghdr *)control), &creds, sizeof(creds));
        if (message.msg_controllen < CMSG_SPACE(sizeof(creds))) {
            msg_flags |= MSG_CTRUNC;
        } else {
            long copied = shim_copy_out(message.msg_control, control, sizeof(control));
            if (copied < 0)
                return (ssize_t)shim_return(copied);
            control_used = sizeof(control);
        }
    }
    if (got.id_count != 0) {
        size_t left = message.msg_controllen - control_used;
        size_t room = left >= CMSG_LEN(0) ? (left - CMSG_LEN(0)) / sizeof(int) : 0;
        int fds[ARAMID_SOCK_ATTACH_MAX];
        size_t count = socket_take(file, &got, fds, room, (flags & MSG_CMSG_CLOEXEC) != 0,
                                   &msg_flags);
        if (count > 0) {
            unsigned char control[CMSG_SPACE(sizeof(fds))];
            struct cmsghdr header = {.cmsg_len = CMSG_LEN(count * sizeof(int)),
                                     .cmsg_level = SOL_SOCKET,
                                     .cmsg_type = SCM_RIGHTS};
            memcpy(control, &header, sizeof(header));
            memcpy(CMSG_DATA((struct cmsghdr *)control), fds, count * sizeof(int));
            long copied = shim_copy_out((char *)message.msg_control + control_used, control,
                                        header.cmsg_len);
            if (copied < 0)
                return (ssize_t)shim_return(copied);
            control_used += header.cmsg_len;
        }
    }
    message.msg_controllen = control_used;
    message.msg_flags = msg_flags;
    if (message.msg_name != NULL) {
        size_t room = message.msg_namelen;
        long copied = shim_copy_out(message.msg_name, got.address,
                                    room < got.address_length ? room : got.address_length);
        if (copied < 0)
            return (ssize_t)shim_return(copied);
        message.msg_namelen = (socklen_t)got.address_length;
    }
    long copied = shim_copy_out(user, &message, sizeof(message));
    return (ssize_t)shim_return(copied < 0 ? copied : result);
}

ssize_t recvfrom(int fd, void *buffer, size_t length, int flags, struct sockaddr *address,
                 socklen_t *address_length)
{
    shim_cancel_point();
    struct fd_file *file;
    struct event_file *object;
    long result = socket_lookup(fd, &file, &object);
    if (result < 0)
        return (ssize_t)shim_return(result);
    struct iovec vector = {buffer, length};
    static struct socket_received got;
    result = socket_recv_core(file, object, &vector, 1, flags, &got);
    if (result < 0)
        return (ssize_t)shim_return(result);
    if (got.id_count != 0)
        socket_drop_taken(file, &got);
    long stored = socket_address_out(address, address_length, got.address, got.address_length);
    return (ssize_t)shim_return(stored < 0 ? stored : result);
}

ssize_t recv(int fd, void *buffer, size_t length, int flags)
{
    return recvfrom(fd, buffer, length, flags, NULL, NULL);
}

int getsockopt(int fd, int level, int name, void *value, socklen_t *length)
{
    struct fd_file *file;
    struct event_file *object;
    long result = socket_lookup(fd, &file, &object);
    socklen_t room = 0;
    if (result == 0)
        result = shim_copy_in(&room, length, sizeof(room));
    if (result < 0)
        return (int)shim_return(result);
    if ((int)room < 0)
        return (int)shim_return(-EINVAL);
    struct aramid_sock_getsockopt_request request = {.level = level, .name = name};
    struct aramid_sock_getsockopt_reply reply;
    result = shim_error_from_sys(
        aramid_sock_call_getsockopt(file->handle, &request, 0, 0, &reply, NULL));
    if (result < 0)
        return (int)shim_return(result);
    if (name == SO_PEERCRED) {
        struct ucred credentials = {(pid_t)reply.value, (uint32_t)reply.value2,
                                    (uint32_t)reply.value3};
        size_t full = sizeof(credentials);
        result = shim_copy_out(value, &credentials, room < full ? room : full);
        socklen_t written = room < full ? room : (socklen_t)full;
        if (result >= 0)
            result = shim_copy_out(length, &written, sizeof(written));
    } else {
        int word = (int)reply.value;
        socklen_t written = room < sizeof(word) ? room : (socklen_t)sizeof(word);
        result = shim_copy_out(value, &word, written);
        if (result >= 0)
            result = shim_copy_out(length, &written, sizeof(written));
    }
    return (int)shim_return(result < 0 ? result : 0);
}

int setsockopt(int fd, int level, int name, const void *value, socklen_t length)
{
    struct fd_file *file;
    struct event_file *object;
    long result = socket_lookup(fd, &file, &object);
    if (result < 0)
        return (int)shim_return(result);
    int word = 0;
    if (level == SOL_SOCKET) {
        if (length < sizeof(int))
            return (int)shim_return(-EINVAL);
        result = shim_copy_in(&word, value, sizeof(word));
        if (result < 0)
            return (int)shim_return(result);
    }
    if (level == SOL_SOCKET && name == SO_PASSCRED && word != 0)
        socket_ring_leave(object); /* credentials come with the server's reads */
    struct aramid_sock_setsockopt_request request = {.level = level, .name = name, .value = word};
    struct aramid_sock_setsockopt_reply reply;
    return (int)shim_return(shim_error_from_sys(
        aramid_sock_call_setsockopt(file->handle, &request, 0, 0, &reply, NULL)));
}

static int socket_name(int fd, struct sockaddr *address, socklen_t *length, int peer)
{
    struct fd_file *file;
    struct event_file *object;
    long result = socket_lookup(fd, &file, &object);
    if (result < 0)
        return (int)shim_return(result);
    struct aramid_sock_getname_request request = {.peer = peer};
    struct aramid_sock_getname_reply reply;
    result = shim_error_from_sys(
        aramid_sock_call_getname(file->handle, &request, 0, 0, &reply, NULL));
    if (result < 0)
        return (int)shim_return(result);
    size_t full = (size_t)reply.length <= ARAMID_SOCK_ADDRESS_MAX ? (size_t)reply.length : 2;
    if (address == NULL || length == NULL)
        return (int)shim_return(-EFAULT);
    return (int)shim_return(
        socket_address_out(address, length, (const void *)sys_ipc_buffer(), full));
}

int getsockname(int fd, struct sockaddr *address, socklen_t *length)
{
    return socket_name(fd, address, length, 0);
}

int getpeername(int fd, struct sockaddr *address, socklen_t *length)
{
    return socket_name(fd, address, length, 1);
}
