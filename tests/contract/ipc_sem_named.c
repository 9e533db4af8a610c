/* Named semaphores with shared memory: a producer and a consumer process (each opening both by
 * name) hand 200 items through a ring guarded by "empty" and "full" semaphores; sem_open's
 * flags and names, sem_getvalue, sem_trywait, sem_timedwait, sem_close, sem_unlink. */
#include "contract.h"

#include <fcntl.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#define SHM_NAME "/contract_ipc_ring"
#define EMPTY_NAME "/contract_ipc_empty"
#define FULL_NAME "/contract_ipc_full"
#define SLOTS 4
#define ITEMS 200

struct ring {
    int slots[SLOTS];
    long sum;
};

static struct ring *ring_open(void)
{
    int fd = shm_open(SHM_NAME, O_RDWR, 0);
    struct ring *ring = mmap(NULL, sizeof(struct ring), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return ring == MAP_FAILED ? NULL : ring;
}

static void producer(void)
{
    struct ring *ring = ring_open();
    sem_t *empty = sem_open(EMPTY_NAME, 0);
    sem_t *full = sem_open(FULL_NAME, 0);
    if (ring == NULL || empty == SEM_FAILED || full == SEM_FAILED)
        _exit(2);
    for (int i = 1; i <= ITEMS; i++) {
        while (sem_wait(empty) != 0)
            ;
        ring->slots[i % SLOTS] = i;
        sem_post(full);
    }
    _exit(sem_close(empty) == 0 && sem_close(full) == 0 ? 0 : 3);
}

static void consumer(void)
{
    struct ring *ring = ring_open();
    sem_t *empty = sem_open(EMPTY_NAME, 0);
    sem_t *full = sem_open(FULL_NAME, 0);
    if (ring == NULL || empty == SEM_FAILED || full == SEM_FAILED)
        _exit(2);
    long sum = 0;
    for (int i = 1; i <= ITEMS; i++) {
        while (sem_wait(full) != 0)
            ;
        if (ring->slots[i % SLOTS] != i)
            _exit(4);
        sum += ring->slots[i % SLOTS];
        sem_post(empty);
    }
    ring->sum = sum;
    _exit(0);
}

static void names_and_flags(void)
{
    char long_name[300];
    long_name[0] = '/';
    memset(long_name + 1, 's', 260);
    long_name[261] = 0;
    errno = 0;
    printf("slash inside: %s\n", sem_open("/a/b", O_CREAT, 0600, 1) == SEM_FAILED
                                     ? errno_name(errno) : "opened");
    printf("empty: %s\n", sem_open("/", O_CREAT, 0600, 1) == SEM_FAILED ? errno_name(errno)
                                                                          : "opened");
    printf("too long: %s\n", sem_open(long_name, O_CREAT, 0600, 1) == SEM_FAILED
                                 ? errno_name(errno) : "opened");
    long_name[253] = 0; /* "sem." and 252 bytes: too long a file name */
    printf("252 bytes: %s\n", sem_open(long_name, O_CREAT, 0600, 1) == SEM_FAILED
                                  ? errno_name(errno) : "opened");
    R(sem_unlink(long_name));
    printf("missing: %s\n", sem_open("/contract_ipc_none", 0) == SEM_FAILED ? errno_name(errno)
                                                                            : "opened");
    printf("value too big: %s\n",
           sem_open("/contract_ipc_big", O_CREAT, 0600, 0x80000000u) == SEM_FAILED
               ? errno_name(errno) : "opened");
    sem_t *first = sem_open("/contract_ipc_sem", O_CREAT | O_EXCL, 0600, 2);
    printf("create: %s\n", first != SEM_FAILED ? "ok" : errno_name(errno));
    printf("again with O_EXCL: %s\n",
           sem_open("/contract_ipc_sem", O_CREAT | O_EXCL, 0600, 2) == SEM_FAILED
               ? errno_name(errno) : "opened");
    sem_t *second = sem_open("/contract_ipc_sem", O_CREAT, 0600, 9);
    printf("same address: %s\n", second == first ? "yes" : "no");
    int value = -1;
    R(sem_getvalue(first, &value));
    printf("value %d (the existing semaphore's)\n", value);
    R(sem_trywait(first));
    R(sem_trywait(first));
    R(sem_trywait(first));
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_nsec += 20000000;
    if (deadline.tv_nsec >= 1000000000) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000;
    }
    R(sem_timedwait(first, &deadline));
    R(sem_post(first));
    R(sem_timedwait(first, &deadline));
    R(sem_close(second));
    R(sem_close(first));
    R(sem_close(first));
    R(sem_unlink("/contract_ipc_sem"));
    R(sem_unlink("/contract_ipc_sem"));
    R(sem_unlink("/a/b"));
}

int main(void)
{
    contract_start();
    sem_unlink(EMPTY_NAME);
    sem_unlink(FULL_NAME);
    sem_unlink("/contract_ipc_sem");
    shm_unlink(SHM_NAME);
    names_and_flags();
    int fd = shm_open(SHM_NAME, O_RDWR | O_CREAT | O_EXCL, 0600);
    R(ftruncate(fd, sizeof(struct ring)));
    R(close(fd));
    sem_t *empty = sem_open(EMPTY_NAME, O_CREAT | O_EXCL, 0600, SLOTS);
    sem_t *full = sem_open(FULL_NAME, O_CREAT | O_EXCL, 0600, 0);
    printf("semaphores: %s\n", empty != SEM_FAILED && full != SEM_FAILED ? "ok" : "failed");
    pid_t consumer_pid = contract_fork();
    if (consumer_pid == 0)
        consumer();
    pid_t producer_pid = contract_fork();
    if (producer_pid == 0)
        producer();
    contract_reap("producer", producer_pid);
    contract_reap("consumer", consumer_pid);
    struct ring *ring = ring_open();
    printf("sum %ld (expected %d)\n", ring != NULL ? ring->sum : -1L, ITEMS * (ITEMS + 1) / 2);
    int value = -1;
    R(sem_getvalue(empty, &value));
    printf("empty slots %d\n", value);
    R(sem_getvalue(full, &value));
    printf("full slots %d\n", value);
    R(sem_close(empty));
    R(sem_close(full));
    R(sem_unlink(EMPTY_NAME));
    R(sem_unlink(FULL_NAME));
    R(shm_unlink(SHM_NAME));
    return contract_pass();
}
