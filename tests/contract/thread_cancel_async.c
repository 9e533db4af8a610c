/* Threads: asynchronous cancellation. A thread spinning without a cancellation point is
 * cancelled where it is (its cleanup handler runs, join gives PTHREAD_CANCELED); the type's
 * old values and EINVAL; a pending cancel acts at once when the type becomes asynchronous or
 * cancellation is enabled again; a thread cancelling itself asynchronously goes at once. */
#include <pthread.h>

#include "contract.h"

static volatile unsigned long spins;
static volatile int cleaned, after, go;

static void cleanup(void *argument)
{
    (void)argument;
    cleaned++;
}

static void *spin(void *argument)
{
    (void)argument;
    int old = -1;
    pthread_cleanup_push(cleanup, NULL);
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, &old);
    go = 1;
    for (;;)
        spins++;
    pthread_cleanup_pop(0);
    return NULL;
}

/* Cancelled while deferred and spinning; then it asks for asynchronous cancellation. */
static void *late_async(void *argument)
{
    (void)argument;
    pthread_cleanup_push(cleanup, NULL);
    go = 1;
    while (go != 2)
        spins++;
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    after = 1; /* never reached */
    pthread_cleanup_pop(0);
    return NULL;
}

/* Asynchronous but disabled while the cancel comes; enabling lets it act at once. */
static void *late_enable(void *argument)
{
    (void)argument;
    pthread_cleanup_push(cleanup, NULL);
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    go = 1;
    while (go != 2)
        spins++;
    pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
    after = 1; /* never reached */
    pthread_cleanup_pop(0);
    return NULL;
}

static void *self_cancel(void *argument)
{
    (void)argument;
    pthread_cleanup_push(cleanup, NULL);
    pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
    pthread_cancel(pthread_self());
    after = 1; /* never reached */
    pthread_cleanup_pop(0);
    return NULL;
}

static void run(const char *what, void *(*function)(void *), int handshake)
{
    pthread_t thread;
    cleaned = after = go = 0;
    pthread_create(&thread, NULL, function, NULL);
    if (handshake) {
        while (go != 1)
            usleep(1000);
        usleep(10000);
        printf("%s: cancel %d\n", what, pthread_cancel(thread));
        go = 2;
    } else {
        printf("%s\n", what);
    }
    void *result = NULL;
    pthread_join(thread, &result);
    printf("  joined: %s, cleanup ran %d, went past %d\n",
           result == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "other", cleaned, after);
}

int main(void)
{
    contract_start();
    int old = -1;
    printf("setcanceltype(ASYNCHRONOUS): %d\n",
           pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, &old));
    printf("  old: %s\n", old == PTHREAD_CANCEL_DEFERRED ? "DEFERRED" : "other");
    printf("setcanceltype(DEFERRED): %d\n", pthread_setcanceltype(PTHREAD_CANCEL_DEFERRED, &old));
    printf("  old: %s\n", old == PTHREAD_CANCEL_ASYNCHRONOUS ? "ASYNCHRONOUS" : "other");
    printf("setcanceltype(7): %s\n", pthread_setcanceltype(7, &old) == EINVAL ? "EINVAL" : "other");
    run("spinning", spin, 1);
    run("asynchronous after the cancel", late_async, 1);
    run("enabled after the cancel", late_enable, 1);
    run("itself", self_cancel, 0);
    printf("spun: %s\n", spins > 0 ? "yes" : "no");
    return contract_pass();
}
