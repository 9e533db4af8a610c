/* Socket readiness read from the sock server's words: poll with timeout 0, epoll after reads that empty a socket, nesting. */
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "contract.h"

#define WANTED (POLLIN | POLLOUT | POLLRDHUP)

static void show_poll(const char *what, int fd)
{
    struct pollfd p = {.fd = fd, .events = WANTED};
    int ready = poll(&p, 1, 0);
    printf("%s: poll = %d%s%s%s%s\n", what, ready, (p.revents & POLLIN) ? " IN" : "",
           (p.revents & POLLOUT) ? " OUT" : "", (p.revents & POLLRDHUP) ? " RDHUP" : "",
           (p.revents & POLLHUP) ? " HUP" : "");
}

static void show_wait(const char *what, int epoll_fd)
{
    struct epoll_event got = {0};
    int ready = epoll_wait(epoll_fd, &got, 1, 0);
    printf("%s: epoll_wait = %d", what, ready);
    if (ready == 1)
        printf(" data %llu%s%s", (unsigned long long)got.data.u64,
               (got.events & EPOLLIN) ? " IN" : "", (got.events & EPOLLOUT) ? " OUT" : "");
    printf("\n");
}

/* poll with timeout 0 through a pair's life: the ring's bytes, reads, shutdown, close. */
static void poll_pair(void)
{
    int sv[2];
    char buffer[64];
    contract_result("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    show_poll("fresh", sv[1]);
    for (int round = 0; round < 3; round++) {
        contract_result("write", write(sv[0], "abc", 3));
        show_poll("after a write", sv[1]);
        contract_result("read 2", read(sv[1], buffer, 2));
        show_poll("one byte left", sv[1]);
        contract_result("read the rest", read(sv[1], buffer, sizeof(buffer)));
        show_poll("empty", sv[1]);
    }
    contract_result("shutdown SHUT_WR", shutdown(sv[0], SHUT_WR));
    show_poll("peer shut its writing", sv[1]);
    contract_result("read at the end", read(sv[1], buffer, sizeof(buffer)));
    close(sv[0]);
    show_poll("peer closed", sv[1]);
    close(sv[1]);
}

/* Level-triggered items of a socket leave when a read empties it, also under a nested set. */
static void epoll_after_reads(void)
{
    int sv[2];
    char buffer[64];
    contract_result("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    int inner = epoll_create1(0), outer = epoll_create1(0);
    struct epoll_event in = {.events = EPOLLIN, .data.u64 = 7};
    struct epoll_event nested = {.events = EPOLLIN, .data.u64 = 9};
    contract_result("ADD socket", epoll_ctl(inner, EPOLL_CTL_ADD, sv[1], &in));
    contract_result("ADD inner set", epoll_ctl(outer, EPOLL_CTL_ADD, inner, &nested));
    show_wait("outer, empty", outer);
    for (int round = 0; round < 3; round++) {
        contract_result("write", write(sv[0], "xy", 2));
        show_wait("outer after a write", outer);
        show_wait("inner after a write", inner);
        contract_result("read 1", read(sv[1], buffer, 1));
        show_wait("outer, one byte left", outer);
        contract_result("read 1", read(sv[1], buffer, 1));
        show_wait("outer, empty again", outer);
        show_wait("inner, empty again", inner);
        show_poll("poll, empty again", sv[1]);
    }
    struct epoll_event edge = {.events = EPOLLIN | EPOLLET, .data.u64 = 8};
    contract_result("MOD socket EPOLLET", epoll_ctl(inner, EPOLL_CTL_MOD, sv[1], &edge));
    contract_result("write", write(sv[0], "p", 1));
    contract_result("read it", read(sv[1], buffer, sizeof(buffer)));
    show_wait("edge of a byte read before the wait", inner);
    contract_result("write", write(sv[0], "q", 1));
    show_wait("edge of a byte", inner);
    show_wait("edge again", inner);
    contract_result("write", write(sv[0], "r", 1));
    show_wait("edge of another byte", inner);
    close(outer);
    close(inner);
    close(sv[0]);
    close(sv[1]);
}

/* Another process writes while this one sleeps in poll; then a poll with timeout 0 sees the
 * socket empty once it is read. */
static void poll_woken(void)
{
    int sv[2];
    char buffer[64];
    contract_result("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    pid_t child = contract_fork();
    if (child == 0) {
        close(sv[1]);
        for (int i = 0; i < 20; i++) {
            if (read(sv[0], buffer, 1) != 1 || write(sv[0], "w", 1) != 1)
                _exit(1);
        }
        if (read(sv[0], buffer, 1) != 1) /* leaves only when told */
            _exit(1);
        close(sv[0]); /* (its exit alone reaches the sock server later, by proc's feed) */
        _exit(0);
    }
    close(sv[0]);
    int woken = 0, empty_after = 0;
    for (int i = 0; i < 20; i++) {
        struct pollfd p = {.fd = sv[1], .events = POLLIN};
        if (write(sv[1], "t", 1) != 1)
            break;
        woken += poll(&p, 1, -1) == 1 && (p.revents & POLLIN);
        if (read(sv[1], buffer, 1) != 1)
            break;
        p.revents = 0;
        empty_after += poll(&p, 1, 0) == 0;
    }
    printf("woken %d of 20, empty after each read %d of 20\n", woken, empty_after);
    contract_result("tell the child to go", write(sv[1], "e", 1));
    contract_reap("the echoing child", child);
    show_poll("child gone", sv[1]);
    close(sv[1]);
}

/* A pair forked with leaves its rings and gets new ones when the child is gone; epoll's view
 * follows the new rings (a read that empties the socket leaves it not ready). */
static void epoll_after_fork(void)
{
    int sv[2];
    char buffer[64];
    contract_result("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    int set = epoll_create1(0);
    struct epoll_event in = {.events = EPOLLIN, .data.u64 = 5};
    contract_result("ADD", epoll_ctl(set, EPOLL_CTL_ADD, sv[1], &in));
    contract_result("write", write(sv[0], "a", 1));
    contract_result("read", read(sv[1], buffer, sizeof(buffer)));
    pid_t child = contract_fork();
    if (child == 0) {
        close(sv[0]);
        close(sv[1]);
        _exit(0);
    }
    contract_reap("a child that closed its copies", child);
    for (int round = 0; round < 6; round++) { /* both ways: each end reads, as rings renew */
        contract_result("write", write(sv[0], "bc", 2));
        show_wait("after a write", set);
        contract_result("read", read(sv[1], buffer, sizeof(buffer)));
        show_wait("after the read", set);
        show_poll("poll after the read", sv[1]);
        contract_result("write back", write(sv[1], "d", 1));
        contract_result("read it", read(sv[0], buffer, sizeof(buffer)));
    }
    close(set);
    close(sv[0]);
    close(sv[1]);
}

/* A listener is readable while a connection waits to be accepted. */
static void poll_listener(void)
{
    struct sockaddr_un name = {.sun_family = AF_UNIX};
    memcpy(name.sun_path, "\0aramid-event-sock-ready", 24);
    socklen_t length = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 24);
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    contract_result("bind", bind(listener, (struct sockaddr *)&name, length));
    contract_result("listen", listen(listener, 4));
    show_poll("listener, nobody", listener);
    int client = socket(AF_UNIX, SOCK_STREAM, 0);
    contract_result("connect", connect(client, (struct sockaddr *)&name, length));
    show_poll("listener, one waiting", listener);
    int accepted = accept(listener, NULL, NULL);
    contract_result("accept", accepted >= 0 ? 0 : -1);
    show_poll("listener, accepted", listener);
    show_poll("accepted end", accepted);
    close(accepted);
    close(client);
    close(listener);
}

int main(void)
{
    contract_start();
    poll_pair();
    epoll_after_reads();
    poll_woken();
    epoll_after_fork();
    poll_listener();
    return contract_pass();
}
