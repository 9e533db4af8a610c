/* poll, select and epoll on pipes and FIFOs: POLLIN, POLLOUT, POLLHUP after the last writer,
 * POLLERR after the last reader, EPOLLET once per write, a reused fd number, a waiter woken. */
#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "contract.h"

static void show_poll(const char *what, int fd, short events, int timeout)
{
    struct pollfd p = {.fd = fd, .events = events};
    int count = poll(&p, 1, timeout);
    if (count < 0)
        printf("%s: poll = -1 %s\n", what, errno_name(errno));
    else
        printf("%s: poll = %d revents %#x\n", what, count, (unsigned)p.revents);
}

static void show_wait(const char *what, int set, int timeout)
{
    struct epoll_event events[8];
    memset(events, 0, sizeof(events));
    int count = epoll_wait(set, events, 8, timeout);
    if (count < 0) {
        printf("%s: epoll_wait = -1 %s\n", what, errno_name(errno));
        return;
    }
    printf("%s: %d ready", what, count);
    for (int i = 0; i < count; i++)
        printf(" [%#x %llx]", events[i].events, (unsigned long long)events[i].data.u64);
    printf("\n");
}

static int ctl(int set, int op, int fd, uint32_t events, uint64_t data)
{
    struct epoll_event event = {.events = events, .data.u64 = data};
    return epoll_ctl(set, op, fd, &event);
}

static void put(int fd, const char *bytes)
{
    if (write(fd, bytes, strlen(bytes)) != (ssize_t)strlen(bytes))
        printf("write failed %s\n", errno_name(errno));
}

/* A child that writes one byte to fd after 20 ms (the parent is waiting by then). */
static pid_t write_later(int fd)
{
    pid_t child = fork();
    if (child == 0) {
        struct timespec pause = {0, 20 * 1000 * 1000};
        nanosleep(&pause, NULL);
        put(fd, "z");
        _exit(0);
    }
    return child;
}

static void reap(pid_t child)
{
    int status;
    waitpid(child, &status, 0);
    contract_status("child", status);
}

static void take(int fd, size_t length)
{
    char buffer[256];
    ssize_t got = read(fd, buffer, length < sizeof(buffer) ? length : sizeof(buffer));
    printf("read %ld\n", (long)got);
}

static void test_poll_pipe(void)
{
    int p[2];
    contract_result("pipe", pipe(p));
    show_poll("empty read end", p[0], POLLIN | POLLOUT, 0);
    show_poll("empty write end", p[1], POLLIN | POLLOUT, 0);
    put(p[1], "abc");
    show_poll("read end with data", p[0], POLLIN, 0);
    show_poll("read end, POLLOUT only asked", p[0], POLLOUT, 0);
    take(p[0], 3);
    show_poll("read end drained", p[0], POLLIN, 0);
    put(p[1], "x");
    contract_result("close write end", close(p[1]));
    show_poll("read end, data and no writer", p[0], POLLIN, 0);
    show_poll("read end, no writer, nothing asked", p[0], 0, 0);
    take(p[0], 10);
    show_poll("read end at end of file", p[0], POLLIN, -1);
    close(p[0]);

    contract_result("pipe", pipe(p));
    contract_result("close read end", close(p[0]));
    show_poll("write end, no reader", p[1], POLLOUT, 0);
    close(p[1]);

    /* Full: no POLLOUT until a page's worth is free. */
    contract_result("pipe", pipe(p));
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    static char block[4096];
    long total = 0;
    for (;;) {
        ssize_t put_bytes = write(p[1], block, sizeof(block));
        if (put_bytes < 0)
            break;
        total += put_bytes;
    }
    printf("filled %ld bytes (%s)\n", total, errno_name(errno));
    show_poll("full write end", p[1], POLLOUT, 0);
    char small[100];
    printf("read %ld\n", (long)read(p[0], small, sizeof(small)));
    show_poll("write end, 100 bytes free", p[1], POLLOUT, 0);
    printf("read %ld\n", (long)read(p[0], block, sizeof(block)));
    show_poll("write end, a page free", p[1], POLLOUT, 0);
    close(p[0]);
    close(p[1]);

    /* A blocking poll woken by another process's write. */
    contract_result("pipe", pipe(p));
    pid_t child = write_later(p[1]);
    show_poll("waiting for the child's write", p[0], POLLIN, 5000);
    reap(child);
    close(p[0]);
    close(p[1]);
}

static void test_select_pipe(void)
{
    int p[2];
    contract_result("pipe", pipe(p));
    fd_set in, out;
    FD_ZERO(&in);
    FD_ZERO(&out);
    FD_SET(p[0], &in);
    FD_SET(p[1], &out);
    struct timeval zero = {0, 0};
    int count = select(p[1] + 1, &in, &out, NULL, &zero);
    printf("select empty: %d in %d out %d\n", count, !!FD_ISSET(p[0], &in), !!FD_ISSET(p[1], &out));
    put(p[1], "q");
    FD_ZERO(&in);
    FD_SET(p[0], &in);
    zero = (struct timeval){0, 0};
    count = select(p[0] + 1, &in, NULL, NULL, &zero);
    printf("select with data: %d in %d\n", count, !!FD_ISSET(p[0], &in));
    close(p[0]);
    close(p[1]);
}

static void test_epoll_pipe(void)
{
    int set = epoll_create1(0);
    int p[2];
    contract_result("pipe", pipe(p));
    contract_result("ADD read end", ctl(set, EPOLL_CTL_ADD, p[0], EPOLLIN, 0x11));
    contract_result("ADD read end again", ctl(set, EPOLL_CTL_ADD, p[0], EPOLLIN, 0x11));
    contract_result("ADD write end", ctl(set, EPOLL_CTL_ADD, p[1], EPOLLOUT, 0x22));
    show_wait("write end writable", set, 0);
    contract_result("MOD write end to IN", ctl(set, EPOLL_CTL_MOD, p[1], EPOLLIN, 0x22));
    show_wait("nothing", set, 0);
    put(p[1], "ab");
    show_wait("level: data", set, 0);
    show_wait("level: still data", set, 0);
    take(p[0], 2);
    show_wait("drained", set, 0);

    contract_result("MOD read end to ET", ctl(set, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLET, 0x33));
    put(p[1], "a");
    show_wait("edge: first write", set, 0);
    show_wait("edge: no new write", set, 0);
    put(p[1], "b");
    show_wait("edge: second write", set, 0);
    show_wait("edge: again none", set, 0);
    take(p[0], 1);
    show_wait("edge: a read is no edge for the reader", set, 0);
    take(p[0], 1);

    contract_result("MOD read end oneshot", ctl(set, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLONESHOT, 0x44));
    put(p[1], "c");
    show_wait("oneshot", set, 0);
    show_wait("oneshot disarmed", set, 0);
    take(p[0], 1);

    contract_result("MOD read end level", ctl(set, EPOLL_CTL_MOD, p[0], EPOLLIN, 0x55));
    contract_result("close write end", close(p[1]));
    show_wait("hung up", set, 0);
    /* The read end closed: its interest goes with it; the number reused is a new pipe. */
    int read_end = p[0];
    contract_result("close read end", close(p[0]));
    contract_result("pipe", pipe(p));
    printf("reused the number: %s\n", p[0] == read_end ? "yes" : "no");
    put(p[1], "d");
    show_wait("new pipe on the old number", set, 0);
    contract_result("MOD old number", ctl(set, EPOLL_CTL_MOD, p[0], EPOLLIN, 0x66));
    contract_result("ADD new pipe", ctl(set, EPOLL_CTL_ADD, p[0], EPOLLIN, 0x77));
    show_wait("new pipe watched", set, 0);
    contract_result("close read end", close(p[0]));
    show_wait("reader gone: nothing watched", set, 0);
    contract_result("ADD write end", ctl(set, EPOLL_CTL_ADD, p[1], EPOLLOUT, 0x88));
    show_wait("write end, no reader", set, 0);
    contract_result("DEL write end", epoll_ctl(set, EPOLL_CTL_DEL, p[1], NULL));
    contract_result("DEL write end again", epoll_ctl(set, EPOLL_CTL_DEL, p[1], NULL));
    close(p[1]);

    /* A blocking epoll_wait woken by another process's write. */
    contract_result("pipe", pipe(p));
    contract_result("ADD read end", ctl(set, EPOLL_CTL_ADD, p[0], EPOLLIN, 0x99));
    pid_t child = write_later(p[1]);
    show_wait("waiting for the child's write", set, 5000);
    reap(child);
    close(p[0]);
    close(p[1]);

    int file = open("/tmp/event_pipe_ready.file", O_RDWR | O_CREAT | O_TRUNC, 0600);
    contract_result("ADD regular file", ctl(set, EPOLL_CTL_ADD, file, EPOLLIN, 1));
    show_poll("regular file", file, POLLIN | POLLOUT, 0);
    close(file);
    unlink("/tmp/event_pipe_ready.file");
    close(set);
}

static void test_fifo(void)
{
    const char *path = "/tmp/event_pipe_ready.fifo";
    unlink(path);
    contract_result("mkfifo", mkfifo(path, 0600));
    int reader = open(path, O_RDONLY | O_NONBLOCK);
    printf("reader opened: %s\n", reader >= 0 ? "yes" : "no");
    show_poll("fifo, no writer yet", reader, POLLIN, 0);
    int writer = open(path, O_WRONLY | O_NONBLOCK);
    printf("writer opened: %s\n", writer >= 0 ? "yes" : "no");
    show_poll("fifo writer", writer, POLLOUT, 0);
    put(writer, "fifo");
    show_poll("fifo with data", reader, POLLIN, 0);
    contract_result("close writer", close(writer));
    show_poll("fifo, writer gone", reader, POLLIN, 0);
    take(reader, 10);
    show_poll("fifo drained, writer gone", reader, POLLIN, 0);
    int second = open(path, O_RDONLY | O_NONBLOCK);
    show_poll("a reader opened after the writer went", second, POLLIN, 0);
    close(second);
    close(reader);
    unlink(path);
}

int main(void)
{
    contract_start();
    test_poll_pipe();
    test_select_pipe();
    test_epoll_pipe();
    test_fifo();
    return contract_pass();
}
