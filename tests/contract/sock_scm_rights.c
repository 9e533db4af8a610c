/* SCM_RIGHTS: a socket, a pipe end and a file passed over a socketpair work in the receiver
 * (another process: the file's offset shared), the descriptor comes with its byte, and bad
 * control messages get Linux's errors. */
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "contract.h"
#include "contract_scm.h"

/* Receives up to 4 bytes; returns the descriptor that came (or -1) and prints what arrived. */
static int recv_fd(const char *what, int channel)
{
    char bytes[4] = {0};
    ssize_t got;
    int fd = contract_recv_fd(channel, bytes, sizeof(bytes), &got);
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

    contract_result("send a bad descriptor", contract_send_fd(channel[0], 'x', 999));
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
    contract_result("send a", contract_send_fd(channel[0], 'a', -1));
    contract_result("send b with inner[1]", contract_send_fd(channel[0], 'b', inner[1]));
    contract_result("send c", contract_send_fd(channel[0], 'c', -1));
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

    /* A pipe's read end and a regular file, to another process. */
    socketpair(AF_UNIX, SOCK_STREAM, 0, channel);
    int ends[2];
    pipe(ends);
    int file = open("/tmp/sock_scm_rights.file", O_RDWR | O_CREAT | O_TRUNC, 0600);
    printf("file written: %ld\n", (long)write(file, "hello file", 10));
    lseek(file, 1, SEEK_SET);
    contract_result("send the pipe's read end", contract_send_fd(channel[0], 'p', ends[0]));
    contract_result("send the file", contract_send_fd(channel[0], 'f', file));
    close(ends[0]); /* in flight: the pipe keeps its reader */
    printf("write to the pipe: %ld\n", (long)write(ends[1], "through the pipe", 16));
    child = contract_fork();
    if (child == 0) {
        close(channel[0]);
        close(ends[1]);
        int pipe_end = recv_fd("child, the pipe", channel[1]);
        int passed = recv_fd("child, the file", channel[1]);
        char text[32] = {0};
        long n = (long)read(pipe_end, text, sizeof(text));
        printf("child read the pipe: %ld \"%.*s\"\n", n, n > 0 ? (int)n : 0, text);
        n = (long)read(passed, text, 4);
        printf("child read the file from the shared offset: %ld \"%.*s\"\n", n,
               n > 0 ? (int)n : 0, text);
        _exit(pipe_end >= 0 && passed >= 0 ? 0 : 1);
    }
    close(channel[1]);
    contract_reap("child", child);
    printf("the file's offset after the child read: %ld\n", (long)lseek(file, 0, SEEK_CUR));
    signal(SIGPIPE, SIG_IGN);
    long put = (long)write(ends[1], "x", 1);
    printf("write to the pipe, its reader gone: %ld %s\n", put, errno_name(errno));
    close(ends[1]);

    /* To oneself: the received descriptor shares the description with the one sent. */
    socketpair(AF_UNIX, SOCK_STREAM, 0, inner);
    contract_result("send the file to oneself", contract_send_fd(inner[0], 's', file));
    int again = recv_fd("oneself", inner[1]);
    char two[3] = {0};
    long n = (long)read(again, two, 2);
    printf("read 2 through the received one: %ld \"%s\"\n", n, two);
    printf("offset through the original: %ld\n", (long)lseek(file, 0, SEEK_CUR));
    close(again);
    printf("the original still reads: %ld\n", (long)read(file, two, 1));
    close(file);
    close(inner[0]);
    close(inner[1]);
    close(channel[0]);
    unlink("/tmp/sock_scm_rights.file");
    return contract_pass();
}
