/* Threads: masks are per thread (pthread_sigmask), pthread_kill reaches the named thread, and a
 * signal sent to the process runs in the one thread that does not block it; exit from a thread
 * ends the whole process. */
#include <pthread.h>
#include <semaphore.h>

#include "contract.h"

static pthread_t handled_in;
static volatile sig_atomic_t handled;
static sem_t ready, go;

static void handler(int n)
{
    (void)n;
    handled_in = pthread_self();
    handled = 1;
}

/* Leaves SIGUSR1 unblocked and waits for it. */
static void *receiver(void *argument)
{
    (void)argument;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    sem_post(&ready);
    while (!handled)
        sched_yield();
    sem_wait(&go);
    return NULL;
}

static void *exiter(void *argument)
{
    (void)argument;
    exit(7);
}

int main(void)
{
    contract_start();
    sem_init(&ready, 0, 0);
    sem_init(&go, 0, 0);
    struct sigaction action = {0};
    action.sa_handler = handler;
    sigaction(SIGUSR1, &action, NULL);
    sigaction(SIGUSR2, &action, NULL);

    /* The main thread blocks SIGUSR1; the new thread inherits that and unblocks it. */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    printf("pthread_sigmask block: %s\n", errno_name(pthread_sigmask(SIG_BLOCK, &set, &old)));
    printf("bad how: %s\n", errno_name(pthread_sigmask(12345, &set, NULL)));
    pthread_t thread;
    pthread_create(&thread, NULL, receiver, NULL);
    sem_wait(&ready);
    kill(getpid(), SIGUSR1);
    while (!handled)
        sched_yield();
    printf("process signal handled by the unblocking thread: %s\n",
           pthread_equal(handled_in, thread) ? "yes" : "no");
    sigset_t mine;
    pthread_sigmask(SIG_SETMASK, NULL, &mine);
    printf("main still blocks SIGUSR1: %s\n", sigismember(&mine, SIGUSR1) ? "yes" : "no");
    sem_post(&go);
    pthread_join(thread, NULL);

    handled = 0;
    pthread_create(&thread, NULL, receiver, NULL);
    sem_wait(&ready);
    printf("pthread_kill: %s\n", errno_name(pthread_kill(thread, SIGUSR2)));
    while (!handled)
        sched_yield();
    printf("pthread_kill handled by that thread: %s\n",
           pthread_equal(handled_in, thread) ? "yes" : "no");
    printf("pthread_kill bad signal: %s\n", errno_name(pthread_kill(thread, 12345)));
    printf("pthread_kill 0: %s\n", errno_name(pthread_kill(thread, 0)));
    sem_post(&go);
    pthread_join(thread, NULL);

    pid_t child = fork();
    if (child == 0) {
        pthread_t t;
        pthread_create(&t, NULL, exiter, NULL);
        for (;;)
            pause();
    }
    int status;
    waitpid(child, &status, 0);
    contract_status("exit from a thread", status);
    return contract_pass();
}
