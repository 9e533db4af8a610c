/* Host tests for the tty line discipline in servers/vfs/tty.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "tty.h"

static struct tty *tty;
static uint8_t echo[TTY_ECHO_MIN];
static size_t echo_length; /* echo of the last type() */
static int last_signal;

static int setup(void **state)
{
    (void)state;
    tty = malloc(sizeof(*tty));
    tty_init(tty);
    echo_length = 0;
    last_signal = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(tty);
    return 0;
}

/* Types text (all of it, across signals); keeps the echo of the whole call and the last
 * signal. Returns how many tty_input calls it took. */
static int type_bytes(const void *text, size_t length)
{
    const uint8_t *bytes = text;
    int calls = 0;
    echo_length = 0;
    last_signal = 0;
    while (length > 0) {
        struct tty_input_result result;
        uint8_t chunk[TTY_ECHO_MIN];
        size_t taken = tty_input(tty, bytes, length, chunk, sizeof chunk, &result);
        assert_true(taken > 0);
        assert_true(echo_length + result.echo_length <= sizeof echo);
        memcpy(echo + echo_length, chunk, result.echo_length);
        echo_length += result.echo_length;
        if (result.signal)
            last_signal = result.signal;
        bytes += taken;
        length -= taken;
        calls++;
    }
    return calls;
}

static int type(const char *text)
{
    return type_bytes(text, strlen(text));
}

static void assert_echo(const char *expected)
{
    assert_int_equal(echo_length, strlen(expected));
    assert_memory_equal(echo, expected, echo_length);
}

/* Reads one tty_read; asserts it gave exactly expected (a string) or the code. */
static void assert_read(const char *expected)
{
    uint8_t buffer[256];
    long n = tty_read(tty, buffer, sizeof buffer, false);
    assert_int_equal(n, (long)strlen(expected));
    assert_memory_equal(buffer, expected, (size_t)n);
}

static void assert_read_code(long code)
{
    uint8_t buffer[256];
    assert_int_equal(tty_read(tty, buffer, sizeof buffer, false), code);
}

static void set_lflag(unsigned int on, unsigned int off)
{
    struct aramid_termios t;
    tty_get_termios(tty, &t);
    t.c_lflag = (t.c_lflag | on) & ~off;
    assert_int_equal(tty_set_termios(tty, &t, ARAMID_TCSANOW), 0);
}

static void set_raw(unsigned char min, unsigned char time)
{
    struct aramid_termios t;
    tty_get_termios(tty, &t);
    t.c_lflag &= ~(ARAMID_ICANON | ARAMID_ECHO | ARAMID_ISIG | ARAMID_IEXTEN);
    t.c_iflag &= ~(ARAMID_ICRNL | ARAMID_IXON);
    t.c_cc[ARAMID_VMIN] = min;
    t.c_cc[ARAMID_VTIME] = time;
    assert_int_equal(tty_set_termios(tty, &t, ARAMID_TCSANOW), 0);
}

static void test_defaults_are_linux(void **state)
{
    (void)state;
    struct aramid_termios t;
    tty_get_termios(tty, &t);
    assert_int_equal(t.c_iflag, 0002400);  /* ICRNL IXON */
    assert_int_equal(t.c_oflag, 0000005);  /* OPOST ONLCR */
    assert_int_equal(t.c_cflag, 0002277);  /* B38400 CS8 CREAD HUPCL */
    assert_int_equal(t.c_lflag, 0105073);  /* ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN */
    assert_int_equal(t.c_cc[ARAMID_VINTR], 3);
    assert_int_equal(t.c_cc[ARAMID_VERASE], 0177);
    assert_int_equal(t.c_cc[ARAMID_VMIN], 1);
    struct aramid_winsize w;
    tty_get_winsize(tty, &w);
    assert_int_equal(w.ws_row, 24);
    assert_int_equal(w.ws_col, 80);
}

static void test_canonical_line_echo_icrnl(void **state)
{
    (void)state;
    type("hi");
    assert_echo("hi");
    assert_read_code(TTY_WOULD_BLOCK); /* no line yet */
    assert_int_equal(tty_readable(tty, NULL), 0);
    type("\r"); /* Enter: ICRNL makes it '\n'; ONLCR echoes "\r\n" */
    assert_echo("\r\n");
    assert_int_equal(tty_readable(tty, NULL), 1);
    assert_read("hi\n");
    assert_read_code(TTY_WOULD_BLOCK);
}

static void test_read_one_line_at_a_time_and_partial(void **state)
{
    (void)state;
    uint8_t buffer[2];
    type("one\ntwo\n");
    assert_read("one\n");
    assert_int_equal(tty_read(tty, buffer, 2, false), 2); /* a short buffer: the rest stays */
    assert_memory_equal(buffer, "tw", 2);
    assert_read("o\n");
    assert_int_equal(tty_read(tty, buffer, 0, false), 0);
}

static void test_erase_backspace_and_del(void **state)
{
    (void)state;
    type("abc\177");
    assert_echo("abc\b \b");
    type("\b"); /* ^H is not VERASE by default: data, echoed ^H */
    assert_echo("^H");
    type("\177\177x\n");
    assert_echo("\b \b\b \b\b \bx\r\n"); /* ^H took two columns, then 'b' */
    assert_read("ax\n");
    /* erase on an empty line does nothing */
    type("\177");
    assert_echo("");
}

static void test_erase_without_echoe(void **state)
{
    (void)state;
    set_lflag(0, ARAMID_ECHOE);
    type("ab\177\n");
    assert_echo("ab^?\r\n");
    assert_read("a\n");
}

static void test_erase_tab_and_control(void **state)
{
    (void)state;
    type("ab\t"); /* tab from column 2 to 8: erasing it backs up 6 columns */
    type("\177");
    assert_echo("\b\b\b\b\b\b");
    type("\001\177"); /* ^A shown as two columns */
    assert_echo("^A\b \b\b \b");
}

static void test_erase_utf8_character(void **state)
{
    (void)state;
    struct aramid_termios t;
    tty_get_termios(tty, &t);
    t.c_iflag |= ARAMID_IUTF8;
    assert_int_equal(tty_set_termios(tty, &t, ARAMID_TCSANOW), 0);
    type("a\xc3\xa9\177\n"); /* e-acute is one character of two bytes */
    assert_echo("a\xc3\xa9\b \b\r\n");
    assert_read("a\n");
}

static void test_kill_visual_and_echok(void **state)
{
    (void)state;
    type("hello\025"); /* ^U with ECHOKE: erased on screen */
    assert_echo("hello\b \b\b \b\b \b\b \b\b \b");
    type("ok\n");
    assert_read("ok\n");
    set_lflag(0, ARAMID_ECHOKE); /* ECHOK alone: ^U then a newline */
    type("bad\025");
    assert_echo("bad^U\r\n");
    type("\n");
    assert_read("\n");
}

static void test_word_erase(void **state)
{
    (void)state;
    type("foo bar  \027"); /* ^W: the spaces, then the word */
    assert_echo("foo bar  \b \b\b \b\b \b\b \b\b \b");
    type("x-y\027\027\n"); /* "-" is not part of a word */
    assert_read("foo \n");
}

static void test_eof(void **state)
{
    (void)state;
    type("\004"); /* ^D on an empty line: end of file, not echoed */
    assert_echo("");
    assert_int_equal(tty_readable(tty, NULL), 1);
    assert_read_code(0);
    assert_read_code(TTY_WOULD_BLOCK); /* one end of file per ^D */
    type("ab\004"); /* mid-line: the line without a terminator */
    assert_read("ab");
    assert_read_code(TTY_WOULD_BLOCK);
    type("\004\004");
    assert_read_code(0);
    assert_read_code(0);
}

static void test_eol_eol2(void **state)
{
    (void)state;
    struct aramid_termios t;
    tty_get_termios(tty, &t);
    t.c_cc[ARAMID_VEOL] = ';';
    assert_int_equal(tty_set_termios(tty, &t, ARAMID_TCSANOW), 0);
    type("a;b");
    assert_read("a;");
    assert_read_code(TTY_WOULD_BLOCK);
}

static void test_signals(void **state)
{
    (void)state;
    type("partial\003");
    assert_int_equal(last_signal, TTY_SIGNAL_INTERRUPT);
    assert_echo("partial^C");
    type("\n");
    assert_read("\n"); /* the line was flushed */
    type("\034");
    assert_int_equal(last_signal, TTY_SIGNAL_QUIT);
    type("\032");
    assert_int_equal(last_signal, TTY_SIGNAL_STOP);
    assert_echo("^Z");
}

static void test_signal_stops_input_there(void **state)
{
    (void)state;
    struct tty_input_result result;
    uint8_t chunk[TTY_ECHO_MIN];
    const uint8_t bytes[] = "a\003bc\n";
    size_t taken = tty_input(tty, bytes, 5, chunk, sizeof chunk, &result);
    assert_int_equal(taken, 2);
    assert_int_equal(result.signal, TTY_SIGNAL_INTERRUPT);
    taken = tty_input(tty, bytes + 2, 3, chunk, sizeof chunk, &result);
    assert_int_equal(taken, 3);
    assert_int_equal(result.signal, 0);
    assert_true(result.wake);
    assert_read("bc\n");
}

static void test_noflsh_and_no_isig(void **state)
{
    (void)state;
    set_lflag(ARAMID_NOFLSH, 0);
    type("keep\003\n");
    assert_int_equal(last_signal, TTY_SIGNAL_INTERRUPT);
    assert_read("keep\n");
    set_lflag(0, ARAMID_ISIG);
    type("\003\n");
    assert_int_equal(last_signal, 0);
    assert_read("\003\n");
}

static void test_echo_off_and_echonl(void **state)
{
    (void)state;
    set_lflag(0, ARAMID_ECHO);
    type("secret\n");
    assert_echo("");
    assert_read("secret\n");
    set_lflag(ARAMID_ECHONL, 0);
    type("pw\n");
    assert_echo("\r\n");
    assert_read("pw\n");
}

static void test_input_translations(void **state)
{
    (void)state;
    struct aramid_termios t;
    tty_get_termios(tty, &t);
    t.c_iflag = ARAMID_IGNCR;
    assert_int_equal(tty_set_termios(tty, &t, ARAMID_TCSANOW), 0);
    type("a\rb\n");
    assert_read("ab\n");
    t.c_iflag = ARAMID_INLCR | ARAMID_ISTRIP;
    t.c_cc[ARAMID_VEOL] = '\r';
    assert_int_equal(tty_set_termios(tty, &t, ARAMID_TCSANOW), 0);
    type("\xe1\n"); /* ISTRIP: 0xe1 -> 'a'; INLCR: '\n' -> '\r', here a VEOL */
    assert_read("a\r");
}

static void test_ixon_stop_start(void **state)
{
    (void)state;
    type("\023");
    assert_true(tty->output_stopped);
    type("\021a\n");
    assert_false(tty->output_stopped);
    assert_read("a\n"); /* neither is data */
}

static void test_literal_next_and_reprint(void **state)
{
    (void)state;
    type("\026\003"); /* ^V ^C: a literal ^C, no signal */
    assert_int_equal(last_signal, 0);
    assert_echo("^\b^C");
    type("x\022");
    assert_echo("x^R\r\n^Cx");
    type("\n");
    assert_read("\003x\n");
}

static void test_line_limit(void **state)
{
    (void)state;
    char *long_line = malloc(TTY_LINE_MAX + 11);
    memset(long_line, 'z', TTY_LINE_MAX + 10);
    long_line[TTY_LINE_MAX + 10] = '\0';
    type(long_line);
    assert_int_equal(tty->line_length, TTY_LINE_MAX);
    assert_int_equal(tty->dropped, 10);
    type("\n");
    uint8_t *buffer = malloc(TTY_LINE_MAX + 1);
    assert_int_equal(tty_read(tty, buffer, TTY_LINE_MAX + 1, false), TTY_LINE_MAX + 1);
    assert_int_equal(buffer[TTY_LINE_MAX], '\n');
    /* A full line of tabs killed with ECHOKE: 8 backspaces each, all within TTY_ECHO_MIN. */
    memset(long_line, '\t', TTY_LINE_MAX);
    long_line[TTY_LINE_MAX] = '\0';
    type(long_line);
    type("\025");
    assert_int_equal(tty->line_length, 0);
    free(buffer);
    free(long_line);
}

static void test_small_echo_buffer_refused(void **state)
{
    (void)state;
    struct tty_input_result result;
    uint8_t small[16];
    assert_int_equal(tty_input(tty, (const uint8_t *)"a", 1, small, sizeof small, &result), 0);
    assert_int_equal(result.echo_length, 0);
}

static void test_raw_vmin_vtime(void **state)
{
    (void)state;
    uint8_t buffer[8];
    set_raw(0, 0); /* polling read */
    assert_read_code(0);
    type("\r\003");
    assert_echo(""); /* no echo, no ICRNL, no signal */
    assert_int_equal(last_signal, 0);
    assert_read("\r\003");

    set_raw(3, 0); /* blocks until three bytes */
    type("ab");
    assert_int_equal(tty_readable(tty, NULL), 0);
    assert_read_code(TTY_WOULD_BLOCK);
    assert_int_equal(tty_read_timeout(tty), 0);
    type("cd");
    assert_read("abcd");
    type("xyz");
    assert_int_equal(tty_read(tty, buffer, 2, false), 2); /* min(VMIN, length) */

    set_raw(0, 5); /* timeout of half a second from the read's start */
    tty_flush(tty, ARAMID_TCIFLUSH);
    assert_int_equal(tty_read_timeout(tty), 500000000ull);
    assert_read_code(TTY_WOULD_BLOCK);
    assert_int_equal(tty_read(tty, buffer, sizeof buffer, true), 0);
    type("q");
    assert_read("q");

    set_raw(4, 2); /* interbyte timer: only once a byte came */
    assert_int_equal(tty_read_timeout(tty), 0);
    type("k");
    assert_int_equal(tty_read_timeout(tty), 200000000ull);
    assert_read_code(TTY_WOULD_BLOCK);
    assert_int_equal(tty_read(tty, buffer, sizeof buffer, true), 1);
    assert_int_equal(tty_read(tty, buffer, sizeof buffer, true), TTY_WOULD_BLOCK);
}

static void test_mode_switches(void **state)
{
    (void)state;
    type("half");
    set_raw(1, 0); /* leaving canonical mode: the line is readable */
    assert_read("half");
    type("raw");
    set_lflag(ARAMID_ICANON, 0); /* entering it: queued input is one line */
    assert_read("raw");
    assert_read_code(TTY_WOULD_BLOCK);
}

static void test_tcsaflush_flush_and_bad_values(void **state)
{
    (void)state;
    struct aramid_termios t;
    tty_get_termios(tty, &t);
    type("line\n");
    assert_int_equal(tty_set_termios(tty, &t, 3), TTY_EINVAL); /* good call above, bad here */
    assert_int_equal(tty_set_termios(tty, &t, ARAMID_TCSADRAIN), 0);
    assert_int_equal(tty_readable(tty, NULL), 1);
    assert_int_equal(tty_set_termios(tty, &t, ARAMID_TCSAFLUSH), 0);
    assert_int_equal(tty_readable(tty, NULL), 0);
    type("more\n");
    assert_int_equal(tty_flush(tty, ARAMID_TCOFLUSH), 0);
    assert_int_equal(tty_readable(tty, NULL), 1);
    assert_int_equal(tty_flush(tty, 7), TTY_EINVAL);
    assert_int_equal(tty_flush(tty, ARAMID_TCIOFLUSH), 0);
    assert_int_equal(tty_readable(tty, NULL), 0);
}

static void test_readable_counts(void **state)
{
    (void)state;
    size_t bytes;
    type("ab\ncd");
    assert_int_equal(tty_readable(tty, &bytes), 1);
    assert_int_equal(bytes, 3); /* only finished lines */
}

static void test_winsize(void **state)
{
    (void)state;
    struct aramid_winsize w = {50, 132, 0, 0}, back;
    assert_int_equal(tty_set_winsize(tty, &w), TTY_SIGNAL_WINCH);
    assert_int_equal(tty_set_winsize(tty, &w), 0); /* unchanged: no SIGWINCH */
    tty_get_winsize(tty, &back);
    assert_int_equal(back.ws_row, 50);
    assert_int_equal(back.ws_col, 132);
}

static void test_output_processing(void **state)
{
    (void)state;
    uint8_t out[64];
    size_t length;
    assert_int_equal(tty_output(tty, (const uint8_t *)"a\nb", 3, out, sizeof out, &length), 3);
    assert_int_equal(length, 4);
    assert_memory_equal(out, "a\r\nb", 4);
    assert_int_equal(tty->column, 1);
    struct aramid_termios t;
    tty_get_termios(tty, &t);
    t.c_oflag = ARAMID_OPOST | ARAMID_XTABS | ARAMID_OLCUC;
    assert_int_equal(tty_set_termios(tty, &t, ARAMID_TCSANOW), 0);
    assert_int_equal(tty_output(tty, (const uint8_t *)"\tx", 2, out, sizeof out, &length), 2);
    assert_int_equal(length, 8); /* from column 1: seven spaces */
    assert_memory_equal(out, "       X", 8);
    /* out must have room for a whole expanded byte */
    assert_int_equal(tty_output(tty, (const uint8_t *)"\t", 1, out, 4, &length), 0);
    t.c_oflag = 0;
    assert_int_equal(tty_set_termios(tty, &t, ARAMID_TCSANOW), 0);
    assert_int_equal(tty_output(tty, (const uint8_t *)"\n", 1, out, sizeof out, &length), 1);
    assert_int_equal(length, 1);
}

static void test_track_output_column_for_tab_erase(void **state)
{
    (void)state;
    tty_track_output(tty, (const uint8_t *)"$ ", 2); /* a prompt written around tty_output */
    type("\t\177"); /* the tab went from column 2 to 8 */
    assert_echo("\t\b\b\b\b\b\b");
}

int main(void)
{
#define TTY_TEST(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        TTY_TEST(test_defaults_are_linux),
        TTY_TEST(test_canonical_line_echo_icrnl),
        TTY_TEST(test_read_one_line_at_a_time_and_partial),
        TTY_TEST(test_erase_backspace_and_del),
        TTY_TEST(test_erase_without_echoe),
        TTY_TEST(test_erase_tab_and_control),
        TTY_TEST(test_erase_utf8_character),
        TTY_TEST(test_kill_visual_and_echok),
        TTY_TEST(test_word_erase),
        TTY_TEST(test_eof),
        TTY_TEST(test_eol_eol2),
        TTY_TEST(test_signals),
        TTY_TEST(test_signal_stops_input_there),
        TTY_TEST(test_noflsh_and_no_isig),
        TTY_TEST(test_echo_off_and_echonl),
        TTY_TEST(test_input_translations),
        TTY_TEST(test_ixon_stop_start),
        TTY_TEST(test_literal_next_and_reprint),
        TTY_TEST(test_line_limit),
        TTY_TEST(test_small_echo_buffer_refused),
        TTY_TEST(test_raw_vmin_vtime),
        TTY_TEST(test_mode_switches),
        TTY_TEST(test_tcsaflush_flush_and_bad_values),
        TTY_TEST(test_readable_counts),
        TTY_TEST(test_winsize),
        TTY_TEST(test_output_processing),
        TTY_TEST(test_track_output_column_for_tab_erase),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
