/* Threads: __thread variables (initialised and zeroed) and errno are per thread. */
#include <pthread.h>

#include "contract.h"

static __thread int tls_initialised = 42;
static __thread long tls_zeroed;
static __thread char tls_buffer[64];
static pthread_barrier_t barrier;

static void *worker(void *argument)
{
    long n = (long)argument;
    int start_value = tls_initialised;
    long start_zero = tls_zeroed;
    tls_initialised = (int)(100 + n);
    tls_zeroed = n * 1000;
    snprintf(tls_buffer, sizeof(tls_buffer), "thread %ld", n);
    errno = (int)(n + 1); /* a different errno in each thread */
    pthread_barrier_wait(&barrier); /* everyone has written before anyone checks */
    int ok = tls_initialised == 100 + n && tls_zeroed == n * 1000 && errno == n + 1 &&
             strcmp(tls_buffer, "thread") > 0;
    return (void *)(long)(ok && start_value == 42 && start_zero == 0);
}

int main(void)
{
    contract_start();
    pthread_t threads[4];
    pthread_barrier_init(&barrier, NULL, 4);
    tls_initialised = 7;
    errno = 0;
    for (long i = 0; i < 4; i++)
        pthread_create(&threads[i], NULL, worker, (void *)i);
    for (int i = 0; i < 4; i++) {
        void *ok;
        pthread_join(threads[i], &ok);
        printf("thread %d saw its own values: %s\n", i, ok ? "yes" : "no");
    }
    printf("main tls_initialised %d tls_zeroed %ld errno %s\n", tls_initialised, tls_zeroed,
           errno_name(errno));
    return contract_pass();
}
