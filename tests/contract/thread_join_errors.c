/* Threads: join and detach errors (EDEADLK joining oneself, EINVAL for a detached thread),
 * and a thread's return value and pthread_exit's. */
#include <pthread.h>
#include <semaphore.h>

#include "contract.h"

static sem_t release;

static void *waits(void *argument)
{
    sem_wait(&release);
    return argument;
}

static void *exits(void *argument)
{
    pthread_exit((void *)((long)argument + 1));
}

int main(void)
{
    contract_start();
    sem_init(&release, 0, 0);
    printf("join self: %s\n", errno_name(pthread_join(pthread_self(), NULL)));
    pthread_t thread;
    pthread_create(&thread, NULL, waits, (void *)5);
    printf("detach: %s\n", errno_name(pthread_detach(thread)));
    printf("detach again: %s\n", errno_name(pthread_detach(thread)));
    printf("join detached: %s\n", errno_name(pthread_join(thread, NULL)));
    sem_post(&release);
    pthread_create(&thread, NULL, exits, (void *)41);
    void *value;
    printf("join exited: %s\n", errno_name(pthread_join(thread, &value)));
    printf("pthread_exit value %ld\n", (long)value);
    printf("equal to self: %d\n", pthread_equal(thread, pthread_self()));
    return contract_pass();
}
