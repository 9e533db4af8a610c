/* Threads: robust mutexes between processes, in MAP_SHARED memory. Their owner process is
 * killed holding two (by its main thread and by another thread), ends with _exit while another
 * process waits in pthread_mutex_lock, or replaces its image with execve: the next locker gets
 * EOWNERDEAD, and after pthread_mutex_consistent the mutex works again; one unlocked without
 * being made consistent is ENOTRECOVERABLE in every process. */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "contract.h"

struct shared {
    pthread_mutex_t first, second;
};

static struct shared *shared;

static const char *name(int error)
{
    return error == 0                 ? "0"
           : error == EOWNERDEAD      ? "EOWNERDEAD"
           : error == ENOTRECOVERABLE ? "ENOTRECOVERABLE"
           : error == EBUSY           ? "EBUSY"
           : error == EINVAL          ? "EINVAL"
           : error == EPERM           ? "EPERM"
                                      : "other";
}

static void make(pthread_mutex_t *mutex)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(mutex, &attr);
    pthread_mutexattr_destroy(&attr);
}

/* The mutex works again: made consistent, unlocked, locked and unlocked once more. */
static void recover(const char *what, pthread_mutex_t *mutex, int locked)
{
    printf("%s: %s\n", what, name(locked));
    printf("  consistent: %s\n", name(pthread_mutex_consistent(mutex)));
    printf("  unlock: %s\n", name(pthread_mutex_unlock(mutex)));
    printf("  lock: %s\n", name(pthread_mutex_lock(mutex)));
    printf("  unlock: %s\n", name(pthread_mutex_unlock(mutex)));
}

static int ready[2];

static void say_ready(void)
{
    if (write(ready[1], "r", 1) != 1)
        _exit(3);
}

static void wait_ready(void)
{
    char byte;
    if (read(ready[0], &byte, 1) != 1)
        printf("ready: lost\n");
}

static void *hold_both(void *argument)
{
    (void)argument;
    pthread_mutex_lock(&shared->first);
    pthread_mutex_lock(&shared->second);
    say_ready();
    pause(); /* until killed */
    return NULL;
}

/* A child holding both mutexes (from its main thread, or from a second thread) is killed. */
static void killed(bool from_thread)
{
    pid_t child = fork();
    if (child == 0) {
        if (from_thread) {
            pthread_t thread;
            pthread_create(&thread, NULL, hold_both, NULL);
            for (;;)
                pause();
        }
        hold_both(NULL);
    }
    wait_ready();
    printf("trylock while the child holds it: %s\n", name(pthread_mutex_trylock(&shared->first)));
    kill(child, SIGKILL);
    int status;
    waitpid(child, &status, 0);
    contract_status(from_thread ? "child (its thread held them)" : "child", status);
    recover("lock after its owner was killed", &shared->first, pthread_mutex_lock(&shared->first));
    recover("trylock of the second", &shared->second, pthread_mutex_trylock(&shared->second));
}

static int go[2];

static void *let_go(void *argument)
{
    (void)argument;
    usleep(50000); /* the main thread is waiting in pthread_mutex_lock by now */
    if (write(go[1], "g", 1) != 1)
        printf("go: lost\n");
    return NULL;
}

/* The owner ends with _exit while this process waits for the mutex. */
static void exits_while_waited_for(void)
{
    if (pipe(go) != 0)
        printf("pipe: %s\n", errno_name(errno));
    pid_t child = fork();
    if (child == 0) {
        pthread_mutex_lock(&shared->first);
        say_ready();
        char byte;
        if (read(go[0], &byte, 1) != 1)
            _exit(2);
        _exit(0);
    }
    wait_ready();
    pthread_t thread;
    pthread_create(&thread, NULL, let_go, NULL);
    int locked = pthread_mutex_lock(&shared->first);
    pthread_join(thread, NULL);
    int status;
    waitpid(child, &status, 0);
    contract_status("child that exited holding it", status);
    recover("lock waiting while its owner exits", &shared->first, locked);
}

/* The owner replaces its image: execve releases what its threads held. */
static void execs(const char *self)
{
    pid_t child = fork();
    if (child == 0) {
        pthread_mutex_lock(&shared->second);
        char *args[] = {(char *)self, "image", NULL};
        execv(self, args);
        _exit(4);
    }
    int status;
    waitpid(child, &status, 0);
    contract_status("child that ran execve holding it", status);
    recover("lock after its owner's execve", &shared->second, pthread_mutex_lock(&shared->second));
}

/* Unlocked without consistent: not recoverable, here and in another process. */
static void not_recoverable(void)
{
    pid_t child = fork();
    if (child == 0) {
        pthread_mutex_lock(&shared->first);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("lock after its owner exited: %s\n", name(pthread_mutex_lock(&shared->first)));
    printf("unlock without consistent: %s\n", name(pthread_mutex_unlock(&shared->first)));
    printf("lock: %s\n", name(pthread_mutex_lock(&shared->first)));
    child = fork();
    if (child == 0) {
        printf("lock in another process: %s\n", name(pthread_mutex_lock(&shared->first)));
        printf("trylock in another process: %s\n", name(pthread_mutex_trylock(&shared->first)));
        _exit(0);
    }
    waitpid(child, &status, 0);
}

int main(int argc, char **argv)
{
    contract_start();
    if (argc > 1) {
        printf("%s: started\n", argv[1]);
        return 0;
    }
    shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
                  0);
    if (shared == MAP_FAILED || pipe(ready) != 0) {
        printf("setup: %s\n", errno_name(errno));
        return 1;
    }
    make(&shared->first);
    make(&shared->second);
    killed(false);
    killed(true);
    exits_while_waited_for();
    execs(getenv("CONTRACT_SELF"));
    not_recoverable();
    return contract_pass();
}
