/* Threads: a process-shared mutex and condition variable in MAP_SHARED memory between a parent
 * and its fork child (both count under the lock); fork from a threaded process keeps only the
 * caller in the child and runs the atfork handlers. */
#include <pthread.h>
#include <sys/mman.h>

#include "contract.h"

#define ROUNDS 5000

struct shared {
    pthread_mutex_t lock;
    pthread_cond_t turn;
    long counter;
    int child_ready;
};

static int prepared, in_parent, in_child;
static void on_prepare(void) { prepared++; }
static void on_parent(void) { in_parent++; }
static void on_child(void) { in_child++; }

static void *idle(void *argument)
{
    return argument;
}

int main(void)
{
    contract_start();
    struct shared *s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    pthread_mutexattr_t mattr;
    pthread_mutexattr_init(&mattr);
    printf("setpshared: %s\n", errno_name(pthread_mutexattr_setpshared(&mattr, PTHREAD_PROCESS_SHARED)));
    pthread_mutex_init(&s->lock, &mattr);
    pthread_condattr_t cattr;
    pthread_condattr_init(&cattr);
    pthread_condattr_setpshared(&cattr, PTHREAD_PROCESS_SHARED);
    pthread_cond_init(&s->turn, &cattr);
    printf("atfork: %s\n", errno_name(pthread_atfork(on_prepare, on_parent, on_child)));
    pthread_t thread;
    pthread_create(&thread, NULL, idle, NULL);
    pthread_join(thread, NULL);

    pid_t child = fork();
    if (child == 0) {
        pthread_mutex_lock(&s->lock);
        s->child_ready = 1;
        pthread_cond_signal(&s->turn);
        pthread_mutex_unlock(&s->lock);
        for (int i = 0; i < ROUNDS; i++) {
            pthread_mutex_lock(&s->lock);
            s->counter++;
            pthread_mutex_unlock(&s->lock);
        }
        _exit(in_child == 1 && prepared == 1 && in_parent == 0 ? 0 : 1);
    }
    pthread_mutex_lock(&s->lock);
    while (!s->child_ready)
        pthread_cond_wait(&s->turn, &s->lock);
    pthread_mutex_unlock(&s->lock);
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&s->lock);
        s->counter++;
        pthread_mutex_unlock(&s->lock);
    }
    int status;
    waitpid(child, &status, 0);
    contract_status("child", status);
    printf("counter %ld (expected %d)\n", s->counter, 2 * ROUNDS);
    printf("handlers in parent: prepare %d parent %d child %d\n", prepared, in_parent, in_child);
    return contract_pass();
}
