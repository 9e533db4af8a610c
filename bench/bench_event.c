/* Readiness system calls with nothing ready (epoll_wait, poll) and an eventfd round trip. */
#include "bench.h"

#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
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
};

const struct bench_group bench_event_group = {cases, sizeof(cases) / sizeof(cases[0])};
