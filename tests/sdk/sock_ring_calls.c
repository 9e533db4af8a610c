/* Kernel calls of the stream fast path, counted: test_sdk.py links every libsys function that
 * enters the kernel (the system call wrappers and the server stubs, syscall.c, server_client.c,
 * proc_client.c, vfs_client.c) through a counting trampoline (sdk_kernel_calls). A 1-byte
 * write and read with no waiter make none on a fresh pair, and none after the pair's holders
 * changed and settled again (a fork whose child exits, a pass to itself and a close: the rings
 * are re-armed; an execve: the new image asks for rings of its own), for SOCK_STREAM and
 * SOCK_SEQPACKET; a pair on the server path (SO_PASSCRED) makes some, so the count works. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

extern volatile unsigned long sdk_kernel_calls;

/* n single bytes written on one end and read on the other; false when one went wrong. */
static int bytes_through(int from, int to, int n)
{
    for (int i = 0; i < n; i++) {
        unsigned char out = (unsigned char)i, in = 0;
        if (write(from, &out, 1) != 1 || read(to, &in, 1) != 1 || in != out)
            return 0;
    }
    return 1;
}

/* The kernel calls of 1,000 write+read pairs after a few to settle (re-arming happens there),
 * or -1 when a byte went wrong. */
static long calls_of(int from, int to)
{
    for (int round = 0; round < 4; round++)
        if (!bytes_through(from, to, 4) || !bytes_through(to, from, 4))
            return -1;
    unsigned long before = sdk_kernel_calls;
    if (!bytes_through(from, to, 1000))
        return -1;
    return (long)(sdk_kernel_calls - before);
}

static int pass_to_self(int fd)
{
    int channel[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, channel) != 0)
        return -1;
    char byte = 'x';
    struct iovec vector = {&byte, 1};
    union {
        char buffer[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof(control));
    struct msghdr message = {.msg_iov = &vector, .msg_iovlen = 1, .msg_control = control.buffer,
                             .msg_controllen = sizeof(control.buffer)};
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(header), &fd, sizeof(int));
    int received = -1;
    if (sendmsg(channel[0], &message, 0) == 1) {
        close(fd);
        memset(&control, 0, sizeof(control));
        message.msg_controllen = sizeof(control.buffer);
        if (recvmsg(channel[1], &message, 0) == 1 && CMSG_FIRSTHDR(&message) != NULL)
            memcpy(&received, CMSG_DATA(CMSG_FIRSTHDR(&message)), sizeof(int));
    }
    close(channel[0]);
    close(channel[1]);
    return received;
}

/* The new image: the pair it was handed, with bytes the old image wrote still in a ring. */
static int after_exec(int a, int b)
{
    char pending[8] = {0};
    int got = (int)read(b, pending, 7);
    printf("after an execve: read %d [%.7s], %ld kernel calls\n", got, pending, calls_of(a, b));
    int on = 1;
    long slow = setsockopt(b, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)) == 0 ? calls_of(a, b)
                                                                                : -1;
    printf("with SO_PASSCRED (the server path): at least 1000 kernel calls: %s\n",
           slow >= 1000 ? "yes" : "no");
    close(a);
    close(b);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "after-exec") == 0)
        return after_exec(atoi(argv[2]), atoi(argv[3]));
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return 1;
    printf("fresh pair: %ld kernel calls\n", calls_of(sv[0], sv[1]));
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    int status;
    waitpid(child, &status, 0);
    printf("after a fork whose child exited: %ld kernel calls\n", calls_of(sv[0], sv[1]));
    printf("the other way: %ld kernel calls\n", calls_of(sv[1], sv[0]));
    sv[1] = pass_to_self(sv[1]);
    printf("after a pass to itself and a close: %ld kernel calls\n", calls_of(sv[0], sv[1]));
    /* SOCK_SEQPACKET: one record a message in the same rings. */
    int sp[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp) != 0)
        return 1;
    printf("fresh seqpacket pair: %ld kernel calls\n", calls_of(sp[0], sp[1]));
    child = fork();
    if (child == 0)
        _exit(0);
    waitpid(child, &status, 0);
    printf("seqpacket after a fork whose child exited: %ld kernel calls\n",
           calls_of(sp[1], sp[0]));
    close(sp[0]);
    close(sp[1]);
    /* SOCK_DGRAM: an unbound socketpair's datagrams, one record each. */
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sp) != 0)
        return 1;
    printf("fresh dgram pair: %ld kernel calls\n", calls_of(sp[0], sp[1]));
    close(sp[0]);
    close(sp[1]);
    /* The stream pair across an execve, bytes in its ring (after_exec). */
    if (write(sv[0], "pending", 7) != 7)
        return 1;
    char a[16], b[16];
    snprintf(a, sizeof a, "%d", sv[0]);
    snprintf(b, sizeof b, "%d", sv[1]);
    char *args[] = {argv[0], "after-exec", a, b, NULL};
    fflush(stdout);
    execve(argv[0], args, NULL);
    return 1;
}
