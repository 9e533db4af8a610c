/* Threads: after the main thread leaves by pthread_exit, signals sent to the process from
 * outside (SIGUSR1, and SIGRTMAX, the highest) still reach the thread that is left, and the
 * process ends with status 0 when that thread returns. */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>

#include "contract.h"

static volatile sig_atomic_t got_usr1, got_rtmax;

static void handler(int n)
{
    if (n == SIGUSR1)
        got_usr1 = 1;
    else if (n == SIGRTMAX)
        got_rtmax = 1;
}

static pthread_t main_thread;

static void *worker(void *argument)
{
    (void)argument;
    int joined = pthread_join(main_thread, NULL);
    printf("joined the main thread: %s\n", joined == 0 ? "yes" : errno_name(joined));
    pid_t parent = getpid();
    pid_t child = contract_fork();
    if (child == 0) {
        kill(parent, SIGUSR1);
        kill(parent, SIGRTMAX);
        _exit(0);
    }
    sigset_t none;
    sigemptyset(&none);
    while (!got_usr1 || !got_rtmax)
        sigsuspend(&none);
    printf("SIGUSR1 handled: %s, SIGRTMAX handled: %s\n", got_usr1 ? "yes" : "no",
           got_rtmax ? "yes" : "no");
    contract_reap("sender", child);
    printf("CONTRACT_PASS\n");
    return NULL;
}

int main(void)
{
    contract_start();
    struct sigaction action = {.sa_handler = handler};
    sigemptyset(&action.sa_mask);
    sigaction(SIGUSR1, &action, NULL);
    sigaction(SIGRTMAX, &action, NULL);
    sigset_t both;
    sigemptyset(&both);
    sigaddset(&both, SIGUSR1);
    sigaddset(&both, SIGRTMAX);
    sigprocmask(SIG_BLOCK, &both, NULL); /* the worker inherits it: sigsuspend opens it */
    main_thread = pthread_self();
    pthread_t thread;
    pthread_create(&thread, NULL, worker, NULL);
    pthread_exit(NULL);
}
