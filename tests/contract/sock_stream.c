/* AF_UNIX stream sockets: socketpair, data calls and flags, shutdown, EOF, POLLHUP/EPOLLHUP on
 * close, EPIPE with SIGPIPE, options, and the errors of socket(). */
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>

#include "contract.h"

static volatile int sigpipes;

static void on_pipe(int signal)
{
    if (signal == SIGPIPE)
        sigpipes++;
}

static void show_recv(const char *what, int fd, size_t length, int flags)
{
    char buffer[64] = {0};
    ssize_t got = recv(fd, buffer, length, flags);
    if (got < 0)
        printf("%s = -1 %s\n", what, errno_name(errno));
    else
        printf("%s = %zd \"%.*s\"\n", what, got, (int)got, buffer);
}

static void show_poll(const char *what, int fd, short events)
{
    struct pollfd p = {.fd = fd, .events = events};
    int ready = poll(&p, 1, 0);
    printf("%s: poll = %d revents%s%s%s%s\n", what, ready, (p.revents & POLLIN) ? " IN" : "",
           (p.revents & POLLOUT) ? " OUT" : "", (p.revents & POLLHUP) ? " HUP" : "",
           (p.revents & POLLNVAL) ? " NVAL" : "");
}

int main(void)
{
    contract_start();
    signal(SIGPIPE, on_pipe);
    contract_result("socket(AF_INET6 + 99)", socket(99, SOCK_STREAM, 0));
    contract_result("socket(bad flags)", socket(AF_UNIX, SOCK_STREAM | 0x100000, 0));
    contract_result("socket(protocol 7)", socket(AF_UNIX, SOCK_STREAM, 7));
    int efd = eventfd(0, 0);
    contract_result("shutdown(eventfd)", shutdown(efd, SHUT_RD));
    contract_result("send(eventfd)", send(efd, "x", 1, 0));
    contract_result("listen(bad fd)", listen(999, 1));
    close(efd);

    int sv[2];
    contract_result("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    int type = 0;
    socklen_t length = sizeof(type);
    contract_result("getsockopt SO_TYPE", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &type, &length));
    printf("SO_TYPE is SOCK_STREAM: %s, length %u\n", type == SOCK_STREAM ? "yes" : "no", length);
    int error = -1;
    length = sizeof(error);
    getsockopt(sv[0], SOL_SOCKET, SO_ERROR, &error, &length);
    printf("SO_ERROR %d\n", error);
    int on = 1;
    contract_result("setsockopt SO_PASSCRED", setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)));
    on = 0;
    length = sizeof(on);
    getsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &on, &length);
    printf("SO_PASSCRED now %d\n", on);
    contract_result("getsockopt unknown", getsockopt(sv[0], SOL_SOCKET, 12345, &on, &length));
    struct ucred cred;
    length = sizeof(cred);
    contract_result("SO_PEERCRED", getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &length));
    printf("peer pid is ours: %s\n", cred.pid == getpid() ? "yes" : "no");

    show_poll("fresh pair", sv[1], POLLIN | POLLOUT);
    contract_result("send hello", send(sv[0], "hello", 5, 0));
    contract_result("write world", write(sv[0], "world", 5));
    show_poll("data queued", sv[1], POLLIN | POLLOUT);
    show_recv("recv PEEK 3", sv[1], 3, MSG_PEEK);
    show_recv("recv 7", sv[1], 7, 0);
    char rest[8] = {0};
    struct iovec vector[2] = {{rest, 1}, {rest + 1, 7}};
    contract_result("readv", readv(sv[1], vector, 2));
    printf("readv got \"%s\"\n", rest);
    show_recv("recv DONTWAIT empty", sv[1], 4, MSG_DONTWAIT);
    struct iovec out[2] = {{"ab", 2}, {"cd", 2}};
    contract_result("writev", writev(sv[1], out, 2));
    show_recv("recv WAITALL 4", sv[0], 4, MSG_WAITALL);

    contract_result("shutdown(SHUT_WR)", shutdown(sv[0], SHUT_WR));
    show_recv("recv after the peer's SHUT_WR", sv[1], 4, 0);
    contract_result("send after SHUT_WR", send(sv[0], "x", 1, 0));
    printf("SIGPIPE count %d\n", sigpipes);
    contract_result("send after SHUT_WR, NOSIGNAL", send(sv[0], "x", 1, MSG_NOSIGNAL));
    printf("SIGPIPE count %d\n", sigpipes);
    contract_result("shutdown(99)", shutdown(sv[0], 99));
    contract_result("send the other way", send(sv[1], "back", 4, 0));
    show_recv("recv the other way", sv[0], 8, 0);

    int ep = epoll_create1(0);
    struct epoll_event event = {.events = EPOLLIN | EPOLLRDHUP, .data.u64 = 77};
    contract_result("epoll ADD socket", epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &event));
    struct epoll_event got[2];
    printf("epoll before close: %d\n", epoll_wait(ep, got, 2, 0));
    close(sv[1]);
    int count = epoll_wait(ep, got, 2, 0);
    printf("epoll after the peer closed: %d events%s%s%s data %llu\n", count,
           count > 0 && (got[0].events & EPOLLIN) ? " IN" : "",
           count > 0 && (got[0].events & EPOLLHUP) ? " HUP" : "",
           count > 0 && (got[0].events & EPOLLRDHUP) ? " RDHUP" : "",
           count > 0 ? (unsigned long long)got[0].data.u64 : 0ull);
    show_poll("peer closed", sv[0], POLLIN);
    show_recv("recv after the peer closed", sv[0], 4, 0);
    contract_result("send to a closed peer", send(sv[0], "x", 1, 0));
    printf("SIGPIPE count %d\n", sigpipes);
    show_poll("a closed fd", sv[1], POLLIN);
    close(sv[0]);
    close(ep);

    /* A connection shared across fork: the child's end keeps it open after the parent's close. */
    contract_result("socketpair 2", socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
    pid_t child = contract_fork();
    if (child == 0) {
        close(sv[0]);
        char byte;
        ssize_t got_byte = read(sv[1], &byte, 1);
        _exit(got_byte == 1 && byte == 'z' && write(sv[1], "Z", 1) == 1 ? 0 : 1);
    }
    close(sv[1]);
    contract_result("parent writes", write(sv[0], "z", 1));
    show_recv("parent reads the child's answer", sv[0], 4, 0);
    contract_reap("child", child);
    show_recv("EOF once the child is gone", sv[0], 4, 0);
    close(sv[0]);
    return contract_pass();
}
