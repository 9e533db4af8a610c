/* AF_UNIX SOCK_DGRAM and SOCK_SEQPACKET: message boundaries, MSG_TRUNC, empty messages, named
 * datagram sockets with sendto/recvfrom, and their errors. */
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "contract.h"

static void show_recv(const char *what, int fd, size_t length, int flags)
{
    char buffer[64] = {0};
    ssize_t got = recv(fd, buffer, length, flags);
    if (got < 0)
        printf("%s = -1 %s\n", what, errno_name(errno));
    else
        printf("%s = %zd \"%.*s\"\n", what, got, (int)(got < 64 ? got : 64), buffer);
}

/* An abstract address: "\0name". */
static socklen_t abstract(struct sockaddr_un *address, const char *name)
{
    memset(address, 0, sizeof(*address));
    address->sun_family = AF_UNIX;
    size_t length = strlen(name);
    memcpy(address->sun_path + 1, name, length);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + length);
}

static void boundaries(const char *kind, int type)
{
    int sv[2];
    printf("-- %s\n", kind);
    contract_result("socketpair", socketpair(AF_UNIX, type, 0, sv));
    contract_result("send one", send(sv[0], "one", 3, 0));
    contract_result("send empty", send(sv[0], "", 0, 0));
    contract_result("send three", send(sv[0], "three", 5, 0));
    show_recv("recv 16 (one)", sv[1], 16, 0);
    show_recv("recv 16 (empty)", sv[1], 16, 0);
    show_recv("recv 2 of three", sv[1], 2, 0);
    show_recv("recv DONTWAIT: the rest was dropped", sv[1], 16, MSG_DONTWAIT);
    contract_result("send seven", send(sv[0], "seven!!", 7, 0));
    show_recv("recv 3 with MSG_TRUNC: the full length", sv[1], 3, MSG_TRUNC);
    contract_result("send eight", send(sv[0], "eight!!!", 8, 0));
    char small[4];
    struct iovec vector = {small, sizeof(small)};
    struct msghdr message = {.msg_iov = &vector, .msg_iovlen = 1};
    ssize_t got = recvmsg(sv[1], &message, 0);
    printf("recvmsg = %zd, MSG_TRUNC %s\n", got, (message.msg_flags & MSG_TRUNC) ? "yes" : "no");
    close(sv[1]);
    contract_result("send after the peer closed", send(sv[0], "x", 1, MSG_NOSIGNAL));
    close(sv[0]);
}

int main(void)
{
    contract_start();
    boundaries("SOCK_DGRAM", SOCK_DGRAM);
    boundaries("SOCK_SEQPACKET", SOCK_SEQPACKET);

    printf("-- named datagram sockets\n");
    int server = socket(AF_UNIX, SOCK_DGRAM, 0);
    int client = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un name, from;
    socklen_t length = abstract(&name, "aramid-contract-dgram");
    contract_result("bind", bind(server, (struct sockaddr *)&name, length));
    contract_result("bind again", bind(server, (struct sockaddr *)&name, length));
    int other = socket(AF_UNIX, SOCK_DGRAM, 0);
    contract_result("bind a taken name", bind(other, (struct sockaddr *)&name, length));
    contract_result("listen on a datagram socket", listen(server, 1));
    contract_result("send unconnected", send(client, "x", 1, 0));
    struct sockaddr_un client_name;
    socklen_t client_length = abstract(&client_name, "aramid-contract-dgram-client");
    contract_result("bind client", bind(client, (struct sockaddr *)&client_name, client_length));
    contract_result("sendto", sendto(client, "ping", 4, 0, (struct sockaddr *)&name, length));
    char buffer[16] = {0};
    socklen_t from_length = sizeof(from);
    ssize_t got = recvfrom(server, buffer, sizeof(buffer), 0, (struct sockaddr *)&from,
                           &from_length);
    printf("recvfrom = %zd \"%.*s\" from the client's name: %s\n", got, (int)got, buffer,
           from_length == client_length &&
                   memcmp(from.sun_path, client_name.sun_path, client_length - 2) == 0
               ? "yes"
               : "no");
    struct sockaddr_un nowhere;
    socklen_t nowhere_length = abstract(&nowhere, "aramid-contract-nobody");
    contract_result("sendto nobody", sendto(client, "x", 1, 0, (struct sockaddr *)&nowhere,
                                            nowhere_length));
    contract_result("connect", connect(client, (struct sockaddr *)&name, length));
    contract_result("send connected", send(client, "pong", 4, 0));
    memset(buffer, 0, sizeof(buffer));
    got = recv(server, buffer, sizeof(buffer), 0);
    printf("recv = %zd \"%.*s\"\n", got, (int)got, buffer);
    struct sockaddr_un peer;
    socklen_t peer_length = sizeof(peer);
    contract_result("getpeername", getpeername(client, (struct sockaddr *)&peer, &peer_length));
    printf("peer is the server: %s\n",
           peer_length == length && memcmp(peer.sun_path, name.sun_path, length - 2) == 0 ? "yes"
                                                                                         : "no");
    close(server);
    contract_result("send to a closed server", send(client, "x", 1, 0));
    close(client);
    close(other);
    return contract_pass();
}
