/* epoll: ctl errors, level and edge triggering, EPOLLONESHOT, data intact, interests keyed by
 * the description, nesting and ELOOP, timeouts. */
#include <sys/epoll.h>
#include <sys/eventfd.h>

#include "contract.h"

static int ep;

static void bump(int fd)
{
    uint64_t one = 1;
    if (write(fd, &one, sizeof(one)) != sizeof(one))
        printf("write failed %s\n", errno_name(errno));
}

static void drain(int fd)
{
    uint64_t value;
    if (read(fd, &value, sizeof(value)) != sizeof(value))
        printf("read failed %s\n", errno_name(errno));
}

static void show_wait(const char *what, int set, int timeout)
{
    struct epoll_event events[8];
    memset(events, 0, sizeof(events));
    int count = epoll_wait(set, events, 8, timeout);
    if (count < 0) {
        printf("%s: epoll_wait = -1 %s\n", what, errno_name(errno));
        return;
    }
    printf("%s: %d ready", what, count);
    for (int i = 0; i < count; i++)
        printf(" [%#x %llx]", events[i].events, (unsigned long long)events[i].data.u64);
    printf("\n");
}

static int ctl(int set, int op, int fd, uint32_t events, uint64_t data)
{
    struct epoll_event event = {.events = events, .data.u64 = data};
    return epoll_ctl(set, op, fd, &event);
}

int main(void)
{
    contract_start();
    ep = epoll_create1(0);
    contract_result("epoll_create(0)", epoll_create(0));
    contract_result("epoll_create1(1)", epoll_create1(1));
    int a = eventfd(0, EFD_NONBLOCK), b = eventfd(0, EFD_NONBLOCK);

    contract_result("ADD a", ctl(ep, EPOLL_CTL_ADD, a, EPOLLIN, 0x1122334455667788ull));
    contract_result("ADD a again", ctl(ep, EPOLL_CTL_ADD, a, EPOLLIN, 1));
    contract_result("MOD b (not watched)", ctl(ep, EPOLL_CTL_MOD, b, EPOLLIN, 1));
    contract_result("DEL b (not watched)", epoll_ctl(ep, EPOLL_CTL_DEL, b, NULL));
    contract_result("ADD itself", ctl(ep, EPOLL_CTL_ADD, ep, EPOLLIN, 1));
    contract_result("ADD on a non-epoll fd", ctl(a, EPOLL_CTL_ADD, b, EPOLLIN, 1));
    contract_result("bad op", ctl(ep, 99, b, EPOLLIN, 1));
    contract_result("ADD bad fd", ctl(ep, EPOLL_CTL_ADD, 999, EPOLLIN, 1));
    contract_result("ADD with a bad event pointer",
                    epoll_ctl(ep, EPOLL_CTL_ADD, b, contract_address(16)));
    contract_result("EXCLUSIVE|ONESHOT",
                    ctl(ep, EPOLL_CTL_ADD, b, EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 1));
    struct epoll_event events[2];
    contract_result("epoll_wait maxevents 0", epoll_wait(ep, events, 0, 0));
    volatile int negative = -1;
    contract_result("epoll_wait maxevents -1", epoll_wait(ep, events, negative, 0));
    contract_result("epoll_wait on a non-epoll fd", epoll_wait(a, events, 2, 0));
    contract_result("epoll_wait bad fd", epoll_wait(999, events, 2, 0));

    show_wait("nothing ready", ep, 0);
    show_wait("timeout 30 ms", ep, 30);
    bump(a);
    show_wait("level: a ready", ep, 0);
    show_wait("level: still ready", ep, -1);
    drain(a);
    show_wait("level: drained", ep, 0);

    contract_result("ADD b edge", ctl(ep, EPOLL_CTL_ADD, b, EPOLLIN | EPOLLET, 2));
    bump(b);
    show_wait("edge: first", ep, 0);
    show_wait("edge: no new edge", ep, 0);
    bump(b);
    show_wait("edge: a new write is a new edge", ep, 0);
    drain(b);
    contract_result("MOD b oneshot", ctl(ep, EPOLL_CTL_MOD, b, EPOLLIN | EPOLLONESHOT, 3));
    bump(b);
    show_wait("oneshot: fires", ep, 0);
    bump(b);
    show_wait("oneshot: disabled", ep, 0);
    contract_result("MOD b re-arm", ctl(ep, EPOLL_CTL_MOD, b, EPOLLIN | EPOLLONESHOT, 4));
    show_wait("oneshot: re-armed", ep, 0);
    drain(b);
    contract_result("DEL b", epoll_ctl(ep, EPOLL_CTL_DEL, b, NULL));

    /* The interest belongs to the description: a dup keeps it alive after close(a). */
    int copy = dup(a);
    close(a);
    bump(copy);
    show_wait("after close(a), its dup written", ep, 0);
    drain(copy);
    close(copy);
    /* The last descriptor closed: the interest is gone; a new eventfd on the same number
     * starts with none. */
    int reused = eventfd(1, EFD_NONBLOCK);
    printf("new eventfd reuses the number: %s\n", reused == a ? "yes" : "no");
    show_wait("new description, old number", ep, 0);
    contract_result("MOD of the reused number", ctl(ep, EPOLL_CTL_MOD, reused, EPOLLIN, 5));

    /* Nesting: an epoll fd in another is readable while its own set has events. */
    int outer = epoll_create1(0);
    contract_result("ADD ep to outer", ctl(outer, EPOLL_CTL_ADD, ep, EPOLLIN, 6));
    show_wait("outer, inner idle", outer, 0);
    contract_result("ADD reused to ep", ctl(ep, EPOLL_CTL_ADD, reused, EPOLLIN, 7));
    show_wait("outer, inner ready", outer, 0);
    contract_result("ADD outer to ep (loop)", ctl(ep, EPOLL_CTL_ADD, outer, EPOLLIN, 8));

    /* A child's write wakes a blocked epoll_wait. */
    drain(reused);
    pid_t child = contract_fork();
    if (child == 0) {
        usleep(20000);
        bump(reused);
        _exit(0);
    }
    show_wait("blocked until the child writes", ep, -1);
    contract_reap("writer", child);
    close(outer);
    close(reused);
    close(ep);
    return contract_pass();
}
