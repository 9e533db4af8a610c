/* The tty line discipline (see tty.h): input processing, canonical editing, echo, signals,
 * VMIN/VTIME reads and output processing, after Linux's n_tty. */
#include "tty.h"

#define TTY_OUTPUT_CHAR_MAX 8 /* the most one byte becomes on output: a tab expanded */
#define TTY_NANOSECONDS_PER_TENTH 100000000ull

#define LFLAG(tty, flag) (((tty)->termios.c_lflag & ARAMID_##flag) != 0)
#define IFLAG(tty, flag) (((tty)->termios.c_iflag & ARAMID_##flag) != 0)
#define OFLAG(tty, flag) (((tty)->termios.c_oflag & ARAMID_##flag) != 0)
#define CC(tty, index) ((tty)->termios.c_cc[ARAMID_##index])

static const uint8_t tty_default_cc[ARAMID_NCCS] = {
    [ARAMID_VINTR] = 003,  [ARAMID_VQUIT] = 034,    [ARAMID_VERASE] = 0177,
    [ARAMID_VKILL] = 025,  [ARAMID_VEOF] = 004,     [ARAMID_VTIME] = 0,
    [ARAMID_VMIN] = 1,     [ARAMID_VSTART] = 021,   [ARAMID_VSTOP] = 023,
    [ARAMID_VSUSP] = 032,  [ARAMID_VREPRINT] = 022, [ARAMID_VDISCARD] = 017,
    [ARAMID_VWERASE] = 027, [ARAMID_VLNEXT] = 026,
};

/* Where echo goes while one call of tty_input runs. */
struct tty_echo {
    uint8_t *bytes;
    size_t size;
    size_t used;
};

void tty_init(struct tty *tty)
{
    uint8_t *raw = (uint8_t *)tty;
    for (size_t i = 0; i < sizeof(*tty); i++)
        raw[i] = 0;
    tty->termios.c_iflag = ARAMID_ICRNL | ARAMID_IXON;
    tty->termios.c_oflag = ARAMID_OPOST | ARAMID_ONLCR;
    tty->termios.c_cflag = ARAMID_B38400 | ARAMID_CS8 | ARAMID_CREAD | ARAMID_HUPCL;
    tty->termios.c_lflag = ARAMID_ISIG | ARAMID_ICANON | ARAMID_ECHO | ARAMID_ECHOE |
                           ARAMID_ECHOK | ARAMID_ECHOCTL | ARAMID_ECHOKE | ARAMID_IEXTEN;
    for (int i = 0; i < ARAMID_NCCS; i++)
        tty->termios.c_cc[i] = tty_default_cc[i];
    tty->winsize.ws_row = 24;
    tty->winsize.ws_col = 80;
}

/* c is the enabled control character at index (0 disables it, _POSIX_VDISABLE on Linux). */
static bool tty_is(const struct tty *tty, uint8_t c, int index)
{
    return tty->termios.c_cc[index] != 0 && c == tty->termios.c_cc[index];
}

static bool tty_is_control(uint8_t c)
{
    return c < 0x20 || c == 0x7f;
}

static bool tty_is_continuation(const struct tty *tty, uint8_t c)
{
    return IFLAG(tty, IUTF8) && (c & 0xc0) == 0x80;
}

/* Moves the column over c as a terminal does when c is written out (after processing). */
static void tty_column_advance(struct tty *tty, uint8_t c)
{
    if (c == '\n' || c == '\r')
        tty->column = 0;
    else if (c == '\t')
        tty->column = (tty->column | 7) + 1;
    else if (c == '\b')
        tty->column -= tty->column > 0;
    else if (!tty_is_control(c) && !tty_is_continuation(tty, c))
        tty->column++;
}

/* One byte through output processing into out (room: at least TTY_OUTPUT_CHAR_MAX). Returns
 * the bytes written. */
static size_t tty_output_char(struct tty *tty, uint8_t c, uint8_t *out)
{
    size_t n = 0;
    if (!OFLAG(tty, OPOST)) {
        tty_column_advance(tty, c);
        out[n++] = c;
        return n;
    }
    switch (c) {
    case '\n':
        if (OFLAG(tty, ONLCR))
            out[n++] = '\r';
        out[n++] = '\n';
        if (OFLAG(tty, ONLCR) || OFLAG(tty, ONLRET))
            tty->column = 0;
        return n;
    case '\r':
        if (OFLAG(tty, ONOCR) && tty->column == 0)
            return 0;
        if (OFLAG(tty, OCRNL)) {
            out[n++] = '\n';
            if (OFLAG(tty, ONLRET))
                tty->column = 0;
            return n;
        }
        out[n++] = '\r';
        tty->column = 0;
        return n;
    case '\t': {
        unsigned spaces = 8 - (tty->column & 7);
        tty->column += spaces;
        if ((tty->termios.c_oflag & ARAMID_TABDLY) == ARAMID_XTABS) {
            while (spaces--)
                out[n++] = ' ';
        } else {
            out[n++] = '\t';
        }
        return n;
    }
    default:
        if (OFLAG(tty, OLCUC) && c >= 'a' && c <= 'z')
            c = (uint8_t)(c - 'a' + 'A');
        tty_column_advance(tty, c);
        out[n++] = c;
        return n;
    }
}

static void tty_echo_raw(struct tty *tty, struct tty_echo *echo, uint8_t c)
{
    echo->used += tty_output_char(tty, c, echo->bytes + echo->used);
}

static void tty_echo_string(struct tty *tty, struct tty_echo *echo, const char *text)
{
    while (*text)
        tty_echo_raw(tty, echo, (uint8_t)*text++);
}

/* Echoes a typed byte: control characters as ^X with ECHOCTL (not tab, newline). */
static void tty_echo_char(struct tty *tty, struct tty_echo *echo, uint8_t c)
{
    if (LFLAG(tty, ECHOCTL) && tty_is_control(c) && c != '\t' && c != '\n') {
        tty_echo_raw(tty, echo, '^');
        tty_echo_raw(tty, echo, (uint8_t)(c ^ 0100));
        return;
    }
    tty_echo_raw(tty, echo, c);
}

/* Columns byte c takes on the screen when echoed at column. */
static unsigned tty_width(const struct tty *tty, uint8_t c, unsigned column)
{
    if (c == '\t')
        return 8 - (column & 7);
    if (tty_is_continuation(tty, c))
        return 0;
    if (tty_is_control(c) && LFLAG(tty, ECHOCTL))
        return 2;
    return 1;
}

/* Removes the last character of the line (a whole UTF-8 sequence with IUTF8); with visual
 * erase (ECHO and ECHOE), echoes what takes it off the screen. */
static void tty_erase_last(struct tty *tty, struct tty_echo *echo, bool visual)
{
    size_t end = tty->line_length;
    size_t start = end - 1;
    while (start > 0 && tty_is_continuation(tty, tty->line[start]))
        start--;
    unsigned column = tty->line_column;
    for (size_t i = 0; i < start; i++)
        column += tty_width(tty, tty->line[i], column);
    unsigned width = 0;
    for (size_t i = start; i < end; i++)
        width += tty_width(tty, tty->line[i], column + width);
    uint8_t first = tty->line[start];
    tty->line_length = start;
    if (!visual)
        return;
    for (unsigned i = 0; i < width; i++) {
        if (first == '\t')
            tty_echo_raw(tty, echo, '\b');
        else
            tty_echo_string(tty, echo, "\b \b");
    }
}

static bool tty_is_word(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c == '_';
}

/* VERASE, VWERASE and VKILL on the line being edited. */
static void tty_erase(struct tty *tty, struct tty_echo *echo, uint8_t c, int index)
{
    bool echoing = LFLAG(tty, ECHO);
    if (tty->line_length == 0)
        return;
    if (index == ARAMID_VKILL &&
        (!echoing || !LFLAG(tty, ECHOK) || !LFLAG(tty, ECHOKE) || !LFLAG(tty, ECHOE))) {
        tty->line_length = 0;
        if (echoing) {
            tty_echo_char(tty, echo, c);
            if (LFLAG(tty, ECHOK))
                tty_echo_raw(tty, echo, '\n');
        }
        return;
    }
    if (index == ARAMID_VERASE && echoing && !LFLAG(tty, ECHOE)) {
        tty_erase_last(tty, echo, false);
        tty_echo_char(tty, echo, c);
        return;
    }
    bool seen_word = false;
    while (tty->line_length > 0) {
        uint8_t last = tty->line[tty->line_length - 1];
        if (index == ARAMID_VWERASE) {
            if (tty_is_word(last))
                seen_word = true;
            else if (seen_word)
                break;
        }
        tty_erase_last(tty, echo, echoing);
        if (index == ARAMID_VERASE)
            break;
    }
}

static void tty_queue_push(struct tty *tty, uint8_t c, uint8_t mark)
{
    size_t slot = (tty->queue_tail + tty->queue_count) % TTY_QUEUE_SIZE;
    tty->queue[slot] = c;
    tty->marks[slot] = mark;
    tty->queue_count++;
    if (mark != TTY_MARK_DATA)
        tty->lines_ready++;
}

/* Takes the oldest queued byte; returns its mark. */
static uint8_t tty_queue_pop(struct tty *tty, uint8_t *c)
{
    uint8_t mark = tty->marks[tty->queue_tail];
    *c = tty->queue[tty->queue_tail];
    tty->queue_tail = (tty->queue_tail + 1) % TTY_QUEUE_SIZE;
    tty->queue_count--;
    if (mark != TTY_MARK_DATA)
        tty->lines_ready--;
    return mark;
}

/* The edited line and its terminator c become readable (or are dropped if the queue is full). */
static void tty_commit_line(struct tty *tty, uint8_t c, uint8_t mark)
{
    if (tty->queue_count + tty->line_length + 1 > TTY_QUEUE_SIZE) {
        tty->dropped += tty->line_length + 1;
        tty->line_length = 0;
        return;
    }
    for (size_t i = 0; i < tty->line_length; i++)
        tty_queue_push(tty, tty->line[i], TTY_MARK_DATA);
    tty_queue_push(tty, c, mark);
    tty->line_length = 0;
}

static void tty_flush_input(struct tty *tty)
{
    tty->line_length = 0;
    tty->queue_count = 0;
    tty->queue_tail = 0;
    tty->lines_ready = 0;
    tty->literal_next = false;
}

/* Worst-case echo of c now (see TTY_ECHO_MIN). */
static size_t tty_echo_need(const struct tty *tty)
{
    return 8 * tty->line_length + 16;
}

/* A data byte of the line being edited (canonical) or of the queue (non-canonical). */
static void tty_input_data(struct tty *tty, struct tty_echo *echo, uint8_t c)
{
    if (!LFLAG(tty, ICANON)) {
        if (tty->queue_count >= TTY_QUEUE_SIZE) {
            tty->dropped++;
            return;
        }
        if (LFLAG(tty, ECHO))
            tty_echo_char(tty, echo, c);
        tty_queue_push(tty, c, TTY_MARK_DATA);
        return;
    }
    if (tty->line_length >= TTY_LINE_MAX) {
        tty->dropped++;
        if (IFLAG(tty, IMAXBEL) && LFLAG(tty, ECHO))
            tty_echo_raw(tty, echo, '\a');
        return;
    }
    if (tty->line_length == 0)
        tty->line_column = tty->column;
    tty->line[tty->line_length++] = c;
    if (LFLAG(tty, ECHO))
        tty_echo_char(tty, echo, c);
}

/* Canonical mode's special characters; returns false when c is data. */
static bool tty_input_canonical(struct tty *tty, struct tty_echo *echo, uint8_t c)
{
    bool extended = LFLAG(tty, IEXTEN);
    if (tty_is(tty, c, ARAMID_VERASE) || tty_is(tty, c, ARAMID_VKILL) ||
        (extended && tty_is(tty, c, ARAMID_VWERASE))) {
        int index = tty_is(tty, c, ARAMID_VERASE) ? ARAMID_VERASE
                    : tty_is(tty, c, ARAMID_VKILL) ? ARAMID_VKILL
                                                    : ARAMID_VWERASE;
        tty_erase(tty, echo, c, index);
        return true;
    }
    if (extended && tty_is(tty, c, ARAMID_VLNEXT)) {
        tty->literal_next = true;
        if (LFLAG(tty, ECHO) && LFLAG(tty, ECHOCTL)) {
            tty_echo_raw(tty, echo, '^');
            tty_echo_raw(tty, echo, '\b');
        }
        return true;
    }
    if (extended && tty_is(tty, c, ARAMID_VREPRINT)) {
        if (LFLAG(tty, ECHO)) {
            tty_echo_char(tty, echo, c);
            tty_echo_raw(tty, echo, '\n');
            tty->line_column = tty->column;
            for (size_t i = 0; i < tty->line_length; i++)
                tty_echo_char(tty, echo, tty->line[i]);
        }
        return true;
    }
    if (c == '\n') {
        if (LFLAG(tty, ECHO) || LFLAG(tty, ECHONL))
            tty_echo_raw(tty, echo, '\n');
        tty_commit_line(tty, c, TTY_MARK_LINE_END);
        return true;
    }
    if (tty_is(tty, c, ARAMID_VEOF)) {
        tty_commit_line(tty, c, TTY_MARK_EOF);
        return true;
    }
    if (tty_is(tty, c, ARAMID_VEOL) || tty_is(tty, c, ARAMID_VEOL2)) {
        if (LFLAG(tty, ECHO))
            tty_echo_char(tty, echo, c);
        tty_commit_line(tty, c, TTY_MARK_LINE_END);
        return true;
    }
    return false;
}

/* ISIG's characters: the signal to send, or 0. */
static int tty_signal_of(const struct tty *tty, uint8_t c)
{
    if (!LFLAG(tty, ISIG))
        return 0;
    if (tty_is(tty, c, ARAMID_VINTR))
        return TTY_SIGNAL_INTERRUPT;
    if (tty_is(tty, c, ARAMID_VQUIT))
        return TTY_SIGNAL_QUIT;
    if (tty_is(tty, c, ARAMID_VSUSP))
        return TTY_SIGNAL_STOP;
    return 0;
}

size_t tty_input(struct tty *tty, const uint8_t *bytes, size_t length, uint8_t *echo_bytes,
                 size_t echo_size, struct tty_input_result *result)
{
    struct tty_echo echo = {echo_bytes, echo_size, 0};
    int readable_before = tty_readable(tty, NULL);
    size_t taken = 0;
    result->signal = 0;
    if (echo_size < TTY_ECHO_MIN) {
        result->echo_length = 0;
        result->wake = false;
        return 0;
    }
    while (taken < length && echo.size - echo.used >= tty_echo_need(tty)) {
        uint8_t c = bytes[taken++];
        if (IFLAG(tty, ISTRIP))
            c &= 0x7f;
        if (tty->literal_next) {
            tty->literal_next = false; /* its echo overwrites the '^' VLNEXT showed */
            tty_input_data(tty, &echo, c);
            continue;
        }
        if (c == '\r') {
            if (IFLAG(tty, IGNCR))
                continue;
            if (IFLAG(tty, ICRNL))
                c = '\n';
        } else if (c == '\n' && IFLAG(tty, INLCR)) {
            c = '\r';
        }
        if (IFLAG(tty, IXON)) {
            if (tty_is(tty, c, ARAMID_VSTOP)) {
                tty->output_stopped = true;
                continue;
            }
            if (tty_is(tty, c, ARAMID_VSTART)) {
                tty->output_stopped = false;
                continue;
            }
            if (IFLAG(tty, IXANY))
                tty->output_stopped = false;
        }
        int signal = tty_signal_of(tty, c);
        if (signal) {
            if (!LFLAG(tty, NOFLSH))
                tty_flush_input(tty);
            if (LFLAG(tty, ECHO))
                tty_echo_char(tty, &echo, c);
            result->signal = signal;
            break;
        }
        if (LFLAG(tty, ICANON) && tty_input_canonical(tty, &echo, c))
            continue;
        tty_input_data(tty, &echo, c);
    }
    result->echo_length = echo.used;
    result->wake = !readable_before && tty_readable(tty, NULL);
    return taken;
}

static long tty_read_canonical(struct tty *tty, uint8_t *buffer, size_t length)
{
    size_t copied = 0;
    if (tty->lines_ready == 0)
        return TTY_WOULD_BLOCK;
    while (copied < length && tty->queue_count > 0) {
        uint8_t mark = tty->marks[tty->queue_tail];
        if (mark == TTY_MARK_EOF) {
            uint8_t ignored;
            (void)tty_queue_pop(tty, &ignored);
            return (long)copied; /* 0: end of file */
        }
        (void)tty_queue_pop(tty, &buffer[copied++]);
        if (mark == TTY_MARK_LINE_END)
            break;
    }
    return (long)copied;
}

/* Data bytes queued (VEOF marks left from canonical mode are not data). */
static size_t tty_queued_data(const struct tty *tty)
{
    size_t count = 0;
    for (size_t i = 0; i < tty->queue_count; i++)
        count += tty->marks[(tty->queue_tail + i) % TTY_QUEUE_SIZE] != TTY_MARK_EOF;
    return count;
}

static long tty_read_raw(struct tty *tty, uint8_t *buffer, size_t length, bool timed_out)
{
    size_t minimum = CC(tty, VMIN), available = tty_queued_data(tty);
    bool timed = CC(tty, VTIME) != 0;
    if (minimum > length)
        minimum = length;
    bool ready;
    if (minimum == 0)
        ready = available > 0 || !timed || timed_out;
    else
        ready = available >= minimum || (timed && timed_out && available > 0);
    if (!ready)
        return TTY_WOULD_BLOCK;
    size_t copied = 0;
    while (copied < length && tty->queue_count > 0) {
        uint8_t c;
        if (tty_queue_pop(tty, &c) != TTY_MARK_EOF)
            buffer[copied++] = c;
    }
    return (long)copied;
}

long tty_read(struct tty *tty, uint8_t *buffer, size_t length, bool timed_out)
{
    if (length == 0)
        return 0;
    if (LFLAG(tty, ICANON))
        return tty_read_canonical(tty, buffer, length);
    return tty_read_raw(tty, buffer, length, timed_out);
}

uint64_t tty_read_timeout(const struct tty *tty)
{
    if (LFLAG(tty, ICANON) || CC(tty, VTIME) == 0)
        return 0;
    /* With VMIN > 0 the timer runs between bytes: only once one has come. */
    if (CC(tty, VMIN) > 0 && tty_queued_data(tty) == 0)
        return 0;
    return CC(tty, VTIME) * TTY_NANOSECONDS_PER_TENTH;
}

int tty_readable(const struct tty *tty, size_t *bytes)
{
    size_t available = tty_queued_data(tty);
    if (bytes)
        *bytes = available;
    if (LFLAG(tty, ICANON))
        return tty->lines_ready > 0;
    size_t minimum = CC(tty, VMIN) && !CC(tty, VTIME) ? CC(tty, VMIN) : 1;
    return available >= minimum;
}

void tty_get_termios(const struct tty *tty, struct aramid_termios *termios)
{
    *termios = tty->termios;
}

long tty_set_termios(struct tty *tty, const struct aramid_termios *termios, int action)
{
    if (action != ARAMID_TCSANOW && action != ARAMID_TCSADRAIN && action != ARAMID_TCSAFLUSH)
        return TTY_EINVAL;
    bool was_canonical = LFLAG(tty, ICANON);
    if (action == ARAMID_TCSAFLUSH)
        tty_flush_input(tty);
    tty->termios = *termios;
    bool canonical = LFLAG(tty, ICANON);
    if (was_canonical && !canonical) {
        for (size_t i = 0; i < tty->line_length && tty->queue_count < TTY_QUEUE_SIZE; i++)
            tty_queue_push(tty, tty->line[i], TTY_MARK_DATA);
        tty->line_length = 0;
    } else if (!was_canonical && canonical && tty->queue_count > 0) {
        size_t last = (tty->queue_tail + tty->queue_count - 1) % TTY_QUEUE_SIZE;
        if (tty->marks[last] == TTY_MARK_DATA) {
            tty->marks[last] = TTY_MARK_LINE_END; /* what was typed becomes one line */
            tty->lines_ready++;
        }
    }
    if (!canonical)
        tty->literal_next = false;
    return 0;
}

long tty_flush(struct tty *tty, int queue)
{
    if (queue != ARAMID_TCIFLUSH && queue != ARAMID_TCOFLUSH && queue != ARAMID_TCIOFLUSH)
        return TTY_EINVAL;
    if (queue != ARAMID_TCOFLUSH)
        tty_flush_input(tty);
    return 0;
}

void tty_get_winsize(const struct tty *tty, struct aramid_winsize *size)
{
    *size = tty->winsize;
}

int tty_set_winsize(struct tty *tty, const struct aramid_winsize *size)
{
    bool changed = size->ws_row != tty->winsize.ws_row || size->ws_col != tty->winsize.ws_col ||
                   size->ws_xpixel != tty->winsize.ws_xpixel ||
                   size->ws_ypixel != tty->winsize.ws_ypixel;
    tty->winsize = *size;
    return changed ? TTY_SIGNAL_WINCH : 0;
}

size_t tty_output(struct tty *tty, const uint8_t *bytes, size_t length, uint8_t *out,
                  size_t out_size, size_t *out_length)
{
    size_t taken = 0, used = 0;
    while (taken < length && out_size - used >= TTY_OUTPUT_CHAR_MAX)
        used += tty_output_char(tty, bytes[taken++], out + used);
    *out_length = used;
    return taken;
}

void tty_track_output(struct tty *tty, const uint8_t *bytes, size_t length)
{
    /* Only what follows the last line break moves the column: start there. */
    size_t start = length;
    while (start > 0 && bytes[start - 1] != '\n' && bytes[start - 1] != '\r')
        start--;
    if (start > 0)
        tty->column = 0;
    for (size_t i = start; i < length; i++)
        tty_column_advance(tty, bytes[i]);
}
