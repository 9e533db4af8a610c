/* posix-shim eventfd: descriptors over the event server's counters (8-byte reads and writes). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <aramid/proto/event.h>
#include <aramid/proto/sock.h>

#include "event.h"
#include "ipc_client.h"
#include "shim.h"
#include "vfs.h"

/* Handles this process holds for event and sock objects: past EVENT_HANDLES_SOFT, new eventfds
 * are named (no handle of their own), so that 10,000 of them fit a table of 1,024 handles. */
#define EVENT_HANDLES_SOFT 512
static unsigned event_handles_held;

/* An eventfd or epoll call NAME for file: through its handle, or named on the plain endpoint. */
#define EVENT_FILE_CALL(file, name, request, reply)                                                \
    ((file)->handle > 0                                                                            \
         ? aramid_event_call_##name((file)->handle, (request), 0, 0, (reply), NULL)                \
         : aramid_event_call_named(ARAMID_EVENT_##name, event_file_of(file)->id,                   \
                                   event_file_of(file)->cookie, (request), sizeof(*(request)),     \
                                   &(reply)->result, sizeof(*(reply))))

struct event_file *event_file_of(const struct fd_file *file)
{
    /* A vfs description's or the terminal's is made when first polled (else NULL). */
    if (file == NULL || !file->backend->event_data)
        return NULL;
    return (struct event_file *)file->data;
}

struct event_file *event_file_pollable(struct fd_file *file)
{
    struct event_file *object = event_file_of(file);
    if (object != NULL || file == NULL)
        return object;
    /* A pipe or FIFO end, or the terminal (the vfs's description 0: file->handle is 0). */
    bool pipe = file->backend == &vfs_backend && file->index == ARAMID_VFS_KIND_PIPE;
    bool terminal = file->backend == &console_backend && vfs_available();
    if (!pipe && !terminal)
        return NULL;
    object = calloc(1, sizeof(*object));
    if (object != NULL) {
        *object = (struct event_file){.kind = EVENT_FILE_VFS, .poll_slot = -1};
        file->data = object;
    }
    return object;
}

void event_file_forget(struct fd_file *file)
{
    if (file->data == NULL)
        return;
    poll_forget(file);
    pipe_ring_forget((struct event_file *)file->data);
    free((void *)file->data);
    file->data = NULL;
}

/* A new description of backend for handle (one reference, not installed), or NULL with
 * *error set and the handle closed. */
static struct fd_file *event_file_create(const struct fd_backend *backend,
                                         enum event_file_kind kind, long handle,
                                         unsigned long id, unsigned long cookie, int type,
                                         int status_flags, long *error)
{
    struct event_file *data = calloc(1, sizeof(*data));
    struct fd_file *file = data != NULL ? fd_file_create(backend, status_flags) : NULL;
    if (file == NULL) {
        free(data);
        if (handle > 0)
            (void)sys_handle_close(handle);
        *error = data == NULL ? -ENOMEM : -ENFILE;
        return NULL;
    }
    *data = (struct event_file){.kind = kind, .type = type, .id = id, .cookie = cookie,
                                .poll_slot = -1};
    file->handle = handle;
    if (handle > 0)
        event_handles_held++;
    file->data = data;
    return file;
}

long event_file_install(const struct fd_backend *backend, enum event_file_kind kind,
                        long handle, unsigned long id, unsigned long cookie, int type,
                        int status_flags, int close_on_exec)
{
    long error = 0;
    struct fd_file *file =
        event_file_create(backend, kind, handle, id, cookie, type, status_flags, &error);
    if (file == NULL)
        return error;
    int descriptor = fd_install(file, 0, close_on_exec);
    fd_file_put(file); /* the descriptor holds it now, or it is released (and closed) */
    return descriptor;
}

void event_file_map(struct fd_file *file)
{
    struct event_file *object = event_file_of(file);
    struct aramid_event_map_request request;
    struct aramid_event_map_reply reply;
    aramid_handle_t memory = 0;
    if (aramid_event_call_map(file->handle, &request, 0, 0, &reply, &memory) < 0 || memory <= 0)
        return;
    long address = aramid_memory_map(shim_self_space, SHIM_PAGE_SIZE,
                                     ARAMID_PROT_READ | ARAMID_PROT_WRITE, memory, 0);
    (void)sys_handle_close(memory); /* the mapping keeps the page */
    if (address > 0)
        object->shared = (struct aramid_event_shared *)address;
}

void event_file_release(struct fd_file *file, bool socket)
{
    poll_forget(file);
    if (socket) {
        struct aramid_sock_close_request request;
        struct aramid_sock_close_reply reply;
        (void)aramid_sock_call_close(file->handle, &request, 0, 0, &reply, NULL);
    } else {
        struct aramid_event_close_request request;
        struct aramid_event_close_reply reply;
        (void)EVENT_FILE_CALL(file, close, &request, &reply);
    }
    if (file->handle > 0) {
        (void)sys_handle_close(file->handle);
        event_handles_held--;
    }
    struct event_file *object = event_file_of(file);
    if (object->shared != NULL)
        (void)sys_vm_unmap(shim_self_space, (unsigned long)object->shared, SHIM_PAGE_SIZE);
    free((void *)file->data);
    file->data = NULL;
}

static int eventfd_nonblock(const struct fd_file *file)
{
    return (file->status_flags & O_NONBLOCK) != 0;
}

/* A blocking call the server kept: a signal's cancel gives -EINTR; restarted under SA_RESTART
 * (Linux restarts eventfd reads and writes). */
/* Tells the server the counter moved while it had said it wants to know (flags set). */
static void eventfd_sync(struct fd_file *file)
{
    struct aramid_event_sync_request request;
    struct aramid_event_sync_reply reply;
    (void)EVENT_FILE_CALL(file, sync, &request, &reply);
}

/*
 * The fast paths (aramid/proto/event.h): with the server's flags clear, take or add with a
 * compare-and-swap on the shared counter, then read the flags again after a full barrier and
 * send sync if the server started to care meanwhile. Returns 1 when done, 0 to go to the
 * server (nothing to take, no room, or the server wants every change).
 */
static int eventfd_fast(struct fd_file *file, uint64_t add, uint64_t *taken)
{
    struct event_file *object = event_file_of(file);
    struct aramid_event_shared *shared = object->shared;
    if (shared == NULL)
        return 0;
    for (;;) {
        if (__atomic_load_n(&shared->flags, __ATOMIC_ACQUIRE) != 0)
            return 0;
        unsigned long value = __atomic_load_n(&shared->value, __ATOMIC_ACQUIRE);
        unsigned long next;
        if (taken != NULL) {
            if (value == 0 || value > 0xfffffffffffffffeul)
                return 0;
            *taken = object->semaphore ? 1 : value;
            next = value - *taken;
        } else {
            if (add > 0xfffffffffffffffeul - value || value > 0xfffffffffffffffeul)
                return 0;
            next = value + add;
        }
        if (__atomic_compare_exchange_n(&shared->value, &value, next, false, __ATOMIC_SEQ_CST,
                                        __ATOMIC_ACQUIRE))
            break;
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(&shared->flags, __ATOMIC_ACQUIRE) != 0)
        eventfd_sync(file);
    return 1;
}

static long eventfd_file_read(struct fd_file *file, void *buffer, size_t length)
{
    if (length < sizeof(uint64_t))
        return -EINVAL;
    uint64_t taken;
    if (eventfd_fast(file, 0, &taken)) {
        long copied = shim_copy_out(buffer, &taken, sizeof(taken));
        if (copied < 0) {
            /* Linux takes nothing when the copy fails: give it back (never past the max). */
            (void)eventfd_fast(file, taken, NULL);
            return copied;
        }
        return (long)sizeof(taken);
    }
    struct aramid_event_eventfd_read_request request = {.nonblock = eventfd_nonblock(file)};
    struct aramid_event_eventfd_read_reply reply;
    struct signal_watch watch;
    signal_watch_start(&watch);
    long result;
    do {
        result = shim_error_from_sys(
            EVENT_FILE_CALL(file, eventfd_read, &request, &reply));
    } while (result == -EINTR && !signal_watch_interrupts(&watch, true));
    if (result < 0)
        return result;
    uint64_t value = (uint64_t)reply.value;
    long copied = shim_copy_out(buffer, &value, sizeof(value));
    return copied < 0 ? copied : (long)sizeof(value);
}

static long eventfd_file_write(struct fd_file *file, const void *buffer, size_t length)
{
    if (length != sizeof(uint64_t))
        return -EINVAL; /* current Linux: exactly 8 bytes */
    uint64_t value;
    long copied = shim_copy_in(&value, buffer, sizeof(value));
    if (copied < 0)
        return copied;
    if (value != UINT64_MAX && eventfd_fast(file, value, NULL))
        return (long)sizeof(value);
    struct aramid_event_eventfd_write_request request = {.value = (long)value,
                                                         .nonblock = eventfd_nonblock(file)};
    struct aramid_event_eventfd_write_reply reply;
    struct signal_watch watch;
    signal_watch_start(&watch);
    long result;
    do {
        result = shim_error_from_sys(
            EVENT_FILE_CALL(file, eventfd_write, &request, &reply));
    } while (result == -EINTR && !signal_watch_interrupts(&watch, true));
    return result < 0 ? result : (long)sizeof(value);
}

/* Linux shows eventfds and epoll fds as anonymous inodes: mode 0600, no type bits. */
static long event_stat(struct fd_file *file, struct stat *status)
{
    (void)file;
    memset(status, 0, sizeof(*status));
    status->st_mode = S_IRUSR | S_IWUSR;
    status->st_blksize = 4096;
    return 0;
}

static void eventfd_release(struct fd_file *file)
{
    event_file_release(file, false);
}

const struct fd_backend eventfd_backend = {
    .name = "eventfd",
    .read = eventfd_file_read,
    .write = eventfd_file_write,
    .stat = event_stat,
    .release = eventfd_release,
    .event_data = 1,
};

int eventfd(unsigned int initial_value, int flags)
{
    if (aramid_proc_self.event <= 0)
        return (int)shim_return(-ENOSYS);
    if (flags & ~(EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC))
        return (int)shim_return(-EINVAL);
    bool named = event_handles_held >= EVENT_HANDLES_SOFT;
    struct aramid_event_eventfd_create_request request = {
        .initial = initial_value,
        .flags = (flags & EFD_SEMAPHORE) | (named ? ARAMID_EVENTFD_NAMED : 0)};
    struct aramid_event_eventfd_create_reply reply;
    aramid_handle_t handle = 0;
    long result = shim_error_from_sys(
        aramid_event_call_eventfd_create(aramid_proc_self.event, &request, 0, 0, &reply, &handle));
    if (result < 0)
        return (int)shim_return(result);
    if (handle <= 0 && !named)
        return (int)shim_return(-EMFILE); /* our handle table was full: the grant failed */
    int status_flags = O_RDWR | ((flags & EFD_NONBLOCK) ? O_NONBLOCK : 0);
    long fd = event_file_install(&eventfd_backend, EVENT_FILE_EVENTFD, handle,
                                 (unsigned long)reply.id, (unsigned long)reply.cookie, 0,
                                 status_flags, (flags & EFD_CLOEXEC) != 0);
    if (fd >= 0) {
        struct fd_file *file = fd_lookup((int)fd);
        event_file_of(file)->semaphore = (flags & EFD_SEMAPHORE) != 0;
        if (!named)
            event_file_map(file); /* a named eventfd has no page: every call goes to the server */
    }
    return (int)shim_return(fd);
}

int eventfd_read(int fd, eventfd_t *value)
{
    return read(fd, value, sizeof(*value)) == sizeof(*value) ? 0 : -1;
}

int eventfd_write(int fd, eventfd_t value)
{
    return write(fd, &value, sizeof(value)) == sizeof(value) ? 0 : -1;
}

/* SCM_RIGHTS of eventfds and epoll fds (socket.c): the event server keeps the description
 * alive while the pass is in flight; the receiver adopts it and shares it (one counter, one
 * interest set). */
long event_pass_out(struct fd_file *file, unsigned long *attachment)
{
    if (file->backend != &eventfd_backend && file->backend != &epoll_backend)
        return -EOPNOTSUPP;
    struct aramid_event_pass_request request;
    struct aramid_event_pass_reply reply;
    long result = shim_error_from_sys(EVENT_FILE_CALL(file, pass, &request, &reply));
    if (result < 0)
        return result;
    *attachment = ARAMID_SOCK_ATTACH_EVENT |
                  ((unsigned long)reply.token & ARAMID_SOCK_ATTACH_TOKEN) |
                  ((file->status_flags & O_NONBLOCK) ? ARAMID_SOCK_ATTACH_NONBLOCK : 0);
    return 0;
}

void event_pass_cancel(unsigned long attachment)
{
    struct aramid_event_pass_drop_request request = {
        .token = (long)(attachment & ARAMID_SOCK_ATTACH_TOKEN)};
    struct aramid_event_pass_drop_reply reply;
    (void)aramid_event_call_pass_drop(aramid_proc_self.event, &request, 0, 0, &reply, NULL);
}

long event_pass_in(unsigned long attachment, int close_on_exec)
{
    if (aramid_proc_self.event <= 0)
        return -EBADF;
    bool named = event_handles_held >= EVENT_HANDLES_SOFT;
    struct aramid_event_adopt_request request = {
        .token = (long)(attachment & ARAMID_SOCK_ATTACH_TOKEN), .named = named};
    struct aramid_event_adopt_reply reply;
    aramid_handle_t handle = 0;
    long result = shim_error_from_sys(
        aramid_event_call_adopt(aramid_proc_self.event, &request, 0, 0, &reply, &handle));
    if (result == -EMFILE && named) {
        request.named = 0; /* an epoll set: it needs its handle */
        result = shim_error_from_sys(
            aramid_event_call_adopt(aramid_proc_self.event, &request, 0, 0, &reply, &handle));
    }
    if (result < 0)
        return result;
    bool epoll = (reply.kind & 0xff) == ARAMID_EVENT_KIND_EPOLL;
    const struct fd_backend *backend = epoll ? &epoll_backend : &eventfd_backend;
    /* The server counts one hold per process: a description this process has already is shared
     * through its file, as a dup would. */
    for (int fd = 0; fd < fd_table_end(); fd++) {
        struct fd_file *file = fd_lookup(fd);
        if (file != NULL && file->backend == backend &&
            event_file_of(file)->id == (unsigned long)reply.id) {
            if (handle > 0)
                (void)sys_handle_close(handle);
            return fd_install(file, 0, close_on_exec);
        }
    }
    if (handle <= 0 && (epoll || request.named == 0))
        return -EMFILE; /* our handle table was full: the grant failed */
    int status_flags = O_RDWR | ((attachment & ARAMID_SOCK_ATTACH_NONBLOCK) ? O_NONBLOCK : 0);
    long fd = event_file_install(backend, epoll ? EVENT_FILE_EPOLL : EVENT_FILE_EVENTFD, handle,
                                 (unsigned long)reply.id, (unsigned long)reply.cookie, 0,
                                 status_flags, close_on_exec);
    if (fd >= 0) {
        struct fd_file *file = fd_lookup((int)fd);
        event_file_of(file)->semaphore = (reply.kind & ARAMID_EVENT_KIND_SEMAPHORE) != 0;
        if (handle > 0)
            event_file_map(file);
    }
    return fd;
}

bool event_exec_save(const struct fd_file *file, struct event_exec_object *saved)
{
    if (file->backend != &eventfd_backend && file->backend != &epoll_backend &&
        file->backend != &socket_backend)
        return false;
    const struct event_file *object = event_file_of(file);
    *saved = (struct event_exec_object){.handle = file->handle,
                                        .id = object->id,
                                        .cookie = object->cookie,
                                        .kind = (int)object->kind,
                                        .type = object->type,
                                        .semaphore = object->semaphore};
    return true;
}

struct fd_file *event_exec_restore(const struct event_exec_object *saved, int status_flags)
{
    const struct fd_backend *backend = saved->kind == EVENT_FILE_EVENTFD ? &eventfd_backend
                                       : saved->kind == EVENT_FILE_EPOLL ? &epoll_backend
                                       : saved->kind == EVENT_FILE_SOCKET ? &socket_backend
                                                                          : NULL;
    /* Only a named eventfd has no handle of its own. */
    if (backend == NULL || (saved->handle <= 0 && saved->kind != EVENT_FILE_EVENTFD))
        return NULL;
    long error = 0;
    struct fd_file *file =
        event_file_create(backend, (enum event_file_kind)saved->kind, saved->handle, saved->id,
                          saved->cookie, saved->type, status_flags, &error);
    if (file == NULL)
        return NULL;
    event_file_of(file)->semaphore = saved->semaphore;
    /* The old image's page went with its space; a socket asks for rings on its first call. */
    if (saved->kind != EVENT_FILE_SOCKET && saved->handle > 0)
        event_file_map(file);
    return file;
}
