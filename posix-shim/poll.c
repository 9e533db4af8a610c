/* posix-shim poll, ppoll, select, pselect: over a hidden epoll set of this process, in which
 * each polled event, sock or pipe description is registered once (level-triggered), so a poll
 * of N descriptors costs one call to the event server plus one per description that is new or
 * asks for other events. Descriptors of other backends (the console, files) are always ready,
 * as regular files are on Linux. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <time.h>

#include <aramid/proto/event.h>
#include <aramid/proto/sock.h>

#include "event.h"
#include "shim.h"
#include "vfs.h"

/* The hidden set: made on first use; a forked child makes its own (poll_pid). Registrations:
 * poll_files[slot] is the description registered under data = slot. */
static int poll_set = -1;
static long poll_pid;
static unsigned long poll_serial;
static struct fd_file **poll_files;
static int poll_capacity;

static long poll_set_ready(void)
{
    long pid = aramid_proc_self.pid;
    if (poll_set >= 0 && poll_pid == pid)
        return 0;
    if (poll_set >= 0) {
        /* A fork child: the set's descriptor is the parent's; ours is a new one. Its copy is
         * closed without telling the others (the server counts us as a holder, drops us). */
        (void)fd_close(poll_set);
        poll_set = -1;
    }
    int set = epoll_create1(EPOLL_CLOEXEC);
    if (set < 0)
        return -errno;
    /* Kept out of the way of the numbers programs expect (open() gets the lowest free). */
    int below = fd_limit() < FD_HIDDEN_BASE + 8 ? fd_limit() : FD_HIDDEN_BASE + 8;
    long high = fd_duplicate(set, below - 8, 1);
    if (high >= 0) {
        (void)fd_close(set);
        set = (int)high;
    }
    poll_set = set;
    poll_pid = pid;
    poll_serial++;
    for (int i = 0; i < poll_capacity; i++)
        poll_files[i] = NULL;
    return 0;
}

void poll_forget(struct fd_file *file)
{
    struct event_file *object = event_file_of(file);
    if (object == NULL || object->poll_serial != poll_serial || object->poll_slot < 0 ||
        poll_set < 0 || poll_pid != aramid_proc_self.pid)
        return;
    struct fd_file *set = fd_lookup(poll_set);
    if (set != NULL && set != file)
        (void)epoll_control_file(set->handle, EPOLL_CTL_DEL, object->poll_slot, file, 0, 0);
    if (object->poll_slot < poll_capacity)
        poll_files[object->poll_slot] = NULL;
    object->poll_slot = -1;
}

/* Registers file for events (always with ERR and HUP) under a slot. */
static long poll_register(struct fd_file *file, struct event_file *object, uint32_t events)
{
    bool registered = object->poll_serial == poll_serial && object->poll_slot >= 0;
    if (registered && object->poll_events == events)
        return 0; /* the common case: as the last poll left it */
    struct fd_file *set = fd_lookup(poll_set);
    if (set == NULL)
        return -EBADF;
    if (registered) {
        long result = epoll_control_file(set->handle, EPOLL_CTL_MOD, object->poll_slot, file,
                                         events, (uint64_t)object->poll_slot);
        if (result == 0)
            object->poll_events = events;
        return result;
    }
    int slot = 0;
    while (slot < poll_capacity && poll_files[slot] != NULL)
        slot++;
    if (slot == poll_capacity) {
        int capacity = poll_capacity ? poll_capacity * 2 : 64;
        struct fd_file **grown = realloc(poll_files, (size_t)capacity * sizeof(*grown));
        if (grown == NULL)
            return -ENOMEM;
        for (int i = poll_capacity; i < capacity; i++)
            grown[i] = NULL;
        poll_files = grown;
        poll_capacity = capacity;
    }
    /* The slot is the interest's fd number in the hidden set: unique per registration. */
    long result = epoll_control_file(set->handle, EPOLL_CTL_ADD, slot, file, events,
                                     (uint64_t)slot);
    if (result < 0)
        return result;
    poll_files[slot] = file;
    object->poll_serial = poll_serial;
    object->poll_slot = slot;
    object->poll_events = events;
    return 0;
}

#define POLL_ALWAYS_READY (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

/* The sock server's readiness words (ready_map, shared read-only), mapped on first use by each
 * process (pid: a fork child maps them itself); count 0 when they could not be had. */
static struct {
    long pid;
    const unsigned long *words;
    unsigned long count;
} poll_sock_words;

static void poll_sock_words_map(void)
{
    poll_sock_words.pid = aramid_proc_self.pid;
    poll_sock_words.count = 0;
    aramid_handle_t memory;
    unsigned long count;
    if (aramid_proc_self.sock <= 0 ||
        aramid_ready_map(aramid_proc_self.sock, ARAMID_SOCK_ready_map, 0, &memory, &count) < 0)
        return;
    long mapped = count == 0 || count > (1ul << ARAMID_SOCK_SLOT_BITS)
                      ? -EINVAL
                      : aramid_memory_map(shim_self_space, count * sizeof(unsigned long),
                                          ARAMID_PROT_READ, memory, 0);
    (void)sys_handle_close(memory); /* the mapping keeps the words */
    if (mapped > 0) {
        poll_sock_words.words = (const unsigned long *)mapped;
        poll_sock_words.count = count;
    }
}

/* A socket's readiness without a call: its word (each loaded once, the slot range-checked and
 * the check matched), with its own ring's bytes for the input when this end reads its ring.
 * false: ask the hidden set (no word yet, a reused slot, a scribbled ring). */
static bool poll_socket_bits(struct event_file *object, uint32_t *bits)
{
    if (poll_sock_words.pid != aramid_proc_self.pid)
        poll_sock_words_map();
    unsigned long generation;
    long ring_only = aramid_ready_word_read(poll_sock_words.words, poll_sock_words.count,
                                            aramid_sock_ready_slot(object->id),
                                            aramid_sock_ready_check(object->id), bits, &generation);
    int input = ring_only < 0 ? -2 : socket_ring_input(object);
    if (input == -2)
        return false;
    if (input >= 0 && ring_only)
        *bits &= ~(uint32_t)(POLLIN | POLLRDNORM); /* the ring's bytes: ours to look at */
    if (input == 1)
        *bits |= POLLIN | POLLRDNORM;
    return true;
}

/* Adds the events of records (from the hidden set) to the pollfds they concern, counting
 * newly ready entries in *ready; returns whether any record concerned this call. A record of
 * a registration this call does not poll would wake every later poll: it is let go. */
static bool poll_match(struct pollfd *fds, nfds_t count, const struct aramid_event_record *record,
                       long records, long *ready)
{
    bool matched = false;
    for (long r = 0; r < records; r++) {
        unsigned long slot = record[r].data;
        struct fd_file *file = slot < (unsigned long)poll_capacity ? poll_files[slot] : NULL;
        bool wanted = false;
        for (nfds_t i = 0; file != NULL && i < count; i++) {
            if (fds[i].fd < 0 || fd_lookup(fds[i].fd) != file)
                continue;
            short bits = (short)(record[r].events & ((uint16_t)fds[i].events | POLLERR |
                                                     POLLHUP));
            if (bits != 0 && fds[i].revents == 0)
                (*ready)++;
            fds[i].revents |= bits;
            wanted = true;
            matched = matched || bits != 0;
        }
        if (!wanted && file != NULL)
            poll_forget(file);
    }
    return matched;
}

/* Descriptions whose owner publishes readiness words (one test for the others in the loop). */
#define POLL_WORD_KIND(kind) (((1u << (kind)) & ((1u << EVENT_FILE_VFS) | (1u << EVENT_FILE_SOCKET))) != 0)

/* A pipe's, FIFO's or the terminal's word from the vfs, or a socket's from the sock server:
 * true with *bits, false when the hidden set must be asked. */
static bool poll_word_bits(struct fd_file *file, struct event_file *object, uint32_t *bits)
{
    if (object->kind == EVENT_FILE_SOCKET)
        return poll_socket_bits(object, bits);
    unsigned long word = vfs_ready_word(file->handle);
    if (!(word & ARAMID_VFS_READY_VALID))
        return false;
    if (word & ARAMID_VFS_READY_RING) /* its ring's bits (the word does not count the ring) */
        word = pipe_ring_poll(file, word);
    *bits = (uint32_t)word;
    return true;
}

/* The poll loop on a private copy of the array: -errno (newlib) or the number ready. */
static long poll_core(struct pollfd *fds, nfds_t count, unsigned long deadline)
{
    long result = poll_set_ready();
    if (result < 0)
        return result;
    long ready = 0, deferred = 0, registered = 0;
    uint32_t bits;
    for (nfds_t i = 0; i < count; i++) {
        fds[i].revents = 0;
        if (fds[i].fd < 0)
            continue;
        struct fd_file *file = fd_lookup(fds[i].fd);
        struct event_file *object = event_file_pollable(file);
        if (file == NULL) {
            fds[i].revents = POLLNVAL;
        } else if (object == NULL) {
            result = event_foreign_backend(file);
            if (result < 0)
                return result;
            fds[i].revents = fds[i].events & POLL_ALWAYS_READY;
        } else if (POLL_WORD_KIND(object->kind) && poll_word_bits(file, object, &bits)) {
            /* The owner's word for it: registered only if the poll must wait. */
            fds[i].revents = (short)(bits & ((uint16_t)fds[i].events | POLLERR | POLLHUP));
            deferred++;
        } else {
            result = poll_register(file, object, (uint16_t)fds[i].events | POLLERR | POLLHUP);
            if (result < 0)
                return result;
            registered++;
        }
        if (fds[i].revents != 0)
            ready++;
    }
    if (ready > 0)
        deadline = ARAMID_EVENT_DEADLINE_NOW;
    /* Every entry answered by a word (or always ready, or POLLNVAL): nothing in the hidden
     * set concerns this call, and it need not wait. */
    if (registered == 0 && deadline == ARAMID_EVENT_DEADLINE_NOW)
        return ready;
    for (nfds_t i = 0; deferred > 0 && deadline != ARAMID_EVENT_DEADLINE_NOW && i < count; i++) {
        struct fd_file *file = fds[i].fd >= 0 ? fd_lookup(fds[i].fd) : NULL;
        struct event_file *object = event_file_of(file);
        if (object != NULL &&
            POLL_WORD_KIND(object->kind)) {
            result = poll_register(file, object, (uint16_t)fds[i].events | POLLERR | POLLHUP);
            if (result < 0)
                return result;
        }
    }
    struct fd_file *set = fd_lookup(poll_set);
    /* The fast path, as epoll_wait's: the set's snapshot says what a wait would report (or
     * that nothing is ready and nothing comes by notification), so a poll that has its
     * answer needs no call. */
    struct aramid_event_record snapshot[ARAMID_EVENT_SNAPSHOT_MAX]; /* on the stack: threads */
    long taken = epoll_snapshot_take(event_file_of(set)->shared, snapshot,
                                     ARAMID_EVENT_SNAPSHOT_MAX);
    if (taken == 0 && deadline == ARAMID_EVENT_DEADLINE_NOW)
        return ready;
    if (taken > 0 && (poll_match(fds, count, snapshot, taken, &ready) || ready > 0 ||
                      deadline == ARAMID_EVENT_DEADLINE_NOW))
        return ready;
    for (;;) {
        long records = epoll_wait_records(set->handle, ARAMID_EVENT_WAIT_MAX, deadline);
        if (records < 0)
            return records;
        bool matched = poll_match(fds, count, (const void *)sys_ipc_buffer(), records, &ready);
        if (ready > 0 || matched || records == 0)
            return ready;
        if (deadline == ARAMID_EVENT_DEADLINE_NOW)
            return ready;
        if (deadline != 0 && deadline <= aramid_clock_monotonic_ns())
            return 0;
    }
}

/* The poll calls keep their own copy: the user's array is read once and written once. */
static long poll_user(struct pollfd *user, nfds_t count, unsigned long deadline,
                      const sigset_t *mask)
{
    if (count > FD_MAX * 4)
        return -EINVAL; /* Linux: more than RLIMIT_NOFILE entries */
    struct pollfd small[32]; /* most polls: no allocation */
    struct pollfd *fds = count <= 32 ? small : malloc(count * sizeof(*fds));
    if (fds == NULL)
        return -ENOMEM;
    long result = shim_copy_in(fds, user, count * sizeof(*fds));
    sigset_t saved;
    if (result >= 0 && mask != NULL && sigprocmask(SIG_SETMASK, mask, &saved) != 0)
        result = -errno;
    else if (result >= 0) {
        result = poll_core(fds, count, deadline);
        if (mask != NULL)
            (void)sigprocmask(SIG_SETMASK, &saved, NULL);
    }
    if (result >= 0) {
        long copied = shim_copy_out(user, fds, count * sizeof(*fds));
        if (copied < 0)
            result = copied;
    }
    if (fds != small)
        free(fds);
    return result;
}

int poll(struct pollfd *fds, nfds_t count, int timeout_ms)
{
    shim_cancel_point();
    return (int)shim_return(poll_user(fds, count, event_deadline_ms(timeout_ms), NULL));
}

/* A timespec (NULL: forever) as a deadline, or 1 for "now"; -EINVAL when invalid. */
static long poll_deadline_timespec(const struct timespec *timeout, unsigned long *deadline)
{
    if (timeout == NULL) {
        *deadline = 0;
        return 0;
    }
    struct timespec copy;
    long copied = shim_copy_in(&copy, timeout, sizeof(copy));
    if (copied < 0)
        return copied;
    if (copy.tv_sec < 0 || copy.tv_nsec < 0 || copy.tv_nsec >= 1000000000L)
        return -EINVAL;
    if (copy.tv_sec == 0 && copy.tv_nsec == 0) {
        *deadline = ARAMID_EVENT_DEADLINE_NOW;
        return 0;
    }
    *deadline = aramid_clock_monotonic_ns() + (unsigned long)copy.tv_sec * 1000000000ul +
                (unsigned long)copy.tv_nsec;
    return 0;
}

int ppoll(struct pollfd *fds, nfds_t count, const struct timespec *timeout,
          const sigset_t *mask)
{
    shim_cancel_point();
    unsigned long deadline;
    long result = poll_deadline_timespec(timeout, &deadline);
    if (result < 0)
        return (int)shim_return(result);
    return (int)shim_return(poll_user(fds, count, deadline, mask));
}

/* select over poll: each set bit becomes a pollfd; readiness maps back as Linux's select does
 * (in: POLLIN|HUP|ERR, out: POLLOUT|ERR, except: POLLPRI). */
static long select_core(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
                        unsigned long deadline, const sigset_t *mask)
{
    if (nfds < 0 || nfds > FD_SETSIZE)
        return -EINVAL;
    fd_set sets[3];
    fd_set *user[3] = {readfds, writefds, exceptfds};
    for (int s = 0; s < 3; s++) {
        FD_ZERO(&sets[s]);
        if (user[s] != NULL) {
            long copied = shim_copy_in(&sets[s], user[s], sizeof(fd_set));
            if (copied < 0)
                return copied;
        }
    }
    struct pollfd fds[FD_SETSIZE];
    nfds_t count = 0;
    for (int fd = 0; fd < nfds; fd++) {
        short events = 0;
        if (FD_ISSET(fd, &sets[0]))
            events |= POLLIN;
        if (FD_ISSET(fd, &sets[1]))
            events |= POLLOUT;
        if (FD_ISSET(fd, &sets[2]))
            events |= POLLPRI;
        if (events == 0)
            continue;
        if (fd_lookup(fd) == NULL)
            return -EBADF;
        fds[count++] = (struct pollfd){.fd = fd, .events = events};
    }
    sigset_t saved;
    if (mask != NULL && sigprocmask(SIG_SETMASK, mask, &saved) != 0)
        return -errno;
    long result = poll_core(fds, count, deadline);
    if (mask != NULL)
        (void)sigprocmask(SIG_SETMASK, &saved, NULL);
    if (result < 0)
        return result;
    long ready = 0;
    for (int s = 0; s < 3; s++)
        FD_ZERO(&sets[s]);
    for (nfds_t i = 0; i < count; i++) {
        short got = fds[i].revents;
        if ((fds[i].events & POLLIN) && (got & (POLLIN | POLLHUP | POLLERR))) {
            FD_SET(fds[i].fd, &sets[0]);
            ready++;
        }
        if ((fds[i].events & POLLOUT) && (got & (POLLOUT | POLLERR))) {
            FD_SET(fds[i].fd, &sets[1]);
            ready++;
        }
        if ((fds[i].events & POLLPRI) && (got & POLLPRI)) {
            FD_SET(fds[i].fd, &sets[2]);
            ready++;
        }
    }
    for (int s = 0; s < 3; s++)
        if (user[s] != NULL) {
            long copied = shim_copy_out(user[s], &sets[s], sizeof(fd_set));
            if (copied < 0)
                return copied;
        }
    return ready;
}

int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
           struct timeval *timeout)
{
    shim_cancel_point();
    unsigned long deadline = 0;
    if (timeout != NULL) {
        struct timeval copy;
        long copied = shim_copy_in(&copy, timeout, sizeof(copy));
        if (copied < 0)
            return (int)shim_return(copied);
        if (copy.tv_sec < 0 || copy.tv_usec < 0 || copy.tv_usec >= 1000000)
            return (int)shim_return(-EINVAL);
        unsigned long ns = (unsigned long)copy.tv_sec * 1000000000ul +
                           (unsigned long)copy.tv_usec * 1000ul;
        deadline = ns == 0 ? ARAMID_EVENT_DEADLINE_NOW : aramid_clock_monotonic_ns() + ns;
    }
    long result = select_core(nfds, readfds, writefds, exceptfds, deadline, NULL);
    /* Linux writes the time left back; a timeout that ran out leaves zero. */
    if (result >= 0 && timeout != NULL) {
        struct timeval left = {0, 0};
        if (deadline > ARAMID_EVENT_DEADLINE_NOW) {
            unsigned long now = aramid_clock_monotonic_ns();
            unsigned long rest = deadline > now ? deadline - now : 0;
            left.tv_sec = (time_t)(rest / 1000000000ul);
            left.tv_usec = (suseconds_t)(rest % 1000000000ul / 1000ul);
        }
        (void)shim_copy_out(timeout, &left, sizeof(left));
    }
    return (int)shim_return(result);
}

int pselect(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
            const struct timespec *timeout, const sigset_t *mask)
{
    shim_cancel_point();
    unsigned long deadline;
    long result = poll_deadline_timespec(timeout, &deadline);
    if (result < 0)
        return (int)shim_return(result);
    return (int)shim_return(select_core(nfds, readfds, writefds, exceptfds, deadline, mask));
}
