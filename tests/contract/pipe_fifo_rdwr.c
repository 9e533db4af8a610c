/* A FIFO opened O_RDWR: the open never waits, the descriptor reads and writes, poll, other openers. */
#include "contract.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/stat.h>

/* The revents of one descriptor polled for in and out, without waiting, in words. */
static void show_poll(const char *what, int fd)
{
    struct pollfd entry = {.fd = fd, .events = POLLIN | POLLOUT};
    int ready = poll(&entry, 1, 0);
    printf("%s: poll %d in=%d out=%d hup=%d err=%d\n", what, ready, !!(entry.revents & POLLIN),
           !!(entry.revents & POLLOUT), !!(entry.revents & POLLHUP), !!(entry.revents & POLLERR));
}

/* What epoll_wait says of fd, watched for in and out, without waiting. */
static void show_epoll(const char *what, int epoll, int fd)
{
    struct epoll_event event = {0};
    int ready = epoll_wait(epoll, &event, 1, 0);
    printf("%s: epoll_wait %d in=%d out=%d fd=%d\n", what, ready, !!(event.events & EPOLLIN),
           !!(event.events & EPOLLOUT), ready == 1 && event.data.fd == fd);
}

/* Reads what is there (at most 63 bytes) and prints it. */
static void show_read(const char *what, int fd)
{
    char buffer[64] = {0};
    long got = read(fd, buffer, sizeof(buffer) - 1);
    if (got < 0)
        printf("%s: read = -1 %s\n", what, errno_name(errno));
    else
        printf("%s: read = %ld \"%s\"\n", what, got, buffer);
}

int main(void)
{
    contract_start();
    char scratch[] = "/tmp/contract-XXXXXX";
    contract_scratch_start(scratch);
    R(mkfifo("fifo", 0600));

    /* Nobody else has it open: the open does not wait (Linux's fifo_open counts it as both). */
    int both = open("fifo", O_RDWR);
    printf("O_RDWR open: %s\n", both >= 0 ? "ok" : errno_name(errno));
    struct stat status;
    R(fstat(both, &status));
    printf("fstat fifo: %d\n", S_ISFIFO(status.st_mode));
    printf("F_GETFL access: %s\n", (fcntl(both, F_GETFL) & O_ACCMODE) == O_RDWR ? "O_RDWR" : "other");
    R(lseek(both, 0, SEEK_SET));
    show_poll("empty", both);
    R(write(both, "loop", 4));
    show_poll("with data", both);
    show_read("own bytes back", both);
    show_poll("drained", both);
    int epoll = epoll_create1(0);
    struct epoll_event interest = {.events = EPOLLIN | EPOLLOUT, .data.fd = both};
    R(epoll_ctl(epoll, EPOLL_CTL_ADD, both, &interest));
    show_epoll("epoll, empty", epoll, both);
    R(write(both, "e", 1));
    show_epoll("epoll, with data", epoll, both);
    show_read("epoll's byte", both);
    R(close(epoll));

    /* Empty with O_NONBLOCK: EAGAIN (a writer is open: itself), not end of file. */
    int flags = fcntl(both, F_GETFL);
    R(fcntl(both, F_SETFL, flags | O_NONBLOCK));
    show_read("empty, O_NONBLOCK", both);
    R(fcntl(both, F_SETFL, flags));

    /* A second opener: a reader and a writer do not wait, as the O_RDWR description is both. */
    int reader = open("fifo", O_RDONLY);
    printf("O_RDONLY open: %s\n", reader >= 0 ? "ok" : errno_name(errno));
    int writer = open("fifo", O_WRONLY | O_NONBLOCK);
    printf("O_WRONLY|O_NONBLOCK open: %s\n", writer >= 0 ? "ok" : errno_name(errno));
    R(write(both, "to the reader", 13));
    show_poll("reader with data", reader);
    show_read("second reader", reader);
    R(write(writer, "from the writer", 15));
    show_read("O_RDWR reads the writer", both);
    R(close(writer));

    /* The O_RDWR's close leaves no writer; a writer (the O_WRONLY one) came after the reader's
     * open, so it is hung up (Linux compares the writer counter) and reads end of file. */
    R(close(both));
    show_poll("reader, O_RDWR closed", reader);
    show_read("reader, no writer", reader);

    /* A child writes through its own O_RDWR open while the parent reads through another. */
    both = open("fifo", O_RDWR);
    pid_t child = contract_fork();
    if (child == 0) {
        int own = open("fifo", O_RDWR);
        long wrote = write(own, "child", 5);
        close(own);
        _exit(wrote == 5 ? 0 : 1);
    }
    contract_reap("child", child);
    show_read("after the child", both);
    show_poll("O_RDWR, reader still open", both);
    R(close(reader));
    show_poll("O_RDWR alone", both);
    R(close(both));

    R(unlink("fifo"));
    R(chdir("/"));
    R(rmdir(scratch));
    return contract_pass();
}
