/* Readiness system calls with nothing ready (epoll_wait, poll) and an eventfd round trip. */
#include "bench.h"

#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* Descriptors a case owns; -1 when not open. */
struct event_state {
    int epoll_fd;
    int event_fd;
    int pipe_fds[2];
};

static struct event_state event_state;

static void event_state_reset(void **state)
{
    event_state.epoll_fd = -1;
    event_state.event_fd = -1;
    event_state.pipe_fds[0] = event_state.pipe_fds[1] = -1;
    *state = &event_state;
}

static void event_teardown(void *state)
{
    struct event_state *event = state;
    int fds[] = {event->epoll_fd, event->event_fd, event->pipe_fds[0], event->pipe_fds[1]};
    for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
        if (fds[i] >= 0)
            close(fds[i]);
}

/* An epoll set watching one eventfd for input; the eventfd stays at zero, so nothing is ready. */
static const char *setup_epoll_wait(void **state)
{
    event_state_reset(state);
    event_state.epoll_fd = epoll_create1(0);
    if (event_state.epoll_fd < 0)
        return bench_fail("epoll_create1");
    event_state.event_fd = eventfd(0, 0);
    if (event_state.event_fd < 0)
        return bench_fail("eventfd");
    struct epoll_event interest = {.events = EPOLLIN, .data.fd = event_state.event_fd};
    if (epoll_ctl(event_state.epoll_fd, EPOLL_CTL_ADD, event_state.event_fd, &interest) != 0)
        return bench_fail("epoll_ctl");
    return NULL;
}

static const char *step_epoll_wait(void *state)
{
    struct event_state *event = state;
    struct epoll_event ready;
    if (epoll_wait(event->epoll_fd, &ready, 1, 0) != 0)
        return bench_fail("epoll_wait");
    return NULL;
}

static const char *setup_poll(void **state)
{
    event_state_reset(state);
    if (pipe(event_state.pipe_fds) != 0)
        return bench_fail("pipe");
    return NULL;
}

/* poll the read end of an empty pipe with timeout 0. */
static const char *step_poll(void *state)
{
    struct event_state *event = state;
    struct pollfd watched = {.fd = event->pipe_fds[0], .events = POLLIN};
    if (poll(&watched, 1, 0) != 0)
        return bench_fail("poll");
    return NULL;
}

static const char *setup_eventfd(void **state)
{
    event_state_reset(state);
    event_state.event_fd = eventfd(0, 0);
    if (event_state.event_fd < 0)
        return bench_fail("eventfd");
    return NULL;
}

/* Add one to the counter (8-byte write) and take it back (8-byte read). */
static const char *step_eventfd(void *state)
{
    struct event_state *event = state;
    uint64_t value = 1;
    if (write(event->event_fd, &value, sizeof(value)) != sizeof(value))
        return bench_fail("eventfd write");
    if (read(event->event_fd, &value, sizeof(value)) != sizeof(value))
        return bench_fail("eventfd read");
    return NULL;
}

/*
 * Scaling: WATCHED eventfds, all watched (epoll) or polled, exactly one of them ready (its
 * counter is 1 and nothing reads it), so each step finds one event among many idle ones.
 */
#define SCALE_MAX 10000
struct scale_state {
    int count;
    int epoll_fd;
    int fds[SCALE_MAX];
    struct pollfd polled[SCALE_MAX];
};

static struct scale_state scale_state;

static void scale_teardown(void *state)
{
    struct scale_state *scale = state;
    for (int i = 0; i < scale->count; i++)
        close(scale->fds[i]);
    if (scale->epoll_fd >= 0)
        close(scale->epoll_fd);
    scale->count = 0;
    scale->epoll_fd = -1;
}

static const char *scale_setup(void **state, int watched, int use_epoll)
{
    struct scale_state *scale = &scale_state;
    scale->count = 0;
    scale->epoll_fd = -1;
    *state = scale;
    /* 10,000 descriptors need more than the usual 1,024 (Linux: root may raise its limit). */
#ifdef RLIMIT_NOFILE
    struct rlimit limit = {(rlim_t)watched + 64, (rlim_t)watched + 64};
    struct rlimit now;
    if (getrlimit(RLIMIT_NOFILE, &now) == 0 && now.rlim_cur < limit.rlim_cur)
        (void)setrlimit(RLIMIT_NOFILE, &limit);
#endif
    if (use_epoll && (scale->epoll_fd = epoll_create1(0)) < 0)
        return bench_fail("epoll_create1");
    for (int i = 0; i < watched; i++) {
        int fd = eventfd(i == watched / 2 ? 1 : 0, 0);
        if (fd < 0) {
            scale_teardown(scale);
            return bench_fail("eventfd");
        }
        scale->fds[scale->count++] = fd;
        scale->polled[i] = (struct pollfd){.fd = fd, .events = POLLIN};
        struct epoll_event interest = {.events = EPOLLIN, .data.u64 = (uint64_t)i};
        if (use_epoll && epoll_ctl(scale->epoll_fd, EPOLL_CTL_ADD, fd, &interest) != 0) {
            scale_teardown(scale);
            return bench_fail("epoll_ctl");
        }
    }
    return NULL;
}

static const char *setup_epoll_10(void **state)
{
    return scale_setup(state, 10, 1);
}

static const char *setup_epoll_1000(void **state)
{
    return scale_setup(state, 1000, 1);
}

static const char *setup_epoll_10000(void **state)
{
    return scale_setup(state, 10000, 1);
}

static const char *setup_poll_10(void **state)
{
    return scale_setup(state, 10, 0);
}

static const char *setup_poll_1000(void **state)
{
    return scale_setup(state, 1000, 0);
}

static const char *step_epoll_scale(void *state)
{
    struct scale_state *scale = state;
    struct epoll_event ready[4];
    if (epoll_wait(scale->epoll_fd, ready, 4, 0) != 1)
        return bench_fail("epoll_wait");
    return NULL;
}

static const char *step_poll_scale(void *state)
{
    struct scale_state *scale = state;
    if (poll(scale->polled, (nfds_t)scale->count, 0) != 1)
        return bench_fail("poll");
    return NULL;
}

static const struct bench_case cases[] = {
    {.name = "epoll_wait",
     .quick_iterations = 100000,
     .full_iterations = 2000000,
     .setup = setup_epoll_wait,
     .step = step_epoll_wait,
     .teardown = event_teardown},
    {.name = "poll",
     .quick_iterations = 50000,
     .full_iterations = 1000000,
     .setup = setup_poll,
     .step = step_poll,
     .teardown = event_teardown},
    {.name = "eventfd",
     .quick_iterations = 25000,
     .full_iterations = 500000,
     .setup = setup_eventfd,
     .step = step_eventfd,
     .teardown = event_teardown},
    {.name = "epoll_wait_10",
     .quick_iterations = 50000,
     .full_iterations = 500000,
     .setup = setup_epoll_10,
     .step = step_epoll_scale,
     .teardown = scale_teardown},
    {.name = "epoll_wait_1000",
     .quick_iterations = 50000,
     .full_iterations = 500000,
     .setup = setup_epoll_1000,
     .step = step_epoll_scale,
     .teardown = scale_teardown},
    {.name = "epoll_wait_10000",
     .quick_iterations = 50000,
     .full_iterations = 500000,
     .setup = setup_epoll_10000,
     .step = step_epoll_scale,
     .teardown = scale_teardown},
    {.name = "poll_10",
     .quick_iterations = 20000,
     .full_iterations = 200000,
     .setup = setup_poll_10,
     .step = step_poll_scale,
     .teardown = scale_teardown},
    {.name = "poll_1000",
     .quick_iterations = 1000,
     .full_iterations = 10000,
     .setup = setup_poll_1000,
     .step = step_poll_scale,
     .teardown = scale_teardown},
};

const struct bench_group bench_event_group = {cases, sizeof(cases) / sizeof(cases[0])};
