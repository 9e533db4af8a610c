/* SDK test: file and socket calls to a server that is gone fail with EIO, not EPIPE (and raise
 * no SIGPIPE); EPIPE stays what POSIX says it is, a pipe or socket with no reader. The vfs
 * endpoint is swapped for one of this test's: first served by a forked child that takes the call
 * and exits holding it (a server dying), then an endpoint that child made (dead with it). Each
 * row shows the good call first. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <aramid/proto/event.h>
#include <aramid/proto/proc.h>
#include <aramid/proto/sock.h>
#include <aramid/proto/vfs.h>
#include <aramid/sys.h>

static volatile sig_atomic_t sigpipes;

static void count_sigpipe(int signal)
{
    (void)signal;
    sigpipes++;
}

static const char *error_name(int error)
{
    return error == EIO ? "EIO" : error == EPIPE ? "EPIPE" : strerror(error);
}

/* "-1 NAME" for a failed call, else its result. */
static void report(const char *what, long result)
{
    if (result < 0)
        printf("%s: -1 %s\n", what, error_name(errno));
    else
        printf("%s: %ld\n", what, result);
}

int main(void)
{
    struct sigaction action = {.sa_handler = count_sigpipe};
    sigaction(SIGPIPE, &action, NULL);

    int fd = open("/tmp/dead_server", O_RDWR | O_CREAT | O_TRUNC, 0644);
    report("write before", write(fd, "hello", 5));

    /* An endpoint of our own: s sends, r receives and is inherited by a forked child. */
    long endpoint = sys_endpoint_create();
    unsigned long serving = ARAMID_RIGHT_SEND | ARAMID_RIGHT_RECEIVE | ARAMID_RIGHT_INHERIT;
    long r = endpoint > 0 ? sys_handle_duplicate(endpoint, serving) : endpoint;
    long s = r > 0 ? sys_handle_duplicate(endpoint, ARAMID_RIGHT_SEND) : r;
    if (s <= 0) {
        printf("endpoint: %ld\n", s);
        return 1;
    }
    pid_t child = fork();
    if (child == 0) {
        /* The "server": give the parent a handle to an endpoint of its own (which dies with
         * it), then take one call and die holding it. */
        long own = sys_endpoint_create();
        long grant =
            own > 0 ? sys_handle_duplicate(own, ARAMID_RIGHT_SEND | ARAMID_RIGHT_GRANT) : own;
        struct aramid_message message = {.info = ARAMID_IPC_INFO(0, 0) | ARAMID_IPC_GRANT};
        message.words[5] = (unsigned long)grant;
        long sent = aramid_ipc_call((aramid_handle_t)r, &message);
        message = (struct aramid_message){0};
        long taken = sent == 0 ? aramid_ipc_wait((aramid_handle_t)r, &message) : sent;
        _exit(taken == 0 && message.reply != 0 ? 0 : 1);
    }
    struct aramid_message granted = {0};
    long got = aramid_ipc_wait((aramid_handle_t)endpoint, &granted);
    long dead = got == 0 && (granted.info & ARAMID_IPC_GRANT) ? (long)granted.words[5] : -1;
    struct aramid_message answer = {0};
    if (got == 0)
        aramid_ipc_reply(granted.reply, &answer);
    printf("child's endpoint granted: %s\n", dead > 0 ? "yes" : "no");
    if (dead <= 0)
        return 1; /* the child never serves: the vfs call below would wait for ever */
    aramid_handle_t vfs = aramid_proc_self.vfs;
    aramid_proc_self.vfs = (aramid_handle_t)s;
    report("write while the server dies holding it", write(fd, "hello", 5));
    aramid_proc_self.vfs = vfs;
    int status = -1;
    waitpid(child, &status, 0);
    printf("server took the call: %s\n",
           WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "yes" : "no");

    /* The child's endpoint died with it. */
    sys_handle_close((aramid_handle_t)endpoint);
    sys_handle_close((aramid_handle_t)r);
    sys_handle_close((aramid_handle_t)s);
    s = dead;
    struct stat st;
    char byte;
    report("read before", pread(fd, &byte, 1, 0));
    aramid_proc_self.vfs = (aramid_handle_t)s;
    report("read with the endpoint dead", pread(fd, &byte, 1, 0));
    report("write with the endpoint dead", write(fd, "hello", 5));
    report("stat with the endpoint dead", stat("/tmp/dead_server", &st));
    report("open with the endpoint dead", open("/tmp/dead_server", O_RDONLY));
    aramid_proc_self.vfs = vfs;
    printf("SIGPIPE raised for a dead server: %d\n", (int)sigpipes);
    report("write after", write(fd, "hello", 5));
    report("stat after", stat("/tmp/dead_server", &st) == 0 ? (long)st.st_size : -1);
    close(fd);
    unlink("/tmp/dead_server");

    /* The event and sock stubs: a dead endpoint is -EIO there too. */
    struct aramid_event_close_request event_request = {};
    struct aramid_event_close_reply event_reply;
    printf("event close on a dead endpoint: %ld\n",
           aramid_event_call_close((aramid_handle_t)s, &event_request, 0, 0, &event_reply, NULL));
    printf("epoll wait on a dead endpoint: %ld\n",
           aramid_event_wait((aramid_handle_t)s, 1, ARAMID_EVENT_DEADLINE_NOW));
    struct aramid_sock_close_request sock_request = {};
    struct aramid_sock_close_reply sock_reply;
    printf("sock close on a dead endpoint: %ld\n",
           aramid_sock_call_close((aramid_handle_t)s, &sock_request, 0, 0, &sock_reply, NULL));
    sys_handle_close((aramid_handle_t)s);

    /* EPIPE where POSIX says so: the servers' own answer. */
    int ends[2];
    pipe(ends);
    report("pipe write with a reader", write(ends[1], "x", 1));
    close(ends[0]);
    sigpipes = 0;
    report("pipe write with no reader", write(ends[1], "x", 1));
    printf("SIGPIPE raised: %d\n", (int)sigpipes);
    close(ends[1]);
    socketpair(AF_UNIX, SOCK_STREAM, 0, ends);
    report("socket send with a peer", send(ends[0], "x", 1, MSG_NOSIGNAL));
    close(ends[1]);
    report("socket send with the peer closed", send(ends[0], "x", 1, MSG_NOSIGNAL));
    close(ends[0]);
    return 0;
}
