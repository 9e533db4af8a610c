/* 10,000 eventfds watched by one epoll set and polled at once (RLIMIT_NOFILE raised where the
 * limit exists): one ready among them, then two; read, write and close work on all of them. */
#include <poll.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>

#include "contract.h"

#define WATCHED 10000

static int fds[WATCHED];

static void show_wait(const char *what, int set)
{
    struct epoll_event events[4];
    memset(events, 0, sizeof(events));
    int count = epoll_wait(set, events, 4, 0);
    printf("%s: %d ready", what, count);
    for (int i = 0; i < count; i++)
        printf(" [%#x %llu]", events[i].events, (unsigned long long)events[i].data.u64);
    printf("\n");
}

int main(void)
{
    contract_start();
#ifdef RLIMIT_NOFILE
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < WATCHED + 64) {
        limit.rlim_cur = WATCHED + 64;
        if (limit.rlim_max < limit.rlim_cur)
            limit.rlim_max = limit.rlim_cur;
        if (setrlimit(RLIMIT_NOFILE, &limit) != 0)
            printf("setrlimit: %s\n", errno_name(errno));
    }
#endif
    int set = epoll_create1(0);
    int made = 0, watched = 0;
    for (int i = 0; i < WATCHED; i++) {
        fds[i] = eventfd(i == 4321 ? 1 : 0, EFD_NONBLOCK);
        if (fds[i] < 0) {
            printf("eventfd %d: %s\n", i, errno_name(errno));
            break;
        }
        made++;
        struct epoll_event event = {.events = EPOLLIN, .data.u64 = (uint64_t)i};
        if (epoll_ctl(set, EPOLL_CTL_ADD, fds[i], &event) == 0)
            watched++;
    }
    printf("made %d, watched %d\n", made, watched);
    show_wait("one ready", set);
    uint64_t one = 1;
    printf("write to the last: %ld\n", (long)write(fds[WATCHED - 1], &one, sizeof(one)));
    show_wait("two ready", set);
    uint64_t value = 0;
    long got = (long)read(fds[WATCHED - 1], &value, sizeof(value));
    printf("read the last: %ld, value %llu\n", got, (unsigned long long)value);
    got = (long)read(fds[0], &value, sizeof(value));
    printf("read the first (empty): %ld %s\n", got, errno_name(errno));
    show_wait("one ready again", set);

    struct pollfd *polled = calloc(WATCHED, sizeof(*polled));
    for (int i = 0; i < WATCHED; i++)
        polled[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
    int ready = poll(polled, WATCHED, 0);
    int which = -1;
    for (int i = 0; i < WATCHED; i++)
        if (polled[i].revents != 0)
            which = i;
    printf("poll of %d: %d ready, entry %d revents %#x\n", WATCHED, ready, which,
           which >= 0 ? (unsigned)polled[which].revents : 0u);
    free(polled);

    int closed = 0;
    for (int i = 0; i < made; i++)
        closed += close(fds[i]) == 0;
    printf("closed %d\n", closed);
    show_wait("after closing them all", set);
    close(set);
    return contract_pass();
}
