/* IPC between processes: pipes, unix stream sockets, epoll echo, and Aramid's own IPC calls. */
#include "bench.h"

#include <errno.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define PIPE_BYTES 4096
#define STREAM_CHUNK_BYTES 65536
#define ARAMID_PAYLOAD_BYTES 4096

/*
 * Aramid's libsys provides these for the Aramid-only cases: start a server thread that answers
 * every call, make one call carrying payload_bytes in the IPC buffer (0 = registers only), and
 * stop the server; they return 0 or a negative errno. Elsewhere they are unresolved weak symbols.
 */
extern int aramid_bench_ipc_server_start(void) __attribute__((weak));
extern int aramid_bench_ipc_call(size_t payload_bytes) __attribute__((weak));
extern void aramid_bench_ipc_server_stop(void) __attribute__((weak));
/* aramid_ipc_null's step itself (it runs only after setup_aramid_ipc found the hooks). */
extern const char *aramid_bench_ipc_null_step(void *state) __attribute__((weak));

/* What the child of a two-process case does with the bytes it receives. */
enum peer_role { PEER_ECHO, PEER_EPOLL_ECHO, PEER_DRAIN };

/*
 * The two ends of a parent/child channel (send and receive are the same descriptor for a socket),
 * the parent's epoll set for epoll_echo, and the child. -1 when closed or absent.
 */
struct peer_state {
    int parent_send, parent_receive;
    int child_send, child_receive;
    int epoll_fd;
    int child_pid;
    enum peer_role role;
};

static struct peer_state peer_state;
static char buffer[STREAM_CHUNK_BYTES];
static int local_fds[2] = {-1, -1};

static void close_if_open(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Waits until fd is readable through a fresh epoll set: the child's half of epoll_echo. */
static int peer_child_loop(struct peer_state *peer)
{
    int epoll_fd = -1;
    if (peer->role == PEER_EPOLL_ECHO) {
        struct epoll_event interest = {.events = EPOLLIN, .data.fd = peer->child_receive};
        epoll_fd = epoll_create1(0);
        if (epoll_fd < 0 || epoll_ctl(epoll_fd, EPOLL_CTL_ADD, peer->child_receive, &interest) != 0)
            return 1;
    }
    for (;;) {
        struct epoll_event ready;
        if (epoll_fd >= 0 && epoll_wait(epoll_fd, &ready, 1, -1) != 1)
            return errno == EINTR ? 0 : 1;
        ssize_t got =
            read(peer->child_receive, buffer, peer->role == PEER_DRAIN ? STREAM_CHUNK_BYTES : 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        if (peer->role != PEER_DRAIN && write(peer->child_send, buffer, 1) != 1)
            return 1;
    }
    /* End of stream: a drain child acknowledges with one byte; echo children just leave. */
    if (peer->role == PEER_DRAIN && write(peer->child_send, buffer, 1) != 1)
        return 1;
    return 0;
}

static int peer_child(void *argument)
{
    struct peer_state *peer = argument;
    close_if_open(&peer->parent_send);
    if (peer->parent_receive != peer->child_receive)
        close_if_open(&peer->parent_receive);
    close_if_open(&peer->epoll_fd);
    return peer_child_loop(peer);
}

static void peer_teardown(void *state)
{
    struct peer_state *peer = state;
    if (peer->parent_receive == peer->parent_send)
        peer->parent_receive = -1;
    int fds[] = {peer->parent_send, peer->parent_receive, peer->child_send, peer->child_receive,
                 peer->epoll_fd};
    for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
        close_if_open(&fds[i]);
    peer->parent_send = peer->parent_receive = peer->child_send = peer->child_receive = -1;
    peer->epoll_fd = -1;
    if (peer->child_pid > 0)
        bench_reap(peer->child_pid);
    peer->child_pid = -1;
}

/* Makes the channel (two pipes, or one socketpair) and starts the child. */
static const char *peer_setup(void **state, enum peer_role role, int use_socket)
{
    struct peer_state *peer = &peer_state;
    peer->parent_send = peer->parent_receive = peer->child_send = peer->child_receive = -1;
    peer->epoll_fd = -1;
    peer->child_pid = -1;
    peer->role = role;
    *state = peer;
    if (use_socket) {
        int ends[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, ends) != 0)
            return bench_fail("socketpair");
        peer->parent_send = peer->parent_receive = ends[0];
        peer->child_send = peer->child_receive = ends[1];
    } else {
        int down[2], up[2];
        if (pipe(down) != 0)
            return bench_fail("pipe");
        peer->child_receive = down[0];
        peer->parent_send = down[1];
        if (pipe(up) != 0)
            return bench_fail("pipe");
        peer->parent_receive = up[0];
        peer->child_send = up[1];
    }
    if (role == PEER_EPOLL_ECHO) {
        struct epoll_event interest = {.events = EPOLLIN, .data.fd = peer->parent_receive};
        peer->epoll_fd = epoll_create1(0);
        if (peer->epoll_fd < 0)
            return bench_fail("epoll_create1");
        if (epoll_ctl(peer->epoll_fd, EPOLL_CTL_ADD, peer->parent_receive, &interest) != 0)
            return bench_fail("epoll_ctl");
    }
    peer->child_pid = bench_spawn(peer_child, peer);
    if (peer->child_pid < 0)
        return bench_fail("fork");
    if (peer->child_send != peer->parent_send)
        close_if_open(&peer->child_send);
    else
        peer->child_send = -1;
    close_if_open(&peer->child_receive);
    return NULL;
}

static const char *setup_pipe_pingpong(void **state)
{
    return peer_setup(state, PEER_ECHO, 0);
}

static const char *setup_unix_pingpong(void **state)
{
    return peer_setup(state, PEER_ECHO, 1);
}

static const char *setup_epoll_echo(void **state)
{
    return peer_setup(state, PEER_EPOLL_ECHO, 1);
}

static const char *setup_pipe_throughput(void **state)
{
    return peer_setup(state, PEER_DRAIN, 0);
}

static const char *setup_unix_throughput(void **state)
{
    return peer_setup(state, PEER_DRAIN, 1);
}

/* One byte to the child and the same byte back. */
static const char *step_pingpong(void *state)
{
    struct peer_state *peer = state;
    char byte = 'p';
    if (write(peer->parent_send, &byte, 1) != 1)
        return bench_fail("write");
    if (bench_read_full(peer->parent_receive, &byte, 1) != 0)
        return bench_fail("read");
    return NULL;
}

/* One byte to the child, which waits in epoll_wait; the parent waits for the echo the same way. */
static const char *step_epoll_echo(void *state)
{
    struct peer_state *peer = state;
    struct epoll_event ready;
    char byte = 'e';
    if (write(peer->parent_send, &byte, 1) != 1)
        return bench_fail("write");
    if (epoll_wait(peer->epoll_fd, &ready, 1, -1) != 1)
        return bench_fail("epoll_wait");
    if (read(peer->parent_receive, &byte, 1) != 1)
        return bench_fail("read");
    return NULL;
}

/* One 64 KiB write to the draining child. */
static const char *step_throughput(void *state)
{
    struct peer_state *peer = state;
    if (bench_write_full(peer->parent_send, buffer, STREAM_CHUNK_BYTES) != 0)
        return bench_fail("write");
    return NULL;
}

/* Inside the timed region: end the stream and wait until the child has read all of it. */
static const char *finish_throughput(void *state)
{
    struct peer_state *peer = state;
    char ack;
    if (peer->parent_send == peer->parent_receive) {
        if (shutdown(peer->parent_send, SHUT_WR) != 0)
            return bench_fail("shutdown");
    } else {
        close_if_open(&peer->parent_send);
    }
    if (bench_read_full(peer->parent_receive, &ack, 1) != 0)
        return bench_fail("read acknowledgement");
    return NULL;
}

static const char *setup_local_fds(void **state)
{
    *state = local_fds;
    return NULL;
}

static void teardown_local_fds(void *state)
{
    int *fds = state;
    close_if_open(&fds[0]);
    close_if_open(&fds[1]);
}

/* Write 4 KiB into a pipe and read it back, in one process. */
static const char *step_pipe(void *state)
{
    int *fds = state;
    if (fds[0] < 0 && pipe(fds) != 0)
        return bench_fail("pipe");
    if (write(fds[1], buffer, PIPE_BYTES) != PIPE_BYTES)
        return bench_fail("write");
    if (read(fds[0], buffer, PIPE_BYTES) != PIPE_BYTES)
        return bench_fail("read");
    return NULL;
}

static const char *step_socketpair(void *state)
{
    int ends[2];
    (void)state;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, ends) != 0)
        return bench_fail("socketpair");
    if (close(ends[0]) != 0 || close(ends[1]) != 0)
        return bench_fail("close");
    return NULL;
}

static const char *setup_aramid_ipc(void **state)
{
    if (!bench_is_aramid())
        return "aramid only";
    if (aramid_bench_ipc_server_start == NULL || aramid_bench_ipc_call == NULL ||
        aramid_bench_ipc_null_step == NULL || aramid_bench_ipc_server_stop == NULL)
        return "libsys IPC benchmark hooks not linked";
    int result = aramid_bench_ipc_server_start();
    if (result < 0) {
        errno = -result;
        return bench_fail("aramid_bench_ipc_server_start");
    }
    *state = &peer_state;
    return NULL;
}

static const char *aramid_ipc_call(size_t payload_bytes)
{
    int result = aramid_bench_ipc_call(payload_bytes);
    if (result < 0) {
        errno = -result;
        return bench_fail("aramid_bench_ipc_call");
    }
    return NULL;
}

static const char *step_aramid_ipc_4k(void *state)
{
    (void)state;
    return aramid_ipc_call(ARAMID_PAYLOAD_BYTES);
}

static void teardown_aramid_ipc(void *state)
{
    (void)state;
    aramid_bench_ipc_server_stop();
}

static const struct bench_case cases[] = {
    {.name = "pipe",
     .quick_iterations = 2500,
     .full_iterations = 50000,
     .setup = setup_local_fds,
     .step = step_pipe,
     .teardown = teardown_local_fds},
    {.name = "pipe_pingpong",
     .quick_iterations = 2500,
     .full_iterations = 50000,
     .setup = setup_pipe_pingpong,
     .step = step_pingpong,
     .teardown = peer_teardown},
    {.name = "socketpair",
     .quick_iterations = 2500,
     .full_iterations = 50000,
     .step = step_socketpair},
    {.name = "unix_pingpong",
     .quick_iterations = 2500,
     .full_iterations = 50000,
     .setup = setup_unix_pingpong,
     .step = step_pingpong,
     .teardown = peer_teardown},
    {.name = "pipe_throughput",
     .quick_iterations = 250,
     .full_iterations = 5000,
     .setup = setup_pipe_throughput,
     .step = step_throughput,
     .finish = finish_throughput,
     .teardown = peer_teardown},
    {.name = "unix_throughput",
     .quick_iterations = 250,
     .full_iterations = 5000,
     .setup = setup_unix_throughput,
     .step = step_throughput,
     .finish = finish_throughput,
     .teardown = peer_teardown},
    {.name = "epoll_echo",
     .quick_iterations = 2500,
     .full_iterations = 50000,
     .setup = setup_epoll_echo,
     .step = step_epoll_echo,
     .teardown = peer_teardown},
    {.name = "aramid_ipc_null",
     .quick_iterations = 100000,
     .full_iterations = 2000000,
     .setup = setup_aramid_ipc,
     .step = aramid_bench_ipc_null_step,
     .teardown = teardown_aramid_ipc},
    {.name = "aramid_ipc_4k",
     .quick_iterations = 25000,
     .full_iterations = 500000,
     .setup = setup_aramid_ipc,
     .step = step_aramid_ipc_4k,
     .teardown = teardown_aramid_ipc},
};

const struct bench_group bench_ipc_group = {cases, sizeof(cases) / sizeof(cases[0])};
