/* A process scribbling over the ring pages of its own socket pair (the sock server's data fast
 * path), re-armed rings and the retired ones: its own pair gives errors or wrong bytes only; the
 * server and a pair between two other processes stay correct. The good calls come first. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <aramid/proto/proc.h>
#include <aramid/proto/sock.h>
#include <aramid/sys.h>
#include <aramid_posix.h>

#include "hostile.h"

#define OTHER_BYTES (1024 * 1024)

/* Two other processes: one streams OTHER_BYTES of a pattern to the other over a fresh pair
 * (the fast path), the reader exits 0 when every byte is right. */
static pid_t other_pair_start(void)
{
    pid_t reader = fork();
    if (reader != 0)
        return reader;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        _exit(10);
    pid_t writer = fork();
    if (writer == 0) {
        close(sv[1]);
        _exit(hostile_pattern_write(sv[0], OTHER_BYTES) == 0 ? 0 : 11);
    }
    close(sv[0]);
    char extra;
    /* Every byte right, then the end of the stream (not one byte more). */
    int right = hostile_pattern_read(sv[1], OTHER_BYTES) && read(sv[1], &extra, 1) == 0;
    int status;
    waitpid(writer, &status, 0);
    _exit(right && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 12);
}

/* A socketpair of type through the raw protocol: both ends ours (socketpair, then claim). */
static long raw_pair(long type, aramid_handle_t ends[2])
{
    struct aramid_sock_socketpair_request pair = {.domain = 1, .type = type, .pid = getpid()};
    struct aramid_sock_socketpair_reply paired;
    long result = aramid_sock_call_socketpair(aramid_proc_self.sock, &pair, 0, 0, &paired,
                                              &ends[0]);
    struct aramid_sock_claim_request claim = {.claim = paired.claim};
    struct aramid_sock_claim_reply claimed;
    if (result == 0)
        result = aramid_sock_call_claim(aramid_proc_self.sock, &claim, 0, 0, &claimed, &ends[1]);
    return result;
}

/* A SOCK_SEQPACKET pair of our own through the raw protocol, its record rings scribbled over
 * (lengths in the record headers most of all) between sends and recvs on both ends, some
 * saying the end left (the server then reads the scribbled records itself): every answer a
 * bounded result or an error. */
static int seqpacket_scribbled(void)
{
    aramid_handle_t ends[2] = {0, 0};
    long result = raw_pair(5, ends);
    long mapped = -1;
    for (int i = 0; i < 2 && result == 0; i++) {
        struct aramid_sock_ring_map_request map;
        struct aramid_sock_ring_map_reply reply;
        aramid_handle_t memory = 0;
        result = aramid_sock_call_ring_map(ends[i], &map, 0, 0, &reply, &memory);
        if (result == 0 && i == 0)
            mapped = aramid_memory_map(aramid_posix_bootinfo()->self_space,
                                       ARAMID_SOCK_RING_BYTES,
                                       ARAMID_PROT_READ | ARAMID_PROT_WRITE, memory, 0);
        else if (result == 0)
            (void)sys_handle_close(memory);
    }
    if (result != 0 || mapped <= 0)
        return 0;
    volatile uint32_t *words = (volatile uint32_t *)mapped;
    int bounded = 1;
    for (int round = 0; round < 400; round++) {
        for (unsigned half = 0; half < 2; half++) {
            volatile uint32_t *base = words + half * (ARAMID_SOCK_RING_HALF / 4);
            for (int w = 0; w < 4; w++) /* the ring's words */
                base[16 + hostile_random_word() % 8] = (uint32_t)hostile_random_word();
            for (int w = 0; w < 8; w++) /* record headers: lengths, small and huge */
                base[20 + hostile_random_word() % 64] =
                    (uint32_t)(hostile_random_word() % 8 == 0 ? hostile_random_word()
                                                              : hostile_random_word() % 9000);
        }
        aramid_handle_t end = ends[hostile_random_word() & 1];
        long detached = (hostile_random_word() % 4 == 0) ? ARAMID_SOCK_RING_DETACHED : 0;
        if (hostile_random_word() & 1) {
            struct aramid_sock_send_request send = {.length = (long)(hostile_random_word() % 512),
                                                    .nonblock = 1 | detached};
            struct aramid_sock_send_reply sent;
            result = aramid_sock_call_send(end, &send, (size_t)send.length, 0, &sent, NULL);
            bounded &= result <= send.length;
        } else {
            struct aramid_sock_recv_request recv = {
                .length = (long)(hostile_random_word() % 8192), .nonblock = 1 | detached,
                .flags = (long)(hostile_random_word() & (ARAMID_MSG_PEEK | ARAMID_MSG_TRUNC))};
            struct aramid_sock_recv_reply received;
            result = aramid_sock_call_recv(end, &recv, 0, 0, &received, NULL);
            bounded &= (recv.flags & ARAMID_MSG_TRUNC)
                           ? result <= (long)ARAMID_SOCK_RING_CAPACITY
                           : result <= recv.length && result <= (long)ARAMID_SOCK_DATA_MAX;
        }
    }
    for (int i = 0; i < 2; i++) {
        struct aramid_sock_close_request close_request;
        struct aramid_sock_close_reply close_reply;
        (void)aramid_sock_call_close(ends[i], &close_request, 0, 0, &close_reply, NULL);
    }
    return bounded;
}

int main(void)
{
    printf("before: socketpair %s\n", hostile_socketpair_works() ? "ok" : "broken");
    pid_t other = other_pair_start();

    /* Our own pair through the raw protocol: both ends held by us alone, both rings mapped. */
    aramid_handle_t ends[2] = {0, 0};
    long result = raw_pair(1, ends);
    long mapped[2] = {-1, -1};
    for (int i = 0; i < 2 && result == 0; i++) {
        struct aramid_sock_ring_map_request map;
        struct aramid_sock_ring_map_reply reply;
        aramid_handle_t memory = 0;
        mapped[i] = aramid_sock_call_ring_map(ends[i], &map, 0, 0, &reply, &memory);
        if (i == 0 && mapped[i] == 0)
            mapped[i] = aramid_memory_map(aramid_posix_bootinfo()->self_space,
                                          ARAMID_SOCK_RING_BYTES,
                                          ARAMID_PROT_READ | ARAMID_PROT_WRITE, memory, 0);
        else if (mapped[i] == 0)
            (void)sys_handle_close(memory);
    }
    printf("raw pair: %ld, ring_map of both ends: %s\n", result,
           mapped[0] > 0 && mapped[1] == 0 ? "ok" : "failed");
    volatile uint32_t *words = (volatile uint32_t *)mapped[0];
    unsigned char *buffer = (unsigned char *)sys_ipc_buffer();

    /* The good call: a byte sent through the server arrives. */
    buffer[0] = 'g';
    struct aramid_sock_send_request send = {.length = 1};
    struct aramid_sock_send_reply sent;
    struct aramid_sock_recv_request recv = {.length = 64, .nonblock = 1};
    struct aramid_sock_recv_reply received;
    long good_send = aramid_sock_call_send(ends[0], &send, 1, 0, &sent, NULL);
    long good_recv = aramid_sock_call_recv(ends[1], &recv, 0, 0, &received, NULL);
    printf("good send %ld, recv %ld '%c'\n", good_send, good_recv, buffer[0]);

    /* repass (a peek's new passes into the queued message): a good one, then bad ones. */
    unsigned long token = ARAMID_SOCK_ATTACH_VFS | 0x123;
    memcpy(buffer, &token, 8);
    buffer[8] = 'r';
    send = (struct aramid_sock_send_request){.length = 1, .attachments = 1};
    long carried = aramid_sock_call_send(ends[0], &send, 9, 0, &sent, NULL);
    long repassed[5];
    unsigned long pairs[5][2] = {
        {token, ARAMID_SOCK_ATTACH_VFS | 0x456},             /* good */
        {token, ARAMID_SOCK_ATTACH_VFS | 0x789},             /* gone: -ENOENT */
        {ARAMID_SOCK_ATTACH_VFS | 0x456, ARAMID_SOCK_ATTACH_EVENT | 1}, /* kinds: -EINVAL */
        {1, 2},                                              /* socket ids: -EINVAL */
        {0, 0}};
    for (int i = 0; i < 5; i++) {
        memcpy(buffer, pairs[i], 16);
        struct aramid_sock_repass_request repass = {.count = i == 4 ? 2 : 1};
        struct aramid_sock_repass_reply repass_reply;
        repassed[i] = aramid_sock_call_repass(ends[1], &repass, 16, 0, &repass_reply, NULL);
    }
    recv = (struct aramid_sock_recv_request){.length = 64, .nonblock = 1};
    long taken = aramid_sock_call_recv(ends[1], &recv, 0, 0, &received, NULL);
    unsigned long now = 0;
    memcpy(&now, buffer, 8);
    printf("repass: send %ld, good %ld, gone %ld, kinds %ld, sockets %ld, length %ld; "
           "recv %ld carries the new pass: %s\n",
           carried, repassed[0], repassed[1], repassed[2], repassed[3], repassed[4], taken,
           received.attachments == 1 && now == (ARAMID_SOCK_ATTACH_VFS | 0x456) ? "yes" : "no");

    /* Re-armed rings: both ends say they left (the pair retires its rings), the answer says
     * the caller may have rings again, and ring_map gives a new memory object (the old mapping
     * is not it); the scribbling below goes over the new rings and the old. */
    long renew = 0;
    for (int i = 0; i < 2; i++) {
        recv = (struct aramid_sock_recv_request){.length = 64,
                                                 .nonblock = 1 | ARAMID_SOCK_RING_DETACHED};
        long left = aramid_sock_call_recv(ends[i], &recv, 0, 0, &received, NULL);
        renew = left == -ARAMID_EAGAIN ? received.msg_flags & ARAMID_SOCK_RING_RENEW : -1;
    }
    long rearmed = -1;
    volatile uint32_t *old_words = words;
    if (mapped[0] > 0) {
        struct aramid_sock_ring_map_request map;
        struct aramid_sock_ring_map_reply reply;
        aramid_handle_t memory = 0;
        rearmed = aramid_sock_call_ring_map(ends[0], &map, 0, 0, &reply, &memory);
        if (rearmed == 0)
            rearmed = aramid_memory_map(aramid_posix_bootinfo()->self_space,
                                        ARAMID_SOCK_RING_BYTES,
                                        ARAMID_PROT_READ | ARAMID_PROT_WRITE, memory, 0);
        if (rearmed > 0) {
            words = (volatile uint32_t *)rearmed;
            old_words[5] = 0x5a5a5a5a; /* a reserved word of half 0: not in the new memory */
        }
    }
    printf("re-armed: renew said %s, ring_map %s, a new memory object: %s\n",
           renew ? "yes" : "no", rearmed > 0 ? "ok" : "failed",
           rearmed > 0 && words[5] != 0x5a5a5a5a ? "yes" : "no");

    /* Then scribbling: every header word and some data of both halves, between calls of
     * every kind on both ends (some saying the end left the rings, so that the server takes
     * over reading a scribbled ring). Every answer must be a bounded result or an error. */
    int bounded = 1;
    for (int round = 0; mapped[0] > 0 && round < 400; round++) {
        for (unsigned half = 0; half < 2; half++) {
            volatile uint32_t *base = words + half * (ARAMID_SOCK_RING_HALF / 4);
            for (int w = 0; w < 24; w++)
                base[w] = (uint32_t)hostile_random_word();
            for (int w = 0; w < 8; w++)
                base[64 + hostile_random_word() % (ARAMID_SOCK_RING_CAPACITY / 4)] = (uint32_t)hostile_random_word();
            old_words[half * (ARAMID_SOCK_RING_HALF / 4) + hostile_random_word() % 24] =
                (uint32_t)hostile_random_word();
        }
        aramid_handle_t end = ends[hostile_random_word() & 1];
        long detached = (hostile_random_word() % 8 == 0) ? ARAMID_SOCK_RING_DETACHED : 0;
        switch (hostile_random_word() % 4) {
        case 0:
            send = (struct aramid_sock_send_request){.length = 1 + hostile_random_word() % 512,
                                                     .nonblock = 1 | detached};
            result = aramid_sock_call_send(end, &send, (size_t)send.length, 0, &sent, NULL);
            if (result > 512)
                bounded = 0;
            break;
        case 1:
            recv = (struct aramid_sock_recv_request){
                .length = (long)(hostile_random_word() % 8192), .nonblock = 1 | detached,
                .flags = (long)(hostile_random_word() & ARAMID_MSG_PEEK)};
            result = aramid_sock_call_recv(end, &recv, 0, 0, &received, NULL);
            if (result > recv.length || result > (long)ARAMID_SOCK_DATA_MAX)
                bounded = 0;
            break;
        case 2: {
            struct aramid_sock_ring_sync_request sync = {
                .wrote = (long)(hostile_random_word() & 1)};
            struct aramid_sock_ring_sync_reply synced;
            (void)aramid_sock_call_ring_sync(end, &sync, 0, 0, &synced, NULL);
            break;
        }
        default: {
            struct aramid_sock_ring_map_request map;
            struct aramid_sock_ring_map_reply reply;
            aramid_handle_t memory = 0;
            if (aramid_sock_call_ring_map(end, &map, 0, 0, &reply, &memory) == 0)
                (void)sys_handle_close(memory);
            break;
        }
        }
    }
    printf("after scribbling: every answer bounded: %s\n", bounded ? "yes" : "no");
    printf("a seqpacket pair's records scribbled: every answer bounded: %s\n",
           seqpacket_scribbled() ? "yes" : "no");
    printf("the server still serves: socketpair %s\n",
           hostile_socketpair_works() ? "ok" : "broken");
    int status = 0;
    waitpid(other, &status, 0);
    printf("a pair between two other processes: %s\n",
           WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "every byte right" : "broken");
    for (int i = 0; i < 2; i++) {
        struct aramid_sock_close_request close_request;
        struct aramid_sock_close_reply close_reply;
        (void)aramid_sock_call_close(ends[i], &close_request, 0, 0, &close_reply, NULL);
    }
    printf("at the end: socketpair %s\n", hostile_socketpair_works() ? "ok" : "broken");
    return 0;
}
