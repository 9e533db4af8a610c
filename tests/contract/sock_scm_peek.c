/* MSG_PEEK with SCM_RIGHTS: a peek installs the passed descriptors too (new ones each time,
 * Linux's unix_peek_fds) and leaves the message queued for the read, which gets its own; each
 * set works, the kinds mixed (a socket, a file, a pipe, an eventfd, an epoll fd, the terminal);
 * a peek without room for all gets MSG_CTRUNC and leaves them for the read. */
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "contract.h"

#define KINDS 5

union control {
    char buffer[CMSG_SPACE(KINDS * sizeof(int))];
    struct cmsghdr align;
};

static ssize_t send_fds(int channel, char byte, const int *fds, size_t count)
{
    struct iovec vector = {&byte, 1};
    union control control;
    memset(&control, 0, sizeof(control));
    struct msghdr message = {.msg_iov = &vector, .msg_iovlen = 1, .msg_control = control.buffer,
                             .msg_controllen = CMSG_SPACE(count * sizeof(int))};
    struct cmsghdr *header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(count * sizeof(int));
    memcpy(CMSG_DATA(header), fds, count * sizeof(int));
    return sendmsg(channel, &message, 0);
}

/* recvmsg with room for room descriptors; prints the result, the byte, how many came and
 * MSG_CTRUNC; returns the count (fds filled). */
static size_t recv_fds(const char *what, int channel, int flags, size_t room, int *fds)
{
    char byte = 0;
    struct iovec vector = {&byte, 1};
    union control control;
    memset(&control, 0, sizeof(control));
    struct msghdr message = {.msg_iov = &vector, .msg_iovlen = 1, .msg_control = control.buffer,
                             .msg_controllen = room ? CMSG_SPACE(room * sizeof(int)) : 0};
    ssize_t got = recvmsg(channel, &message, flags);
    size_t count = 0;
    struct cmsghdr *header = got >= 0 && room ? CMSG_FIRSTHDR(&message) : NULL;
    if (header != NULL && header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS) {
        count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        memcpy(fds, CMSG_DATA(header), count * sizeof(int));
    }
    if (got < 0)
        printf("%s: recvmsg = -1 %s\n", what, errno_name(errno));
    else
        printf("%s: recvmsg = %zd '%c', %zu descriptors%s\n", what, got, byte, count,
               (message.msg_flags & MSG_CTRUNC) ? ", MSG_CTRUNC" : "");
    return count;
}

/* Whether every descriptor of a (count of them) is open and differs from all of b and c. */
static int distinct(const int *a, size_t count, const int *b, const int *c)
{
    for (size_t i = 0; i < count; i++) {
        if (fcntl(a[i], F_GETFD) < 0)
            return 0;
        for (size_t j = 0; j < KINDS; j++)
            if (a[i] == b[j] || a[i] == c[j] || (j != i && j < count && a[i] == a[j]))
                return 0;
    }
    return 1;
}

int main(void)
{
    contract_start();
    int channel[2], pair[2], pipe_ends[2];
    contract_result("channel", socketpair(AF_UNIX, SOCK_STREAM, 0, channel));
    contract_result("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, pair));
    contract_result("pipe", pipe(pipe_ends));
    char path[] = "/tmp/sock_scm_peek_file";
    int file = open(path, O_CREAT | O_TRUNC | O_RDWR, 0600);
    contract_result("file written", write(file, "abcdef", 6));
    contract_result("lseek", lseek(file, 0, SEEK_SET));
    unlink(path);
    int counter = eventfd(0, EFD_NONBLOCK);
    int epoll = epoll_create1(0);
    struct epoll_event interest = {.events = EPOLLIN, .data.u64 = 7};
    contract_result("epoll_ctl", epoll_ctl(epoll, EPOLL_CTL_ADD, counter, &interest));
    int passed[KINDS] = {pair[1], file, pipe_ends[1], counter, epoll};
    contract_result("send five kinds", send_fds(channel[0], 'm', passed, KINDS));
    /* The sender's copies go (the counter stays here to read): what was passed lives on in
     * flight. */
    close(pair[1]);
    close(file);
    close(pipe_ends[1]);
    close(epoll);

    int none[KINDS] = {-1, -1, -1, -1, -1};
    int first[KINDS], second[KINDS], taken[KINDS], partial[KINDS];
    size_t part = recv_fds("peek with room for 2", channel[1], MSG_PEEK, 2, partial);
    size_t one = recv_fds("peek", channel[1], MSG_PEEK, KINDS, first);
    size_t two = recv_fds("peek again", channel[1], MSG_PEEK, KINDS, second);
    size_t three = recv_fds("read", channel[1], 0, KINDS, taken);
    if (part != 2 || one != KINDS || two != KINDS || three != KINDS)
        return contract_pass();
    printf("new descriptors each time: %s\n",
           distinct(first, KINDS, second, taken) && distinct(second, KINDS, first, taken) &&
                   distinct(taken, KINDS, first, second) && distinct(partial, 2, first, none)
               ? "yes"
               : "no");
    char byte;
    contract_result("nothing more queued", recv(channel[1], &byte, 1, MSG_DONTWAIT));

    /* The socket: each of the three writes to the peer. */
    int *sets[3] = {first, second, taken};
    const char *names[3] = {"first peek's", "second peek's", "read's"};
    for (int s = 0; s < 3; s++) {
        char buffer[8] = {0};
        contract_result("write on the socket", write(sets[s][0], names[s], 3));
        contract_result("its peer reads", read(pair[0], buffer, sizeof(buffer)));
        printf("%s socket: \"%s\"\n", names[s], buffer);
    }
    /* The file: one description, one offset. */
    for (int s = 0; s < 3; s++) {
        char buffer[4] = {0};
        contract_result("read the file", read(sets[s][1], buffer, 2));
        printf("%s file: \"%s\"\n", names[s], buffer);
    }
    /* The pipe's write end. */
    for (int s = 0; s < 3; s++)
        contract_result("write the pipe", write(sets[s][2], "xyz" + s, 1));
    char piped[4] = {0};
    contract_result("pipe read", read(pipe_ends[0], piped, sizeof(piped)));
    printf("pipe: \"%s\"\n", piped);
    /* The eventfd: one counter. */
    for (int s = 0; s < 3; s++) {
        uint64_t add = (uint64_t)s + 1;
        contract_result("eventfd write", write(sets[s][3], &add, sizeof(add)));
    }
    /* The epoll fd: the interest set on the counter. */
    for (int s = 0; s < 3; s++) {
        struct epoll_event ready = {0};
        int count = epoll_wait(sets[s][4], &ready, 1, 0);
        printf("%s epoll: %d ready, data %llu\n", names[s], count,
               count == 1 ? (unsigned long long)ready.data.u64 : 0ull);
    }
    uint64_t value = 0;
    contract_result("eventfd read", read(counter, &value, sizeof(value)));
    printf("count %llu\n", (unsigned long long)value);

    /* The peeked ones closed, the read's still work; when every copy is closed the peer
     * sees the end. */
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < KINDS; i++)
            close(sets[s][i]);
    for (size_t i = 0; i < part; i++)
        close(partial[i]);
    char buffer[8] = {0};
    contract_result("the read's socket after the peeks' closed", write(taken[0], "end", 3));
    contract_result("its peer reads", read(pair[0], buffer, sizeof(buffer)));
    for (int i = 0; i < KINDS; i++)
        close(taken[i]);
    contract_result("all closed: end of stream", read(pair[0], buffer, sizeof(buffer)));
    contract_result("all closed: pipe end of file", read(pipe_ends[0], buffer, sizeof(buffer)));

    /* The terminal: a peeked copy writes where the read's does. */
    int out = 1;
    contract_result("send stdout", send_fds(channel[0], 't', &out, 1));
    int peeked[KINDS], read_out[KINDS];
    if (recv_fds("peek stdout", channel[1], MSG_PEEK, 1, peeked) == 1 &&
        recv_fds("read stdout", channel[1], 0, 1, read_out) == 1) {
        dprintf(peeked[0], "through the peeked terminal\n");
        dprintf(read_out[0], "through the read's terminal\n");
        close(peeked[0]);
        close(read_out[0]);
    }
    close(channel[0]);
    close(channel[1]);
    close(pair[0]);
    close(pipe_ends[0]);
    close(counter);
    return contract_pass();
}
