/* AF_UNIX listening sockets in the abstract namespace: bind, listen, connect and accept with
 * Linux's errors, accept4 flags, the backlog, names and SO_PEERCRED. */
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "contract.h"

static socklen_t abstract(struct sockaddr_un *address, const char *name)
{
    memset(address, 0, sizeof(*address));
    address->sun_family = AF_UNIX;
    size_t length = strlen(name);
    memcpy(address->sun_path + 1, name, length);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + length);
}

int main(void)
{
    contract_start();
    struct sockaddr_un name;
    socklen_t length = abstract(&name, "aramid-contract-listen");
    int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    int client = socket(AF_UNIX, SOCK_STREAM, 0);
    contract_result("connect before anyone binds", connect(client, (struct sockaddr *)&name, length));
    struct sockaddr_un bad = name;
    bad.sun_family = 99;
    contract_result("bind with a bad family", bind(listener, (struct sockaddr *)&bad, length));
    contract_result("bind with length 1", bind(listener, (struct sockaddr *)&name, 1));
    contract_result("bind", bind(listener, (struct sockaddr *)&name, length));
    contract_result("connect to a bound, not listening socket",
                    connect(client, (struct sockaddr *)&name, length));
    contract_result("accept before listen", accept(listener, NULL, NULL));
    contract_result("listen", listen(listener, 1));
    int value = 0;
    socklen_t value_length = sizeof(value);
    getsockopt(listener, SOL_SOCKET, SO_ACCEPTCONN, &value, &value_length);
    printf("SO_ACCEPTCONN %d\n", value);
    int datagram = socket(AF_UNIX, SOCK_DGRAM, 0);
    contract_result("connect a datagram socket to a stream listener",
                    connect(datagram, (struct sockaddr *)&name, length));
    close(datagram);
    fcntl(listener, F_SETFL, O_NONBLOCK);
    contract_result("accept with nothing pending (nonblock)", accept(listener, NULL, NULL));
    struct pollfd p = {.fd = listener, .events = POLLIN};
    printf("listener readable before connect: %d\n", poll(&p, 1, 0));
    contract_result("connect", connect(client, (struct sockaddr *)&name, length));
    contract_result("connect again", connect(client, (struct sockaddr *)&name, length));
    printf("listener readable after connect: %d\n", poll(&p, 1, 0));
    struct sockaddr_un peer;
    socklen_t peer_length = sizeof(peer);
    int server = accept4(listener, (struct sockaddr *)&peer, &peer_length, SOCK_CLOEXEC);
    printf("accept4: %s, peer address length %u, cloexec %s\n", server >= 0 ? "ok" : "failed",
           peer_length, (fcntl(server, F_GETFD) & FD_CLOEXEC) ? "yes" : "no");
    contract_result("accept4 bad flags", accept4(listener, NULL, NULL, 0x10));
    struct sockaddr_un own;
    socklen_t own_length = sizeof(own);
    contract_result("getsockname(accepted)", getsockname(server, (struct sockaddr *)&own, &own_length));
    printf("accepted socket's name is the listener's: %s\n",
           own_length == length && memcmp(own.sun_path, name.sun_path, length - 2) == 0 ? "yes" : "no");
    own_length = sizeof(own);
    getsockname(client, (struct sockaddr *)&own, &own_length);
    printf("unbound client's name length %u\n", own_length);
    own_length = sizeof(own);
    contract_result("getpeername(client)", getpeername(client, (struct sockaddr *)&own, &own_length));
    printf("client's peer is the listener's name: %s\n",
           own_length == length && memcmp(own.sun_path, name.sun_path, length - 2) == 0 ? "yes" : "no");
    own_length = sizeof(own);
    contract_result("getpeername(listener)", getpeername(listener, (struct sockaddr *)&own, &own_length));
    struct ucred cred;
    socklen_t cred_length = sizeof(cred);
    getsockopt(server, SOL_SOCKET, SO_PEERCRED, &cred, &cred_length);
    printf("SO_PEERCRED pid is ours: %s\n", cred.pid == getpid() ? "yes" : "no");
    contract_result("send client->server", send(client, "hi", 2, 0));
    char buffer[8] = {0};
    printf("server got %zd \"%s\"\n", recv(server, buffer, sizeof(buffer), 0), buffer);

    /* backlog 1: Linux accepts backlog + 1 waiting connections, then a nonblocking connect
     * gets EAGAIN. */
    int waiting[3];
    for (int i = 0; i < 3; i++) {
        waiting[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
        int result = connect(waiting[i], (struct sockaddr *)&name, length);
        printf("waiting connect %d = %d %s\n", i, result, result < 0 ? errno_name(errno) : "");
    }
    int count = 0;
    while (accept(listener, NULL, NULL) >= 0)
        count++;
    printf("accepted %d, then %s\n", count, errno_name(errno));

    /* A connection the listener never accepted: closing the listener resets it. */
    int late = socket(AF_UNIX, SOCK_STREAM, 0);
    contract_result("connect late", connect(late, (struct sockaddr *)&name, length));
    close(listener);
    contract_result("recv on a connection its listener dropped", recv(late, buffer, 1, 0));
    int again = socket(AF_UNIX, SOCK_STREAM, 0);
    contract_result("connect after the listener closed", connect(again, (struct sockaddr *)&name, length));
    int rebound = socket(AF_UNIX, SOCK_STREAM, 0);
    contract_result("bind the freed name", bind(rebound, (struct sockaddr *)&name, length));
    return contract_pass();
}
