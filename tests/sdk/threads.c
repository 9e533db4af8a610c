/* SDK test: thread stress. 8 threads x 100,000 lock/unlock pairs leave the count exact, and
 * 1,000 threads created and joined, each writing a byte to a pipe (its vfs shared buffer),
 * give their memory back (free frames, kernel thread objects). */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include <aramid/sys.h>

#define THREADS 8
#define ROUNDS 100000
#define CREATED 1000
/* Page tables of the ever-growing mapping area may stay; everything per thread must not. */
#define FRAME_SLACK 16

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *adder(void *argument)
{
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    return argument;
}

static int pipe_fds[2];

static void *nothing(void *argument)
{
    if (write(pipe_fds[1], "x", 1) != 1)
        return NULL;
    return argument;
}

static void stats(unsigned long *free_frames, unsigned long *threads)
{
    struct aramid_memory_stats memory;
    struct aramid_ipc_stats ipc;
    sys_kernel_stats(ARAMID_STATS_MEMORY, &memory, sizeof(memory));
    sys_kernel_stats(ARAMID_STATS_IPC, &ipc, sizeof(ipc));
    *free_frames = memory.free_frames;
    *threads = ipc.threads;
}

int main(void)
{
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&threads[i], NULL, adder, NULL);
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    printf("counter %ld of %d\n", counter, THREADS * ROUNDS);

    unsigned long frames_before, threads_before, frames_after, threads_after;
    char byte;
    if (pipe(pipe_fds) != 0 || write(pipe_fds[1], "x", 1) != 1 || read(pipe_fds[0], &byte, 1) != 1)
        printf("pipe failed\n");
    pthread_t warm;
    pthread_create(&warm, NULL, nothing, NULL); /* first-use allocations happen once */
    pthread_join(warm, NULL);
    if (read(pipe_fds[0], &byte, 1) != 1)
        printf("pipe read failed\n");
    stats(&frames_before, &threads_before);
    int failures = 0;
    for (long i = 0; i < CREATED; i++) {
        pthread_t thread;
        void *result;
        if (pthread_create(&thread, NULL, nothing, (void *)i) != 0 ||
            pthread_join(thread, &result) != 0 || result != (void *)i ||
            read(pipe_fds[0], &byte, 1) != 1)
            failures++;
    }
    sys_yield(); /* the last thread's kernel object goes at the next switch */
    stats(&frames_after, &threads_after);
    printf("created and joined %d threads, %d failures\n", CREATED, failures);
    printf("kernel threads back: %s\n", threads_after <= threads_before ? "yes" : "no");
    printf("frames back: %s\n", frames_after + FRAME_SLACK >= frames_before ? "yes" : "no");
    if (frames_after + FRAME_SLACK < frames_before)
        printf("frames before %lu after %lu\n", frames_before, frames_after);
    return counter == THREADS * ROUNDS && failures == 0 && threads_after <= threads_before &&
                   frames_after + FRAME_SLACK >= frames_before
               ? 0
               : 1;
}
