/* Threads: a bounded queue with a producer and two consumers on condition variables; every
 * item is consumed exactly once. */
#include <pthread.h>

#include "contract.h"

#define ITEMS 2000
#define SLOTS 8

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static int queue[SLOTS], head, count, done;
static long consumed_sum, consumed_count;

static void *producer(void *argument)
{
    (void)argument;
    for (int i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&lock);
        while (count == SLOTS)
            pthread_cond_wait(&not_full, &lock);
        queue[(head + count) % SLOTS] = i;
        count++;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&lock);
    }
    pthread_mutex_lock(&lock);
    done = 1;
    pthread_cond_broadcast(&not_empty);
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void *consumer(void *argument)
{
    long mine = 0;
    (void)argument;
    for (;;) {
        pthread_mutex_lock(&lock);
        while (count == 0 && !done)
            pthread_cond_wait(&not_empty, &lock);
        if (count == 0 && done) {
            pthread_mutex_unlock(&lock);
            break;
        }
        int item = queue[head];
        head = (head + 1) % SLOTS;
        count--;
        consumed_sum += item;
        consumed_count++;
        mine++;
        pthread_cond_signal(&not_full);
        pthread_mutex_unlock(&lock);
    }
    return (void *)mine;
}

int main(void)
{
    contract_start();
    pthread_t p, c[2];
    pthread_create(&c[0], NULL, consumer, NULL);
    pthread_create(&c[1], NULL, consumer, NULL);
    pthread_create(&p, NULL, producer, NULL);
    void *got[2];
    printf("join producer: %s\n", errno_name(pthread_join(p, NULL)));
    printf("join consumer 0: %s\n", errno_name(pthread_join(c[0], &got[0])));
    printf("join consumer 1: %s\n", errno_name(pthread_join(c[1], &got[1])));
    printf("consumed %ld items, sum %ld (expected %d, %ld)\n", consumed_count, consumed_sum,
           ITEMS, (long)ITEMS * (ITEMS + 1) / 2);
    printf("per-consumer counts add up: %s\n",
           (long)got[0] + (long)got[1] == ITEMS ? "yes" : "no");
    printf("destroy: %s %s\n", errno_name(pthread_cond_destroy(&not_empty)),
           errno_name(pthread_mutex_destroy(&lock)));
    return contract_pass();
}
