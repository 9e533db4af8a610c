/* Threads: deferred cancellation at cancellation points (condition wait with a cleanup handler
 * that unlocks, sleep, sem_wait, pthread_testcancel), disabled cancellation, PTHREAD_CANCELED. */
#include <pthread.h>
#include <semaphore.h>

#include "contract.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static sem_t started, empty;
static volatile int cleaned, old_was_disabled;

static void unlock_cleanup(void *argument)
{
    cleaned++;
    pthread_mutex_unlock(argument);
}

static void *cond_waiter(void *argument)
{
    (void)argument;
    pthread_mutex_lock(&lock);
    pthread_cleanup_push(unlock_cleanup, &lock);
    sem_post(&started);
    for (;;)
        pthread_cond_wait(&never, &lock);
    pthread_cleanup_pop(1);
    return NULL;
}

static void *sleeper(void *argument)
{
    (void)argument;
    sem_post(&started);
    for (;;)
        sleep(100);
    return NULL;
}

static void *sem_waiter(void *argument)
{
    (void)argument;
    sem_post(&started);
    sem_wait(&empty);
    return (void *)1;
}

static void *disabled(void *argument)
{
    (void)argument;
    int old;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
    sem_post(&started);
    sem_wait(&empty); /* the cancel arrives while disabled: this wait ends only by a post */
    pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
    old_was_disabled = old == PTHREAD_CANCEL_DISABLE;
    pthread_testcancel();
    return (void *)2;
}

static void check(const char *name, void *(*body)(void *), int post)
{
    pthread_t thread;
    void *result;
    pthread_create(&thread, NULL, body, NULL);
    sem_wait(&started);
    printf("%s cancel: %s\n", name, errno_name(pthread_cancel(thread)));
    if (post)
        sem_post(&empty);
    pthread_join(thread, &result);
    printf("%s result canceled: %s\n", name, result == PTHREAD_CANCELED ? "yes" : "no");
}

int main(void)
{
    contract_start();
    sem_init(&started, 0, 0);
    sem_init(&empty, 0, 0);
    check("cond_wait", cond_waiter, 0);
    printf("cleanup ran: %d\n", cleaned);
    printf("mutex free after cleanup: %s\n", errno_name(pthread_mutex_trylock(&lock)));
    pthread_mutex_unlock(&lock);
    check("sleep", sleeper, 0);
    check("sem_wait", sem_waiter, 0);
    check("disabled", disabled, 1);
    printf("disabled thread saw its old state: %s\n", old_was_disabled ? "yes" : "no");
    printf("setcancelstate bad: %s\n", errno_name(pthread_setcancelstate(99, NULL)));
    return contract_pass();
}
