/* Threads: 8 threads add to one counter under a mutex (exact total), join results, and the
 * uncontended trylock/unlock pair. */
#include <pthread.h>

#include "contract.h"

#define THREADS 8
#define ROUNDS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *adder(void *argument)
{
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    return (void *)((long)argument * 2);
}

int main(void)
{
    contract_start();
    pthread_t threads[THREADS];
    for (long i = 0; i < THREADS; i++)
        printf("create %ld: %d\n", i, pthread_create(&threads[i], NULL, adder, (void *)i));
    long sum = 0;
    for (int i = 0; i < THREADS; i++) {
        void *result;
        int error = pthread_join(threads[i], &result);
        printf("join %d: %s\n", i, errno_name(error));
        sum += (long)result;
    }
    printf("counter %ld (expected %d)\n", counter, THREADS * ROUNDS);
    printf("results sum %ld\n", sum);
    printf("trylock free: %s\n", errno_name(pthread_mutex_trylock(&lock)));
    printf("unlock: %s\n", errno_name(pthread_mutex_unlock(&lock)));
    printf("self equal: %d\n", pthread_equal(pthread_self(), pthread_self()));
    return contract_pass();
}
