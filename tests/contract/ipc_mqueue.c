/* POSIX message queues: names, attributes and limits, priority order, O_NONBLOCK, timeouts,
 * EMSGSIZE/EBADF/EINVAL, mq_setattr, a blocked receiver woken by another process. */
#include "contract.h"

#include <fcntl.h>
#include <mqueue.h>
#include <sys/stat.h>
#include <time.h>

#define NAME "/contract_ipc_mq"

static void show_attr(const char *what, mqd_t queue)
{
    struct mq_attr attr;
    if (mq_getattr(queue, &attr) != 0) {
        printf("%s: mq_getattr %s\n", what, errno_name(errno));
        return;
    }
    printf("%s: flags %s maxmsg %ld msgsize %ld curmsgs %ld\n", what,
           attr.mq_flags & O_NONBLOCK ? "O_NONBLOCK" : "0", attr.mq_maxmsg, attr.mq_msgsize,
           attr.mq_curmsgs);
}

static struct timespec in_ms(long ms)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_nsec += ms * 1000000;
    while (t.tv_nsec >= 1000000000) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000;
    }
    return t;
}

static void names(void)
{
    char long_name[300];
    long_name[0] = '/';
    memset(long_name + 1, 'q', 256);
    long_name[257] = 0;
    R(mq_open("noslash", O_RDWR | O_CREAT, 0600, NULL));
    R(mq_open("/", O_RDWR | O_CREAT, 0600, NULL));
    R(mq_open("/a/b", O_RDWR | O_CREAT, 0600, NULL));
    R(mq_open(long_name, O_RDWR | O_CREAT, 0600, NULL));
    long_name[256] = 0;
    mqd_t queue = mq_open(long_name, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
    printf("255-byte name: %s\n", queue >= 0 ? "opened" : errno_name(errno));
    R(mq_close(queue));
    R(mq_unlink(long_name));
    R(mq_unlink(long_name));
    R(mq_unlink("noslash"));
    R(mq_unlink("/a/b"));
    R(mq_open(NAME, O_RDWR));
    struct mq_attr attr = {.mq_maxmsg = 0, .mq_msgsize = 16};
    R(mq_open(NAME, O_RDWR | O_CREAT, 0600, &attr));
    attr.mq_maxmsg = 11;
    R(mq_open(NAME, O_RDWR | O_CREAT, 0600, &attr));
    attr.mq_maxmsg = 10;
    attr.mq_msgsize = 8193;
    R(mq_open(NAME, O_RDWR | O_CREAT, 0600, &attr));
    attr.mq_msgsize = -1;
    R(mq_open(NAME, O_RDWR | O_CREAT, 0600, &attr));
}

static void defaults(void)
{
    mqd_t queue = mq_open(NAME, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
    printf("default queue: %s\n", queue >= 0 ? "opened" : errno_name(errno));
    show_attr("defaults", queue);
    R(mq_open(NAME, O_RDWR | O_CREAT | O_EXCL, 0600, NULL));
    R(fcntl(queue, F_GETFD) & FD_CLOEXEC);
    R(mq_close(queue));
    R(mq_close(queue));
    R(mq_unlink(NAME));
}

static void order_and_limits(void)
{
    struct mq_attr attr = {.mq_maxmsg = 4, .mq_msgsize = 64};
    mqd_t queue = mq_open(NAME, O_RDWR | O_CREAT | O_EXCL | O_NONBLOCK, 0600, &attr);
    show_attr("created", queue);
    char big[100] = {0};
    R(mq_send(queue, "low", 3, 1));
    R(mq_send(queue, "high", 4, 30));
    R(mq_send(queue, "low2", 4, 1));
    R(mq_send(queue, "", 0, 7));
    show_attr("four queued", queue);
    R(mq_send(queue, "full", 4, 1));
    R(mq_send(queue, big, 65, 1));
    R(mq_send(queue, "x", 1, 32768));
    R(mq_send(99, "x", 1, 1));
    R(mq_receive(queue, big, 63, NULL));
    for (int i = 0; i < 4; i++) {
        unsigned priority = 99;
        memset(big, 0, sizeof(big));
        ssize_t length = mq_receive(queue, big, sizeof(big), &priority);
        printf("received %zd '%s' priority %u\n", length, big, priority);
    }
    R(mq_receive(queue, big, sizeof(big), NULL));
    struct mq_attr blocking = {.mq_flags = 0}, old;
    R(mq_setattr(queue, &blocking, &old));
    printf("old flags %s\n", old.mq_flags & O_NONBLOCK ? "O_NONBLOCK" : "0");
    show_attr("blocking", queue);
    struct timespec deadline = in_ms(30);
    R(mq_timedreceive(queue, big, sizeof(big), NULL, &deadline));
    struct timespec past = {.tv_sec = 0, .tv_nsec = 0};
    R(mq_timedreceive(queue, big, sizeof(big), NULL, &past));
    struct timespec bad = {.tv_sec = 0, .tv_nsec = 1000000000};
    R(mq_timedreceive(queue, big, sizeof(big), NULL, &bad));
    R(mq_send(queue, "now", 3, 2));
    R(mq_timedreceive(queue, big, sizeof(big), NULL, &past));
    for (int i = 0; i < 4; i++)
        mq_send(queue, "fill", 4, 0);
    deadline = in_ms(30);
    R(mq_timedsend(queue, "late", 4, 0, &deadline));
    R(mq_timedsend(queue, "late", 4, 0, &bad));
    mqd_t reader = mq_open(NAME, O_RDONLY);
    mqd_t writer = mq_open(NAME, O_WRONLY);
    R(mq_send(reader, "x", 1, 0));
    R(mq_receive(writer, big, sizeof(big), NULL));
    R(mq_close(reader));
    R(mq_close(writer));
    R(mq_close(queue));
    R(mq_unlink(NAME));
}

static void across_processes(void)
{
    struct mq_attr attr = {.mq_maxmsg = 2, .mq_msgsize = 32};
    mqd_t queue = mq_open(NAME, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    pid_t child = contract_fork();
    if (child == 0) {
        /* Blocks until the parent sends; then fills the queue and blocks on the third. */
        mqd_t own = mq_open(NAME, O_RDWR);
        char text[32] = {0};
        unsigned priority = 0;
        ssize_t length = mq_receive(own, text, sizeof(text), &priority);
        if (length != 5 || strcmp(text, "hello") != 0 || priority != 3)
            _exit(2);
        for (int i = 0; i < 3; i++)
            if (mq_send(own, "back", 4, (unsigned)i) != 0)
                _exit(3);
        _exit(0);
    }
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 50000000};
    nanosleep(&pause, NULL);
    R(mq_send(queue, "hello", 5, 3));
    /* Wait for the child to fill the queue (its third send then waits for room). */
    struct mq_attr now = {0};
    while (mq_getattr(queue, &now) == 0 && now.mq_curmsgs < 2)
        nanosleep(&pause, NULL);
    char text[32];
    unsigned priority = 0;
    for (int i = 0; i < 3; i++) {
        memset(text, 0, sizeof(text));
        ssize_t length = mq_receive(queue, text, sizeof(text), &priority);
        printf("from child: %zd '%s' priority %u\n", length, text, priority);
    }
    contract_reap("child", child);
    R(mq_close(queue));
    R(mq_unlink(NAME));
}

/* Every queue's worst case counts against RLIMIT_MSGQUEUE (819,200 bytes): nine of the
 * default size fit, the tenth is EMFILE; closing and unlinking gives the room back. */
static void byte_limit(void)
{
    char name[32];
    mqd_t queues[10];
    int opened = 0;
    for (int i = 0; i < 10; i++) {
        snprintf(name, sizeof(name), "/contract_ipc_limit%d", i);
        mq_unlink(name);
        queues[i] = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
        if (queues[i] < 0) {
            printf("queue %d: %s\n", i, errno_name(errno));
            break;
        }
        opened++;
    }
    printf("default-size queues opened: %d\n", opened);
    for (int i = 0; i < opened; i++) {
        snprintf(name, sizeof(name), "/contract_ipc_limit%d", i);
        mq_close(queues[i]);
        mq_unlink(name);
    }
    mqd_t again = mq_open("/contract_ipc_limit0", O_RDWR | O_CREAT | O_EXCL, 0600, NULL);
    printf("after giving them back: %s\n", again >= 0 ? "opened" : errno_name(errno));
    mq_close(again);
    mq_unlink("/contract_ipc_limit0");
}

int main(void)
{
    contract_start();
    umask(022);
    mq_unlink(NAME);
    names();
    defaults();
    order_and_limits();
    across_processes();
    byte_limit();
    return contract_pass();
}
