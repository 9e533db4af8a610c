/* SCM_CREDENTIALS with SO_PASSCRED: the receiver gets the writer's pid, uid and gid (a child's
 * own pid when it writes), before SCM_RIGHTS; none without the option; MSG_CTRUNC without room;
 * explicit credentials of one's own are accepted. */
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "contract.h"

static void receive(const char *what, int fd, size_t control_room, pid_t expected)
{
    char byte = 0;
    struct iovec vector = {&byte, 1};
    union {
        char buffer[256];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof(control));
    struct msghdr message = {.msg_iov = &vector, .msg_iovlen = 1, .msg_control = control.buffer,
                             .msg_controllen = control_room};
    long got = (long)recvmsg(fd, &message, 0);
    printf("%s: recvmsg = %ld '%c', flags%s\n", what, got, byte,
           (message.msg_flags & MSG_CTRUNC) ? " MSG_CTRUNC" : "");
    for (struct cmsghdr *header = CMSG_FIRSTHDR(&message); got >= 0 && header != NULL;
         header = CMSG_NXTHDR(&message, header)) {
        if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_CREDENTIALS) {
            struct ucred creds;
            memcpy(&creds, CMSG_DATA(header), sizeof(creds));
            printf("  SCM_CREDENTIALS: pid %s, uid %s, gid %s\n",
                   creds.pid == expected ? "the writer's" : "other",
                   creds.uid == getuid() ? "ours" : "other", creds.gid == getgid() ? "ours" : "other");
        } else if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS) {
            int passed;
            memcpy(&passed, CMSG_DATA(header), sizeof(passed));
            printf("  SCM_RIGHTS: a descriptor\n");
            close(passed);
        }
    }
}

/* Sends one byte with one control message of type (SOL_SOCKET) carrying length bytes. */
static long send_control(int fd, char byte, int type, const void *data, size_t length)
{
    struct iovec vector = {&byte, 1};
    union {
        char buffer[CMSG_SPACE(sizeof(struct ucred))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof(control));
    struct msghdr message = {.msg_iov = &vector, .msg_iovlen = 1, .msg_control = control.buffer,
                             .msg_controllen = CMSG_SPACE(length)};
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = type;
    header->cmsg_len = CMSG_LEN(length);
    memcpy(CMSG_DATA(header), data, length);
    return (long)sendmsg(fd, &message, 0);
}

int main(void)
{
    contract_start();
    int pair[2];
    contract_result("socketpair", socketpair(AF_UNIX, SOCK_DGRAM, 0, pair));
    contract_result("send without the option", send(pair[0], "a", 1, 0));
    receive("without SO_PASSCRED", pair[1], 256, getpid());
    int on = 1;
    contract_result("SO_PASSCRED", setsockopt(pair[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)));
    contract_result("send", send(pair[0], "b", 1, 0));
    receive("with SO_PASSCRED", pair[1], 256, getpid());
    contract_result("send", send(pair[0], "c", 1, 0));
    receive("no room for them", pair[1], 8, getpid());
    int ends[2];
    pipe(ends);
    contract_result("sendmsg with a descriptor",
                    send_control(pair[0], 'r', SCM_RIGHTS, &ends[0], sizeof(int)));
    close(ends[0]);
    close(ends[1]);
    receive("credentials and a descriptor", pair[1], 256, getpid());

    /* Explicit credentials of one's own. */
    struct ucred own = {.pid = getpid(), .uid = getuid(), .gid = getgid()};
    contract_result("sendmsg with our own credentials",
                    send_control(pair[0], 'e', SCM_CREDENTIALS, &own, sizeof(own)));
    receive("explicit credentials", pair[1], 256, getpid());

    /* A stream written by a child: the child's pid. */
    int stream[2];
    contract_result("stream socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, stream));
    contract_result("SO_PASSCRED", setsockopt(stream[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)));
    pid_t child = fork();
    if (child == 0) {
        _exit(write(stream[0], "k", 1) == 1 ? 0 : 1);
    }
    int status;
    waitpid(child, &status, 0);
    contract_status("child", status);
    receive("written by the child", stream[1], 256, child);
    close(stream[0]);
    close(stream[1]);
    close(pair[0]);
    close(pair[1]);
    return contract_pass();
}
