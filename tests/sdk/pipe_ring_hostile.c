/* A process scribbling over the ring pages of its own pipes (the vfs's pipe fast path): its own
 * pipes give short or wrong bytes only; the vfs and a pipe another process streams through its
 * ring stay correct. The same with a ring shared with another process (only that pipe's other
 * holder sees wrong bytes or EIO), and holders that die mid-transfer. The good calls come
 * first. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <aramid/proto/vfs.h>
#include <aramid/ring.h>
#include <aramid/sys.h>
#include <aramid_posix.h>

#include "hostile.h"

#define OTHER_BYTES (1024 * 1024)

static int pipe_works(void)
{
    int p[2];
    char byte = 0;
    int ok = pipe(p) == 0 && write(p[1], "p", 1) == 1 && read(p[0], &byte, 1) == 1 &&
             byte == 'p';
    close(p[0]);
    close(p[1]);
    return ok;
}

static void *other_writer(void *argument)
{
    (void)hostile_pattern_write(*(int *)argument, OTHER_BYTES);
    return NULL;
}

/* Another process streams OTHER_BYTES through a pipe of its own (on its ring: two threads of
 * one process), exiting 0 when every byte is right. */
static pid_t other_pipe_start(void)
{
    pid_t child = fork();
    if (child != 0)
        return child;
    int p[2];
    if (pipe(p) != 0)
        _exit(10);
    pthread_t thread;
    if (pthread_create(&thread, NULL, other_writer, &p[1]) != 0)
        _exit(11);
    int right = hostile_pattern_read(p[0], OTHER_BYTES);
    pthread_join(thread, NULL);
    _exit(right ? 0 : 12);
}

/* A raw non-blocking pipe of ours (the vfs's own descriptions, no posix-shim view). */
static long raw_pipe(long ends[2])
{
    struct aramid_vfs_pipe_request request = {.flags = VFS_O_NONBLOCK};
    struct aramid_vfs_pipe_reply reply;
    long result = aramid_vfs_call_pipe(&request, 0, &reply, NULL);
    ends[0] = result;
    ends[1] = reply.write;
    return result < 0 ? result : 0;
}

static long raw_close(long ofd)
{
    struct aramid_vfs_close_request request = {.ofd = ofd};
    struct aramid_vfs_close_reply reply;
    return aramid_vfs_call_close(&request, 0, &reply, NULL);
}

static long raw_read(long ofd, long length)
{
    struct aramid_vfs_read_request request = {.ofd = ofd, .length = length};
    struct aramid_vfs_read_reply reply;
    return aramid_vfs_call_read(&request, 0, &reply, NULL);
}

static long raw_write(long ofd, long length)
{
    struct aramid_vfs_write_request request = {.ofd = ofd, .length = length};
    struct aramid_vfs_write_reply reply;
    return aramid_vfs_call_write(&request, 0, &reply, NULL);
}

/* The pipe's ring mapped here, or 0. */
static volatile uint32_t *raw_ring(long ofd)
{
    aramid_handle_t memory = 0;
    long pipe = 0;
    if (aramid_vfs_pipe_ring(ofd, false, &memory, &pipe) != 0)
        return NULL;
    long address = aramid_memory_map(aramid_posix_bootinfo()->self_space,
                                     ARAMID_VFS_PIPE_RING_BYTES,
                                     ARAMID_PROT_READ | ARAMID_PROT_WRITE, memory, 0);
    (void)sys_handle_close(memory);
    return address > 0 ? (volatile uint32_t *)address : NULL;
}

/* The ring of a pipe end shared with another process, once the other closed its copy of our
 * end (a second holder refuses the ring), or NULL after a second. */
static volatile uint32_t *raw_ring_shared(long ofd)
{
    volatile uint32_t *words = NULL;
    for (int i = 0; i < 100 && words == NULL; i++) {
        words = raw_ring(ofd);
        if (words == NULL)
            usleep(10000);
    }
    return words;
}

/* A raw pipe shared with a child: this process keeps the write end, the child the read end,
 * each maps the ring (the same memory). The child reads "good" through its view, then (told by
 * a byte on report) reads after our scribble: through its view (a broken ring: -EPROTO), then
 * from the vfs (bounded, or -EAGAIN); it reports on report and exits 0 when all was as said. */
static void cross_scribble(void)
{
    long ends[2];
    int report[2];
    if (raw_pipe(ends) != 0 || pipe(report) != 0) {
        printf("cross-process ring: no pipe\n");
        return;
    }
    pid_t child = fork();
    if (child == 0) {
        (void)raw_close(ends[1]);
        close(report[0]);
        volatile uint32_t *words = raw_ring_shared(ends[0]);
        if (words == NULL)
            _exit(20);
        struct aramid_vfs_pipe_ring *shared = (struct aramid_vfs_pipe_ring *)words;
        struct aramid_ring view;
        (void)aramid_ring_attach(&view, &shared->ring, ARAMID_VFS_PIPE_RING_CAPACITY, false);
        char got[8] = {0};
        bool wake;
        long taken = 0;
        for (int i = 0; i < 200 && taken < 4; i++) {
            long more = aramid_ring_read(&view, got + taken, (size_t)(4 - taken), &wake);
            if (more < 0)
                _exit(21);
            taken += more;
            if (taken < 4)
                usleep(10000);
        }
        (void)write(report[1], taken == 4 && memcmp(got, "good", 4) == 0 ? "g" : "b", 1);
        while (!(shared->flags & ARAMID_VFS_PIPE_RING_SLOW) && view.broken == false) {
            unsigned char junk[64];
            if (aramid_ring_read(&view, junk, sizeof(junk), &wake) < 0)
                break;
            usleep(10000);
        }
        long after = aramid_ring_read(&view, got, sizeof(got), &wake);
        long from_vfs = raw_read(ends[0], 512);
        int bounded = after == -ARAMID_EPROTO || (after >= 0 && after <= (long)sizeof(got));
        bounded = bounded && (from_vfs == -ARAMID_EAGAIN || (from_vfs >= 0 && from_vfs <= 512) ||
                              from_vfs == -ARAMID_EIO);
        (void)write(report[1], bounded ? "y" : "n", 1);
        _exit(pipe_works() ? 0 : 22);
    }
    (void)raw_close(ends[0]);
    close(report[1]);
    volatile uint32_t *words = raw_ring_shared(ends[1]);
    struct aramid_vfs_pipe_ring *shared = (struct aramid_vfs_pipe_ring *)words;
    char verdict = '?', bounded = '?';
    if (shared != NULL) {
        struct aramid_ring view;
        (void)aramid_ring_attach(&view, &shared->ring, ARAMID_VFS_PIPE_RING_CAPACITY, false);
        bool wake;
        long put = aramid_ring_write(&view, "good", 4, &wake);
        if (wake)
            (void)sys_futex_wake((const volatile unsigned *)&shared->ring.consumer_waiting, 1);
        (void)read(report[0], &verdict, 1);
        /* The scribble: every index, word and flag of the ring, then the vfs hears of it. */
        shared->ring.head = (uint32_t)hostile_random_word();
        shared->ring.tail = (uint32_t)hostile_random_word();
        shared->ring.consumer_waiting = (uint32_t)hostile_random_word();
        shared->ring.producer_waiting = (uint32_t)hostile_random_word();
        for (int w = 0; w < 64; w++)
            shared->ring.data[hostile_random_word() % ARAMID_VFS_PIPE_RING_CAPACITY] =
                (unsigned char)hostile_random_word();
        (void)raw_write(ends[1], 100);
        (void)read(report[0], &bounded, 1);
        printf("cross-process ring: mapped by both, write %ld, the other read '%s'\n", put,
               verdict == 'g' ? "good" : "wrong");
        (void)sys_vm_unmap(aramid_posix_bootinfo()->self_space, (unsigned long)shared,
                           ARAMID_VFS_PIPE_RING_BYTES);
    } else {
        printf("cross-process ring: none\n");
    }
    (void)raw_close(ends[1]);
    close(report[0]);
    int status = 0;
    waitpid(child, &status, 0);
    printf("after scribbling over it: the other holder's answers bounded: %s, its other pipes: "
           "%s\n",
           bounded == 'y' ? "yes" : "no",
           WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "ok" : "broken");
}

/* Holders that die mid-transfer: a writer killed while it waits for room in a full ring (the
 * reader gets every byte it put, then EOF), and a reader that exits while the writer waits
 * (EPIPE). */
static void holders_die(void)
{
    int p[2];
    if (pipe(p) != 0)
        return;
    pid_t writer = fork();
    if (writer == 0) {
        close(p[0]);
        static unsigned char block[4096];
        memset(block, 'z', sizeof(block));
        for (;;)
            if (write(p[1], block, sizeof(block)) <= 0)
                _exit(1);
    }
    close(p[1]);
    static unsigned char buffer[8192];
    long first = (long)read(p[0], buffer, 1); /* on the ring by now, or soon */
    usleep(300000);                           /* the writer waits for room */
    kill(writer, SIGKILL);
    int status = 0;
    waitpid(writer, &status, 0);
    long total = first > 0 ? first : 0, got, wrong = 0;
    while ((got = (long)read(p[0], buffer, sizeof(buffer))) > 0) {
        for (long i = 0; i < got; i++)
            wrong += buffer[i] != 'z';
        total += got;
    }
    printf("a writer killed while the ring is full: %s, then %s (%s)\n",
           total >= 65536 && total % 4096 == 0 && wrong == 0 ? "its bytes whole" : "bytes wrong",
           got == 0 ? "EOF" : "an error", WIFSIGNALED(status) ? "killed" : "not killed");
    close(p[0]);

    if (pipe(p) != 0)
        return;
    pid_t reader = fork();
    if (reader == 0) {
        close(p[1]);
        char byte;
        _exit(read(p[0], &byte, 1) == 1 ? 0 : 1);
    }
    close(p[0]);
    signal(SIGPIPE, SIG_IGN);
    static unsigned char big[256 * 1024];
    long put = (long)write(p[1], big, sizeof(big)); /* the reader takes one byte and exits */
    int error = put < 0 ? errno : 0;
    long again = (long)write(p[1], big, 1);
    printf("a reader that exits while the writer waits: %s, then %s\n",
           put > 0 && put < (long)sizeof(big) ? "a short count" : put < 0 ? "EPIPE" : "all",
           again < 0 && errno == EPIPE && (put > 0 || error == EPIPE) ? "EPIPE" : "no error");
    waitpid(reader, &status, 0);
    close(p[1]);
    signal(SIGPIPE, SIG_DFL);
}

int main(void)
{
    printf("before: pipe %s\n", pipe_works() ? "ok" : "broken");
    pid_t other = other_pipe_start();

    /* The good calls: a raw pipe gets its ring, a byte through the vfs arrives. */
    long ends[2];
    long made = raw_pipe(ends);
    volatile uint32_t *words = made == 0 ? raw_ring(ends[0]) : NULL;
    long good_write = raw_write(ends[1], 1);
    long good_read = raw_read(ends[0], 64);
    printf("raw pipe: %ld, its ring: %s, write %ld, read %ld\n", made, words ? "mapped" : "none",
           good_write, good_read);
    (void)raw_close(ends[0]);
    (void)raw_close(ends[1]);

    /* Then scribbling: each round a fresh raw pipe gets its ring, which we fill with random
     * indexes, waiting words, flags and data, and then something makes the vfs retire it (a
     * read, a write, a close, a leave, a readiness handle). Every answer must be bounded: no
     * read gives more than asked, and no more than the ring's capacity comes out in all. */
    int bounded = 1, rings = 0;
    for (int round = 0; round < 300; round++) {
        if (raw_pipe(ends) != 0) {
            bounded = 0;
            break;
        }
        volatile uint32_t *ring = raw_ring(ends[hostile_random_word() & 1]);
        if (ring != NULL) {
            rings++;
            struct aramid_vfs_pipe_ring *shared = (struct aramid_vfs_pipe_ring *)ring;
            for (int w = 0; w < 24; w++)
                ring[w] = (uint32_t)hostile_random_word();
            uint32_t head = (uint32_t)hostile_random_word();
            unsigned kind = (unsigned)(hostile_random_word() % 4);
            uint32_t tail = kind == 0   ? head + (uint32_t)(hostile_random_word() % 4096)
                            : kind == 1 ? head + ARAMID_VFS_PIPE_RING_CAPACITY
                            : kind == 2 ? head - 1
                                        : (uint32_t)hostile_random_word();
            shared->ring.head = head;
            shared->ring.tail = tail;
            shared->ring.consumer_waiting = (uint32_t)hostile_random_word();
            shared->ring.producer_waiting = (uint32_t)hostile_random_word();
            for (int w = 0; w < 16; w++)
                shared->ring.data[hostile_random_word() % ARAMID_VFS_PIPE_RING_CAPACITY] =
                    (unsigned char)hostile_random_word();
        }
        switch (hostile_random_word() % 5) {
        case 0:
            (void)raw_write(ends[1], 1 + (long)(hostile_random_word() % 512));
            break;
        case 1:
            (void)raw_close(ends[1]);
            ends[1] = -1;
            break;
        case 2: {
            struct aramid_vfs_pipe_ring_leave_request request = {
                .ofd = ends[hostile_random_word() & 1]};
            struct aramid_vfs_pipe_ring_leave_reply reply;
            (void)aramid_vfs_call_pipe_ring_leave(&request, 0, &reply, NULL);
            break;
        }
        case 3: {
            aramid_handle_t handle = 0;
            unsigned long id = 0;
            if (aramid_vfs_ready_handle(ends[0], &handle, &id) == 0)
                (void)sys_handle_close(handle);
            break;
        }
        default:
            break;
        }
        long total = 0;
        for (int i = 0; i < 40; i++) {
            long length = 1 + (long)(hostile_random_word() % 8192);
            long got = raw_read(ends[0], length);
            if (got > length)
                bounded = 0;
            if (got <= 0)
                break;
            total += got;
        }
        if (total > (long)ARAMID_VFS_PIPE_RING_CAPACITY + 512)
            bounded = 0;
        if (ring != NULL)
            (void)sys_vm_unmap(aramid_posix_bootinfo()->self_space, (unsigned long)ring,
                               ARAMID_VFS_PIPE_RING_BYTES);
        (void)raw_close(ends[0]);
        if (ends[1] >= 0)
            (void)raw_close(ends[1]);
    }
    printf("after scribbling: rings %s, every answer bounded: %s\n",
           rings > 100 ? "many" : "few", bounded ? "yes" : "no");
    printf("the vfs still serves: pipe %s\n", pipe_works() ? "ok" : "broken");
    cross_scribble();
    holders_die();
    int status = 0;
    waitpid(other, &status, 0);
    printf("a pipe of another process: %s\n",
           WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "every byte right" : "broken");
    printf("at the end: pipe %s\n", pipe_works() ? "ok" : "broken");
    return 0;
}
