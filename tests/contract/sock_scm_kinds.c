/* SCM_RIGHTS of every kind of descriptor: an eventfd (its counter shared with the sender), an
 * epoll fd (its interests shared), stdin's terminal, each usable in the receiver, and in flight
 * while the sender closes its own copy. */
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>

#include "contract.h"
#include "contract_scm.h"

/* Receives one byte; returns the descriptor that came with it (or -1). */
static int recv_fd(const char *what, int channel)
{
    char byte = 0;
    ssize_t got;
    int fd = contract_recv_fd(channel, &byte, 1, &got);
    printf("%s: recvmsg = %zd '%c', descriptor %s\n", what, got, got > 0 ? byte : '-',
           fd >= 0 ? "yes" : "no");
    return fd;
}

static void print_count(const char *what, int fd)
{
    uint64_t value = 0;
    long got = (long)read(fd, &value, sizeof(value));
    if (got < 0)
        printf("%s: read %ld %s\n", what, got, errno_name(errno));
    else
        printf("%s: read %ld, count %llu\n", what, got, (unsigned long long)value);
}

/* epoll_wait's events as data values, smallest first (the order of a ready list is not part of
 * the contract). */
static void print_ready(const char *what, int epoll, int timeout)
{
    struct epoll_event events[4];
    int count = epoll_wait(epoll, events, 4, timeout);
    unsigned long data[4];
    for (int i = 0; i < count; i++)
        data[i] = (unsigned long)events[i].data.u64;
    for (int i = 1; i < count; i++)
        for (int j = i; j > 0 && data[j - 1] > data[j]; j--) {
            unsigned long swap = data[j];
            data[j] = data[j - 1];
            data[j - 1] = swap;
        }
    printf("%s: epoll_wait = %d", what, count);
    for (int i = 0; i < count; i++)
        printf(" %lu", data[i]);
    printf("\n");
}

int main(void)
{
    contract_start();
    int channel[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, channel);

    /* An eventfd to another process: what the receiver writes, the sender reads. */
    int counter = eventfd(0, EFD_NONBLOCK);
    contract_result("send the eventfd", contract_send_fd(channel[0], 'e', counter));
    pid_t child = contract_fork();
    if (child == 0) {
        int got = recv_fd("child, the eventfd", channel[1]);
        uint64_t seven = 7;
        long put = (long)write(got, &seven, sizeof(seven));
        printf("child wrote 7: %ld\n", put);
        print_count("child reads it back", got);
        uint64_t five = 5;
        put = (long)write(got, &five, sizeof(five));
        printf("child wrote 5: %ld\n", put);
        int flags = fcntl(got, F_GETFL);
        printf("child's copy is nonblocking: %s\n", (flags & O_NONBLOCK) ? "yes" : "no");
        _exit(got >= 0 && put == 8 ? 0 : 1);
    }
    contract_reap("child", child);
    print_count("the sender reads the child's write", counter);
    print_count("then nothing", counter);

    /* In flight while the sender closes it: the counter survives until received. */
    int semaphore = eventfd(3, EFD_SEMAPHORE);
    contract_result("send a semaphore eventfd", contract_send_fd(channel[0], 's', semaphore));
    printf("close the sender's copy: %d\n", close(semaphore));
    int adopted = recv_fd("oneself, the semaphore", channel[1]);
    print_count("received semaphore", adopted);
    print_count("received semaphore again", adopted);
    close(adopted);

    /* An epoll fd: the receiver's interests are the sender's, and the other way round. */
    int epoll = epoll_create1(0);
    int first = eventfd(0, 0), second = eventfd(0, 0);
    struct epoll_event event = {.events = EPOLLIN, .data.u64 = 11};
    contract_result("epoll_ctl ADD first", epoll_ctl(epoll, EPOLL_CTL_ADD, first, &event));
    contract_result("send the epoll fd", contract_send_fd(channel[0], 'p', epoll));
    child = contract_fork();
    if (child == 0) {
        int got = recv_fd("child, the epoll fd", channel[1]);
        print_ready("child, nothing ready", got, 0);
        uint64_t one = 1;
        if (write(first, &one, sizeof(one)) != sizeof(one))
            _exit(2);
        print_ready("child, first written", got, 1000);
        struct epoll_event more = {.events = EPOLLIN, .data.u64 = 22};
        contract_result("child: epoll_ctl ADD second",
                        epoll_ctl(got, EPOLL_CTL_ADD, second, &more));
        contract_result("child: ADD first again",
                        epoll_ctl(got, EPOLL_CTL_ADD, first, &event));
        _exit(got >= 0 ? 0 : 1);
    }
    contract_reap("child", child);
    uint64_t one = 1;
    printf("write second: %ld\n", (long)write(second, &one, sizeof(one)));
    print_ready("the sender sees the child's interest", epoll, 1000);
    close(first);
    close(second);
    close(epoll);

    /* An epoll fd in flight while its sender closes it. */
    epoll = epoll_create1(0);
    int third = eventfd(1, 0);
    struct epoll_event watch = {.events = EPOLLIN, .data.u64 = 33};
    contract_result("epoll_ctl ADD third", epoll_ctl(epoll, EPOLL_CTL_ADD, third, &watch));
    contract_result("send the epoll fd again", contract_send_fd(channel[0], 'q', epoll));
    printf("close the sender's epoll fd: %d\n", close(epoll));
    int set = recv_fd("oneself, the epoll fd", channel[1]);
    print_ready("the received set", set, 0);
    close(set);
    close(third);

    /* stdin's terminal (or whatever stdin is): the same kind of file, at end of file. */
    struct stat original, received;
    contract_result("send stdin", contract_send_fd(channel[0], 'i', 0));
    int input = recv_fd("oneself, stdin", channel[1]);
    fstat(0, &original);
    fstat(input, &received);
    printf("same file type: %s\n",
           (original.st_mode & S_IFMT) == (received.st_mode & S_IFMT) ? "yes" : "no");
    printf("isatty the same: %s\n", isatty(0) == isatty(input) ? "yes" : "no");
    char byte;
    contract_result("read the received stdin", read(input, &byte, 1));
    close(input);

    /* A descriptor closed before the send: EBADF, after the good send above. */
    int gone = eventfd(0, 0);
    close(gone);
    contract_result("send a closed eventfd", contract_send_fd(channel[0], 'x', gone));
    close(channel[0]);
    close(channel[1]);
    return contract_pass();
}
