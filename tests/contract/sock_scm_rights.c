/* SCM_RIGHTS: a socket passed over a socketpair works in the receiver (another process), the
 * descriptor comes with its byte, and bad control messages get Linux's errors. */
#include <sys/socket.h>
#include <sys/uio.h>

#include "contract.h"

/* Sends one byte with fd attached (fd < 0: none). */
static ssize_t send_fd(int channel, char byte, int fd)
{
    struct iovec vector = {&byte, 1};
    union {
        char buffer[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof(control));
    struct msghdr message = {.msg_iov = &vector, .msg_iovlen = 1};
    if (fd >= 0) {
        message.msg_control = control.buffer;
        message.msg_controllen = sizeof(control.buffer);
        struct cmsghdr *header = CMSG_FIRSTHDR(&message);
        header->cmsg_level = SOL_SOCKET;
        header->cmsg_type = SCM_RIGHTS;
        header->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(header), &fd, sizeof(int));
    }
    return sendmsg(channel, &message, 0);
}

/* Receives up to 4 bytes; returns the descriptor that came (or -1) and prints what arrived. */
static int recv_fd(const char *what, int channel)
{
    char bytes[4] = {0};
    struct iovec vector = {bytes, sizeof(bytes)};
    union {
        char buffer[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof(control));
    struct msghdr message = {.msg_iov = &vector, .msg_iovlen = 1,
                             .msg_control = control.buffer,
                             .msg_controllen = sizeof(control.buffer)};
    ssize_t got = recvmsg(channel, &message, 0);
    int fd = -1;
    struct cmsghdr *header = got >= 0 ? CMSG_FIRSTHDR(&message) : NULL;
    if (header != NULL && header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS)
        memcpy(&fd, CMSG_DATA(header), sizeof(int));
    printf("%s: recvmsg = %zd \"%.*s\", descriptor %s\n", what, got, got > 0 ? (int)got : 0, bytes,
           fd >= 0 ? "yes" : "no");
    return fd;
}

int main(void)
{
    contract_start();
    int channel[2], inner[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, channel);
    socketpair(AF_UNIX, SOCK_STREAM, 0, inner);

    contract_result("send a bad descriptor", send_fd(channel[0], 'x', 999));
    char junk[CMSG_SPACE(sizeof(int))];
    memset(junk, 0xff, sizeof(junk));
    char byte = 'j';
    struct iovec vector = {&byte, 1};
    struct msghdr garbage = {.msg_iov = &vector, .msg_iovlen = 1, .msg_control = junk,
                             .msg_controllen = sizeof(junk)};
    contract_result("sendmsg with a garbage control message", sendmsg(channel[0], &garbage, 0));
    struct cmsghdr *header = (struct cmsghdr *)junk;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = 77;
    contract_result("sendmsg with an unknown SOL_SOCKET type", sendmsg(channel[0], &garbage, 0));

    /* Plain bytes, then one carrying inner[1], then more: the descriptor arrives with its
     * byte and the read stops after it. */
    contract_result("send a", send_fd(channel[0], 'a', -1));
    contract_result("send b with inner[1]", send_fd(channel[0], 'b', inner[1]));
    contract_result("send c", send_fd(channel[0], 'c', -1));
    close(inner[1]); /* in flight: the socket stays open */

    pid_t child = contract_fork();
    if (child == 0) {
        close(channel[0]);
        int got = recv_fd("child", channel[1]);
        recv_fd("child, after the descriptor", channel[1]);
        if (got < 0)
            _exit(1);
        ssize_t written = write(got, "via passed socket", 17);
        _exit(written == 17 ? 0 : 2);
    }
    close(channel[1]);
    contract_reap("child", child);
    char buffer[32] = {0};
    ssize_t got = read(inner[0], buffer, sizeof(buffer));
    printf("read through the passed socket = %zd \"%.*s\"\n", got, got > 0 ? (int)got : 0, buffer);
    got = read(inner[0], buffer, sizeof(buffer));
    printf("then EOF (every copy closed) = %zd\n", got);
    close(inner[0]);
    close(channel[0]);
    return contract_pass();
}
