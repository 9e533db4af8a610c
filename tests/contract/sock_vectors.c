/* readv and writev on sockets: on SOCK_SEQPACKET and SOCK_DGRAM a writev of several vectors is
 * one message and a readv scatters one message over its vectors (the rest of a longer one is
 * dropped); on SOCK_STREAM the bytes arrive in order. */
#include <sys/socket.h>
#include <sys/uio.h>

#include "contract.h"

static void vectors(const char *name, int type)
{
    int pair[2];
    printf("%s:\n", name);
    R(socketpair(AF_UNIX, type, 0, pair));
    struct iovec out[3] = {{"alpha", 5}, {"-beta-", 6}, {"gamma", 5}};
    R(writev(pair[0], out, 3));
    R(writev(pair[0], out, 2));
    char buffer[64] = {0};
    /* A stream: both writes' 27 bytes; a message socket: the first message. */
    ssize_t got = type == SOCK_STREAM ? recv(pair[1], buffer, 27, MSG_WAITALL)
                                      : recv(pair[1], buffer, sizeof buffer, 0);
    printf("  recv = %zd [%.*s]\n", got, got > 0 ? (int)got : 0, buffer);
    if (type != SOCK_STREAM) {
        /* The second message (11 bytes) over three 4-byte vectors: 11 bytes. */
        char a[4], b[4], c[4];
        struct iovec in[3] = {{a, 4}, {b, 4}, {c, 4}};
        got = readv(pair[1], in, 3);
        printf("  readv = %zd [%.4s|%.4s|%.*s]\n", got, a, b, got > 8 ? (int)(got - 8) : 0, c);
        /* A 16-byte message read by a 2 x 3 readv: 6 bytes, the rest gone. */
        R(writev(pair[0], out, 3));
        R(send(pair[0], "next", 4, 0));
        struct iovec small[2] = {{a, 3}, {b, 3}};
        got = readv(pair[1], small, 2);
        printf("  readv = %zd [%.3s|%.3s]\n", got, a, b);
        memset(buffer, 0, sizeof buffer);
        got = recv(pair[1], buffer, sizeof buffer, 0);
        printf("  recv = %zd [%.*s]\n", got, got > 0 ? (int)got : 0, buffer);
        /* recvmsg of a writev'd message with too small a vector: MSG_TRUNC. */
        R(writev(pair[0], out, 3));
        struct iovec one = {buffer, 8};
        struct msghdr message = {.msg_iov = &one, .msg_iovlen = 1};
        got = recvmsg(pair[1], &message, 0);
        printf("  recvmsg = %zd, MSG_TRUNC %s\n", got,
               (message.msg_flags & MSG_TRUNC) ? "set" : "clear");
    }
    close(pair[0]);
    close(pair[1]);
}

int main(void)
{
    contract_start();
    vectors("SOCK_SEQPACKET", SOCK_SEQPACKET);
    vectors("SOCK_DGRAM", SOCK_DGRAM);
    vectors("SOCK_STREAM", SOCK_STREAM);
    return contract_pass();
}
