/* AF_UNIX stream data integrity on the fast path: 1-byte and 64 KiB transfers with checksums,
 * two processes (two threads each) hammering one pair both ways, a blocked reader woken by a
 * write, MSG_PEEK and MSG_DONTWAIT, EOF and EPIPE after a close, a fork mid-stream, poll and
 * epoll (level and edge) over bytes that went through the ring, and the stream after its
 * holders changed (fork then close both ways, a child that only exits, two threads a side
 * hammering right after a fork, a pass then close with the receiver watching by epoll, an
 * accepted socket after a fork, bytes in flight across a fork, a peer exiting mid-stream), then
 * SOCK_SEQPACKET and SOCK_DGRAM socketpairs (records in the rings on Aramid). */
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "contract.h"
#include "contract_scm.h"

#define BIG 65536
#define HAMMER_BYTES (512 * 1024)

static volatile int sigpipes;

static void on_pipe(int signal)
{
    if (signal == SIGPIPE)
        sigpipes++;
}

static unsigned char pattern(unsigned long position, unsigned seed)
{
    return (unsigned char)((position * 131u + seed * 7u + (position >> 9)) & 0xff);
}

static int write_full(int fd, const unsigned char *bytes, size_t length)
{
    for (size_t done = 0; done < length;) {
        ssize_t put = write(fd, bytes + done, length - done);
        if (put <= 0)
            return -1;
        done += (size_t)put;
    }
    return 0;
}

static int read_full(int fd, unsigned char *bytes, size_t length)
{
    for (size_t done = 0; done < length;) {
        ssize_t got = read(fd, bytes + done, length - done);
        if (got <= 0)
            return -1;
        done += (size_t)got;
    }
    return 0;
}

/* Sends total bytes of pattern(seed) in chunks of varying sizes. */
static int send_pattern(int fd, size_t total, unsigned seed)
{
    static unsigned char chunk[9000]; /* one sending thread at a time */
    unsigned long position = 0;
    unsigned size = 1;
    while (position < total) {
        size_t length = size % sizeof(chunk) + 1;
        if (length > total - position)
            length = total - position;
        for (size_t i = 0; i < length; i++)
            chunk[i] = pattern(position + i, seed);
        if (write_full(fd, chunk, length) != 0)
            return -1;
        position += length;
        size = size * 1103515245u + 12345u;
    }
    return 0;
}

/* Receives total bytes and counts those that differ from pattern(seed). */
static long receive_pattern(int fd, size_t total, unsigned seed)
{
    static unsigned char chunk[7000]; /* one receiving thread at a time */
    unsigned long position = 0, wrong = 0;
    unsigned size = 3;
    while (position < total) {
        size_t length = size % sizeof(chunk) + 1;
        if (length > total - position)
            length = total - position;
        ssize_t got = read(fd, chunk, length);
        if (got <= 0)
            return -1;
        for (ssize_t i = 0; i < got; i++)
            wrong += chunk[i] != pattern(position + (unsigned long)i, seed);
        position += (unsigned long)got;
        size = size * 1103515245u + 12345u;
    }
    return (long)wrong;
}

struct hammer {
    int fd;
    unsigned seed;
    int result;
};

static void *hammer_writer(void *argument)
{
    struct hammer *hammer = argument;
    hammer->result = send_pattern(hammer->fd, HAMMER_BYTES, hammer->seed);
    return NULL;
}

/* One process's half of the hammering: a thread writes pattern(out_seed) while this one reads
 * pattern(in_seed). Returns the wrong bytes read, or -1. */
static long hammer_both_ways(int fd, unsigned out_seed, unsigned in_seed)
{
    struct hammer writer = {fd, out_seed, -1};
    pthread_t thread;
    if (pthread_create(&thread, NULL, hammer_writer, &writer) != 0)
        return -1;
    long wrong = receive_pattern(fd, HAMMER_BYTES, in_seed);
    pthread_join(thread, NULL);
    return writer.result != 0 ? -1 : wrong;
}

static void one_process_bytes(void)
{
    int sv[2];
    contract_result("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    unsigned long sum = 0, wrong = 0;
    for (int i = 0; i < 1000; i++) {
        unsigned char byte = (unsigned char)(i * 37), got = 0;
        if (write(sv[0], &byte, 1) != 1 || read(sv[1], &got, 1) != 1)
            wrong++;
        sum += got;
        if (write(sv[1], &got, 1) != 1 || read(sv[0], &byte, 1) != 1 || byte != got)
            wrong++;
    }
    printf("1000 single bytes both ways: sum %lu, wrong %lu\n", sum, wrong);
    char buffer[16] = {0};
    contract_result("recv(MSG_DONTWAIT) empty", recv(sv[1], buffer, 4, MSG_DONTWAIT));
    contract_result("write abcdef", write(sv[0], "abcdef", 6));
    contract_result("recv(MSG_PEEK, 4)", recv(sv[1], buffer, 4, MSG_PEEK));
    printf("peeked \"%.4s\"\n", buffer);
    memset(buffer, 0, sizeof(buffer));
    contract_result("read(3)", read(sv[1], buffer, 3));
    printf("read \"%s\"\n", buffer);
    memset(buffer, 0, sizeof(buffer));
    contract_result("recv(MSG_WAITALL, 3)", recv(sv[1], buffer, 3, MSG_WAITALL));
    printf("read \"%s\"\n", buffer);
    /* 64 KiB in one write fills the ring exactly; more goes on in the server's queue. */
    static unsigned char big[3 * BIG], back[3 * BIG];
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = pattern(i, 5);
    contract_result("write 64 KiB", write(sv[0], big, BIG));
    contract_result("write 100 KiB more (nonblocking side fills)",
                    send(sv[0], big + BIG, 100 * 1024, MSG_DONTWAIT) > 0);
    size_t got = 0;
    while (got < BIG + 100 * 1024) {
        ssize_t n = recv(sv[1], back + got, sizeof(back) - got, MSG_DONTWAIT);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    printf("read back more than 64 KiB, the same bytes: %s\n",
           got > BIG && memcmp(big, back, got) == 0 ? "yes" : "no");
    close(sv[0]);
    close(sv[1]);
}

static void two_processes(void)
{
    int sv[2];
    contract_result("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        /* 16 x 64 KiB to the parent, then the same back, checked. */
        for (int i = 0; i < 16; i++)
            if (send_pattern(sv[1], BIG, (unsigned)i) != 0)
                _exit(1);
        long wrong = 0;
        for (int i = 0; i < 16; i++)
            wrong += receive_pattern(sv[1], BIG, 100 + (unsigned)i);
        if (wrong != 0)
            _exit(2);
        /* A blocked reader (the parent) woken by one byte. */
        usleep(50000);
        if (write(sv[1], "w", 1) != 1)
            _exit(3);
        /* Both ways at once, two threads in each process. */
        if (hammer_both_ways(sv[1], 7, 8) != 0)
            _exit(4);
        /* Bytes, then the close: the parent reads them, then the end of the stream. */
        if (write(sv[1], "bye", 3) != 3)
            _exit(5);
        _exit(0);
    }
    close(sv[1]);
    long wrong = 0;
    for (int i = 0; i < 16; i++)
        wrong += receive_pattern(sv[0], BIG, (unsigned)i);
    printf("16 x 64 KiB from the child: wrong %ld\n", wrong);
    int sent = 0;
    for (int i = 0; i < 16; i++)
        sent += send_pattern(sv[0], BIG, 100 + (unsigned)i) == 0;
    printf("16 x 64 KiB to the child: sent %d\n", sent);
    char byte = 0;
    contract_result("blocked read woken", read(sv[0], &byte, 1));
    printf("woken by '%c'\n", byte);
    printf("hammered both ways: wrong %ld\n", hammer_both_ways(sv[0], 8, 7));
    int status;
    waitpid(child, &status, 0);
    contract_status("child", status);
    unsigned char rest[8] = {0};
    contract_result("read after the close", read_full(sv[0], rest, 3));
    printf("read \"%s\"\n", rest);
    contract_result("read at the end", read(sv[0], rest, sizeof(rest)));
    errno = 0;
    contract_result("write after the close", write(sv[0], "x", 1));
    printf("SIGPIPE: %d\n", sigpipes);
    contract_result("send(MSG_NOSIGNAL) after the close", send(sv[0], "x", 1, MSG_NOSIGNAL));
    printf("SIGPIPE: %d\n", sigpipes);
    close(sv[0]);
}

/* A fork with bytes in flight: the child reads what the parent wrote before the fork. */
static void fork_mid_stream(void)
{
    int sv[2];
    contract_result("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    contract_result("write before the fork", write(sv[0], "12345", 5));
    char buffer[8] = {0};
    contract_result("read 2", read(sv[1], buffer, 2));
    pid_t child = fork();
    if (child == 0) {
        char rest[8] = {0};
        ssize_t got = read(sv[1], rest, 3);
        if (got != 3 || memcmp(rest, "345", 3) != 0)
            _exit(1);
        _exit(write(sv[1], "child", 5) == 5 ? 0 : 2);
    }
    int status;
    waitpid(child, &status, 0);
    contract_status("child after fork", status);
    memset(buffer, 0, sizeof(buffer));
    contract_result("parent reads the child's", read_full(sv[0], (unsigned char *)buffer, 5));
    printf("read \"%s\"\n", buffer);
    contract_result("write after the fork", write(sv[0], "z", 1));
    contract_result("read it", read(sv[1], buffer, 1));
    close(sv[0]);
    close(sv[1]);
}

#define MIB (1024 * 1024)

/* 1,000 single bytes to the echoing peer and back; the wrong ones. */
static long echo_bytes(int fd)
{
    long wrong = 0;
    for (int i = 0; i < 1000; i++) {
        unsigned char byte = (unsigned char)(i * 13 + 1), got = 0;
        if (write(fd, &byte, 1) != 1 || read(fd, &got, 1) != 1 || got != byte)
            wrong++;
    }
    return wrong;
}

/* The peer's half: echo 1,000 bytes, take 1 MiB of pattern(21) and send 1 MiB of
 * pattern(22). Exit status 0 when all was right. */
static int echo_peer(int fd)
{
    for (int i = 0; i < 1000; i++) {
        unsigned char byte;
        if (read(fd, &byte, 1) != 1 || write(fd, &byte, 1) != 1)
            return 1;
    }
    if (receive_pattern(fd, MIB, 21) != 0)
        return 2;
    return send_pattern(fd, MIB, 22) != 0 ? 3 : 0;
}

/* This process's half against echo_peer. */
static void echo_with_peer(const char *what, int fd)
{
    printf("%s: 1000 single bytes, wrong %ld\n", what, echo_bytes(fd));
    int sent = send_pattern(fd, MIB, 21) == 0;
    long wrong = receive_pattern(fd, MIB, 22);
    printf("%s: 1 MiB sent %s, 1 MiB back wrong %ld\n", what, sent ? "yes" : "no", wrong);
}

/* A fork, then each side closes the end it does not use (the parent keeps end parent_end):
 * the stream goes on between the two processes (Aramid re-arms the pair's rings). */
static void fork_then_close(int parent_end)
{
    int sv[2];
    contract_result("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    char byte = 0;
    contract_result("a byte before the fork", write(sv[0], "f", 1) == 1 && read(sv[1], &byte, 1));
    pid_t child = fork();
    if (child == 0) {
        close(sv[parent_end]);
        _exit(echo_peer(sv[1 - parent_end]));
    }
    close(sv[1 - parent_end]);
    echo_with_peer(parent_end == 0 ? "parent keeps end 0" : "parent keeps end 1", sv[parent_end]);
    int status;
    waitpid(child, &status, 0);
    contract_status("echoing child", status);
    contract_result("read at the end", read(sv[parent_end], &byte, 1));
    close(sv[parent_end]);
}

/* A fork whose child only exits: both ends in one process again, bytes in one process (1 MiB
 * in 64 KiB steps, each checked). */
static void fork_child_exits(void)
{
    int sv[2];
    contract_result("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    contract_result("write before the fork", write(sv[0], "ab", 2));
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    int status;
    waitpid(child, &status, 0);
    contract_status("child that only exits", status);
    char buffer[4] = {0};
    contract_result("read what came before the fork", read(sv[1], buffer, sizeof(buffer)));
    printf("read \"%s\"\n", buffer);
    unsigned long wrong = 0;
    for (int i = 0; i < 1000; i++) {
        unsigned char out = (unsigned char)i, in = 0;
        if (write(sv[0], &out, 1) != 1 || read(sv[1], &in, 1) != 1 || in != out)
            wrong++;
        if (write(sv[1], &in, 1) != 1 || read(sv[0], &out, 1) != 1 || in != out)
            wrong++;
    }
    printf("1000 single bytes both ways after the fork: wrong %lu\n", wrong);
    static unsigned char big[BIG], back[BIG];
    for (int step = 0; step < 16; step++) {
        for (size_t i = 0; i < BIG; i++)
            big[i] = pattern((unsigned long)step * BIG + i, 9);
        if (write_full(sv[0], big, BIG) != 0 || read_full(sv[1], back, BIG) != 0 ||
            memcmp(big, back, BIG) != 0)
            wrong++;
    }
    printf("1 MiB in 64 KiB steps after the fork: wrong %lu\n", wrong);
    close(sv[0]);
    close(sv[1]);
}

/* A fork, the closes, then at once two threads in each process hammering the pair both ways
 * (Aramid re-arms the rings while both threads of each side use the end). */
static void fork_then_hammer(void)
{
    int sv[2];
    contract_result("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    char byte = 0;
    contract_result("a byte before the fork", write(sv[0], "h", 1) == 1 && read(sv[1], &byte, 1));
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        _exit(hammer_both_ways(sv[1], 17, 18) == 0 ? 0 : 1);
    }
    close(sv[1]);
    printf("hammered both ways after the fork: wrong %ld\n", hammer_both_ways(sv[0], 18, 17));
    int status;
    waitpid(child, &status, 0);
    contract_status("hammering child", status);
    close(sv[0]);
}

/* The receiver's half of pass_then_close: as echo_peer, but each byte waited for with epoll
 * (the watched end's rings tell the server of every change). */
static int echo_peer_watched(int fd)
{
    int epoll = epoll_create1(0);
    struct epoll_event interest = {.events = EPOLLIN, .data.u64 = 5}, ready;
    if (epoll < 0 || epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &interest) != 0)
        return 7;
    for (int i = 0; i < 1000; i++) {
        unsigned char byte;
        if (epoll_wait(epoll, &ready, 1, -1) != 1 || ready.data.u64 != 5 ||
            read(fd, &byte, 1) != 1 || write(fd, &byte, 1) != 1)
            return 8;
    }
    close(epoll);
    return echo_peer(fd);
}

/* An end passed with SCM_RIGHTS and closed by its sender: the receiver's stream. */
static void pass_then_close(void)
{
    int sv[2], channel[2];
    contract_result("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    contract_result("channel", socketpair(AF_UNIX, SOCK_STREAM, 0, channel));
    char byte = 0;
    contract_result("a byte before the pass", write(sv[1], "p", 1) == 1 && read(sv[0], &byte, 1));
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        close(sv[1]);
        close(channel[0]);
        ssize_t got;
        int fd = contract_recv_fd(channel[1], &byte, 1, &got);
        close(channel[1]);
        _exit(fd < 0 ? 9 : echo_peer_watched(fd));
    }
    close(channel[1]);
    contract_result("pass end 1", contract_send_fd(channel[0], 'x', sv[1]));
    close(sv[1]);
    close(channel[0]);
    printf("passed end, its receiver watching: 1000 single bytes, wrong %ld\n", echo_bytes(sv[0]));
    echo_with_peer("passed end", sv[0]);
    int status;
    waitpid(child, &status, 0);
    contract_status("receiver", status);
    close(sv[0]);
}

/* Bytes in the ring and in the queue when the fork comes: the child reads them all, then the
 * rest the parent writes after the fork, none lost or reordered. */
static void in_flight_across_fork(void)
{
    int sv[2];
    contract_result("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    static unsigned char bytes[MIB];
    for (size_t i = 0; i < MIB; i++)
        bytes[i] = pattern(i, 33);
    size_t before = 0;
    while (before < BIG + 30000) {
        ssize_t put = send(sv[0], bytes + before, BIG + 30000 - before, MSG_DONTWAIT);
        if (put <= 0)
            break;
        before += (size_t)put;
    }
    printf("queued before the fork: %s\n", before > 0 ? "yes" : "no");
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        _exit(receive_pattern(sv[1], MIB, 33) == 0 ? 0 : 1);
    }
    close(sv[1]);
    contract_result("the rest after the fork", write_full(sv[0], bytes + before, MIB - before));
    int status;
    waitpid(child, &status, 0);
    contract_status("reader of 1 MiB across the fork", status);
    close(sv[0]);
}

/* The peer exits mid-stream: what it wrote is read, then the end of the stream; a write is
 * EPIPE with SIGPIPE. */
static void peer_exits(void)
{
    int sv[2];
    contract_result("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        static unsigned char half[MIB / 2];
        if (read_full(sv[1], half, sizeof(half)) != 0)
            _exit(1);
        _exit(send_pattern(sv[1], 60000, 44) == 0 ? 0 : 2);
    }
    close(sv[1]);
    contract_result("half a MiB to the child", send_pattern(sv[0], MIB / 2, 43));
    int status;
    waitpid(child, &status, 0);
    contract_status("child gone mid-stream", status);
    printf("its 60000 bytes: wrong %ld\n", receive_pattern(sv[0], 60000, 44));
    char byte;
    contract_result("read at the end", read(sv[0], &byte, 1));
    int before = sigpipes;
    contract_result("write to the gone peer", write(sv[0], "x", 1));
    printf("SIGPIPE raised: %s\n", sigpipes == before + 1 ? "yes" : "no");
    close(sv[0]);
}

/* A fork-per-connection server: the child serves the accepted socket, the parent closes it. */
static void accept_then_fork(void)
{
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    memcpy(address.sun_path, "\0aramid-ring-accept", 20);
    socklen_t length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 20);
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    contract_result("bind", bind(listener, (struct sockaddr *)&address, length));
    contract_result("listen", listen(listener, 4));
    int client = socket(AF_UNIX, SOCK_STREAM, 0);
    contract_result("connect", connect(client, (struct sockaddr *)&address, length));
    int served = accept(listener, NULL, NULL);
    contract_result("accept", served >= 0);
    pid_t child = fork();
    if (child == 0) {
        close(listener);
        close(client);
        _exit(echo_peer(served));
    }
    close(served);
    echo_with_peer("accepted and forked", client);
    int status;
    waitpid(child, &status, 0);
    contract_status("connection's child", status);
    close(client);
    close(listener);
}

/* recvmsg of one SOCK_SEQPACKET message into length bytes: prints the result, MSG_TRUNC and
 * the bytes' sum. */
static void seqpacket_receive(const char *what, int fd, size_t length, int flags)
{
    static unsigned char buffer[4096];
    struct iovec vector = {buffer, length};
    struct msghdr message = {.msg_iov = &vector, .msg_iovlen = 1};
    ssize_t got = recvmsg(fd, &message, flags);
    unsigned long sum = 0;
    for (ssize_t i = 0; i < got && (size_t)i < length; i++)
        sum += buffer[i] * (unsigned long)(i + 1);
    if (got < 0)
        printf("%s: -1 %s\n", what, errno_name(errno));
    else
        printf("%s: %zd%s, sum %lu\n", what, got,
               (message.msg_flags & MSG_TRUNC) ? " MSG_TRUNC" : "", sum);
}

/* SOCK_SEQPACKET pairs (on Aramid, records in the rings): boundaries, an empty message,
 * MSG_TRUNC both ways, MSG_PEEK, MSG_DONTWAIT, a child echoing 1,000 messages after a fork and
 * the closes, 1 MiB in 3,000-byte messages checked, EOF and EPIPE. */
static void seqpacket(void)
{
    int sv[2];
    contract_result("socketpair(SOCK_SEQPACKET)", socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
    static unsigned char message[3000];
    for (size_t i = 0; i < sizeof(message); i++)
        message[i] = pattern(i, 3);
    contract_result("send 3000", send(sv[0], message, 3000, 0));
    contract_result("send 0", send(sv[0], message, 0, 0));
    contract_result("send 10", send(sv[0], message, 10, 0));
    contract_result("send 7", send(sv[0], "seven!!", 7, 0));
    seqpacket_receive("peek 3000 into 100", sv[1], 100, MSG_PEEK);
    seqpacket_receive("peek again into 4096", sv[1], 4096, MSG_PEEK);
    seqpacket_receive("read 3000 into 4096", sv[1], 4096, 0);
    seqpacket_receive("read the empty one", sv[1], 4096, 0);
    seqpacket_receive("read 10 into 4", sv[1], 4, 0);
    seqpacket_receive("read 7 into 2 with MSG_TRUNC", sv[1], 2, MSG_TRUNC);
    seqpacket_receive("nothing left (MSG_DONTWAIT)", sv[1], 4096, MSG_DONTWAIT);
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        static unsigned char buffer[4096];
        for (int i = 0; i < 1000; i++) {
            ssize_t got = recv(sv[1], buffer, sizeof(buffer), 0);
            if (got < 0 || send(sv[1], buffer, (size_t)got, 0) != got)
                _exit(1);
        }
        unsigned long position = 0, wrong = 0;
        while (position < MIB) {
            ssize_t got = recv(sv[1], buffer, sizeof(buffer), 0);
            if (got != 3000 && (size_t)got != MIB % 3000)
                _exit(2);
            for (ssize_t i = 0; i < got; i++)
                wrong += buffer[i] != pattern(position + (unsigned long)i, 4);
            position += (unsigned long)got;
        }
        _exit(wrong == 0 ? 0 : 3);
    }
    close(sv[1]);
    long wrong = 0;
    for (int i = 0; i < 1000; i++) {
        size_t length = (size_t)(i * 7) % 200;
        unsigned char back[256];
        if (send(sv[0], message + i % 100, length, 0) != (ssize_t)length ||
            recv(sv[0], back, sizeof(back), 0) != (ssize_t)length ||
            memcmp(back, message + i % 100, length) != 0)
            wrong++;
    }
    printf("1000 messages echoed after the fork: wrong %ld\n", wrong);
    static unsigned char chunk[3000];
    int sent = 1;
    for (unsigned long position = 0; position < MIB && sent;) {
        size_t length = MIB - position < 3000 ? MIB - position : 3000;
        for (size_t i = 0; i < length; i++)
            chunk[i] = pattern(position + i, 4);
        sent = send(sv[0], chunk, length, 0) == (ssize_t)length;
        position += length;
    }
    printf("1 MiB in 3000-byte messages sent: %s\n", sent ? "yes" : "no");
    int status;
    waitpid(child, &status, 0);
    contract_status("seqpacket child", status);
    seqpacket_receive("read after the child's exit", sv[0], 4096, 0);
    int before = sigpipes;
    contract_result("send to the gone peer", send(sv[0], "x", 1, 0));
    printf("SIGPIPE raised: %s\n", sigpipes == before + 1 ? "yes" : "no");
    close(sv[0]);
}

/* recvfrom of one datagram: the result, MSG_TRUNC, the sum and the sender's address length. */
static void dgram_receive(const char *what, int fd, size_t length, int flags)
{
    static unsigned char buffer[4096];
    struct sockaddr_un from;
    memset(&from, 0x55, sizeof(from));
    struct iovec vector = {buffer, length};
    struct msghdr message = {.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &vector,
                             .msg_iovlen = 1};
    ssize_t got = recvmsg(fd, &message, flags);
    unsigned long sum = 0;
    for (ssize_t i = 0; i < got && (size_t)i < length; i++)
        sum += buffer[i] * (unsigned long)(i + 1);
    if (got < 0)
        printf("%s: -1 %s\n", what, errno_name(errno));
    else
        printf("%s: %zd%s, sum %lu, namelen %u family %d\n", what, got,
               (message.msg_flags & MSG_TRUNC) ? " MSG_TRUNC" : "", sum,
               (unsigned)message.msg_namelen, message.msg_namelen >= 2 ? from.sun_family : -1);
}

/* SOCK_DGRAM socketpairs (on Aramid, records in the rings while both ends are unbound and each
 * other's peer): 1-byte and 3,000-byte datagrams both ways with checksums, boundaries, an empty
 * datagram, MSG_TRUNC, MSG_PEEK, recvfrom's address, a child echoing after a fork and the
 * closes, the peer closing (its datagrams still there, then ECONNREFUSED), and a bind. */
static void dgram(void)
{
    int sv[2];
    contract_result("socketpair(SOCK_DGRAM)", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
    static unsigned char message[3000];
    for (size_t i = 0; i < sizeof(message); i++)
        message[i] = pattern(i, 5);
    for (int way = 0; way < 2; way++) {
        int from = sv[way], to = sv[1 - way];
        contract_result("dgram send 1", send(from, message, 1, 0));
        contract_result("dgram send 3000", send(from, message, 3000, 0));
        contract_result("dgram send 0", send(from, message, 0, 0));
        contract_result("dgram send 10", send(from, message, 10, 0));
        contract_result("dgram send 7", send(from, "seven!!", 7, 0));
        dgram_receive("dgram read 1", to, 4096, 0);
        dgram_receive("dgram peek 3000 into 100", to, 100, MSG_PEEK);
        dgram_receive("dgram peek again into 4096", to, 4096, MSG_PEEK);
        dgram_receive("dgram read 3000 into 4096", to, 4096, 0);
        dgram_receive("dgram read the empty one", to, 4096, 0);
        dgram_receive("dgram read 10 into 4", to, 4, 0);
        dgram_receive("dgram read 7 into 2 with MSG_TRUNC", to, 2, MSG_TRUNC);
        dgram_receive("dgram nothing left (MSG_DONTWAIT)", to, 4096, MSG_DONTWAIT);
    }
    unsigned char byte = 0;
    socklen_t length = sizeof(struct sockaddr_un);
    struct sockaddr_un from;
    contract_result("dgram send for recvfrom", send(sv[0], "r", 1, 0));
    contract_result("dgram recvfrom", recvfrom(sv[1], &byte, 1, 0, (struct sockaddr *)&from,
                                                &length));
    printf("recvfrom: '%c', address length %u\n", byte, (unsigned)length);
    pid_t child = fork();
    if (child == 0) {
        close(sv[0]);
        static unsigned char buffer[4096];
        for (int i = 0; i < 1000; i++) {
            ssize_t got = recv(sv[1], buffer, sizeof(buffer), 0);
            if (got < 0 || send(sv[1], buffer, (size_t)got, 0) != got)
                _exit(1);
        }
        _exit(send(sv[1], "last", 4, 0) == 4 ? 0 : 2);
    }
    close(sv[1]);
    long wrong = 0;
    for (int i = 0; i < 1000; i++) {
        size_t size = (size_t)(i * 7) % 200;
        unsigned char back[256];
        if (send(sv[0], message + i % 100, size, 0) != (ssize_t)size ||
            recv(sv[0], back, sizeof(back), 0) != (ssize_t)size ||
            memcmp(back, message + i % 100, size) != 0)
            wrong++;
    }
    printf("1000 datagrams echoed after the fork: wrong %ld\n", wrong);
    int status;
    waitpid(child, &status, 0);
    contract_status("dgram child", status);
    dgram_receive("dgram read after the child's exit", sv[0], 4096, 0);
    dgram_receive("dgram nothing more (MSG_DONTWAIT)", sv[0], 4096, MSG_DONTWAIT);
    close(sv[0]);
    /* The peer closes with datagrams for it queued and its own still to be read. */
    contract_result("socketpair(SOCK_DGRAM) again", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
    contract_result("dgram send", send(sv[0], "p", 1, 0));
    dgram_receive("dgram read", sv[1], 4096, 0);
    contract_result("dgram send to the closing peer", send(sv[0], "q", 1, 0));
    contract_result("dgram send from the closing peer", send(sv[1], "z", 1, 0));
    close(sv[1]);
    dgram_receive("dgram read the closed peer's", sv[0], 4096, 0);
    dgram_receive("dgram nothing more (MSG_DONTWAIT)", sv[0], 4096, MSG_DONTWAIT);
    contract_result("dgram send to the closed peer", send(sv[0], "x", 1, 0));
    close(sv[0]);
    /* A bound end: its datagrams say who sent them, those queued before the bind too (Linux
     * names the sender when the datagram is read; the server path from then on). */
    contract_result("socketpair(SOCK_DGRAM) a third", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
    contract_result("dgram send", send(sv[0], "s", 1, 0));
    dgram_receive("dgram read", sv[1], 4096, 0);
    contract_result("dgram send", send(sv[1], "t", 1, 0));
    dgram_receive("dgram read", sv[0], 4096, 0);
    contract_result("dgram send before bind", send(sv[0], "b", 1, 0));
    struct sockaddr_un name = {.sun_family = AF_UNIX};
    memcpy(name.sun_path, "\0aramid-dgram-ring", 18);
    contract_result("bind", bind(sv[0], (struct sockaddr *)&name,
                                 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 18)));
    contract_result("dgram send after bind", send(sv[0], "a", 1, 0));
    dgram_receive("dgram read the one before bind", sv[1], 4096, 0);
    dgram_receive("dgram read the one after bind", sv[1], 4096, 0);
    contract_result("dgram send back", send(sv[1], "c", 1, 0));
    dgram_receive("dgram read at the bound end", sv[0], 4096, 0);
    close(sv[0]);
    close(sv[1]);
    /* shutdown: sends from the end shut for writing fail, the other way too once shut for
     * reading. */
    contract_result("socketpair(SOCK_DGRAM) a fourth", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
    contract_result("dgram send", send(sv[0], "u", 1, 0));
    dgram_receive("dgram read", sv[1], 4096, 0);
    contract_result("dgram send", send(sv[1], "v", 1, 0));
    dgram_receive("dgram read", sv[0], 4096, 0);
    contract_result("shutdown(SHUT_WR)", shutdown(sv[0], SHUT_WR));
    contract_result("dgram send after SHUT_WR", send(sv[0], "w", 1, MSG_NOSIGNAL));
    contract_result("dgram send to it", send(sv[1], "y", 1, MSG_NOSIGNAL));
    dgram_receive("dgram read at the shut end", sv[0], 4096, 0);
    contract_result("shutdown(SHUT_RD)", shutdown(sv[0], SHUT_RD));
    contract_result("dgram send to the end shut for reading", send(sv[1], "y", 1, MSG_NOSIGNAL));
    close(sv[0]);
    close(sv[1]);
}

static void show_poll(const char *what, int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLIN | POLLOUT};
    int ready = poll(&p, 1, 0);
    printf("%s: poll = %d%s%s\n", what, ready, (p.revents & POLLIN) ? " IN" : "",
           (p.revents & POLLOUT) ? " OUT" : "");
}

/* Readiness counts the ring: bytes written before anyone watched, and after. */
static void readiness(void)
{
    int sv[2];
    contract_result("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    char buffer[8] = {0};
    contract_result("write a (nobody watches)", write(sv[0], "a", 1));
    show_poll("after a", sv[1]);
    contract_result("read", read(sv[1], buffer, sizeof(buffer)));
    show_poll("after the read", sv[1]);
    contract_result("write b (poll watched it)", write(sv[0], "b", 1));
    show_poll("after b", sv[1]);
    contract_result("read", read(sv[1], buffer, sizeof(buffer)));
    int level = epoll_create1(0), edge = epoll_create1(0);
    struct epoll_event in = {.events = EPOLLIN, .data.u64 = 1};
    struct epoll_event in_edge = {.events = EPOLLIN | EPOLLET, .data.u64 = 2};
    contract_result("epoll_ctl level", epoll_ctl(level, EPOLL_CTL_ADD, sv[1], &in));
    contract_result("epoll_ctl edge", epoll_ctl(edge, EPOLL_CTL_ADD, sv[1], &in_edge));
    struct epoll_event got;
    contract_result("level, empty", epoll_wait(level, &got, 1, 0));
    contract_result("write c", write(sv[0], "c", 1));
    contract_result("level after c", epoll_wait(level, &got, 1, 0));
    contract_result("level again", epoll_wait(level, &got, 1, 0));
    contract_result("edge after c", epoll_wait(edge, &got, 1, 0));
    contract_result("edge again", epoll_wait(edge, &got, 1, 0));
    contract_result("write d", write(sv[0], "d", 1));
    contract_result("edge after d", epoll_wait(edge, &got, 1, 0));
    memset(buffer, 0, sizeof(buffer));
    contract_result("read", read(sv[1], buffer, sizeof(buffer)));
    printf("read \"%s\"\n", buffer);
    contract_result("level after the read", epoll_wait(level, &got, 1, 0));
    contract_result("edge after the read", epoll_wait(edge, &got, 1, 0));
    close(level);
    close(edge);
    close(sv[0]);
    contract_result("level gone: poll", poll(&(struct pollfd){.fd = sv[1], .events = POLLIN}, 1, 0));
    contract_result("read at the end", read(sv[1], buffer, sizeof(buffer)));
    close(sv[1]);
}

int main(void)
{
    contract_start();
    signal(SIGPIPE, on_pipe);
    one_process_bytes();
    two_processes();
    fork_mid_stream();
    readiness();
    fork_then_close(0);
    fork_then_close(1);
    fork_child_exits();
    fork_then_hammer();
    pass_then_close();
    in_flight_across_fork();
    peer_exits();
    accept_then_fork();
    seqpacket();
    dgram();
    return contract_pass();
}
