/* posix-shim's <semaphore.h>: semaphores on a futex word (posix-shim/pthread_sync.c); named ones
 * (sem_open) live in a page of the ipc server (posix-shim/semaphore_named.c). */
#ifndef POSIX_SHIM_SEMAPHORE_H
#define POSIX_SHIM_SEMAPHORE_H

#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    volatile unsigned value;
    volatile unsigned waiters;
    int shared;
} sem_t;

#define SEM_FAILED ((sem_t *)0)
#define SEM_VALUE_MAX 0x7fffffff

int sem_init(sem_t *sem, int shared, unsigned value);
int sem_destroy(sem_t *sem);
int sem_wait(sem_t *sem);
int sem_trywait(sem_t *sem);
int sem_timedwait(sem_t *sem, const struct timespec *abstime);
int sem_post(sem_t *sem);
int sem_getvalue(sem_t *sem, int *value);
sem_t *sem_open(const char *name, int flags, ...);
int sem_close(sem_t *sem);
int sem_unlink(const char *name);

#ifdef __cplusplus
}
#endif

#endif
