/* posix-shim console backend: stdout plain, stderr framed for aramid-run; input and terminal
 * requests by console_tty.c. */
#include <errno.h>
#include <sys/stat.h>

#include <aramid/termios.h>

#include "event.h"
#include "fd.h"
#include "shim.h"

/* The kernel refuses longer debug_writes (DEBUG_WRITE_MAX); stay well below. */
#define CONSOLE_WRITE_CHUNK (64 * 1024ul)
/*
 * A stderr frame (docs/sdk.md): "\033]aramid-stderr:TOKEN:LEN;" LEN bytes "\a", TOKEN 16 hex
 * digits, LEN decimal, at most CONSOLE_FRAME_PAYLOAD. One frame is one debug_write, which the
 * kernel puts on the console without interruption (on one CPU).
 */
#define CONSOLE_FRAME_PAYLOAD 4096ul
#define CONSOLE_FRAME_HEADER_MAX 48

unsigned long shim_console_token;

/* Writes length bytes in one debug_write; returns what the kernel returned (converted). */
static long console_debug_write(const char *bytes, size_t length)
{
    return shim_error_from_sys(sys_debug_write(bytes, length));
}

/* Puts the decimal or 16-digit hex value at out; returns the number of characters. */
static size_t console_format(char *out, unsigned long value, int hex)
{
    char digits[24];
    size_t count = 0;
    if (hex) {
        for (int shift = 60; shift >= 0; shift -= 4)
            digits[count++] = "0123456789abcdef"[(value >> shift) & 0xf];
    } else {
        do {
            digits[count++] = (char)('0' + value % 10);
            value /= 10;
        } while (value != 0);
        for (size_t i = 0; i < count / 2; i++) {
            char swap = digits[i];
            digits[i] = digits[count - 1 - i];
            digits[count - 1 - i] = swap;
        }
    }
    for (size_t i = 0; i < count; i++)
        out[i] = digits[i];
    return count;
}

/* One frame of at most CONSOLE_FRAME_PAYLOAD bytes. Returns length or -errno. */
static long console_write_frame(const char *bytes, size_t length)
{
    static const char prefix[] = "\033]aramid-stderr:";
    char frame[CONSOLE_FRAME_HEADER_MAX + CONSOLE_FRAME_PAYLOAD + 1];
    size_t used = 0;
    for (size_t i = 0; i < sizeof(prefix) - 1; i++)
        frame[used++] = prefix[i];
    used += console_format(frame + used, shim_console_token, 1);
    frame[used++] = ':';
    used += console_format(frame + used, length, 0);
    frame[used++] = ';';
    /* Through the kernel: a bad buffer gives EFAULT (as the unframed debug_write does). */
    if (shim_copy_in(frame + used, bytes, length) != 0)
        return -EFAULT;
    used += length;
    frame[used++] = '\a';
    long written = console_debug_write(frame, used);
    if (written < 0)
        return written;
    return (size_t)written == used ? (long)length : -EIO; /* a cut frame is lost */
}

long shim_console_write(unsigned long stream, const void *text, size_t length)
{
    const char *bytes = text;
    int framed = stream == SHIM_CONSOLE_STDERR && shim_console_token != 0;
    size_t limit = framed ? CONSOLE_FRAME_PAYLOAD : CONSOLE_WRITE_CHUNK;
    size_t done = 0;
    while (done < length) {
        size_t chunk = length - done < limit ? length - done : limit;
        long written = framed ? console_write_frame(bytes + done, chunk)
                              : console_debug_write(bytes + done, chunk);
        if (written <= 0)
            return done > 0 ? (long)done : (written < 0 ? written : -EIO);
        console_tty_track_output(bytes + done, (size_t)written);
        done += (size_t)written;
    }
    return (long)done;
}

static long console_write(struct fd_file *file, const void *buffer, size_t length)
{
    long checked = __builtin_expect(__atomic_load_n(console_tty_lflag, __ATOMIC_RELAXED) &
                                        ARAMID_TOSTOP, 0)
                       ? console_tty_write_check()
                       : 0;
    return checked < 0 ? checked : shim_console_write(file->index, buffer, length);
}

static long console_stat(struct fd_file *file, struct stat *status)
{
    (void)file;
    status->st_mode = S_IFCHR | 0620;
    status->st_nlink = 1;
    status->st_blksize = 1024;
    return 0;
}

static int console_is_terminal(struct fd_file *file)
{
    (void)file;
    return 1;
}

/* A terminal description polled or watched has readiness state (event.h). */
static void console_release(struct fd_file *file)
{
    event_file_forget(file);
}

const struct fd_backend console_backend = {
    .name = "console",
    .read = console_tty_read,
    .write = console_write,
    .stat = console_stat,
    .is_terminal = console_is_terminal,
    .release = console_release,
    .ioctl = console_tty_ioctl,
    .event_data = 1,
};
