/* Descriptors across execve: a socketpair's ends (bytes written before the exec read after it),
 * a non-blocking datagram end, a seqpacket pair with messages queued, a dup, an eventfd and an
 * epoll fd watching it and a socket keep working in the new image with their status flags;
 * FD_CLOEXEC ones are gone (EBADF); a forked child that execs a worker with one end of a pair
 * serves its parent (inetd style). */
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include "contract.h"

/* The descriptors the first image hands over, by name, in argv[2..]. */
enum { STREAM_A, STREAM_B, DGRAM_NB, DUP_A, EVENT, EPOLL, CLOEXEC_SOCK, CLOEXEC_FCNTL,
       CLOEXEC_EVENT, CLOEXEC_EPOLL, SEQPACKET_A, SEQPACKET_B, COUNT };

static void print_fd_state(const char *what, int fd)
{
    int flags = fcntl(fd, F_GETFD);
    if (flags < 0) {
        printf("%s: F_GETFD -1 %s\n", what, errno_name(errno));
        return;
    }
    int status = fcntl(fd, F_GETFL);
    printf("%s: F_GETFD %d, O_NONBLOCK %s\n", what, flags,
           (status & O_NONBLOCK) ? "set" : "clear");
}

static unsigned long checksum(const unsigned char *bytes, size_t length)
{
    unsigned long sum = 0;
    for (size_t i = 0; i < length; i++)
        sum = sum * 31 + bytes[i];
    return sum;
}

static void print_read(const char *what, int fd, size_t length)
{
    char buffer[64] = {0};
    ssize_t got = read(fd, buffer, length < sizeof buffer - 1 ? length : sizeof buffer - 1);
    if (got < 0)
        printf("%s: read -1 %s\n", what, errno_name(errno));
    else
        printf("%s: read %zd [%.*s]\n", what, got, (int)got, buffer);
}

/* A 32 KiB round trip through the pair, written and read in pieces (one process). */
static void stream_round_trip(int a, int b)
{
    static unsigned char out[32768], in[32768];
    for (size_t i = 0; i < sizeof out; i++)
        out[i] = (unsigned char)(i * 7 + 3);
    size_t done = 0;
    while (done < sizeof out) {
        ssize_t wrote = write(a, out + done, 4096);
        ssize_t got = wrote > 0 ? read(b, in + done, (size_t)wrote) : -1;
        if (wrote <= 0 || got != wrote) {
            printf("round trip: failed at %zu: %s\n", done, errno_name(errno));
            return;
        }
        done += (size_t)got;
    }
    printf("round trip: 32768 bytes, checksums %s\n",
           checksum(out, sizeof out) == checksum(in, sizeof in) ? "equal" : "differ");
}

static int second_image(int fds[COUNT])
{
    print_fd_state("stream end a", fds[STREAM_A]);
    print_fd_state("dgram end (SOCK_NONBLOCK)", fds[DGRAM_NB]);
    print_fd_state("eventfd", fds[EVENT]);
    print_fd_state("epoll", fds[EPOLL]);
    print_fd_state("SOCK_CLOEXEC socket", fds[CLOEXEC_SOCK]);
    print_fd_state("FD_CLOEXEC socket", fds[CLOEXEC_FCNTL]);
    print_fd_state("EFD_CLOEXEC eventfd", fds[CLOEXEC_EVENT]);
    print_fd_state("EPOLL_CLOEXEC epoll", fds[CLOEXEC_EPOLL]);

    /* epoll first: its interests came with the set. */
    struct epoll_event events[4];
    int count = epoll_wait(fds[EPOLL], events, 4, 1000);
    unsigned long seen = 0;
    for (int i = 0; i < count; i++)
        seen |= 1ul << events[i].data.u64;
    printf("epoll_wait = %d: eventfd %s, stream end b %s\n", count,
           (seen & 2) ? "ready" : "not ready", (seen & 4) ? "ready" : "not ready");

    print_read("stream end b (written before execve)", fds[STREAM_B], 7);
    R(write(fds[DUP_A], "dup", 3));
    print_read("stream end b (written through the dup)", fds[STREAM_B], 3);
    R(write(fds[STREAM_B], "back", 4));
    print_read("stream end a", fds[STREAM_A], 4);
    stream_round_trip(fds[STREAM_A], fds[STREAM_B]);
    stream_round_trip(fds[STREAM_B], fds[STREAM_A]);

    /* Two messages queued before the exec keep their boundaries. */
    char message[16] = {0};
    ssize_t length = recv(fds[SEQPACKET_B], message, sizeof message, 0);
    printf("seqpacket: recv %zd [%.*s]\n", length, length > 0 ? (int)length : 0, message);
    length = recv(fds[SEQPACKET_B], message, 2, 0);
    printf("seqpacket: recv %zd [%.*s] (of a longer one)\n", length, length > 0 ? (int)length : 0,
           message);
    R(send(fds[SEQPACKET_B], "reply", 5, 0));
    length = recv(fds[SEQPACKET_A], message, sizeof message, 0);
    printf("seqpacket: recv %zd [%.*s]\n", length, length > 0 ? (int)length : 0, message);

    char byte;
    R(recv(fds[DGRAM_NB], &byte, 1, 0));
    uint64_t value = 0;
    R(read(fds[EVENT], &value, sizeof value));
    printf("eventfd (semaphore) value %llu\n", (unsigned long long)value);
    R(read(fds[EVENT], &value, sizeof value));
    R(write(fds[EVENT], &(uint64_t){5}, sizeof(uint64_t)));
    R(read(fds[EVENT], &value, sizeof value));
    return contract_pass();
}

/* The forked worker: the request on its descriptor, answered doubled. */
static int worker_image(int fd)
{
    char request[16] = {0};
    ssize_t got = read(fd, request, sizeof request - 1);
    printf("worker: read %zd [%.*s]\n", got, got > 0 ? (int)got : 0, request);
    char answer[32];
    int length = snprintf(answer, sizeof answer, "%.*s%.*s", (int)got, request, (int)got, request);
    fflush(stdout); /* before the answer: the parent prints after it */
    return write(fd, answer, (size_t)length) == length ? 0 : 2;
}

static void exec_self(const char *self, char *argv0, const char *mode, int *fds, int count)
{
    char numbers[COUNT][16];
    char *new_argv[COUNT + 3] = {argv0, (char *)mode};
    for (int i = 0; i < count; i++) {
        snprintf(numbers[i], sizeof numbers[i], "%d", fds[i]);
        new_argv[2 + i] = numbers[i];
    }
    new_argv[2 + count] = NULL;
    char self_text[600];
    snprintf(self_text, sizeof self_text, "CONTRACT_SELF=%s", self);
    char *new_envp[] = {self_text, NULL};
    execve(self, new_argv, new_envp);
    printf("execve failed: %s\n", errno_name(errno));
}

int main(int argc, char **argv)
{
    contract_start();
    const char *self = getenv("CONTRACT_SELF");
    if (self == NULL)
        self = "";
    if (argc == 2 + COUNT && strcmp(argv[1], "second") == 0) {
        int fds[COUNT];
        for (int i = 0; i < COUNT; i++)
            fds[i] = atoi(argv[2 + i]);
        return second_image(fds);
    }
    if (argc == 3 && strcmp(argv[1], "worker") == 0)
        return worker_image(atoi(argv[2]));

    /* inetd style: a child execs a worker with its end; the parent talks to it. */
    int pair[2];
    R(socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
    R(write(pair[0], "warm", 4)); /* data before the fork: the pair has rings */
    char warm[4];
    R(read(pair[1], warm, 4));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        close(pair[0]);
        exec_self(self, argv[0], "worker", &pair[1], 1);
        _exit(1);
    }
    close(pair[1]);
    R(write(pair[0], "ping", 4));
    char answer[16] = {0};
    ssize_t got = read(pair[0], answer, sizeof answer - 1);
    printf("parent: read %zd [%.*s]\n", got, got > 0 ? (int)got : 0, answer);
    contract_reap("worker", child);
    close(pair[0]);

    int fds[COUNT];
    int stream[2], dgram[2], spare[2];
    R(socketpair(AF_UNIX, SOCK_STREAM, 0, stream));
    R(write(stream[0], "ring", 4)); /* attach the rings before the exec */
    R(read(stream[1], warm, 4));
    R(write(stream[0], "pending", 7));
    R(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, dgram));
    int seqpacket[2];
    R(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, seqpacket));
    R(send(seqpacket[0], "warm", 4, 0)); /* rings, where a pair has them */
    R(recv(seqpacket[1], warm, 4, 0));
    R(send(seqpacket[0], "one", 3, 0));
    R(send(seqpacket[0], "second", 6, 0));
    fds[SEQPACKET_A] = seqpacket[0];
    fds[SEQPACKET_B] = seqpacket[1];
    fds[STREAM_A] = stream[0];
    fds[STREAM_B] = stream[1];
    fds[DGRAM_NB] = dgram[0];
    fds[DUP_A] = dup(stream[0]);
    fds[EVENT] = eventfd(2, EFD_SEMAPHORE);
    fds[EPOLL] = epoll_create1(0);
    struct epoll_event event = {.events = EPOLLIN, .data.u64 = 1};
    R(epoll_ctl(fds[EPOLL], EPOLL_CTL_ADD, fds[EVENT], &event));
    event.data.u64 = 2;
    R(epoll_ctl(fds[EPOLL], EPOLL_CTL_ADD, fds[STREAM_B], &event));
    R(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, spare));
    fds[CLOEXEC_SOCK] = spare[0];
    fds[CLOEXEC_FCNTL] = spare[1];
    R(fcntl(spare[1], F_SETFD, FD_CLOEXEC));
    fds[CLOEXEC_EVENT] = eventfd(0, EFD_CLOEXEC);
    fds[CLOEXEC_EPOLL] = epoll_create1(EPOLL_CLOEXEC);
    for (int i = 0; i < COUNT; i++)
        if (fds[i] < 0)
            printf("descriptor %d: %s\n", i, errno_name(errno));
    printf("first image: execve with %d descriptors\n", COUNT);
    fflush(stdout);
    exec_self(self, argv[0], "second", fds, COUNT);
    return 1;
}
