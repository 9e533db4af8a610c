/* Hostile input to the event and sock servers: a scribbled shared page, garbage messages on
 * every endpoint and handle, bad control messages, a peer killed mid-transfer. Each row shows
 * the good call first; afterwards the servers still serve everyone correctly. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <aramid/proto/event.h>
#include <aramid/proto/proc.h>
#include <aramid/proto/ready.h>
#include <aramid/proto/sock.h>
#include <aramid/proto/vfs.h>
#include <aramid/sys.h>
#include <aramid_posix.h>

#include "../contract/contract_scm.h"
#include "hostile.h"

/* An eventfd through posix-shim: write 5, read it back. */
static int eventfd_works(void)
{
    int fd = eventfd(0, EFD_NONBLOCK);
    uint64_t value = 5;
    int ok = fd >= 0 && write(fd, &value, 8) == 8 && read(fd, &value, 8) == 8 && value == 5;
    close(fd);
    return ok;
}

/* One byte over channel with fd attached (SCM_RIGHTS): sendmsg's result. */
static ssize_t send_descriptor(int channel, int fd)
{
    return contract_send_fd(channel, 'd', fd);
}

/* Random calls to endpoint: labels near the real ones and beyond, random words and buffer
 * sizes, sometimes a grant of one of our own handles. */
static void garbage(aramid_handle_t endpoint, int count)
{
    for (int i = 0; i < count; i++) {
        struct aramid_message message;
        unsigned label = (unsigned)(hostile_random_word() % 80);
        if (label == ARAMID_EVENT_eventfd_read || label == ARAMID_EVENT_epoll_wait ||
            label == ARAMID_SOCK_recv || label == ARAMID_SOCK_accept ||
            label == ARAMID_SOCK_connect || label == ARAMID_SOCK_send)
            label = 77; /* calls that may legitimately block are not garbage */
        hostile_garbage_fill(&message, label);
        (void)aramid_ipc_call(endpoint, &message);
        if (message.info & ARAMID_IPC_GRANT)
            (void)sys_handle_close((aramid_handle_t)message.words[5]);
    }
}

int main(void)
{
    hostile_random_seed(0x2545f4914f6cdd1dul);
    printf("before: eventfd %s, socketpair %s\n", eventfd_works() ? "ok" : "broken",
           hostile_socketpair_works() ? "ok" : "broken");

    /* 1. A scribbled shared page: an eventfd of our own, its page mapped, every word
     * overwritten with garbage while we keep using it. */
    struct aramid_event_eventfd_create_request create = {.initial = 1, .flags = 0};
    struct aramid_event_eventfd_create_reply created;
    aramid_handle_t object = 0, memory = 0;
    long result = aramid_event_call_eventfd_create(aramid_proc_self.event, &create, 0, 0,
                                                   &created, &object);
    struct aramid_event_map_request map;
    struct aramid_event_map_reply mapped;
    if (result == 0)
        result = aramid_event_call_map(object, &map, 0, 0, &mapped, &memory);
    const struct aramid_bootinfo *self = aramid_posix_bootinfo();
    long address = result == 0 ? aramid_memory_map(self->self_space, 4096,
                                                   ARAMID_PROT_READ | ARAMID_PROT_WRITE, memory, 0)
                               : result;
    printf("own eventfd page mapped: %s\n", address > 0 ? "yes" : "no");
    volatile unsigned long *page = (volatile unsigned long *)address;
    int in_range = 1;
    for (int round = 0; address > 0 && round < 200; round++) {
        for (int w = 0; w < 512; w++)
            page[w] = hostile_random_word();
        struct aramid_event_eventfd_read_request read_request = {.nonblock = 1};
        struct aramid_event_eventfd_read_reply read_reply;
        long got = aramid_event_call_eventfd_read(object, &read_request, 0, 0, &read_reply, NULL);
        if (got == 0 && (unsigned long)read_reply.value > 0xfffffffffffffffeul)
            in_range = 0;
        struct aramid_event_eventfd_write_request write_request = {
            .value = (long)(hostile_random_word() >> 1), .nonblock = 1};
        struct aramid_event_eventfd_write_reply write_reply;
        (void)aramid_event_call_eventfd_write(object, &write_request, 0, 0, &write_reply, NULL);
        struct aramid_event_sync_request sync_request;
        struct aramid_event_sync_reply sync_reply;
        (void)aramid_event_call_sync(object, &sync_request, 0, 0, &sync_reply, NULL);
    }
    printf("values read from a scribbled page within Linux's range: %s\n", in_range ? "yes" : "no");
    printf("after scribbling: eventfd %s\n", eventfd_works() ? "ok" : "broken");

    /* 2. Garbage on the servers' endpoints and on handles to our own objects. */
    garbage(aramid_proc_self.event, 3000);
    garbage(aramid_proc_self.sock, 3000);
    garbage(object, 2000);
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    struct aramid_sock_socketpair_request pair_request = {.domain = 1, .type = 1, .pid = getpid()};
    struct aramid_sock_socketpair_reply pair_reply;
    aramid_handle_t raw_socket = 0;
    aramid_sock_call_socketpair(aramid_proc_self.sock, &pair_request, 0, 0, &pair_reply,
                                &raw_socket);
    garbage(raw_socket, 2000);
    printf("after garbage: eventfd %s, socketpair %s\n", eventfd_works() ? "ok" : "broken",
           hostile_socketpair_works() ? "ok" : "broken");
    char byte = 0;
    printf("an older pair still carries data: %s\n",
           write(sv[0], "o", 1) == 1 && read(sv[1], &byte, 1) == 1 && byte == 'o' ? "yes" : "no");

    /* 3. A send with attachments the caller does not hold, through the raw protocol. */
    unsigned char *buffer = (unsigned char *)sys_ipc_buffer();
    /* a socket id, not a token another server checks (vfs, event) nor the console */
    unsigned long forged = hostile_random_word() & ~ARAMID_SOCK_ATTACH_CARRIED;
    memcpy(buffer, &forged, 8);
    buffer[8] = 'x';
    struct aramid_sock_send_request send_request = {.length = 1, .attachments = 1, .nonblock = 1};
    struct aramid_sock_send_reply send_reply;
    /* The good call: the same send without the forged attachment. */
    buffer[0] = 'g';
    struct aramid_sock_send_request plain = {.length = 1, .nonblock = 1};
    printf("raw send: %ld\n", aramid_sock_call_send(raw_socket, &plain, 1, 0, &send_reply, NULL));
    memcpy(buffer, &forged, 8);
    buffer[8] = 'x';
    printf("raw send with a forged attachment: %ld\n",
           aramid_sock_call_send(raw_socket, &send_request, 9, 0, &send_reply, NULL));

    /* 4. A peer killed while it blocks writing into a full socket. */
    int pair[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
    pid_t child = fork();
    if (child == 0) {
        close(pair[1]);
        static char chunk[65536];
        for (;;)
            if (write(pair[0], chunk, sizeof(chunk)) < 0)
                _exit(1);
    }
    close(pair[0]);
    usleep(100000);
    kill(child, SIGKILL);
    int status;
    waitpid(child, &status, 0);
    long total = 0;
    static char sink[4096];
    ssize_t got;
    while ((got = read(pair[1], sink, sizeof(sink))) > 0)
        total += got;
    printf("writer killed: %s, then end of stream: %s (read %s)\n",
           WIFSIGNALED(status) ? "yes" : "no", got == 0 ? "yes" : "no", total > 0 ? "some" : "none");
    close(pair[1]);

    /* 5. Cycles in flight: a socket sent over its own connection, then both ends closed, is
     * kept only by the message carrying it. Without collection each round would keep a socket
     * and its 64 KiB queue for ever. */
    int cycles = 0;
    for (int round = 0; round < 3000; round++) {
        int ends[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, ends) != 0)
            break;
        if (send_descriptor(ends[0], ends[1]) != 1)
            break;
        close(ends[0]);
        close(ends[1]);
        cycles++;
    }
    printf("socket cycles made and dropped: %d\n", cycles);

    /* 6. epoll with a bad event pointer: the good wait, then EFAULT. */
    int ep = epoll_create1(0);
    int efd = eventfd(1, 0);
    struct epoll_event event = {.events = EPOLLIN, .data.u64 = 1};
    epoll_ctl(ep, EPOLL_CTL_ADD, efd, &event);
    struct epoll_event out;
    printf("epoll_wait = %d\n", epoll_wait(ep, &out, 1, 0));
    errno = 0;
    int bad = epoll_wait(ep, (struct epoll_event *)16, 1, 0);
    printf("epoll_wait into address 16 = %d %s\n", bad, errno == EFAULT ? "EFAULT" : "other");

    /* 7. vfs readiness handles: the good poll, then garbage through one, then the handle of a
     * description that went (EBADF), and one for a description we do not hold (EBADF). A
     * posix-shim pipe first: it opens this process's vfs session. */
    int fds[2];
    char pipe_byte = 0;
    printf("a pipe: %s\n", pipe(fds) == 0 && write(fds[1], "p", 1) == 1 &&
                                    read(fds[0], &pipe_byte, 1) == 1 && pipe_byte == 'p'
                                ? "ok"
                                : "broken");
    struct aramid_vfs_pipe_request pipe_request = {.flags = 0};
    struct aramid_vfs_pipe_reply pipe_reply;
    long read_end = aramid_vfs_call_pipe(&pipe_request, 0, &pipe_reply, NULL);
    aramid_handle_t ready = 0;
    unsigned long ready_id = 0, bits = 0, generation = 0, polled_id = 0;
    printf("ready_handle = %ld\n", aramid_vfs_ready_handle(read_end, &ready, &ready_id));
    long polled = aramid_ready_poll(ready, &bits, &generation, &polled_id);
    printf("ready_poll = %ld, bits %#lx, same id %s\n", polled, bits,
           polled_id == ready_id ? "yes" : "no");
    struct aramid_vfs_close_request close_request = {.ofd = pipe_reply.write};
    struct aramid_vfs_close_reply close_reply;
    (void)aramid_vfs_call_close(&close_request, 0, &close_reply, NULL);
    garbage(ready, 2000);
    polled = aramid_ready_poll(ready, &bits, &generation, &polled_id);
    printf("writer closed: ready_poll = %ld, bits %#lx\n", polled, bits);
    close_request.ofd = read_end;
    (void)aramid_vfs_call_close(&close_request, 0, &close_reply, NULL);
    printf("description gone: ready_poll = %ld\n",
           aramid_ready_poll(ready, &bits, &generation, &polled_id));
    aramid_handle_t other = 0;
    printf("ready_handle of a description not held = %ld\n",
           aramid_vfs_ready_handle(1000, &other, &ready_id));
    /* The readiness words are read-only for clients: the good map, then a writable one. */
    aramid_handle_t words = 0;
    size_t word_count = 0;
    printf("ready_map = %ld\n", aramid_vfs_ready_map(&words, &word_count));
    long readable = aramid_memory_map(self->self_space, word_count * 8, ARAMID_PROT_READ, words, 0);
    long writable = aramid_memory_map(self->self_space, word_count * 8,
                                      ARAMID_PROT_READ | ARAMID_PROT_WRITE, words, 0);
    printf("words mapped to read: %s, to write: %ld\n", readable > 0 ? "yes" : "no",
           writable > 0 ? 0 : writable);
    printf("a pipe after that: %s\n", pipe(fds) == 0 && write(fds[1], "p", 1) == 1 &&
                                                 read(fds[0], &pipe_byte, 1) == 1 && pipe_byte == 'p'
                                             ? "ok"
                                             : "broken");
    /* The sock server's readiness words the same way; a socket's ring is only the event
     * server's to look at (ready_map with its id, through init's badged handle): a client's is EPERM, on
     * the plain endpoint and on the socket's own handle. */
    aramid_handle_t sock_words = 0;
    unsigned long sock_word_count = 0;
    printf("sock ready_map = %ld\n", aramid_ready_map(aramid_proc_self.sock, ARAMID_SOCK_ready_map,
                                                      0, &sock_words, &sock_word_count));
    readable = aramid_memory_map(self->self_space, sock_word_count * 8, ARAMID_PROT_READ,
                                 sock_words, 0);
    writable = aramid_memory_map(self->self_space, sock_word_count * 8,
                                 ARAMID_PROT_READ | ARAMID_PROT_WRITE, sock_words, 0);
    printf("sock words mapped to read: %s, to write: %ld\n", readable > 0 ? "yes" : "no",
           writable > 0 ? 0 : writable);
    aramid_handle_t ring = 0;
    unsigned long half = 0;
    printf("ready_ring from a client: %ld, on the socket's handle: %ld\n",
           aramid_ready_map(aramid_proc_self.sock, ARAMID_SOCK_ready_map,
                            (unsigned long)pair_reply.id, &ring, &half),
           aramid_ready_map(raw_socket, ARAMID_SOCK_ready_map, (unsigned long)pair_reply.id,
                            &ring, &half));

    /* 8. A named eventfd (no handle): its holder's call works; another process that knows its
     * id and cookie but does not hold it gets EBADF. */
    int channel[2];
    pipe(channel);
    pid_t maker = fork();
    if (maker == 0) {
        struct aramid_event_eventfd_create_request named = {.initial = 3,
                                                            .flags = ARAMID_EVENTFD_NAMED};
        struct aramid_event_eventfd_create_reply made;
        aramid_handle_t none = 0;
        long created = aramid_event_call_eventfd_create(aramid_proc_self.event, &named, 0, 0,
                                                        &made, &none);
        struct aramid_event_eventfd_read_request take = {.nonblock = 1};
        struct aramid_event_eventfd_read_reply taken;
        long own = aramid_event_call_named(ARAMID_EVENT_eventfd_read, (unsigned long)made.id,
                                           (unsigned long)made.cookie, &take, sizeof(take),
                                           &taken.result, sizeof(taken));
        long results[4] = {created, none, own, taken.value};
        write(channel[1], results, sizeof(results));
        write(channel[1], &made, sizeof(made));
        char wait_byte;
        read(channel[0], &wait_byte, 1); /* hold it until the parent has tried */
        _exit(0);
    }
    long results[4];
    struct aramid_event_eventfd_create_reply made;
    read(channel[0], results, sizeof(results));
    read(channel[0], &made, sizeof(made));
    printf("named eventfd: create %ld, handle %s, its holder's read %ld value %ld\n", results[0],
           results[1] == 0 ? "none" : "some", results[2], results[3]);
    struct aramid_event_eventfd_write_request put = {.value = 1, .nonblock = 1};
    struct aramid_event_eventfd_write_reply put_reply;
    printf("named by a process that does not hold it: %ld\n",
           aramid_event_call_named(ARAMID_EVENT_eventfd_write, (unsigned long)made.id,
                                   (unsigned long)made.cookie, &put, sizeof(put),
                                   &put_reply.result, sizeof(put_reply)));
    write(channel[1], "x", 1);
    waitpid(maker, &status, 0);

    /* 9. Claimed pids: SO_PEERCRED of a posix-shim pair is our pid (the good row); a raw pair
     * made claiming pid 4242, and a send claiming it, still report ours (proc's records). */
    int pair2[2];
    struct ucred peer = {0};
    socklen_t peer_length = sizeof(peer);
    socketpair(AF_UNIX, SOCK_STREAM, 0, pair2);
    getsockopt(pair2[0], SOL_SOCKET, SO_PEERCRED, &peer, &peer_length);
    printf("SO_PEERCRED is our pid: %s\n", peer.pid == getpid() ? "yes" : "no");
    close(pair2[0]);
    close(pair2[1]);
    struct aramid_sock_socketpair_request liar = {.domain = 1, .type = 1, .pid = 4242};
    aramid_handle_t first = 0, second = 0;
    aramid_sock_call_socketpair(aramid_proc_self.sock, &liar, 0, 0, &pair_reply, &first);
    struct aramid_sock_claim_request claim = {.claim = pair_reply.claim};
    struct aramid_sock_claim_reply claimed;
    aramid_sock_call_claim(aramid_proc_self.sock, &claim, 0, 0, &claimed, &second);
    struct aramid_sock_getsockopt_request option = {.level = 1, .name = ARAMID_SO_PEERCRED};
    struct aramid_sock_getsockopt_reply option_reply = {0};
    aramid_sock_call_getsockopt(second, &option, 0, 0, &option_reply, NULL);
    printf("claiming pid 4242, SO_PEERCRED: %s\n",
           option_reply.value == getpid() ? "our pid"
           : option_reply.value == 4242   ? "4242"
                                          : "other");
    struct aramid_sock_setsockopt_request passcred = {.level = 1, .name = ARAMID_SO_PASSCRED,
                                                      .value = 1};
    struct aramid_sock_setsockopt_reply passcred_reply;
    aramid_sock_call_setsockopt(second, &passcred, 0, 0, &passcred_reply, NULL);
    buffer[0] = 'l';
    struct aramid_sock_send_request lie = {.length = 1,
                                           .nonblock = 1l | 4242l << ARAMID_SOCK_PID_SHIFT};
    aramid_sock_call_send(first, &lie, 1, 0, &send_reply, NULL);
    struct aramid_sock_recv_request receive = {.length = 1, .nonblock = 1};
    struct aramid_sock_recv_reply received = {0};
    aramid_sock_call_recv(second, &receive, 0, 0, &received, NULL);
    long credited = (received.msg_flags & ARAMID_SOCK_CREDS)
                        ? received.msg_flags >> ARAMID_SOCK_PID_SHIFT
                        : 0;
    printf("a send claiming pid 4242, SCM_CREDENTIALS: %s\n",
           credited == getpid() ? "our pid" : credited == 4242 ? "4242" : "other");

    /* 10. Pass tokens: a real pass adopted (the good row), then forged tokens: EBADF. */
    aramid_handle_t fresh = 0; /* the garbage above may have closed object */
    aramid_event_call_eventfd_create(aramid_proc_self.event, &create, 0, 0, &created, &fresh);
    struct aramid_event_pass_request pass;
    struct aramid_event_pass_reply passed = {0};
    long pass_result = aramid_event_call_pass(fresh, &pass, 0, 0, &passed, NULL);
    struct aramid_event_adopt_request adopt = {.token = passed.token};
    struct aramid_event_adopt_reply adopted = {0};
    aramid_handle_t adopted_handle = 0;
    long adopt_result = aramid_event_call_adopt(aramid_proc_self.event, &adopt, 0, 0, &adopted,
                                                &adopted_handle);
    printf("pass %ld, adopt %ld, the same object: %s\n", pass_result, adopt_result,
           adopted.id == created.id ? "yes" : "no");
    printf("adopt it again: %ld\n", aramid_event_call_adopt(aramid_proc_self.event, &adopt, 0, 0,
                                                            &adopted, &adopted_handle));
    int forged_ok = 1;
    for (int i = 0; i < 200; i++) {
        adopt.token = (long)hostile_random_word();
        struct aramid_event_pass_drop_request drop = {.token = (long)hostile_random_word()};
        struct aramid_event_pass_drop_reply dropped;
        if (aramid_event_call_adopt(aramid_proc_self.event, &adopt, 0, 0, &adopted,
                                    &adopted_handle) != -ARAMID_EBADF ||
            aramid_event_call_pass_drop(aramid_proc_self.event, &drop, 0, 0, &dropped, NULL) !=
                -ARAMID_EBADF)
            forged_ok = 0;
    }
    printf("forged tokens: all EBADF: %s\n", forged_ok ? "yes" : "no");

    /* 11. eventfds in flight on messages nobody reads: closing the sockets lets them go. Kept,
     * each would hold one of the event server's 1,024 handles (its page) for ever. */
    int dropped = 0;
    for (int round = 0; round < 3000; round++) {
        int ends[2];
        int counter = eventfd(0, 0);
        if (counter < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, ends) != 0)
            break;
        if (send_descriptor(ends[0], counter) != 1)
            break;
        close(counter);
        close(ends[0]);
        close(ends[1]);
        dropped++;
    }
    printf("eventfds sent, never read, dropped: %d\n", dropped);
    /* The same with pipes: the vfs keeps a passed description in one of its 64 handoffs. */
    dropped = 0;
    for (int round = 0; round < 1000; round++) {
        int ends[2], pipe_ends[2];
        if (pipe(pipe_ends) != 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, ends) != 0)
            break;
        if (send_descriptor(ends[0], pipe_ends[0]) != 1)
            break;
        close(pipe_ends[0]);
        close(pipe_ends[1]);
        close(ends[0]);
        close(ends[1]);
        dropped++;
    }
    printf("pipes sent, never read, dropped: %d\n", dropped);

    /* 12. One client makes 1,500 eventfds and drops their handles without telling the server
     * (the good row: its first one works). The server's handle table is shared by everyone:
     * past its bound the client's objects come without a page, and others still get theirs. */
    int hog[2];
    pipe(hog);
    pid_t hogger = fork();
    if (hogger == 0) {
        int made = 0, first_ok = 0;
        for (int i = 0; i < 1500; i++) {
            aramid_handle_t handle = 0;
            if (aramid_event_call_eventfd_create(aramid_proc_self.event, &create, 0, 0, &created,
                                                 &handle) != 0)
                break;
            if (i == 0) {
                struct aramid_event_eventfd_read_request take = {.nonblock = 1};
                struct aramid_event_eventfd_read_reply taken;
                first_ok = aramid_event_call_eventfd_read(handle, &take, 0, 0, &taken, NULL) == 0 &&
                           taken.value == 1;
            }
            (void)sys_handle_close(handle);
            made++;
        }
        int results[2] = {first_ok, made};
        write(hog[1], results, sizeof(results));
        char wait_byte;
        read(hog[0], &wait_byte, 1); /* hold them until the parent has tried */
        _exit(0);
    }
    int hogged[2] = {0, 0};
    read(hog[0], hogged, sizeof(hogged));
    printf("a hog's first eventfd works: %s, it made %d\n", hogged[0] ? "yes" : "no", hogged[1]);
    printf("meanwhile another process: eventfd %s, epoll %s\n", eventfd_works() ? "ok" : "broken",
           epoll_create1(0) >= 0 ? "ok" : "broken");
    write(hog[1], "x", 1);
    waitpid(hogger, &status, 0);

    printf("at the end: eventfd %s, socketpair %s\n", eventfd_works() ? "ok" : "broken",
           hostile_socketpair_works() ? "ok" : "broken");
    return 0;
}
