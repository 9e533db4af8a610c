/* Threads: I/O calls are cancellation points. A cancel ends a thread blocked in read of an
 * empty pipe, write to a full pipe, waitpid, accept, and poll, select and epoll_wait on a
 * socket (the server
 * holds the call: the cancel goes through like a signal's); a cancel already pending is acted
 * on when read, write, open or close starts, before it does anything; and cancellation
 * disabled leaves the call alone. */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "contract.h"

static int pipe_fds[2], full_fds[2], socket_fds[2], listener, epoll_fd;
static pid_t sleeper;
static volatile int cleanups;
static volatile int entered;

static void cleanup(void *argument)
{
    (void)argument;
    cleanups++;
}

static void *blocked_call(void *argument)
{
    const char *which = argument;
    char byte;
    pthread_cleanup_push(cleanup, NULL);
    entered = 1;
    if (strcmp(which, "read") == 0)
        read(pipe_fds[0], &byte, 1);
    else if (strcmp(which, "write") == 0) {
        static char chunk[4096];
        for (;;)
            write(full_fds[1], chunk, sizeof(chunk));
    } else if (strcmp(which, "waitpid") == 0)
        waitpid(sleeper, NULL, 0);
    else if (strcmp(which, "accept") == 0)
        accept(listener, NULL, NULL);
    else if (strcmp(which, "poll") == 0) {
        struct pollfd one = {.fd = socket_fds[0], .events = POLLIN};
        poll(&one, 1, -1);
    } else if (strcmp(which, "select") == 0) {
        fd_set set;
        FD_ZERO(&set);
        FD_SET(socket_fds[0], &set);
        select(socket_fds[0] + 1, &set, NULL, NULL, NULL);
    } else if (strcmp(which, "epoll_wait") == 0) {
        struct epoll_event event;
        epoll_wait(epoll_fd, &event, 1, -1);
    }
    printf("%s returned: wrong\n", which);
    pthread_cleanup_pop(0);
    return NULL;
}

static void cancel_blocked(const char *which)
{
    pthread_t thread;
    void *result = NULL;
    entered = 0;
    int before = cleanups;
    pthread_create(&thread, NULL, blocked_call, (void *)which);
    while (!entered)
        usleep(1000);
    usleep(50000); /* in the call by now (a cancel before it is acted on just the same) */
    pthread_cancel(thread);
    pthread_join(thread, &result);
    printf("cancel in %s: %s, cleanup ran %s\n", which,
           result == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "not cancelled",
           cleanups == before + 1 ? "yes" : "no");
}

static volatile int reached;

/* Cancellation is pending while disabled; enabling it then calling which acts at its start. */
static void *pending_call(void *argument)
{
    const char *which = argument;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
    while (!reached)
        usleep(1000);
    char byte = 'x';
    write(pipe_fds[1], &byte, 1); /* disabled: no cancellation, the byte goes */
    pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
    if (strcmp(which, "read") == 0)
        read(pipe_fds[0], &byte, 1);
    else if (strcmp(which, "write") == 0)
        write(pipe_fds[1], &byte, 1);
    else if (strcmp(which, "open") == 0)
        open("/dev/null", O_RDONLY);
    else if (strcmp(which, "close") == 0)
        close(pipe_fds[1]);
    printf("%s returned: wrong\n", which);
    return NULL;
}

static void cancel_pending(const char *which)
{
    pthread_t thread;
    void *result = NULL;
    reached = 0;
    pthread_create(&thread, NULL, pending_call, (void *)which);
    pthread_cancel(thread);
    reached = 1;
    pthread_join(thread, &result);
    char bytes[4];
    int flags = fcntl(pipe_fds[0], F_GETFL);
    fcntl(pipe_fds[0], F_SETFL, flags | O_NONBLOCK);
    ssize_t got = read(pipe_fds[0], bytes, sizeof(bytes));
    fcntl(pipe_fds[0], F_SETFL, flags);
    printf("pending cancel at %s: %s, bytes left in the pipe %ld, write end open %s\n", which,
           result == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "not cancelled", (long)got,
           fcntl(pipe_fds[1], F_GETFD) >= 0 ? "yes" : "no");
}

int main(void)
{
    contract_start();
    pipe(pipe_fds);
    pipe(full_fds);
    int flags = fcntl(full_fds[1], F_GETFL);
    fcntl(full_fds[1], F_SETFL, flags | O_NONBLOCK);
    static char chunk[4096];
    while (write(full_fds[1], chunk, sizeof(chunk)) > 0)
        ;
    fcntl(full_fds[1], F_SETFL, flags);

    sleeper = contract_fork();
    if (sleeper == 0) {
        sleep(5);
        _exit(0);
    }
    listener = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    strcpy(address.sun_path, "/tmp/contract_cancel_io.sock");
    unlink(address.sun_path);
    bind(listener, (struct sockaddr *)&address, sizeof(address));
    listen(listener, 1);
    epoll_fd = epoll_create1(0);
    struct epoll_event event = {.events = EPOLLIN};
    socketpair(AF_UNIX, SOCK_STREAM, 0, socket_fds);
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, socket_fds[0], &event);

    cancel_blocked("read");
    cancel_blocked("write");
    cancel_blocked("waitpid");
    cancel_blocked("accept");
    cancel_blocked("poll");
    cancel_blocked("select");
    cancel_blocked("epoll_wait");
    cancel_pending("read");
    cancel_pending("write");
    cancel_pending("open");
    cancel_pending("close");

    kill(sleeper, SIGKILL);
    contract_reap("sleeper", sleeper);
    unlink(address.sun_path);
    return contract_pass();
}
