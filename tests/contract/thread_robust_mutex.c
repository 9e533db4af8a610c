/* Threads: robust mutexes. A thread that ends holding one (returning, or by pthread_exit)
 * leaves it to the next locker with EOWNERDEAD; pthread_mutex_consistent makes it good again;
 * unlocked without that it is ENOTRECOVERABLE for everyone after; errors of consistent and of
 * unlocking another's. The attribute's values and errors. */
#include <pthread.h>

#include "contract.h"

static pthread_mutex_t mutex;

static const char *name(int error)
{
    return error == 0                 ? "0"
           : error == EOWNERDEAD      ? "EOWNERDEAD"
           : error == ENOTRECOVERABLE ? "ENOTRECOVERABLE"
           : error == EINVAL          ? "EINVAL"
           : error == EPERM           ? "EPERM"
           : error == EBUSY           ? "EBUSY"
           : error == EDEADLK         ? "EDEADLK"
                                      : "other";
}

static void *hold_and_return(void *argument)
{
    (void)argument;
    printf("thread lock: %s\n", name(pthread_mutex_lock(&mutex)));
    return NULL;
}

static void *hold_and_exit(void *argument)
{
    (void)argument;
    pthread_mutex_lock(&mutex);
    pthread_exit(NULL);
}

static void *try_unlock(void *argument)
{
    (void)argument;
    printf("unlock by another thread: %s\n", name(pthread_mutex_unlock(&mutex)));
    return NULL;
}

static void run(void *(*function)(void *))
{
    pthread_t thread;
    pthread_create(&thread, NULL, function, NULL);
    pthread_join(thread, NULL);
}

static void make(int type)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, type);
    pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&mutex, &attr);
    pthread_mutexattr_destroy(&attr);
}

int main(void)
{
    contract_start();
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    int robust = -1;
    pthread_mutexattr_getrobust(&attr, &robust);
    printf("default robustness: %s\n", robust == PTHREAD_MUTEX_STALLED ? "PTHREAD_MUTEX_STALLED" : "other");
    printf("setrobust(ROBUST): %s\n", name(pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST)));
    printf("setrobust(7): %s\n", name(pthread_mutexattr_setrobust(&attr, 7)));
    pthread_mutexattr_getrobust(&attr, &robust);
    printf("now: %s\n", robust == PTHREAD_MUTEX_ROBUST ? "PTHREAD_MUTEX_ROBUST" : "other");
    pthread_mutexattr_destroy(&attr);

    make(PTHREAD_MUTEX_NORMAL);
    printf("consistent on a consistent mutex: %s\n", name(pthread_mutex_consistent(&mutex)));
    pthread_mutex_lock(&mutex);
    run(try_unlock);
    printf("trylock while held: %s\n", name(pthread_mutex_trylock(&mutex)));
    pthread_mutex_unlock(&mutex);

    run(hold_and_return);
    printf("lock after its owner returned: %s\n", name(pthread_mutex_lock(&mutex)));
    printf("consistent: %s\n", name(pthread_mutex_consistent(&mutex)));
    printf("unlock: %s\n", name(pthread_mutex_unlock(&mutex)));
    printf("lock again: %s\n", name(pthread_mutex_lock(&mutex)));
    printf("unlock: %s\n", name(pthread_mutex_unlock(&mutex)));

    run(hold_and_exit);
    printf("trylock after its owner's pthread_exit: %s\n", name(pthread_mutex_trylock(&mutex)));
    printf("unlock without consistent: %s\n", name(pthread_mutex_unlock(&mutex)));
    printf("lock: %s\n", name(pthread_mutex_lock(&mutex)));
    printf("trylock: %s\n", name(pthread_mutex_trylock(&mutex)));
    printf("destroy: %s\n", name(pthread_mutex_destroy(&mutex)));

    make(PTHREAD_MUTEX_ERRORCHECK);
    printf("errorcheck lock: %s\n", name(pthread_mutex_lock(&mutex)));
    printf("errorcheck relock: %s\n", name(pthread_mutex_lock(&mutex)));
    pthread_mutex_unlock(&mutex);
    run(hold_and_exit);
    printf("errorcheck after its owner died: %s\n", name(pthread_mutex_lock(&mutex)));
    printf("consistent: %s\n", name(pthread_mutex_consistent(&mutex)));
    printf("unlock: %s\n", name(pthread_mutex_unlock(&mutex)));

    make(PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_lock(&mutex);
    printf("recursive relock: %s\n", name(pthread_mutex_lock(&mutex)));
    pthread_mutex_unlock(&mutex);
    pthread_mutex_unlock(&mutex);
    return contract_pass();
}
