/* Threads: creating and joining one, an uncontended mutex, a token handed between two threads
 * through a condition variable (each hand-over a wake-up), and a futex wake with no waiter. */
#include "bench.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
static long bench_futex_wake(volatile unsigned *word)
{
    return syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}
#else
#include <aramid/sys.h>
static long bench_futex_wake(volatile unsigned *word)
{
    return sys_futex_wake(word, 1);
}
#endif

static void *thread_return(void *argument)
{
    return argument;
}

static const char *step_create_join(void *state)
{
    (void)state;
    pthread_t thread;
    void *result;
    int error = pthread_create(&thread, NULL, thread_return, &result);
    if (error) {
        errno = error;
        return bench_fail("pthread_create");
    }
    error = pthread_join(thread, &result);
    if (error) {
        errno = error;
        return bench_fail("pthread_join");
    }
    return result == &result ? NULL : "pthread_join returned the wrong value";
}

static pthread_mutex_t uncontended = PTHREAD_MUTEX_INITIALIZER;

static const char *step_mutex_uncontended(void *state)
{
    (void)state;
    pthread_mutex_lock(&uncontended);
    pthread_mutex_unlock(&uncontended);
    return NULL;
}

/* The token: 0 the main thread's turn, 1 the partner's, 2 the partner should stop. */
struct pingpong {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int turn;
    pthread_t partner;
};

static void *pingpong_partner(void *argument)
{
    struct pingpong *p = argument;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->turn == 0)
            pthread_cond_wait(&p->changed, &p->lock);
        if (p->turn == 2)
            break;
        p->turn = 0;
        pthread_cond_signal(&p->changed);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static struct pingpong pingpong = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};

static const char *setup_pingpong(void **state)
{
    pingpong.turn = 0;
    int error = pthread_create(&pingpong.partner, NULL, pingpong_partner, &pingpong);
    if (error) {
        errno = error;
        return bench_fail("pthread_create");
    }
    *state = &pingpong;
    return NULL;
}

/* One round trip: hand the token over and wait until it comes back. */
static const char *step_pingpong(void *state)
{
    struct pingpong *p = state;
    pthread_mutex_lock(&p->lock);
    p->turn = 1;
    pthread_cond_signal(&p->changed);
    while (p->turn != 0)
        pthread_cond_wait(&p->changed, &p->lock);
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static void teardown_pingpong(void *state)
{
    struct pingpong *p = state;
    pthread_mutex_lock(&p->lock);
    p->turn = 2;
    pthread_cond_signal(&p->changed);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->partner, NULL);
}

static volatile unsigned futex_word;

static const char *step_futex_wake(void *state)
{
    (void)state;
    return bench_futex_wake(&futex_word) == 0 ? NULL : "futex wake woke someone or failed";
}

static const struct bench_case cases[] = {
    {.name = "pthread_create_join",
     .quick_iterations = 200,
     .full_iterations = 5000,
     .step = step_create_join},
    {.name = "mutex_uncontended",
     .quick_iterations = 100000,
     .full_iterations = 2000000,
     .step = step_mutex_uncontended},
    {.name = "cond_pingpong",
     .quick_iterations = 2000,
     .full_iterations = 50000,
     .setup = setup_pingpong,
     .step = step_pingpong,
     .teardown = teardown_pingpong},
    {.name = "futex_wake",
     .quick_iterations = 20000,
     .full_iterations = 500000,
     .step = step_futex_wake},
};

const struct bench_group bench_thread_group = {cases, sizeof(cases) / sizeof(cases[0])};
