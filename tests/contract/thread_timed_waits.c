/* Threads: timed waits that time out (condition variables on CLOCK_REALTIME and
 * CLOCK_MONOTONIC, mutex timedlock, sem_timedwait), bad timespecs, and semaphores. */
#include <pthread.h>
#include <semaphore.h>
#include <time.h>

#include "contract.h"

static struct timespec in_ms(clockid_t clock, long ms)
{
    struct timespec t;
    clock_gettime(clock, &t);
    t.tv_nsec += ms * 1000000L;
    t.tv_sec += t.tv_nsec / 1000000000L;
    t.tv_nsec %= 1000000000L;
    return t;
}

static long elapsed_ms(const struct timespec *from)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - from->tv_sec) * 1000 + (now.tv_nsec - from->tv_nsec) / 1000000;
}

static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static sem_t posted;

static void *poster(void *argument)
{
    (void)argument;
    sem_post(&posted);
    return NULL;
}

int main(void)
{
    contract_start();
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t realtime = PTHREAD_COND_INITIALIZER, monotonic;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    printf("setclock monotonic: %s\n", errno_name(pthread_condattr_setclock(&attr, CLOCK_MONOTONIC)));
    pthread_cond_init(&monotonic, &attr);

    struct timespec start, deadline;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pthread_mutex_lock(&lock);
    deadline = in_ms(CLOCK_REALTIME, 50);
    printf("cond realtime: %s\n", errno_name(pthread_cond_timedwait(&realtime, &lock, &deadline)));
    deadline = in_ms(CLOCK_MONOTONIC, 50);
    printf("cond monotonic: %s\n", errno_name(pthread_cond_timedwait(&monotonic, &lock, &deadline)));
    printf("waited at least 100 ms: %s\n", elapsed_ms(&start) >= 100 ? "yes" : "no");
    struct timespec past = {0, 0};
    printf("cond past deadline: %s\n", errno_name(pthread_cond_timedwait(&realtime, &lock, &past)));
    struct timespec bad = {0, 1000000000L};
    printf("cond bad nsec: %s\n", errno_name(pthread_cond_timedwait(&realtime, &lock, &bad)));
    pthread_mutex_unlock(&lock);

    pthread_mutex_lock(&held);
    deadline = in_ms(CLOCK_REALTIME, 20);
    /* held by this thread: a normal mutex would deadlock, so try from the point of view of a
     * timed lock on an errorcheck one instead */
    pthread_mutex_unlock(&held);
    pthread_mutexattr_t mattr;
    pthread_mutexattr_init(&mattr);
    pthread_mutexattr_settype(&mattr, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_t checked;
    pthread_mutex_init(&checked, &mattr);
    printf("errorcheck lock: %s\n", errno_name(pthread_mutex_lock(&checked)));
    printf("errorcheck relock: %s\n", errno_name(pthread_mutex_lock(&checked)));
    printf("errorcheck trylock: %s\n", errno_name(pthread_mutex_trylock(&checked)));
    printf("destroy locked: %s\n", errno_name(pthread_mutex_destroy(&checked)));
    printf("errorcheck unlock: %s\n", errno_name(pthread_mutex_unlock(&checked)));
    printf("errorcheck unlock again: %s\n", errno_name(pthread_mutex_unlock(&checked)));

    printf("sem_init: %d\n", sem_init(&posted, 0, 0));
    int result = sem_trywait(&posted);
    printf("sem_trywait empty: %d %s\n", result, errno_name(errno));
    deadline = in_ms(CLOCK_REALTIME, 30);
    result = sem_timedwait(&posted, &deadline);
    printf("sem_timedwait empty: %d %s\n", result, errno_name(errno));
    pthread_t thread;
    pthread_create(&thread, NULL, poster, NULL);
    printf("sem_wait posted: %d\n", sem_wait(&posted));
    pthread_join(thread, NULL);
    sem_post(&posted);
    sem_post(&posted);
    int value;
    sem_getvalue(&posted, &value);
    printf("sem value after two posts: %d\n", value);
    deadline = in_ms(CLOCK_REALTIME, 30);
    printf("sem_timedwait available: %d\n", sem_timedwait(&posted, &deadline));
    printf("sem_trywait available: %d\n", sem_trywait(&posted));
    return contract_pass();
}
