/* posix-shim console input: reads and terminal requests of the console descriptors (0-2,
 * /dev/tty, /dev/console) go to the vfs server, which runs the terminal (servers/vfs/console.c). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <aramid/termios.h>

#include "fd.h"
#include "shim.h"
#include "vfs.h"

/*
 * The vfs keeps the one terminal: settings, the line being edited, typed-ahead input, the
 * foreground group; it echoes as bytes come and sends ^C's SIGINT to the foreground group
 * whether or not anyone reads. Writes stay here (one kernel console write, no message; stderr
 * keeps its aramid-run frames): the column they leave is sent with the next read, so the
 * terminal's echo of erased tabs starts from the right place. Each call says who the caller is
 * (pid, process group, session, as proc answers them; 0 without process groups) for the
 * terminal's job-control checks. Without a vfs (the root task) reads are at end of file and
 * terminal requests give ENOTTY.
 */

/* A background call's SIGTTIN/SIGTTOU stops the process (SIGCONT: the call is asked again);
 * where stopping is not there, a bound keeps this from spinning. */
#define CONSOLE_TTY_RETRIES_MAX 64

/* After a call answered *result: whether to ask again (its SIGTTIN or SIGTTOU stopped the
 * caller, or ran an SA_RESTART handler). One that keeps coming back is from an orphaned group
 * (proc discards those signals for it): -EIO, as Linux answers an orphaned group. */
static bool console_again(long *result, const struct signal_watch *watch, unsigned retries)
{
    if (*result != -EINTR || signal_watch_interrupts(watch, true))
        return false;
    if (retries < CONSOLE_TTY_RETRIES_MAX)
        return true;
    *result = -EIO;
    return false;
}

static unsigned console_column;
static bool console_column_moved; /* this process wrote since its last read */

/* The tail of a write that may move the column: a line longer than this just adds its bytes. */
#define CONSOLE_COLUMN_TAIL 256

void console_tty_track_output(const void *bytes, size_t length)
{
    unsigned char text[CONSOLE_COLUMN_TAIL];
    size_t tail = length < sizeof text ? length : sizeof text;
    /* The caller's buffer, read through the kernel (the write went out, so it was readable;
     * a buffer gone since is skipped, never a fault here). */
    if (tail == 0 || shim_copy_in(text, (const unsigned char *)bytes + (length - tail), tail) != 0)
        return;
    /* Only what follows the last line end moves the column from 0: start there. */
    size_t start = tail;
    while (start > 0 && text[start - 1] != '\n' && text[start - 1] != '\r')
        start--;
    if (start > 0)
        console_column = 0;
    else
        console_column += (unsigned)(length - tail); /* the part before the tail: no line end */
    for (size_t i = start; i < tail; i++) {
        unsigned char byte = text[i];
        if (byte == '\b')
            console_column -= console_column > 0;
        else if (byte == '\t')
            console_column = (console_column | 7) + 1;
        else if (byte >= 0x20 && byte != 0x7f && (byte & 0xc0) != 0x80)
            console_column++; /* a printable character (a UTF-8 sequence counts once) */
    }
    console_column_moved = true;
}

void console_tty_fork_child(void)
{
    console_column_moved = false;
}

/* Who the caller is, as proc says (0 for what proc does not know). */
struct console_identity {
    long pid, pgid, sid;
};

static struct console_identity console_identity(void)
{
    int saved = errno;
    struct console_identity identity = {.pid = getpid()};
    pid_t group = getpgrp();
    pid_t session = getsid(0);
    identity.pgid = group > 0 ? group : 0;
    identity.sid = session > 0 ? session : 0;
    errno = saved;
    return identity;
}

/* Whether signal is ignored or blocked here (then a background read fails with EIO, and a
 * background change goes on, as on Linux). */
static bool console_signal_held(int signal)
{
    int saved = errno;
    struct sigaction action;
    sigset_t blocked;
    bool held = (sigaction(signal, NULL, &action) == 0 && action.sa_handler == SIG_IGN) ||
                (sigprocmask(SIG_BLOCK, NULL, &blocked) == 0 && sigismember(&blocked, signal));
    errno = saved;
    return held;
}

/* console_tty_read through the thread's shared buffer index (held by the caller). */
static long console_tty_read_in(struct fd_file *file, void *buffer, size_t length,
                                unsigned index, const unsigned char *shared)
{
    struct signal_watch watch;
    signal_watch_start(&watch);
    for (unsigned retries = 0;; retries++) {
        struct console_identity identity = console_identity();
        struct aramid_vfs_tty_read_request request = {
            .length = (long)length,
            .flags = ((file->status_flags & O_NONBLOCK) ? VFS_TTY_NONBLOCK : 0) |
                     (console_signal_held(SIGTTIN) ? VFS_TTY_TTIN_IGNORED : 0) |
                     (file->size == CONSOLE_TTY_NOCTTY ? VFS_TTY_NOCTTY : 0),
            .column = console_column_moved ? (long)console_column + 1 : 0,
            .pid = identity.pid,
            .pgid = identity.pgid,
            .sid = identity.sid,
        };
        struct aramid_vfs_tty_read_reply reply = {0};
        console_column_moved = false;
        long result =
            shim_error_from_sys(aramid_vfs_call_in_tty_read(index, &request, 0, &reply, NULL));
        if (result == -EINTR && reply.signal > 0 && reply.signal < NSIG)
            (void)signal_send_self((int)reply.signal); /* typed, and proc has no groups */
        if (console_again(&result, &watch, retries))
            continue;
        if (result < 0)
            return result;
        if ((size_t)result > length)
            return -EIO;
        if (result > 0 && shim_copy_out(buffer, shared, (size_t)result) < 0)
            return -EFAULT;
        return result;
    }
}

long console_tty_read(struct fd_file *file, void *buffer, size_t length)
{
    if (!vfs_available())
        return 0; /* no terminal: end of file */
    size_t size;
    unsigned index;
    long error = 0;
    unsigned char *shared = vfs_buffer_get(&size, &index, &error);
    if (shared == NULL)
        return error;
    bool taken = vfs_buffer_take(index);
    long result = console_tty_read_in(file, buffer, length < size ? length : size, index, shared);
    vfs_buffer_give(taken);
    return result;
}

/* How a request's argument travels: a structure in (to vfs) or out (back), an int out, or an
 * integer value in the argument itself. */
struct console_request_shape {
    size_t in, out;
    bool int_out, int_in, value;
};

static bool console_request_shape(unsigned long request, struct console_request_shape *shape)
{
    memset(shape, 0, sizeof(*shape));
    switch (request) {
    case ARAMID_TCGETS:
        shape->out = sizeof(struct aramid_termios);
        return true;
    case ARAMID_TCSETS:
    case ARAMID_TCSETSW:
    case ARAMID_TCSETSF:
        shape->in = sizeof(struct aramid_termios);
        return true;
    case ARAMID_TIOCGWINSZ:
        shape->out = sizeof(struct aramid_winsize);
        return true;
    case ARAMID_TIOCSWINSZ:
        shape->in = sizeof(struct aramid_winsize);
        return true;
    case ARAMID_TIOCGPGRP:
    case ARAMID_TIOCGSID:
    case ARAMID_FIONREAD:
        shape->int_out = true;
        return true;
    case ARAMID_TIOCSPGRP:
        shape->int_in = true;
        return true;
    case ARAMID_TIOCSCTTY:
    case ARAMID_TCFLSH:
        shape->value = true;
        return true;
    case ARAMID_TIOCNOTTY:
    case ARAMID_TCSBRK:
        return true;
    default:
        return false;
    }
}

/* The session of process group group (0: none such), for TIOCSPGRP's check: the caller's own
 * group (a shell's job sets itself in front, and its leader may have exited already) is in the
 * caller's session; another is in its leader's, or, with the leader gone but the group alive,
 * taken to be in the caller's. */
static long console_group_session(int group)
{
    struct console_identity identity = console_identity();
    if (group <= 0)
        return 0;
    if (group == identity.pgid)
        return identity.sid;
    int saved = errno;
    pid_t session = getsid(group);
    if (session <= 0 && kill(-group, 0) == 0)
        session = (pid_t)identity.sid;
    errno = saved;
    return session > 0 ? session : 0;
}

/* A request (or VFS_TTY_WRITE_CHECK, shaped as TCSBRK) through vfs; noctty: a descriptor
 * opened O_NOCTTY, or a write. */
static long console_tty_request(unsigned long request, void *argument, bool noctty)
{
    struct console_request_shape shape;
    if (!vfs_available() ||
        !console_request_shape(request == VFS_TTY_WRITE_CHECK ? ARAMID_TCSBRK : request, &shape))
        return -ENOTTY;
    long error = 0;
    size_t size;
    if (vfs_buffer(&size, &error) == NULL)
        return error;
    unsigned char in[sizeof(struct aramid_termios)];
    long value = shape.value ? (long)argument : 0;
    long target_sid = 0;
    if (shape.in > 0 && shim_copy_in(in, argument, shape.in) != 0)
        return -EFAULT;
    if (shape.int_in) {
        int group;
        if (shim_copy_in(&group, argument, sizeof(group)) != 0)
            return -EFAULT;
        value = group;
        target_sid = console_group_session(group);
    }
    bool ttou_held = console_signal_held(SIGTTOU);
    struct signal_watch watch;
    signal_watch_start(&watch);
    for (unsigned retries = 0;; retries++) {
        struct console_identity identity = console_identity();
        struct aramid_vfs_tty_ioctl_request call = {
            .request = (long)(request | (ttou_held ? VFS_TTY_TTOU_IGNORED : 0) |
                              (noctty ? VFS_TTY_REQUEST_NOCTTY : 0)),
            .value = value,
            .pid = identity.pid,
            .pgid = identity.pgid,
            .sid = identity.sid,
            .target_sid = target_sid,
        };
        struct aramid_vfs_tty_ioctl_reply reply = {0};
        size_t reply_bytes = 0;
        if (shape.in > 0)
            memcpy((void *)sys_ipc_buffer(), in, shape.in);
        long result = shim_error_from_sys(
            aramid_vfs_call_tty_ioctl(&call, shape.in, &reply, &reply_bytes));
        if (console_again(&result, &watch, retries))
            continue; /* SIGTTOU for a background change: asked again once continued */
        if (result < 0)
            return result;
        if (shape.out > 0) {
            if (reply_bytes != shape.out)
                return -EIO;
            return shim_copy_out(argument, (const void *)sys_ipc_buffer(), shape.out) == 0
                       ? 0
                       : -EFAULT;
        }
        if (shape.int_out) {
            int answer = (int)reply.value;
            return shim_copy_out(argument, &answer, sizeof(answer)) == 0 ? 0 : -EFAULT;
        }
        return 0;
    }
}

long console_tty_ioctl(struct fd_file *file, unsigned long request, void *argument)
{
    if (request == VFS_TTY_WRITE_CHECK)
        return -ENOTTY; /* vfs's own, not a Linux request */
    return console_tty_request(request, argument, file->size == CONSOLE_TTY_NOCTTY);
}

/*
 * TOSTOP: the terminal's settings are vfs's; its state page (tty_state, mapped read-only at a
 * process's first console write; a fork child inherits the mapping and the pointer) says
 * whether TOSTOP is set, so a write asks vfs only then. console_tty_lflag points at the
 * page's word, or at console_unmapped (all bits: the first write comes here and maps it) or
 * console_unchecked (no page: never checked). console_state_taken: 0 untried, 1 being mapped.
 */
static const unsigned long console_unmapped = ~0ul;
static const unsigned long console_unchecked;
const unsigned long *console_tty_lflag = &console_unmapped;
static int console_state_taken;

/* Maps the state page once; false when this write is not to be checked. */
static bool console_state_map(void)
{
    int untried = 0;
    if (!__atomic_compare_exchange_n(&console_state_taken, &untried, 1, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
        return false; /* another thread maps it: this write does not check */
    const unsigned long *word = &console_unchecked;
    aramid_handle_t object;
    if (vfs_available() && aramid_vfs_tty_state(&object) == 0) {
        long mapped = aramid_memory_map(shim_self_space, SHIM_PAGE_SIZE, ARAMID_PROT_READ, object, 0);
        if (mapped > 0)
            word = &((const struct aramid_vfs_tty_state *)mapped)->lflag;
        (void)sys_handle_close(object); /* the mapping keeps the page */
    }
    __atomic_store_n(&console_tty_lflag, word, __ATOMIC_RELEASE);
    return true;
}

long console_tty_write_check(void)
{
    if (__atomic_load_n(&console_tty_lflag, __ATOMIC_ACQUIRE) == &console_unmapped &&
        !console_state_map())
        return 0;
    if (!(__atomic_load_n(console_tty_lflag, __ATOMIC_ACQUIRE) & ARAMID_TOSTOP))
        return 0;
    long result = console_tty_request(VFS_TTY_WRITE_CHECK, NULL, true);
    return result == -ENOTTY ? 0 : result; /* no terminal to stop for */
}

long console_tty_opened(bool controlling, bool noctty)
{
    int sid;
    struct console_identity identity = console_identity();
    long result = console_tty_request(ARAMID_TIOCGSID, &sid, noctty);
    /* /dev/tty is the caller's controlling terminal: ENXIO without one, as Linux (unknowable
     * without process groups: then it is the console). */
    if (controlling && result == -ENOTTY && identity.sid > 0)
        return -ENXIO;
    return 0;
}
