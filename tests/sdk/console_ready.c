/* SDK test program for the terminal's readiness (test_console_interactive.py --program
 * console_ready types at it): poll, select and epoll on stdin wait for a complete line in
 * canonical mode, a byte in raw mode and ^D, and say nothing before; always writable. */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <termios.h>
#include <unistd.h>

static void prompt(const char *text)
{
    fputs(text, stdout);
    fflush(stdout);
}

/* poll(stdin) with timeout_ms: its result and revents. */
static void poll_stdin(const char *what, short events, int timeout_ms)
{
    struct pollfd entry = {.fd = 0, .events = events};
    int result = poll(&entry, 1, timeout_ms);
    printf("%s: poll %d revents%s%s\n", what, result, (entry.revents & POLLIN) ? " IN" : "",
           (entry.revents & POLLOUT) ? " OUT" : "");
}

static void read_line(void)
{
    char line[64];
    ssize_t n = read(0, line, sizeof line - 1);
    line[n > 0 ? n : 0] = '\0';
    line[strcspn(line, "\n")] = '\0';
    printf("read %d [%s]\n", (int)n, line);
}

int main(void)
{
    poll_stdin("nothing typed", POLLIN, 0);
    poll_stdin("writable", POLLOUT, 0);
    int epoll = epoll_create1(0);
    struct epoll_event event = {.events = EPOLLIN, .data.u64 = 7};
    printf("epoll_ctl ADD stdin: %d\n", epoll_ctl(epoll, EPOLL_CTL_ADD, 0, &event));
    struct epoll_event got;
    printf("epoll_wait now: %d\n", epoll_wait(epoll, &got, 1, 0));

    prompt("poll> ");
    poll_stdin("woke", POLLIN, -1);
    int count = epoll_wait(epoll, &got, 1, 0);
    printf("epoll_wait with a line: %d data %d\n", count, (int)got.data.u64);
    read_line();
    poll_stdin("after the read", POLLIN, 0);
    printf("epoll_wait after the read: %d\n", epoll_wait(epoll, &got, 1, 0));

    prompt("epoll> ");
    printf("epoll woke: %d\n", epoll_wait(epoll, &got, 1, -1));
    read_line();

    prompt("select> ");
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(0, &readable);
    int selected = select(1, &readable, NULL, NULL, NULL);
    printf("select woke: %d readable %d\n", selected, FD_ISSET(0, &readable) != 0);
    read_line();

    struct termios saved, raw;
    tcgetattr(0, &saved);
    raw = saved;
    cfmakeraw(&raw);
    tcsetattr(0, TCSANOW, &raw);
    prompt("raw> ");
    poll_stdin("raw woke", POLLIN, -1);
    char byte = 0;
    ssize_t n = read(0, &byte, 1);
    printf("raw read %d byte %d\n", (int)n, byte);
    tcsetattr(0, TCSAFLUSH, &saved);

    prompt("eof> ");
    poll_stdin("eof woke", POLLIN, -1);
    read_line();
    printf("done\n");
    return 0;
}
