/* The tty line discipline: typed bytes in, readable input, echo and signals out. Pure logic (no
 * system calls, no clock, no allocation), host-tested in tests/unit/test_tty.c; the vfs server
 * runs one per terminal (/dev/console, /dev/tty), posix-shim's console backend one per process
 * until then. */
#ifndef ARAMID_TTY_H
#define ARAMID_TTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <aramid/termios.h>

/*
 * Sizes. A canonical line holds at most TTY_LINE_MAX bytes before its terminator (Linux: 4095);
 * further bytes are dropped (and echoed as BEL with IMAXBEL). The input queue holds at most
 * TTY_QUEUE_SIZE bytes of finished lines (canonical) or raw input; bytes that find it full are
 * dropped, as on Linux.
 */
#define TTY_LINE_MAX 4095
#define TTY_QUEUE_SIZE 8192
/* An echo buffer of this size always has room for what one input byte echoes (a KILL erasing
 * a full line of tabs with ECHOKE: up to 8 backspaces per byte). */
#define TTY_ECHO_MIN (8 * TTY_LINE_MAX + 16)

/* Signals the discipline asks its caller to send to the foreground process group (Linux
 * numbers, as everywhere in Aramid). */
#define TTY_SIGNAL_INTERRUPT 2 /* SIGINT: VINTR, ^C */
#define TTY_SIGNAL_QUIT 3      /* SIGQUIT: VQUIT, ^\ */
#define TTY_SIGNAL_STOP 20     /* SIGTSTP: VSUSP, ^Z */
#define TTY_SIGNAL_WINCH 28    /* SIGWINCH: tty_set_winsize changed the size */

/* tty_read's answer when the caller must wait for more input (or for the VTIME timer). */
#define TTY_WOULD_BLOCK (-11L) /* -EAGAIN */
#define TTY_EINVAL (-22L)

/* Per-slot marks of the input queue (canonical mode). */
#define TTY_MARK_DATA 0
#define TTY_MARK_LINE_END 1 /* this byte ends a line and is read with it ('\n', VEOL, VEOL2) */
#define TTY_MARK_EOF 2      /* this byte is VEOF: ends a line, is not read; alone, read gives 0 */

/*
 * A terminal's state. Invariants: line[0, line_length) is the canonical line being edited
 * (empty in non-canonical mode); the queue holds queue_count bytes from queue_tail (mod
 * TTY_QUEUE_SIZE), each with its mark; lines_ready counts the queued bytes marked LINE_END or
 * EOF. column is where the terminal's cursor is believed to be (echo and tty_output move it),
 * line_column where the line being edited started.
 */
struct tty {
    struct aramid_termios termios;
    struct aramid_winsize winsize;
    long foreground_group; /* TIOCGPGRP/TIOCSPGRP; 0 until set */
    long session;          /* the controlling session (TIOCSCTTY, TIOCGSID); 0: none */
    uint8_t line[TTY_LINE_MAX];
    size_t line_length;
    uint8_t queue[TTY_QUEUE_SIZE];
    uint8_t marks[TTY_QUEUE_SIZE];
    size_t queue_tail;
    size_t queue_count;
    size_t lines_ready;
    bool literal_next;   /* VLNEXT seen: the next byte is data */
    bool output_stopped; /* IXON: VSTOP seen, VSTART not yet */
    unsigned column;
    unsigned line_column;
    uint64_t dropped; /* input bytes lost to a full line or queue */
};

/* Linux's defaults: ICRNL IXON; OPOST ONLCR; B38400 CS8 CREAD HUPCL; ISIG ICANON ECHO ECHOE
 * ECHOK ECHOCTL ECHOKE IEXTEN; ^C ^\ DEL ^U ^D, VMIN 1, VTIME 0, ^Q ^S ^Z ^R ^O ^W ^V; 24x80. */
void tty_init(struct tty *tty);

/*
 * What tty_input produced: echo[0, echo_length) is to be written to the terminal (output
 * processing applied: "\r\n" for '\n' with OPOST ONLCR); signal is 0 or a TTY_SIGNAL_* to send
 * to the foreground group. wake: input became readable (wake a blocked reader, signal
 * readiness).
 */
struct tty_input_result {
    size_t echo_length;
    int signal;
    bool wake;
};

/*
 * Feeds typed bytes (input processing: ISTRIP, INLCR, IGNCR, ICRNL; IXON's VSTOP/VSTART;
 * ISIG's VINTR, VQUIT, VSUSP, which flush the queue and the line unless NOFLSH; canonical
 * editing with VERASE, VWERASE (IEXTEN), VKILL, VEOF, VEOL, VEOL2, VREPRINT and VLNEXT
 * (IEXTEN); ECHO, ECHOE, ECHOK, ECHOKE, ECHONL, ECHOCTL). echo must hold echo_size >=
 * TTY_ECHO_MIN bytes. Returns how many bytes were taken: all of them, or fewer when a signal
 * byte was taken (result->signal: the caller sends it, then feeds the rest) or when echo is
 * nearly full (write it out, then feed the rest). Returns 0 with echo_size < TTY_ECHO_MIN.
 */
size_t tty_input(struct tty *tty, const uint8_t *bytes, size_t length, uint8_t *echo,
                 size_t echo_size, struct tty_input_result *result);

/*
 * Reads up to length bytes. Canonical: one line at most (with its '\n', VEOL or VEOL2; not
 * with VEOF), 0 at end of file (VEOF at the start of a line), else TTY_WOULD_BLOCK until a line
 * is finished. Non-canonical, by VMIN and VTIME (timed_out: the caller's wait for
 * tty_read_timeout() expired): MIN 0 TIME 0 returns what is there, possibly 0; MIN > 0 waits for
 * min(MIN, length) bytes, and with TIME > 0 returns what came once the timer expired after a
 * byte; MIN 0 TIME > 0 returns what is there, or 0 once the timer expired. length 0 gives 0.
 */
long tty_read(struct tty *tty, uint8_t *buffer, size_t length, bool timed_out);

/* The timeout in nanoseconds the caller puts on its wait after tty_read returned
 * TTY_WOULD_BLOCK (VTIME tenths of a second; restart it at each wait); 0: wait without one. */
uint64_t tty_read_timeout(const struct tty *tty);

/* 1 when a read would not block (poll's POLLIN), else 0; FIONREAD's count in *bytes. */
int tty_readable(const struct tty *tty, size_t *bytes);

void tty_get_termios(const struct tty *tty, struct aramid_termios *termios);
/* TCSANOW or TCSADRAIN: take the settings (output is written through at once, so draining
 * is immediate); TCSAFLUSH: also discard unread input. Leaving canonical mode makes the line
 * being edited readable; entering it makes queued input one readable line. Returns 0 or
 * TTY_EINVAL (unknown action). */
long tty_set_termios(struct tty *tty, const struct aramid_termios *termios, int action);
/* TCIFLUSH discards unread input and the line being edited; TCOFLUSH has nothing to discard
 * (echo is handed out at once); TCIOFLUSH both. Returns 0 or TTY_EINVAL. */
long tty_flush(struct tty *tty, int queue);

void tty_get_winsize(const struct tty *tty, struct aramid_winsize *size);
/* Returns TTY_SIGNAL_WINCH when the size changed (send it to the foreground group), else 0. */
int tty_set_winsize(struct tty *tty, const struct aramid_winsize *size);

/*
 * Output processing of bytes written to the terminal (OPOST: ONLCR, OCRNL, ONOCR, ONLRET,
 * OLCUC; XTABS expands tabs), tracking the column for the echo of erased tabs. Writes at most
 * out_size bytes to out (their count in *out_length) and returns how many input bytes were
 * taken (out_size >= 8 always makes progress).
 */
size_t tty_output(struct tty *tty, const uint8_t *bytes, size_t length, uint8_t *out,
                  size_t out_size, size_t *out_length);
/* Moves the column as if bytes had been written without output processing (a caller whose
 * output goes around tty_output). */
void tty_track_output(struct tty *tty, const uint8_t *bytes, size_t length);

#endif
