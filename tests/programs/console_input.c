/* Test program (root task): the console capability's calls (console_bind, console_read) with
 * good and hostile arguments, then reading what the test types at the serial line. */
#include <aramid/sys.h>

#define KERNEL_ADDRESS 0xffff800000000000ul
#define BIND_BITS 0x4ul
#define BINDINGS_MAX 8
#define LINE_MAX 64

static int failures;

/* One row: the call's result must be expected. */
static void check(const char *what, long result, long expected)
{
    if (result != expected) {
        failures++;
        aramid_printf("console_input: FAIL %s: %ld, expected %ld\n", what, result, expected);
    }
}

static void test_read_rows(aramid_handle_t console, aramid_handle_t notification)
{
    char buffer[8];
    long read_only = sys_handle_duplicate(console, ARAMID_RIGHT_GRANT);
    check("duplicate without read", read_only > 0, 1);
    /* Each good call first, then its bad variants. */
    check("read 0 bytes", sys_console_read(console, buffer, 0), 0);
    check("read, nothing typed", sys_console_read(console, buffer, sizeof buffer), -ARAMID_EAGAIN);
    check("read, bad handle", sys_console_read(12345, buffer, sizeof buffer), -ARAMID_EBADF);
    check("read, a notification", sys_console_read(notification, buffer, sizeof buffer),
          -ARAMID_EBADF);
    check("read, no read right", sys_console_read(read_only, buffer, sizeof buffer), -ARAMID_EPERM);
    check("read, kernel buffer", sys_console_read(console, (void *)KERNEL_ADDRESS, 8),
          -ARAMID_EFAULT);
    check("read, null buffer", sys_console_read(console, (void *)0, 8), -ARAMID_EFAULT);
    check("read, huge length", sys_console_read(console, buffer, 1ul << 62), -ARAMID_EFAULT);
    (void)sys_handle_close(read_only);
}

static void test_bind_rows(aramid_handle_t console, aramid_handle_t notification)
{
    long wait_only = sys_handle_duplicate(notification, ARAMID_RIGHT_WAIT);
    long extra[BINDINGS_MAX];
    check("bind", sys_console_bind(console, notification, BIND_BITS), 0);
    check("bind again (new bits)", sys_console_bind(console, notification, BIND_BITS | 1), 0);
    check("unbind", sys_console_bind(console, notification, 0), 0);
    check("unbind, not bound", sys_console_bind(console, notification, 0), -ARAMID_ENOENT);
    check("bind, bad console", sys_console_bind(999, notification, BIND_BITS), -ARAMID_EBADF);
    check("bind, console as notification", sys_console_bind(console, console, BIND_BITS),
          -ARAMID_EBADF);
    check("bind, no signal right", sys_console_bind(console, wait_only, BIND_BITS), -ARAMID_EPERM);
    /* Eight live bindings fill the set; a ninth is refused; closing one frees its place. */
    for (int i = 0; i < BINDINGS_MAX; i++) {
        extra[i] = sys_notification_create(0, 0);
        check("bind one of eight", sys_console_bind(console, extra[i], BIND_BITS), 0);
    }
    check("bind a ninth", sys_console_bind(console, notification, BIND_BITS), -ARAMID_ENOSPC);
    (void)sys_handle_close(extra[0]);
    check("bind after one closed", sys_console_bind(console, notification, BIND_BITS), 0);
    for (int i = 1; i < BINDINGS_MAX; i++) {
        check("unbind one of eight", sys_console_bind(console, extra[i], 0), 0);
        (void)sys_handle_close(extra[i]);
    }
    (void)sys_handle_close(wait_only);
}

/* Reads until a newline arrives, waiting on the bound notification between reads. */
static long read_line(aramid_handle_t console, aramid_handle_t notification, char *line)
{
    long used = 0;
    while (used < LINE_MAX - 1) {
        long n = sys_console_read(console, line + used, (size_t)(LINE_MAX - 1 - used));
        if (n == -ARAMID_EAGAIN) {
            long bits = sys_notify_wait(notification);
            check("woken with the bound bits", bits, BIND_BITS);
            continue;
        }
        if (n < 0)
            return n;
        used += n;
        if (line[used - 1] == '\r' || line[used - 1] == '\n')
            break;
    }
    line[used] = '\0';
    return used;
}

int aramid_main(unsigned long bootinfo_address)
{
    const struct aramid_bootinfo *bootinfo = (const struct aramid_bootinfo *)bootinfo_address;
    char line[LINE_MAX];
    aramid_handle_t console = bootinfo->console;
    if (console <= 0) {
        aramid_printf("console_input: no console handle (%ld)\n", console);
        return 1;
    }
    long notification = sys_notification_create(0, 0);
    test_read_rows(console, notification);
    test_bind_rows(console, notification);
    check("rebind for reading", sys_console_bind(console, notification, BIND_BITS), 0);
    aramid_printf("console_input: rows done, %d failures; type a line\n", failures);
    long length = read_line(console, notification, line);
    check("a line read", length > 0, 1);
    if (length > 0 && (line[length - 1] == '\r' || line[length - 1] == '\n'))
        line[--length] = '\0';
    aramid_printf("console_input: read '%s'\n", line);
    return failures == 0 ? 0 : 1;
}
