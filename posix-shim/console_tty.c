/* posix-shim console input: a line discipline (servers/vfs/tty.c) of this process's own over
 * the kernel's console input, for reads and terminal ioctls of the console descriptors. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

#include "fd.h"
#include "shim.h"
#include "tty.h"

/*
 * Until the vfs server serves /dev/console, each process runs its own discipline: settings,
 * the line being edited and typed-ahead input are per process (a fork child starts with a
 * copy; execve with a fresh one). Input is taken from the kernel only while the process reads
 * (or asks FIONREAD), so ^C reaches a program while it reads the console, not while it runs.
 * ISIG's signals go to the foreground group, which without process groups in proc is this
 * process (or, after TIOCSPGRP, the process of that number). Without a console handle
 * (aramid-run without terminal input, the kernel's console_input=off) reads are at end of
 * file, as before.
 */
#define CONSOLE_READ_CHUNK 256
#define CONSOLE_INPUT_BIT 1ul

static struct tty console_tty;
static bool console_tty_ready;
static aramid_handle_t console_notification; /* bound to the console input; 0: not yet */
static uint8_t console_echo[TTY_ECHO_MIN];

static aramid_handle_t console_input_handle(void)
{
    return shim_started_by_proc ? aramid_proc_self.console : shim_bootinfo->console;
}

static struct tty *console_tty_get(void)
{
    if (!console_tty_ready) {
        tty_init(&console_tty);
        console_tty.foreground_group = getpid();
        console_tty_ready = true;
    }
    return &console_tty;
}

void console_tty_fork_child(void)
{
    console_notification = 0; /* the parent's handle value means nothing here */
}

void console_tty_track_output(const void *bytes, size_t length)
{
    if (console_tty_ready)
        tty_track_output(&console_tty, bytes, length);
}

/* Writes echo to the console. The kernel's console turns every '\n' into "\r\n" itself, so
 * the '\r' of ONLCR's "\r\n" is left out. */
static void console_tty_echo(const uint8_t *bytes, size_t length)
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

/* A signal from ISIG (or SIGWINCH) to the foreground group. */
static void console_tty_signal(struct tty *tty, int signal)
{
    if (tty->foreground_group == getpid())
        (void)signal_send_self(signal);
    else
        (void)kill((pid_t)tty->foreground_group, signal);
}

/* Feeds the discipline what the kernel has received. Returns 1 when it sent a signal, 0, or
 * -errno. */
static long console_tty_pull(struct tty *tty)
{
    aramid_handle_t handle = console_input_handle();
    uint8_t bytes[CONSOLE_READ_CHUNK];
    long signalled = 0;
    if (handle <= 0)
        return 0;
    for (;;) {
        long received = sys_console_read(handle, bytes, sizeof bytes);
        if (received == -ARAMID_EAGAIN)
            return signalled;
        if (received < 0)
            return shim_error_from_sys(received);
        for (size_t used = 0; used < (size_t)received;) {
            struct tty_input_result result;
            used += tty_input(tty, bytes + used, (size_t)received - used, console_echo,
                              sizeof console_echo, &result);
            console_tty_echo(console_echo, result.echo_length);
            if (result.signal) {
                console_tty_signal(tty, result.signal);
                signalled = 1;
            }
        }
    }
}

/* Waits for console input, at most timeout nanoseconds (0: no limit). Returns 0 when woken,
 * 1 when the time is up, -EINTR when a signal interrupted it, or -errno. */
static long console_tty_wait(uint64_t timeout)
{
    if (console_notification == 0) {
        long notification = sys_notification_create(0, 0);
        if (notification < 0)
            return shim_error_from_sys(notification);
        long bound = sys_console_bind(console_input_handle(), notification, CONSOLE_INPUT_BIT);
        if (bound < 0) {
            (void)sys_handle_close(notification);
            return shim_error_from_sys(bound);
        }
        console_notification = notification;
    }
    /* deadline 0: no limit; a deadline already past gives -ETIMEDOUT at once. */
    unsigned long deadline = timeout ? aramid_clock_monotonic_ns() + timeout : 0;
    long bits = aramid_notify_wait(console_notification, deadline, NULL);
    if (bits == -ARAMID_ETIMEDOUT)
        return 1;
    return bits < 0 ? shim_error_from_sys(bits) : 0;
}

long console_tty_read(struct fd_file *file, void *buffer, size_t length)
{
    uint8_t chunk[TTY_LINE_MAX + 1];
    struct signal_watch watch;
    bool timed_out = false;
    if (console_input_handle() <= 0)
        return 0; /* no input connected: end of file */
    struct tty *tty = console_tty_get();
    if (length > sizeof chunk)
        length = sizeof chunk;
    signal_watch_start(&watch);
    for (;;) {
        long pulled = console_tty_pull(tty);
        if (pulled < 0)
            return pulled;
        if (pulled > 0 && signal_watch_interrupts(&watch, true))
            return -EINTR;
        long n = tty_read(tty, chunk, length, timed_out);
        if (n >= 0)
            return shim_copy_out(buffer, chunk, (size_t)n) == 0 ? n : -EFAULT;
        if (file->status_flags & O_NONBLOCK)
            return -EAGAIN;
        long waited = console_tty_wait(tty_read_timeout(tty));
        if (waited == -EINTR && !signal_watch_interrupts(&watch, true))
            continue;
        if (waited < 0)
            return waited;
        timed_out = waited == 1;
    }
}

/* Copies a request's argument in or out: 0 or -EFAULT. */
static long console_tty_in(void *destination, const void *argument, size_t size)
{
    return shim_copy_in(destination, argument, size) == 0 ? 0 : -EFAULT;
}

static long console_tty_out(void *argument, const void *source, size_t size)
{
    return shim_copy_out(argument, source, size) == 0 ? 0 : -EFAULT;
}

long console_tty_ioctl(struct fd_file *file, unsigned long request, void *argument)
{
    struct tty *tty = console_tty_get();
    struct aramid_termios termios;
    struct aramid_winsize size;
    int value;
    long result;
    (void)file;
    switch (request) {
    case ARAMID_TCGETS:
        tty_get_termios(tty, &termios);
        return console_tty_out(argument, &termios, sizeof(termios));
    case ARAMID_TCSETS:
    case ARAMID_TCSETSW:
    case ARAMID_TCSETSF:
        result = console_tty_in(&termios, argument, sizeof(termios));
        if (result == 0 && request == ARAMID_TCSETSF)
            result = console_tty_pull(tty) < 0 ? -EIO : 0; /* typed so far: flushed too */
        if (result == 0)
            result = tty_set_termios(tty, &termios, (int)(request - ARAMID_TCSETS));
        return result == 0 ? 0 : (result == TTY_EINVAL ? -EINVAL : result);
    case ARAMID_TIOCGWINSZ:
        tty_get_winsize(tty, &size);
        return console_tty_out(argument, &size, sizeof(size));
    case ARAMID_TIOCSWINSZ:
        result = console_tty_in(&size, argument, sizeof(size));
        if (result == 0 && tty_set_winsize(tty, &size) != 0)
            console_tty_signal(tty, SIGWINCH);
        return result;
    case ARAMID_TIOCGPGRP:
    case ARAMID_TIOCSPGRP:
        /* proc has no process groups or sessions yet (getpgrp is ENOSYS), so the console is
         * no one's controlling terminal: a foreground group that getpgrp could never match
         * made dash's job-control start loop on SIGTTIN. As for a process without a
         * controlling terminal on Linux: ENOTTY, and shells run without job control. */
        (void)value;
        return -ENOTTY;
    case ARAMID_TCFLSH:
        if ((long)argument == ARAMID_TCIFLUSH || (long)argument == ARAMID_TCIOFLUSH) {
            result = console_tty_pull(tty); /* what was typed so far goes too */
            if (result < 0)
                return result;
        }
        return tty_flush(tty, (int)(long)argument) == 0 ? 0 : -EINVAL;
    case ARAMID_TCSBRK:
        return 0; /* drain: console writes are complete when write returns; no break line */
    case ARAMID_FIONREAD: {
        size_t bytes;
        result = console_tty_pull(tty);
        if (result < 0)
            return result;
        (void)tty_readable(tty, &bytes);
        value = (int)bytes;
        return console_tty_out(argument, &value, sizeof(value));
    }
    default:
        return -ENOTTY;
    }
}
