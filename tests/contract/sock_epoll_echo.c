/* An echo server on epoll and non-blocking AF_UNIX stream sockets serves 64 client processes,
 * each sending 1,000 messages and checking every answer; nothing may be lost or mixed up. */
#include <fcntl.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "contract.h"

#define CLIENTS 64
#define MESSAGES 1000
#define MESSAGE 16

struct connection {
    int fd;
    char pending[4096];
    size_t pending_length;
    long bytes;
};

static socklen_t abstract(struct sockaddr_un *address)
{
    memset(address, 0, sizeof(*address));
    address->sun_family = AF_UNIX;
    const char *name = "aramid-contract-echo";
    memcpy(address->sun_path + 1, name, strlen(name));
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
}

static int client(int index)
{
    struct sockaddr_un name;
    socklen_t length = abstract(&name);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&name, length) != 0)
        return 10;
    for (int m = 0; m < MESSAGES; m++) {
        char out[MESSAGE + 1], in[MESSAGE];
        snprintf(out, sizeof(out), "c%02d m%04d ......", index, m);
        if (send(fd, out, MESSAGE, 0) != MESSAGE)
            return 11;
        if (recv(fd, in, MESSAGE, MSG_WAITALL) != MESSAGE)
            return 12;
        if (memcmp(in, out, MESSAGE) != 0)
            return 13;
    }
    close(fd);
    return 0;
}

/* Writes what is pending; returns false when the connection failed. */
static int flush(struct connection *connection)
{
    while (connection->pending_length > 0) {
        ssize_t sent = send(connection->fd, connection->pending, connection->pending_length,
                            MSG_NOSIGNAL);
        if (sent < 0)
            return errno == EAGAIN;
        memmove(connection->pending, connection->pending + sent,
                connection->pending_length - (size_t)sent);
        connection->pending_length -= (size_t)sent;
    }
    return 1;
}

int main(void)
{
    contract_start();
    struct sockaddr_un name;
    socklen_t length = abstract(&name);
    int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (bind(listener, (struct sockaddr *)&name, length) != 0 || listen(listener, CLIENTS) != 0) {
        printf("listen failed %s\n", errno_name(errno));
        return 1;
    }
    int ep = epoll_create1(0);
    struct epoll_event event = {.events = EPOLLIN, .data.u64 = ~0ull};
    epoll_ctl(ep, EPOLL_CTL_ADD, listener, &event);
    pid_t children[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        children[i] = contract_fork();
        if (children[i] == 0) {
            close(listener);
            close(ep);
            _exit(client(i));
        }
    }
    static struct connection connections[CLIENTS];
    int accepted = 0, closed = 0;
    long total = 0;
    while (closed < CLIENTS) {
        struct epoll_event events[16];
        int count = epoll_wait(ep, events, 16, -1);
        if (count < 0) {
            printf("epoll_wait failed %s\n", errno_name(errno));
            return 1;
        }
        for (int e = 0; e < count; e++) {
            if (events[e].data.u64 == ~0ull) {
                int fd;
                while ((fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    struct connection *connection = &connections[accepted];
                    connection->fd = fd;
                    struct epoll_event watch = {.events = EPOLLIN | EPOLLRDHUP,
                                                .data.u64 = (uint64_t)accepted};
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &watch);
                    accepted++;
                }
                continue;
            }
            struct connection *connection = &connections[events[e].data.u64];
            if (connection->fd < 0)
                continue;
            int done = 0;
            for (;;) {
                size_t room = sizeof(connection->pending) - connection->pending_length;
                if (room == 0)
                    break;
                ssize_t got = recv(connection->fd, connection->pending + connection->pending_length,
                                   room, 0);
                if (got > 0) {
                    connection->pending_length += (size_t)got;
                    connection->bytes += got;
                    continue;
                }
                if (got == 0 || errno != EAGAIN)
                    done = 1;
                break;
            }
            if (!flush(connection))
                done = 1;
            if (done) {
                total += connection->bytes;
                epoll_ctl(ep, EPOLL_CTL_DEL, connection->fd, NULL);
                close(connection->fd);
                connection->fd = -1;
                closed++;
            }
        }
    }
    int good = 0;
    for (int i = 0; i < CLIENTS; i++) {
        int status;
        while (waitpid(children[i], &status, 0) < 0 && errno == EINTR)
            ;
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            good++;
        else
            contract_status("a client", status);
    }
    printf("connections accepted %d, clients correct %d, bytes echoed %ld\n", accepted, good,
           total);
    return contract_pass();
}
