/* A process scribbling over the ring pages of its own pipes (the vfs's pipe fast path): its own
 * pipes give short or wrong bytes only; the vfs and a pipe another process streams through its
 * ring stay correct. The good calls come first. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <aramid/proto/vfs.h>
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
    int status = 0;
    waitpid(other, &status, 0);
    printf("a pipe of another process: %s\n",
           WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "every byte right" : "broken");
    printf("at the end: pipe %s\n", pipe_works() ? "ok" : "broken");
    return 0;
}
