/* The console terminal in vfs: the kernel's console input through the line discipline (tty.c),
 * echo, ISIG's signals to the foreground group, and tty_read / tty_ioctl with kept reads. */
#include "vfs.h"

#include <aramid/proto/proc.h>
#include <aramid/proto/ready.h>

#include "kstring.h"
#include "tty.h"
#include "tty_control.h"

/*
 * One terminal, always listening: the console's input notification (a child of vfs's bound
 * notification) wakes the receive loop, which feeds every byte to the discipline at once, so
 * echo, erasing and ^C work whether or not anyone reads. Settings and typed-ahead input belong
 * to the terminal, shared by every process. Reads that must wait are kept with their reply
 * token (at most VFS_CONSOLE_READERS_MAX, oldest served first); VTIME is a kernel timer on a
 * second child notification, armed for the earliest kept read's deadline.
 */
#define VFS_CONSOLE_READERS_MAX 32
#define VFS_CONSOLE_CHUNK 256
#define VFS_CONSOLE_INPUT_BIT 1ul

/* The state page (tty_state): made at start, mapped here read-write and by clients read-only;
 * vfs_console_publish keeps it equal to the settings. */
#define VFS_CONSOLE_STATE_ADDRESS 0x3e0000000000ul
#define VFS_CONSOLE_STATE_BYTES 4096ul

struct vfs_console_reader {
    unsigned long token; /* 0: a free slot */
    unsigned long process;
    unsigned long order;    /* first come, first served */
    unsigned long deadline; /* VTIME: monotonic ns, 0: none */
    long length;
    long pid;
    unsigned shared_index; /* the caller's shared buffer the bytes go to */
};

static struct {
    struct tty tty;
    aramid_handle_t input;          /* the kernel's console (read), 0: no input */
    aramid_handle_t notification;   /* bound to the input */
    aramid_handle_t timer;          /* VTIME */
    unsigned long leader;           /* the kernel id of the session leader that acquired it */
    long last_reader;               /* pid of the latest reader (signals without groups) */
    unsigned long order;
    unsigned long input_events; /* readiness generation: batches of typed input */
    struct vfs_console_reader readers[VFS_CONSOLE_READERS_MAX];
    uint8_t echo[TTY_ECHO_MIN];
    aramid_handle_t state_object;         /* 0: none (tty_state answers -ENOMEM) */
    struct aramid_vfs_tty_state *state; /* its mapping here */
} vfs_console;

/* The state page says what the settings are now (release: a client that reads it after our
 * answer to the call that changed them sees the change). */
static void vfs_console_publish(void)
{
    if (vfs_console.state != NULL)
        __atomic_store_n(&vfs_console.state->lflag, vfs_console.tty.termios.c_lflag,
                         __ATOMIC_RELEASE);
}

/* The state page; without one, console writes never check TOSTOP (as before it). */
static void vfs_console_state_start(void)
{
    long object = sys_memory_object_create(VFS_CONSOLE_STATE_BYTES);
    long mapped = object < 0 ? object
                             : sys_vm_map(vfs.space, VFS_CONSOLE_STATE_ADDRESS,
                                          VFS_CONSOLE_STATE_BYTES,
                                          ARAMID_PROT_READ | ARAMID_PROT_WRITE, object, 0);
    if (mapped < 0) {
        if (object > 0)
            (void)sys_handle_close(object);
        return;
    }
    vfs_console.state_object = object;
    vfs_console.state = (struct aramid_vfs_tty_state *)VFS_CONSOLE_STATE_ADDRESS;
    vfs_console_publish();
}

enum vfs_action vfs_do_tty_state(struct vfs_call *call,
                                 const struct aramid_vfs_tty_state_request *request,
                                 struct aramid_vfs_tty_state_reply *reply)
{
    (void)request;
    long copy = vfs_console.state_object <= 0
                    ? -ARAMID_ENOMEM
                    : sys_handle_duplicate(vfs_console.state_object,
                                           ARAMID_RIGHT_READ | ARAMID_RIGHT_MAP | ARAMID_RIGHT_GRANT);
    if (copy > 0)
        call->grant_out = copy;
    reply->result = copy < 0 ? copy : 0;
    return VFS_REPLY;
}

long vfs_console_start(aramid_handle_t input)
{
    tty_init(&vfs_console.tty);
    vfs_console_state_start();
    if (input <= 0)
        return 0;
    long notification = sys_notification_create(vfs.exits, VFS_CONSOLE_INPUT_KEY);
    long timer = sys_notification_create(vfs.exits, VFS_CONSOLE_TIMER_KEY);
    if (notification < 0 || timer < 0)
        return -ARAMID_ENOMEM;
    long bound = sys_console_bind(input, notification, VFS_CONSOLE_INPUT_BIT);
    if (bound < 0)
        return bound;
    vfs_console.input = input;
    vfs_console.notification = notification;
    vfs_console.timer = timer;
    return 0;
}

/* Writes echo to the console. The kernel's console turns every '\n' into "\r\n" itself, so
 * the '\r' of ONLCR's "\r\n" is left out. */
static void vfs_console_write_echo(const uint8_t *bytes, size_t length)
{
    size_t start = 0;
    for (size_t i = 0; i < length; i++) {
        if (bytes[i] == '\r' && i + 1 < length && bytes[i + 1] == '\n') {
            if (i > start)
                (void)sys_debug_write((const char *)bytes + start, i - start);
            start = i + 1;
        }
    }
    if (length > start)
        (void)sys_debug_write((const char *)bytes + start, length - start);
}

/* Sends signal to process group group through proc; 0 or -errno. */
static long vfs_console_kill_group(long group, int signal)
{
    if (group <= 0 || vfs.proc <= 0)
        return -ARAMID_ESRCH;
    return aramid_proc_kill(-group, signal);
}

static void vfs_console_answer(struct vfs_console_reader *reader, long result, long signal)
{
    unsigned long token = reader->token;
    reader->token = 0;
    struct aramid_message message = {.info = ARAMID_IPC_INFO(ARAMID_VFS_tty_read, 0)};
    message.words[0] = (unsigned long)result;
    message.words[1] = (unsigned long)signal;
    (void)aramid_ipc_reply(token, &message); /* -ESRCH: the caller is gone, inert */
}

/*
 * A signal typed at the terminal (or SIGWINCH): to the foreground group through proc. Without
 * process groups (proc does not know them, or the terminal has no session yet) the kept reads
 * of the latest reader end with -EINTR and the signal, which the reader raises itself: ^C
 * then reaches a program while it reads, as before vfs served the console.
 */
static void vfs_console_signal(int signal)
{
    if (vfs_console_kill_group(vfs_console.tty.foreground_group, signal) == 0)
        return;
    for (unsigned i = 0; i < VFS_CONSOLE_READERS_MAX; i++) {
        struct vfs_console_reader *reader = &vfs_console.readers[i];
        if (reader->token != 0 && reader->pid == vfs_console.last_reader)
            vfs_console_answer(reader, -ARAMID_EINTR, signal);
    }
}

/* Arms the VTIME timer for the earliest kept deadline (or stops it). */
static void vfs_console_arm_timer(void)
{
    unsigned long earliest = 0;
    for (unsigned i = 0; i < VFS_CONSOLE_READERS_MAX; i++) {
        const struct vfs_console_reader *reader = &vfs_console.readers[i];
        if (reader->token != 0 && reader->deadline != 0 &&
            (earliest == 0 || reader->deadline < earliest))
            earliest = reader->deadline;
    }
    if (vfs_console.timer > 0)
        (void)sys_timer_set(vfs_console.timer, earliest, 0, 1);
}

/* The kept reads, oldest first, read again: those that can go on are answered. input: bytes
 * came (VTIME restarts at each byte, as Linux's inter-byte timer). */
static void vfs_console_retry(bool input)
{
    unsigned long now = aramid_clock_monotonic_ns();
    for (;;) {
        struct vfs_console_reader *oldest = NULL;
        for (unsigned i = 0; i < VFS_CONSOLE_READERS_MAX; i++) {
            struct vfs_console_reader *reader = &vfs_console.readers[i];
            if (reader->token != 0 && (oldest == NULL || reader->order < oldest->order))
                oldest = reader;
        }
        if (oldest == NULL)
            break;
        unsigned char *shared =
            vfs_session_buffer(vfs_session_find(oldest->process), oldest->shared_index);
        if (shared == NULL) {
            vfs_console_answer(oldest, -ARAMID_EBADF, 0);
            continue;
        }
        bool timed_out = oldest->deadline != 0 && oldest->deadline <= now;
        long result = tty_read(&vfs_console.tty, shared, (size_t)oldest->length, timed_out);
        if (result == TTY_WOULD_BLOCK) {
            /* A new byte, or a timer that ran out with nothing to give (VMIN > 0 before the
             * first byte): the timer starts again, never left in the past. */
            uint64_t timeout = tty_read_timeout(&vfs_console.tty);
            if (input || timed_out)
                oldest->deadline = timeout != 0 ? now + timeout : 0;
            /* Later readers cannot go on before this one: they wait behind it. */
            break;
        }
        vfs_console_answer(oldest, result, 0);
    }
    vfs_console_arm_timer();
    vfs_ready_changed(VFS_READY_SOURCE_TTY);
}

uint32_t vfs_console_ready_bits(unsigned long *generation)
{
    *generation = vfs_console.input_events;
    uint32_t bits = ARAMID_POLLOUT | ARAMID_POLLWRNORM;
    size_t bytes;
    bool waiting = false; /* kept reads take what comes first (a poll must not see it) */
    for (unsigned i = 0; i < VFS_CONSOLE_READERS_MAX && !waiting; i++)
        waiting = vfs_console.readers[i].token != 0;
    if (vfs_console.input <= 0 || (!waiting && tty_readable(&vfs_console.tty, &bytes)))
        bits |= ARAMID_POLLIN | ARAMID_POLLRDNORM; /* no input connected: end of file */
    return bits;
}

/* Feeds the discipline everything the kernel received. */
static void vfs_console_pump(void)
{
    uint8_t bytes[VFS_CONSOLE_CHUNK];
    bool input = false;
    for (;;) {
        long received = sys_console_read(vfs_console.input, bytes, sizeof bytes);
        if (received <= 0)
            break; /* -EAGAIN: empty; the next byte signals the notification again */
        input = true;
        for (size_t used = 0; used < (size_t)received;) {
            struct tty_input_result result;
            used += tty_input(&vfs_console.tty, bytes + used, (size_t)received - used,
                              vfs_console.echo, sizeof vfs_console.echo, &result);
            vfs_console_write_echo(vfs_console.echo, result.echo_length);
            if (result.signal)
                vfs_console_signal(result.signal);
        }
    }
    if (input) {
        vfs_console.input_events++;
        vfs_console_retry(true);
    }
}

void vfs_console_notified(unsigned long key)
{
    if (key == VFS_CONSOLE_INPUT_KEY && vfs_console.input > 0)
        vfs_console_pump();
    else if (key == VFS_CONSOLE_TIMER_KEY)
        vfs_console_retry(false);
}

bool vfs_console_cancel(unsigned long token)
{
    for (unsigned i = 0; i < VFS_CONSOLE_READERS_MAX; i++) {
        if (token != 0 && vfs_console.readers[i].token == token) {
            vfs_console_answer(&vfs_console.readers[i], -ARAMID_EINTR, 0);
            vfs_console_arm_timer();
            return true;
        }
    }
    return false;
}

/* The kept reads of process go; if it led the terminal's session, the terminal hangs up (its
 * foreground group hears SIGHUP and SIGCONT, unless it is the leader's own and the leader is
 * still exiting) and is free again. */
static void vfs_console_leave(unsigned long process, bool exiting)
{
    for (unsigned i = 0; i < VFS_CONSOLE_READERS_MAX; i++) {
        if (vfs_console.readers[i].token != 0 && vfs_console.readers[i].process == process)
            vfs_console_answer(&vfs_console.readers[i], -ARAMID_EBADF, 0);
    }
    if (process == vfs_console.leader && vfs_console.leader != 0) {
        long leader_group = vfs_console.tty.session; /* a session leader leads its group */
        long group = tty_control_hang_up(&vfs_console.tty);
        vfs_console.leader = 0;
        if (exiting && group == leader_group)
            return;
        (void)vfs_console_kill_group(group, TTY_SIGNAL_HANGUP);
        (void)vfs_console_kill_group(group, TTY_SIGNAL_CONTINUE);
    }
}

void vfs_console_exited(unsigned long process)
{
    vfs_console_leave(process, false);
}

void vfs_console_exiting(unsigned long process)
{
    vfs_console_leave(process, true);
}

void vfs_console_job(long *session, long *group)
{
    *session = vfs_console.tty.session;
    *group = vfs_console.tty.foreground_group;
}

/* The caller as it says it is; a session leader of a free terminal acquires it, unless it uses
 * a descriptor opened O_NOCTTY (noctty). */
static struct tty_caller vfs_console_caller(const struct vfs_call *call, long pid, long pgid,
                                            long sid, bool noctty)
{
    struct tty_caller caller = {.pid = pid, .pgid = pgid, .sid = sid};
    if (!noctty && tty_control_acquire(&vfs_console.tty, &caller))
        vfs_console.leader = call->process;
    return caller;
}

enum vfs_action vfs_do_tty_read(struct vfs_call *call,
                                const struct aramid_vfs_tty_read_request *request,
                                struct aramid_vfs_tty_read_reply *reply)
{
    if (request->length < 0 || (unsigned long)request->length > VFS_SESSION_BUFFER) {
        reply->result = -ARAMID_EINVAL;
        return VFS_REPLY;
    }
    struct tty_caller caller = vfs_console_caller(call, request->pid, request->pgid, request->sid,
                                                  (request->flags & VFS_TTY_NOCTTY) != 0);
    int signal = 0;
    long checked = tty_control_check_read(&vfs_console.tty, &caller,
                                          (request->flags & VFS_TTY_TTIN_IGNORED) != 0, &signal);
    if (signal != 0)
        (void)vfs_console_kill_group(caller.pgid, signal);
    if (checked < 0) {
        reply->result = checked;
        return VFS_REPLY;
    }
    if (vfs_console.input <= 0) {
        reply->result = 0; /* no input connected: end of file */
        return VFS_REPLY;
    }
    if (request->column > 0 && request->column <= 0x10000)
        vfs_console.tty.column = (unsigned)(request->column - 1);
    vfs_console.last_reader = request->pid;
    bool waiting = false;
    for (unsigned i = 0; i < VFS_CONSOLE_READERS_MAX && !waiting; i++)
        waiting = vfs_console.readers[i].token != 0;
    long result = waiting ? TTY_WOULD_BLOCK
                          : tty_read(&vfs_console.tty, call->shared,
                                     (size_t)request->length, false);
    if (result != TTY_WOULD_BLOCK || (request->flags & VFS_TTY_NONBLOCK)) {
        if (result != TTY_WOULD_BLOCK)
            vfs_ready_changed(VFS_READY_SOURCE_TTY); /* what was read may have been the last */
        reply->result = result == TTY_WOULD_BLOCK ? -ARAMID_EAGAIN : result;
        return VFS_REPLY;
    }
    for (unsigned i = 0; i < VFS_CONSOLE_READERS_MAX && call->reply != 0; i++) {
        struct vfs_console_reader *reader = &vfs_console.readers[i];
        if (reader->token != 0)
            continue;
        uint64_t timeout = tty_read_timeout(&vfs_console.tty);
        *reader = (struct vfs_console_reader){
            .token = call->reply,
            .process = call->process,
            .order = ++vfs_console.order,
            .deadline = timeout != 0 ? aramid_clock_monotonic_ns() + timeout : 0,
            .length = request->length,
            .pid = request->pid,
            .shared_index = call->shared_index,
        };
        vfs_console_arm_timer();
        return VFS_SUSPEND;
    }
    reply->result = -ARAMID_EAGAIN; /* too many waiting */
    return VFS_REPLY;
}

/* tty_control's errors are Linux's values already; TTY_EINTR asks for a retry. */
static enum vfs_action vfs_console_ioctl(struct vfs_call *call, unsigned long request,
                                         long value, const struct tty_caller *caller,
                                         bool ttou_ignored, long target_sid, long *result,
                                         long *answer)
{
    struct tty *tty = &vfs_console.tty;
    int signal = 0;
    long group = 0;
    bool change = request == ARAMID_TCSETS || request == ARAMID_TCSETSW ||
                  request == ARAMID_TCSETSF || request == ARAMID_TCFLSH ||
                  request == ARAMID_TIOCSPGRP ||
                  (request == VFS_TTY_WRITE_CHECK && (tty->termios.c_lflag & ARAMID_TOSTOP));
    if (change) {
        *result = tty_control_check_change(tty, caller, ttou_ignored, &signal);
        if (signal != 0)
            (void)vfs_console_kill_group(caller->pgid, signal);
        if (*result < 0)
            return VFS_REPLY;
    }
    /* What was typed so far counts (FIONREAD) or goes (a flush): take it from the kernel. */
    if (vfs_console.input > 0 && (request == ARAMID_FIONREAD || request == ARAMID_TCSETSF ||
                                  request == ARAMID_TCFLSH))
        vfs_console_pump();
    switch (request) {
    case ARAMID_TCGETS:
        tty_get_termios(tty, (struct aramid_termios *)call->reply_buffer);
        call->reply_bytes = sizeof(struct aramid_termios);
        *result = 0;
        break;
    case ARAMID_TCSETS:
    case ARAMID_TCSETSW:
    case ARAMID_TCSETSF: {
        struct aramid_termios termios;
        if (call->buffer_bytes != sizeof(termios)) {
            *result = -ARAMID_EINVAL;
            break;
        }
        memcpy(&termios, call->buffer, sizeof(termios));
        *result = tty_set_termios(tty, &termios, (int)(request - ARAMID_TCSETS));
        vfs_console_publish();
        vfs_console_retry(false); /* a mode switch may make input readable */
        break;
    }
    case VFS_TTY_WRITE_CHECK:
        *result = 0; /* the check above let it go on */
        break;
    case ARAMID_TIOCGWINSZ:
        tty_get_winsize(tty, (struct aramid_winsize *)call->reply_buffer);
        call->reply_bytes = sizeof(struct aramid_winsize);
        *result = 0;
        break;
    case ARAMID_TIOCSWINSZ: {
        struct aramid_winsize size;
        if (call->buffer_bytes != sizeof(size)) {
            *result = -ARAMID_EINVAL;
            break;
        }
        memcpy(&size, call->buffer, sizeof(size));
        *result = 0;
        if (tty_set_winsize(tty, &size) != 0)
            (void)vfs_console_kill_group(tty->foreground_group, TTY_SIGNAL_WINCH);
        break;
    }
    case ARAMID_TIOCGPGRP:
        *result = tty_control_get_group(tty, caller);
        *answer = *result;
        *result = *result < 0 ? *result : 0;
        break;
    case ARAMID_TIOCGSID:
        *result = tty_control_get_session(tty, caller);
        *answer = *result;
        *result = *result < 0 ? *result : 0;
        break;
    case ARAMID_TIOCSPGRP:
        *result = tty_control_set_group(tty, caller, value, target_sid);
        break;
    case ARAMID_TIOCSCTTY:
        *result = tty_control_set_controlling(tty, caller, value == 1);
        if (*result == 0)
            vfs_console.leader = call->process;
        break;
    case ARAMID_TIOCNOTTY:
        *result = tty_control_give_up(tty, caller, &group);
        if (group > 0) {
            vfs_console.leader = 0;
            (void)vfs_console_kill_group(group, TTY_SIGNAL_HANGUP);
            (void)vfs_console_kill_group(group, TTY_SIGNAL_CONTINUE);
        }
        break;
    case ARAMID_TCFLSH:
        *result = tty_flush(tty, (int)value);
        vfs_ready_changed(VFS_READY_SOURCE_TTY);
        break;
    case ARAMID_TCSBRK:
        *result = 0; /* drain: console writes are complete when write returns; no break line */
        break;
    case ARAMID_FIONREAD: {
        size_t bytes = 0;
        (void)tty_readable(tty, &bytes);
        *answer = (long)bytes;
        *result = 0;
        break;
    }
    default:
        *result = -ARAMID_ENOTTY;
        break;
    }
    return VFS_REPLY;
}

enum vfs_action vfs_do_tty_ioctl(struct vfs_call *call,
                                 const struct aramid_vfs_tty_ioctl_request *request,
                                 struct aramid_vfs_tty_ioctl_reply *reply)
{
    unsigned long word = (unsigned long)request->request;
    struct tty_caller caller = vfs_console_caller(call, request->pid, request->pgid, request->sid,
                                                  (word & VFS_TTY_REQUEST_NOCTTY) != 0);
    long answer = 0;
    enum vfs_action action =
        vfs_console_ioctl(call, word & 0xfffffffful, request->value, &caller,
                          (word & VFS_TTY_TTOU_IGNORED) != 0, request->target_sid,
                          &reply->result, &answer);
    reply->value = answer;
    return action;
}
