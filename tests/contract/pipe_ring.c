/* Pipe data integrity on the fast path (a pipe whose two ends one process holds): 1-byte and
 * 1 MiB transfers with checksums (threads of one process), a blocked reader woken by a write,
 * O_NONBLOCK's EAGAIN when empty and when full (PIPE_BUF atomicity), EOF and EPIPE/SIGPIPE
 * after a close, poll and epoll (level and edge) over bytes that went through the ring, and a
 * fork mid-stream. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pipe2 (the host build defines it on its command line) */
#endif
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/wait.h>

#include "contract.h"

#define BIG (1024 * 1024)

static volatile int sigpipes;

static void on_pipe(int signal)
{
    if (signal == SIGPIPE)
        sigpipes++;
}

static unsigned char pattern(unsigned long position)
{
    return (unsigned char)((position * 131u + (position >> 9) + 7u) & 0xff);
}

static unsigned long checksum_add(unsigned long sum, const unsigned char *bytes, size_t length)
{
    for (size_t i = 0; i < length; i++)
        sum = sum * 31u + bytes[i];
    return sum;
}

/* Writes total bytes of the pattern in chunks of varying sizes; returns its checksum. */
static unsigned long send_pattern(int fd, size_t total)
{
    static unsigned char chunk[9000]; /* one sending thread at a time */
    unsigned long position = 0, sum = 0;
    unsigned size = 1;
    while (position < total) {
        size_t length = size % sizeof(chunk) + 1;
        if (length > total - position)
            length = total - position;
        for (size_t i = 0; i < length; i++)
            chunk[i] = pattern(position + i);
        for (size_t done = 0; done < length;) {
            ssize_t put = write(fd, chunk + done, length - done);
            if (put <= 0)
                return 0;
            done += (size_t)put;
        }
        sum = checksum_add(sum, chunk, length);
        position += length;
        size = size * 7 + 3;
    }
    return sum;
}

/* Reads total bytes; how many were not the pattern (and the checksum of what came). */
static unsigned long receive_pattern(int fd, size_t total, unsigned long *sum)
{
    static unsigned char buffer[7000];
    unsigned long position = 0, wrong = 0;
    *sum = 0;
    while (position < total) {
        size_t want = total - position < sizeof(buffer) ? total - position : sizeof(buffer);
        ssize_t got = read(fd, buffer, want);
        if (got <= 0)
            return wrong + (total - position);
        for (ssize_t i = 0; i < got; i++)
            wrong += buffer[i] != pattern(position + (unsigned long)i);
        *sum = checksum_add(*sum, buffer, (size_t)got);
        position += (unsigned long)got;
    }
    return wrong;
}

struct sender {
    int fd;
    size_t total;
    unsigned long sum;
};

static void *sender_main(void *argument)
{
    struct sender *sender = argument;
    sender->sum = send_pattern(sender->fd, sender->total);
    return NULL;
}

static void test_one_byte(void)
{
    int p[2];
    contract_result("pipe", pipe(p));
    unsigned long wrong = 0;
    for (int i = 0; i < 1000; i++) {
        unsigned char byte = (unsigned char)i, got = 0;
        if (write(p[1], &byte, 1) != 1 || read(p[0], &got, 1) != 1 || got != byte)
            wrong++;
    }
    printf("1000 one-byte writes and reads: %lu wrong\n", wrong);
    char several[5] = "abcde", out[8] = {0};
    for (int i = 0; i < 5; i++)
        (void)write(p[1], several + i, 1);
    long got = (long)read(p[0], out, sizeof(out));
    printf("five bytes written one by one, one read: %ld '%s'\n", got, out);
    close(p[0]);
    close(p[1]);
}

static void test_big_threads(void)
{
    int p[2];
    contract_result("pipe", pipe(p));
    struct sender sender = {.fd = p[1], .total = BIG};
    pthread_t thread;
    if (pthread_create(&thread, NULL, sender_main, &sender) != 0)
        printf("pthread_create failed\n");
    unsigned long sum = 0;
    unsigned long wrong = receive_pattern(p[0], BIG, &sum);
    pthread_join(thread, NULL);
    printf("1 MiB from a thread: %lu wrong, checksums %s\n", wrong,
           sum == sender.sum ? "equal" : "differ");
    close(p[1]);
    char byte;
    contract_result("read after the writer closed (EOF)", (int)read(p[0], &byte, 1));
    close(p[0]);
}

struct late_writer {
    int fd;
};

static void *late_writer_main(void *argument)
{
    struct late_writer *writer = argument;
    usleep(50000); /* the reader is asleep by now (most likely; either order is right) */
    (void)write(writer->fd, "w", 1);
    return NULL;
}

static void test_blocked_reader(void)
{
    int p[2];
    contract_result("pipe", pipe(p));
    (void)write(p[1], "x", 1); /* the pipe is on its ring before the reader sleeps */
    char byte = 0;
    (void)read(p[0], &byte, 1);
    struct late_writer writer = {.fd = p[1]};
    pthread_t thread;
    pthread_create(&thread, NULL, late_writer_main, &writer);
    long got = (long)read(p[0], &byte, 1);
    printf("blocked reader woken: %ld '%c'\n", got, byte);
    pthread_join(thread, NULL);
    close(p[0]);
    close(p[1]);
}

static void test_nonblock(void)
{
    int p[2];
    contract_result("pipe2 O_NONBLOCK", pipe2(p, O_NONBLOCK));
    char byte;
    contract_result("read of an empty pipe", (int)read(p[0], &byte, 1));
    static char block[4096];
    memset(block, 'f', sizeof(block));
    long filled = 0;
    ssize_t put;
    while ((put = write(p[1], block, sizeof(block))) > 0)
        filled += put;
    printf("filled %ld bytes with 4096-byte writes, then %s\n", filled, errno_name(errno));
    char drain[100];
    printf("read %ld\n", (long)read(p[0], drain, sizeof(drain)));
    contract_result("a 4096-byte write with 100+ bytes free (PIPE_BUF: whole or nothing)",
                    (int)write(p[1], block, 4096));
    long total = 0;
    ssize_t got;
    while ((got = read(p[0], block, sizeof(block))) > 0)
        total += got;
    printf("drained %ld bytes, then %s\n", total, errno_name(errno));
    close(p[0]);
    close(p[1]);
}

static void test_close(void)
{
    int p[2];
    contract_result("pipe", pipe(p));
    (void)write(p[1], "end", 3);
    close(p[1]);
    char buffer[8] = {0};
    printf("read after the writer closed: %ld '%s'\n", (long)read(p[0], buffer, sizeof(buffer)),
           buffer);
    contract_result("then (EOF)", (int)read(p[0], buffer, 1));
    close(p[0]);

    contract_result("pipe", pipe(p));
    (void)write(p[1], "x", 1);
    (void)read(p[0], buffer, 1);
    close(p[0]);
    signal(SIGPIPE, on_pipe);
    contract_result("write after the reader closed", (int)write(p[1], "y", 1));
    printf("SIGPIPE: %d\n", sigpipes);
    signal(SIGPIPE, SIG_DFL);
    close(p[1]);
}

static void test_poll_epoll(void)
{
    int p[2];
    contract_result("pipe", pipe(p));
    (void)write(p[1], "ab", 2); /* on the ring */
    struct pollfd fds[2] = {{.fd = p[0], .events = POLLIN}, {.fd = p[1], .events = POLLOUT}};
    int count = poll(fds, 2, 0);
    printf("poll over ring bytes: %d [%#x %#x]\n", count, fds[0].revents, fds[1].revents);
    char buffer[4];
    printf("read %ld\n", (long)read(p[0], buffer, sizeof(buffer)));
    count = poll(fds, 1, 0);
    printf("poll drained: %d [%#x]\n", count, fds[0].revents);
    close(p[0]);
    close(p[1]);

    for (int edge = 0; edge < 2; edge++) {
        contract_result("pipe", pipe(p));
        (void)write(p[1], "c", 1);
        (void)read(p[0], buffer, 1); /* on the ring */
        (void)write(p[1], "de", 2);
        int epoll = epoll_create1(0);
        struct epoll_event event = {.events = EPOLLIN | (edge ? EPOLLET : 0u), .data.u64 = 77};
        contract_result(edge ? "ADD EPOLLET" : "ADD level",
                        epoll_ctl(epoll, EPOLL_CTL_ADD, p[0], &event));
        struct epoll_event out[2];
        count = epoll_wait(epoll, out, 2, 0);
        printf("%s: %d ready [%#x %llu]\n", edge ? "edge" : "level", count,
               count > 0 ? out[0].events : 0u,
               count > 0 ? (unsigned long long)out[0].data.u64 : 0ull);
        count = epoll_wait(epoll, out, 2, 0);
        printf("%s again: %d ready\n", edge ? "edge" : "level", count);
        printf("read %ld\n", (long)read(p[0], buffer, sizeof(buffer)));
        (void)write(p[1], "f", 1);
        count = epoll_wait(epoll, out, 2, 0);
        printf("%s after a new write: %d ready\n", edge ? "edge" : "level", count);
        close(epoll);
        close(p[0]);
        close(p[1]);
    }
}

static void test_fork_mid_stream(void)
{
    int p[2];
    contract_result("pipe", pipe(p));
    (void)write(p[1], "before", 6); /* on the ring when the fork comes */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        close(p[1]);
        char buffer[16] = {0};
        size_t done = 0;
        ssize_t got;
        while ((got = read(p[0], buffer + done, sizeof(buffer) - 1 - done)) > 0)
            done += (size_t)got;
        printf("child read '%s' then EOF\n", buffer);
        _exit(strcmp(buffer, "before+after") == 0 ? 0 : 1);
    }
    close(p[0]);
    usleep(20000);
    (void)write(p[1], "+after", 6);
    close(p[1]);
    contract_reap("child", child);

    contract_result("pipe", pipe(p));
    (void)write(p[1], "x", 1);
    char byte;
    (void)read(p[0], &byte, 1);
    child = fork();
    if (child == 0) {
        close(p[0]);
        unsigned long sum = send_pattern(p[1], BIG);
        _exit(sum == 0 ? 1 : 0);
    }
    close(p[1]);
    unsigned long sum = 0;
    unsigned long wrong = receive_pattern(p[0], BIG, &sum);
    contract_result("then (EOF)", (int)read(p[0], &byte, 1));
    printf("1 MiB from a forked child: %lu wrong, checksum %s\n", wrong, sum != 0 ? "set" : "none");
    contract_reap("sender", child);
    close(p[0]);
}

int main(void)
{
    contract_start();
    test_one_byte();
    test_big_threads();
    test_blocked_reader();
    test_nonblock();
    test_close();
    test_poll_epoll();
    test_fork_mid_stream();
    return contract_pass();
}
