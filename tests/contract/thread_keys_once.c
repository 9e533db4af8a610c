/* Threads: keys with destructors (run at thread exit for non-NULL values, not for the main
 * thread's values at exit), pthread_once once across threads, detached threads. */
#include <pthread.h>

#include "contract.h"

static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int destroyed[8];
static volatile int detached_done;

static void destructor(void *value)
{
    pthread_mutex_lock(&lock);
    destroyed[(long)value]++;
    pthread_mutex_unlock(&lock);
}

static void init_once(void)
{
    once_runs++;
}

static void *worker(void *argument)
{
    long n = (long)argument;
    pthread_once(&once, init_once);
    if (pthread_getspecific(key) != NULL)
        return (void *)1;
    if (n != 3) /* thread 3 leaves its value NULL: no destructor call */
        pthread_setspecific(key, (void *)n);
    return pthread_getspecific(key);
}

static void *detached(void *argument)
{
    (void)argument;
    detached_done = 1;
    return NULL;
}

int main(void)
{
    contract_start();
    printf("key_create: %s\n", errno_name(pthread_key_create(&key, destructor)));
    pthread_setspecific(key, (void *)7);
    pthread_t threads[5];
    for (long i = 1; i <= 5; i++)
        pthread_create(&threads[i - 1], NULL, worker, (void *)i);
    for (int i = 0; i < 5; i++) {
        void *value;
        pthread_join(threads[i], &value);
        printf("thread %d value %ld\n", i + 1, (long)value);
    }
    for (int i = 1; i <= 7; i++)
        printf("destructor calls for %d: %d\n", i, destroyed[i]);
    printf("main value %ld\n", (long)pthread_getspecific(key));
    printf("once runs: %d\n", once_runs);
    pthread_once(&once, init_once);
    printf("once runs after main's call: %d\n", once_runs);

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    printf("setdetachstate: %s\n", errno_name(pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED)));
    printf("setdetachstate bad: %s\n", errno_name(pthread_attr_setdetachstate(&attr, 12345)));
    printf("setstacksize tiny: %s\n", errno_name(pthread_attr_setstacksize(&attr, 16)));
    printf("setstacksize 1 MiB: %s\n", errno_name(pthread_attr_setstacksize(&attr, 1 << 20)));
    pthread_t thread;
    printf("create detached: %s\n", errno_name(pthread_create(&thread, &attr, detached, NULL)));
    while (!detached_done)
        sched_yield();
    printf("detached thread ran: yes\n");
    printf("key_delete: %s\n", errno_name(pthread_key_delete(key)));
    return contract_pass();
}
