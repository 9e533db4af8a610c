/* Pipe data integrity on the fast path (a pipe whose ends are held by one process each): in one
 * process, 1-byte and 1 MiB transfers with checksums (threads), a blocked reader woken by a
 * write, O_NONBLOCK's EAGAIN when empty and when full (PIPE_BUF atomicity), EOF and
 * EPIPE/SIGPIPE after a close, poll and epoll (level and edge) over bytes that went through the
 * ring, and a fork mid-stream; across two processes (fork, then each closes the end it does
 * not use), the same: round trips and 1 MiB both ways, a blocked reader woken, EOF and
 * EPIPE/SIGPIPE after the other closes or exits, poll and epoll edges, a fork of the reader or
 * of the writer mid-stream, and a pipe end passed with SCM_RIGHTS mid-stream; and a FIFO two
 * processes open. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pipe2 (the host build defines it on its command line) */
#endif
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "contract.h"
#include "contract_scm.h"

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

/* Reads exactly length bytes (or until EOF): how many came. */
static size_t read_full(int fd, void *buffer, size_t length)
{
    size_t done = 0;
    ssize_t got;
    while (done < length && (got = read(fd, (char *)buffer + done, length - done)) > 0)
        done += (size_t)got;
    return done;
}

/* Two processes, after fork and the closes of a shell pipeline: 1,000 one-byte round trips,
 * then 1 MiB down and 1 MiB up, checksums compared, then EOF each way. */
static void test_cross_transfers(void)
{
    int down[2], up[2];
    contract_result("pipe down", pipe(down));
    contract_result("pipe up", pipe(up));
    pid_t child = fork();
    if (child == 0) {
        close(down[1]);
        close(up[0]);
        unsigned long wrong = 0;
        for (int i = 0; i < 1000; i++) {
            unsigned char byte = 0;
            if (read(down[0], &byte, 1) != 1 || byte != (unsigned char)i ||
                write(up[1], &byte, 1) != 1)
                wrong++;
        }
        unsigned long sum = 0;
        wrong += receive_pattern(down[0], BIG, &sum);
        unsigned long sent = send_pattern(up[1], BIG);
        if (write(up[1], &sum, sizeof(sum)) != sizeof(sum) ||
            write(up[1], &sent, sizeof(sent)) != sizeof(sent))
            wrong++;
        char byte;
        long end = (long)read(down[0], &byte, 1);
        _exit(wrong == 0 && end == 0 ? 0 : 1);
    }
    close(down[0]);
    close(up[1]);
    unsigned long wrong = 0;
    for (int i = 0; i < 1000; i++) {
        unsigned char byte = (unsigned char)i, got = 0;
        if (write(down[1], &byte, 1) != 1 || read(up[0], &got, 1) != 1 || got != byte)
            wrong++;
    }
    printf("1000 one-byte round trips with another process: %lu wrong\n", wrong);
    unsigned long sent = send_pattern(down[1], BIG);
    unsigned long sum = 0;
    wrong = receive_pattern(up[0], BIG, &sum);
    unsigned long child_sums[2] = {0, 0};
    size_t got = read_full(up[0], child_sums, sizeof(child_sums));
    printf("1 MiB down: checksums %s; 1 MiB up: %lu wrong, checksums %s\n",
           got == sizeof(child_sums) && child_sums[0] == sent ? "equal" : "differ", wrong,
           child_sums[1] == sum ? "equal" : "differ");
    close(down[1]); /* the child's EOF */
    contract_reap("child (its bytes right, then EOF)", child);
    char byte;
    contract_result("read after the child exited (EOF)", (int)read(up[0], &byte, 1));
    close(up[0]);
}

/* A reader asleep in another process is woken by a write; a writer's EOF and EPIPE/SIGPIPE
 * when the other process closes its end or exits. */
static void test_cross_close(void)
{
    int p[2];
    contract_result("pipe", pipe(p));
    pid_t child = fork();
    if (child == 0) {
        close(p[1]);
        char byte = 0;
        long first = (long)read(p[0], &byte, 1);    /* "x": the ring is made */
        long second = (long)read(p[0], &byte, 1);   /* asleep until "w" */
        long end = (long)read(p[0], &byte, 1);      /* asleep until the close */
        _exit(first == 1 && second == 1 && byte == 'w' && end == 0 ? 0 : 1);
    }
    close(p[0]);
    (void)write(p[1], "x", 1);
    usleep(100000); /* the reader is asleep by now (most likely; either order is right) */
    (void)write(p[1], "w", 1);
    usleep(50000);
    close(p[1]);
    contract_reap("reader in another process (woken by a write, then EOF)", child);

    contract_result("pipe", pipe(p));
    child = fork();
    if (child == 0) {
        close(p[1]);
        char buffer[4];
        _exit(read_full(p[0], buffer, 3) == 3 && memcmp(buffer, "abc", 3) == 0 ? 0 : 1);
    }
    close(p[0]);
    (void)write(p[1], "abc", 3);
    contract_reap("reader that exits", child);
    signal(SIGPIPE, on_pipe);
    sigpipes = 0;
    contract_result("write after the reader exited", (int)write(p[1], "y", 1));
    printf("SIGPIPE: %d\n", sigpipes);
    signal(SIGPIPE, SIG_DFL);
    close(p[1]);

    contract_result("pipe", pipe(p));
    child = fork();
    if (child == 0) {
        close(p[0]);
        (void)write(p[1], "end", 3);
        _exit(0);
    }
    close(p[1]);
    char buffer[8] = {0};
    printf("read from a writer that exits: %zu '%s'\n", read_full(p[0], buffer, 3), buffer);
    contract_result("then (EOF)", (int)read(p[0], buffer, 1));
    contract_reap("writer", child);
    close(p[0]);
}

/* A child that writes pieces on p when told (one byte on back), says it wrote (one byte on
 * go), and exits when told once more (or at back's EOF); this process keeps p's read end, go's
 * read end and back's write end. */
static pid_t start_told_writer(int p[2], int go[2], int back[2], const char *const *pieces)
{
    contract_result("pipe", pipe(p));
    contract_result("pipe go", pipe(go));
    contract_result("pipe back", pipe(back));
    pid_t child = fork();
    if (child == 0) {
        close(p[0]);
        close(go[0]);
        close(back[1]);
        char byte;
        for (; *pieces != NULL; pieces++) {
            if (read(back[0], &byte, 1) != 1)
                _exit(1);
            (void)write(p[1], *pieces, strlen(*pieces));
            (void)write(go[1], "k", 1);
        }
        (void)read(back[0], &byte, 1);
        _exit(0);
    }
    close(p[1]);
    close(go[1]);
    close(back[0]);
    return child;
}

/* poll and epoll of a pipe end whose writer is another process: level, and an EPOLLET edge for
 * every write (Linux's pipe_write wakes a watched pipe's readers on each write), then HUP. */
static void test_cross_poll_epoll(void)
{
    int p[2], go[2], back[2];
    static const char *const pieces[] = {"ab", "c", "d", NULL};
    pid_t child = start_told_writer(p, go, back, pieces);
    char byte, buffer[8];
    (void)write(back[1], "n", 1);
    (void)read(go[0], &byte, 1); /* "ab" written */
    struct pollfd fd = {.fd = p[0], .events = POLLIN};
    int count = poll(&fd, 1, 0);
    printf("poll, another process's bytes: %d [%#x]\n", count, fd.revents);
    printf("read %ld\n", (long)read(p[0], buffer, sizeof(buffer)));
    count = poll(&fd, 1, 0);
    printf("poll drained: %d [%#x]\n", count, fd.revents);
    int epoll = epoll_create1(0);
    struct epoll_event event = {.events = EPOLLIN | EPOLLET, .data.u64 = 5};
    contract_result("ADD EPOLLET", epoll_ctl(epoll, EPOLL_CTL_ADD, p[0], &event));
    struct epoll_event out[2];
    printf("edge, empty: %d ready\n", epoll_wait(epoll, out, 2, 0));
    (void)write(back[1], "n", 1); /* "c" */
    count = epoll_wait(epoll, out, 2, -1);
    printf("edge after a write: %d ready [%#x]\n", count, count > 0 ? out[0].events : 0u);
    (void)read(go[0], &byte, 1);
    printf("edge again: %d ready\n", epoll_wait(epoll, out, 2, 0));
    (void)write(back[1], "n", 1); /* "d", not read: a second edge all the same */
    count = epoll_wait(epoll, out, 2, -1);
    printf("edge after a second write: %d ready [%#x]\n", count, count > 0 ? out[0].events : 0u);
    (void)read(go[0], &byte, 1);
    printf("read %zu\n", read_full(p[0], buffer, 2));
    (void)write(back[1], "n", 1); /* the writer exits */
    contract_reap("writer", child);
    count = epoll_wait(epoll, out, 2, -1);
    printf("edge after the writer exited: %d ready [%#x]\n", count,
           count > 0 ? out[0].events : 0u);
    count = poll(&fd, 1, -1);
    printf("poll after the writer exited: %d [%#x]\n", count, fd.revents);
    close(epoll);
    close(p[0]);
    close(go[0]);
    close(back[1]);
}

/* Bytes in another process's ring when the reader forks (the new child reads on) or the
 * writer forks (its child writes on): none lost, none reordered. */
static void test_cross_fork_mid_stream(void)
{
    int p[2], go[2], back[2];
    static const char *const pieces[] = {"one", "two", NULL};
    pid_t writer = start_told_writer(p, go, back, pieces);
    char byte;
    (void)write(back[1], "n", 1);
    (void)read(go[0], &byte, 1); /* "one" in the ring */
    pid_t reader = fork();
    if (reader == 0) {
        close(go[0]);
        close(back[1]);
        char buffer[16] = {0};
        size_t got = read_full(p[0], buffer, sizeof(buffer) - 1);
        _exit(got == 6 && strcmp(buffer, "onetwo") == 0 ? 0 : 1);
    }
    close(p[0]);
    (void)write(back[1], "n", 1);
    (void)read(go[0], &byte, 1);
    close(back[1]); /* the writer exits */
    contract_reap("writer", writer);
    contract_reap("reader forked mid-stream (one, two, EOF)", reader);
    close(go[0]);

    contract_result("pipe", pipe(p));
    writer = fork();
    if (writer == 0) {
        close(p[0]);
        (void)write(p[1], "one", 3); /* in the ring when this process forks */
        usleep(20000);
        pid_t second = fork();
        if (second == 0) {
            (void)write(p[1], "two", 3);
            _exit(0);
        }
        int status = 0;
        (void)waitpid(second, &status, 0);
        (void)write(p[1], "three", 5);
        _exit(status == 0 ? 0 : 1);
    }
    close(p[1]);
    char buffer[32] = {0};
    size_t got = read_full(p[0], buffer, sizeof(buffer) - 1);
    printf("from a writer that forked mid-stream: %zu '%s'\n", got, buffer);
    contract_reap("writer", writer);
    close(p[0]);
}

/* The read end of a pipe with bytes in its ring goes to another process with SCM_RIGHTS; the
 * writer goes on writing: the receiver reads every byte in order. */
static void test_cross_pass(void)
{
    int channel[2];
    contract_result("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, channel));
    pid_t child = fork();
    if (child == 0) {
        close(channel[0]);
        char byte;
        ssize_t got;
        int fd = contract_recv_fd(channel[1], &byte, 1, &got);
        char buffer[16] = {0};
        size_t done = fd >= 0 ? read_full(fd, buffer, sizeof(buffer) - 1) : 0;
        _exit(done == 9 && strcmp(buffer, "passed on") == 0 ? 0 : 1);
    }
    close(channel[1]);
    int p[2];
    contract_result("pipe", pipe(p));
    (void)write(p[1], "pass", 4); /* on this process's ring */
    printf("sent with the read end: %ld\n", (long)contract_send_fd(channel[0], 'f', p[0]));
    close(p[0]);
    (void)write(p[1], "ed", 2);
    usleep(20000);
    (void)write(p[1], " on", 3);
    close(p[1]);
    contract_reap("receiver (every byte, in order, then EOF)", child);
    close(channel[0]);
}

/* A FIFO whose ends two processes open: 1 MiB checked, EOF, then a second writer's bytes. */
static void test_cross_fifo(void)
{
    const char *path = "/tmp/pipe_ring_fifo";
    (void)unlink(path);
    contract_result("mkfifo", mkfifo(path, 0600));
    for (int round = 0; round < 2; round++) {
        pid_t child = fork();
        if (child == 0) {
            int fd = open(path, O_WRONLY);
            if (fd < 0)
                _exit(2);
            if (round == 0)
                _exit(send_pattern(fd, BIG) != 0 ? 0 : 1);
            _exit(write(fd, "again", 5) == 5 ? 0 : 1);
        }
        static int fd = -1;
        if (round == 0)
            fd = open(path, O_RDONLY);
        if (round == 0) {
            unsigned long sum = 0;
            unsigned long wrong = receive_pattern(fd, BIG, &sum);
            printf("1 MiB through a FIFO from another process: %lu wrong\n", wrong);
            contract_reap("FIFO writer", child);
        } else {
            contract_reap("second FIFO writer (its bytes stay for the open reader)", child);
            char buffer[8] = {0};
            printf("a second writer's bytes: %zu '%s'\n", read_full(fd, buffer, 5), buffer);
        }
        char byte;
        contract_result("then (EOF)", (int)read(fd, &byte, 1));
        if (round == 1)
            close(fd);
    }
    contract_result("unlink", unlink(path));
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
    test_cross_transfers();
    test_cross_close();
    test_cross_poll_epoll();
    test_cross_fork_mid_stream();
    test_cross_pass();
    test_cross_fifo();
    return contract_pass();
}
