/* posix-shim epoll: epoll_create/create1, epoll_ctl, epoll_wait and epoll_pwait over the event
 * server's interest sets. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>

#include <aramid/proto/event.h>
#include <aramid/proto/vfs.h>

#include "event.h"
#include "shim.h"

long event_foreign_backend(struct fd_file *file)
{
    (void)file; /* pipes, FIFOs, the terminal, sockets, eventfds and message queues have
                 * readiness of their own (event_file_pollable); the rest (files, directories) is
                 * always ready */
    return 0;
}

unsigned long event_deadline_ms(long timeout_ms)
{
    if (timeout_ms < 0)
        return 0;
    if (timeout_ms == 0)
        return ARAMID_EVENT_DEADLINE_NOW;
    return aramid_clock_monotonic_ns() + (unsigned long)timeout_ms * 1000000ul;
}

static void epoll_release(struct fd_file *file)
{
    event_file_release(file, false);
}

static long epoll_stat(struct fd_file *file, struct stat *status)
{
    (void)file;
    memset(status, 0, sizeof(*status));
    status->st_mode = S_IRUSR | S_IWUSR;
    status->st_blksize = 4096;
    return 0;
}

/* read and write on an epoll fd: Linux says EINVAL. */
static long epoll_read(struct fd_file *file, void *buffer, size_t length)
{
    (void)file;
    (void)buffer;
    (void)length;
    return -EINVAL;
}

static long epoll_write(struct fd_file *file, const void *buffer, size_t length)
{
    (void)file;
    (void)buffer;
    (void)length;
    return -EINVAL;
}

const struct fd_backend epoll_backend = {
    .name = "epoll",
    .read = epoll_read,
    .write = epoll_write,
    .stat = epoll_stat,
    .release = epoll_release,
    .event_data = 1,
};

int epoll_create1(int flags)
{
    if (aramid_proc_self.event <= 0)
        return (int)shim_return(-ENOSYS);
    if (flags & ~EPOLL_CLOEXEC)
        return (int)shim_return(-EINVAL);
    struct aramid_event_epoll_create_request request = {.flags = 0};
    struct aramid_event_epoll_create_reply reply;
    aramid_handle_t handle = 0;
    long result = shim_error_from_sys(
        aramid_event_call_epoll_create(aramid_proc_self.event, &request, 0, 0, &reply, &handle));
    if (result < 0)
        return (int)shim_return(result);
    if (handle <= 0)
        return (int)shim_return(-EMFILE); /* our handle table was full: the grant failed */
    long fd = event_file_install(&epoll_backend, EVENT_FILE_EPOLL, handle,
                                 (unsigned long)reply.id, (unsigned long)reply.cookie, 0, O_RDWR,
                                 (flags & EPOLL_CLOEXEC) != 0);
    if (fd >= 0)
        event_file_map(fd_lookup((int)fd));
    return (int)shim_return(fd);
}

int epoll_create(int size)
{
    if (size <= 0)
        return (int)shim_return(-EINVAL);
    return epoll_create1(0);
}

long epoll_control_file(long epoll_handle, int op, int fd, struct fd_file *target,
                        uint32_t events, uint64_t data)
{
    struct event_file *object = event_file_pollable(target);
    if (object == NULL)
        return -EPERM; /* regular files cannot be watched (Linux: EPERM) */
    struct aramid_event_epoll_ctl_request request = {
        .op_fd = (long)(((unsigned long)(unsigned)op << 32) | (unsigned)fd),
        .events = events,
        .data = (long)data,
    };
    /* A pipe or FIFO end: vfs mints a readiness handle for the description (the event server
     * asks through it, as through a socket's) and gives its ready id (MOD, DEL name it); the
     * terminal's is description 0's. A pipe's ring stays: its transfers tell the vfs (TELL). */
    aramid_handle_t vfs_grant = 0;
    if (object->kind == EVENT_FILE_VFS && op == EPOLL_CTL_ADD) {
        long result = aramid_vfs_ready_handle(target->handle, &vfs_grant, &object->id);
        if (result < 0)
            return shim_error_from_sys(result);
    }
    aramid_handle_t grant = 0;
    if (object->kind != EVENT_FILE_SOCKET && object->kind != EVENT_FILE_FOREIGN) {
        request.target = (long)object->id;
        request.cookie = (long)object->cookie;
    } else if (op == EPOLL_CTL_ADD) {
        /* The event server asks the owner (sock, ipc) itself: it gets a copy of our handle. */
        grant = sys_handle_duplicate(target->handle, ARAMID_RIGHT_SEND | ARAMID_RIGHT_GRANT);
        if (grant < 0)
            return shim_error_from_sys(grant);
    } else {
        request.cookie = (long)object->id;
    }
    if (object->kind == EVENT_FILE_VFS) { /* the owner's object, named as a socket is */
        request.target = 0;
        request.cookie = op == EPOLL_CTL_ADD ? 0 : (long)object->id;
        grant = vfs_grant;
    }
    struct aramid_event_epoll_ctl_reply reply = {.result = 1}; /* 1: never a server answer */
    long result = aramid_event_call_epoll_ctl(epoll_handle, &request, 0, grant, &reply, NULL);
    if (result < 0 && grant > 0 && reply.result == 1)
        (void)sys_handle_close(grant); /* the call failed before the grant moved */
    return shim_error_from_sys(result);
}

int epoll_ctl(int epoll_fd, int operation, int fd, struct epoll_event *event)
{
    struct fd_file *epoll = fd_lookup(epoll_fd);
    struct fd_file *target = fd_lookup(fd);
    if (epoll == NULL || target == NULL)
        return (int)shim_return(-EBADF);
    struct epoll_event copy = {0};
    if (operation != EPOLL_CTL_DEL) {
        long copied = shim_copy_in(&copy, event, sizeof(copy));
        if (copied < 0)
            return (int)shim_return(copied);
    }
    /* Linux's order: EFAULT, EBADF, EPERM (the target cannot be polled), then EINVAL. */
    if (event_file_pollable(target) == NULL) {
        long result = event_foreign_backend(target);
        return (int)shim_return(result < 0 ? result : -EPERM);
    }
    if (epoll->backend != &epoll_backend || epoll == target)
        return (int)shim_return(-EINVAL);
    return (int)shim_return(
        epoll_control_file(epoll->handle, operation, fd, target, copy.events, copy.data.u64));
}

long epoll_snapshot_take(const struct aramid_event_shared *shared,
                         struct aramid_event_record *out, long maxevents)
{
    if (shared == NULL || __atomic_load_n(&shared->foreign, __ATOMIC_ACQUIRE) != 0)
        return -1;
    return aramid_event_snapshot_read(
        (const void *)((const char *)shared + ARAMID_EVENT_SNAPSHOT_OFFSET), out, maxevents);
}

long epoll_wait_records(long epoll_handle, long maxevents, unsigned long deadline)
{
    if (maxevents > (long)ARAMID_EVENT_WAIT_MAX)
        maxevents = ARAMID_EVENT_WAIT_MAX; /* fewer per call is allowed */
    /* A signal cancels the kept wait; it ends with EINTR only when a handler ran (Linux never
     * restarts epoll_wait or poll after one, but an ignored or blocked signal, such as a
     * default SIGCHLD, does not interrupt them). */
    struct signal_watch watch;
    signal_watch_start(&watch);
    long result;
    do {
        result = shim_error_from_sys(aramid_event_wait(epoll_handle, maxevents, deadline));
    } while (result == -EINTR && !signal_watch_interrupts(&watch, false));
    return result;
}

int epoll_wait(int epoll_fd, struct epoll_event *events, int max_events, int timeout_ms)
{
    shim_cancel_point();
    struct fd_file *epoll = fd_lookup(epoll_fd);
    if (epoll == NULL)
        return (int)shim_return(-EBADF);
    if (epoll->backend != &epoll_backend || max_events <= 0)
        return (int)shim_return(-EINVAL);
    if (events == NULL)
        return (int)shim_return(-EFAULT);
    /* The fast path: the set's snapshot says what the server would report (nothing the
     * server hears of by notification, every ready item level-triggered), and it all fits. */
    struct aramid_event_record snapshot[ARAMID_EVENT_SNAPSHOT_MAX]; /* on the stack: threads */
    long count = epoll_snapshot_take(event_file_of(epoll)->shared, snapshot, max_events);
    const struct aramid_event_record *records = snapshot;
    if (count == 0 && timeout_ms == 0)
        return 0;
    if (count <= 0) {
        count = epoll_wait_records(epoll->handle, max_events, event_deadline_ms(timeout_ms));
        if (count <= 0)
            return (int)shim_return(count);
        records = (const void *)sys_ipc_buffer();
    }
    struct epoll_event out[64];
    for (long done = 0; done < count;) {
        long chunk = count - done < 64 ? count - done : 64;
        for (long i = 0; i < chunk; i++) {
            out[i].events = (uint32_t)records[done + i].events;
            out[i].data.u64 = records[done + i].data;
        }
        long copied = shim_copy_out(events + done, out, (size_t)chunk * sizeof(out[0]));
        if (copied < 0)
            return (int)shim_return(copied);
        done += chunk;
    }
    return (int)count;
}

int epoll_pwait(int epoll_fd, struct epoll_event *events, int max_events, int timeout_ms,
                const sigset_t *mask)
{
    shim_cancel_point();
    sigset_t saved;
    if (mask != NULL && sigprocmask(SIG_SETMASK, mask, &saved) != 0)
        return -1;
    int result = epoll_wait(epoll_fd, events, max_events, timeout_ms);
    int saved_errno = errno;
    if (mask != NULL)
        (void)sigprocmask(SIG_SETMASK, &saved, NULL);
    errno = saved_errno;
    return result;
}
