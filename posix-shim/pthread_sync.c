/* posix-shim synchronization: futex helpers, mutexes, condition variables, rwlocks, barriers,
 * spinlocks and unnamed semaphores. Each object is plain memory around 32-bit futex words (so
 * it works in MAP_SHARED memory across processes); the uncontended paths are one atomic
 * instruction and never enter the kernel. */
#include <errno.h>
#include <limits.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pthread_internal.h"
#include "shim.h"

#define NS_PER_SECOND 1000000000ul
#define SPIN_TRIES 100

long pthread_futex_wait(volatile unsigned *word, unsigned value, unsigned long deadline)
{
    return shim_error_from_sys(sys_futex_wait(word, value, deadline));
}

void pthread_futex_wake(volatile unsigned *word, unsigned count)
{
    (void)sys_futex_wake(word, count);
}

long pthread_deadline(clockid_t clock, const struct timespec *abstime, unsigned long *deadline)
{
    if (abstime->tv_nsec < 0 || abstime->tv_nsec >= (long)NS_PER_SECOND)
        return -EINVAL;
    if (abstime->tv_sec < 0) {
        *deadline = 1; /* long past */
        return 0;
    }
    unsigned long target = (unsigned long)abstime->tv_sec * NS_PER_SECOND +
                           (unsigned long)abstime->tv_nsec;
    unsigned long now_mono = aramid_clock_monotonic_ns();
    if (clock == CLOCK_MONOTONIC) {
        *deadline = target ? target : 1;
        return 0;
    }
    unsigned long now_real = aramid_clock_realtime_ns();
    *deadline = target <= now_real ? 1 : now_mono + (target - now_real);
    return 0;
}

/* --- mutexes: lock word 0 free, 1 locked, 2 locked and someone may wait (Drepper's). --- */

static int mutex_acquire(pthread_mutex_t *mutex, unsigned long deadline)
{
    unsigned expected = 0;
    if (__atomic_compare_exchange_n(&mutex->lock, &expected, 1, false, __ATOMIC_ACQUIRE,
                                    __ATOMIC_RELAXED))
        return 0;
    for (int i = 0; i < SPIN_TRIES; i++) {
        expected = 0;
        if (__atomic_load_n(&mutex->lock, __ATOMIC_RELAXED) == 0 &&
            __atomic_compare_exchange_n(&mutex->lock, &expected, 1, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return 0;
        __builtin_ia32_pause();
    }
    while (__atomic_exchange_n(&mutex->lock, 2, __ATOMIC_ACQUIRE) != 0) {
        if (pthread_futex_wait(&mutex->lock, 2, deadline) == -ETIMEDOUT)
            return ETIMEDOUT;
    }
    return 0;
}

static void mutex_release(pthread_mutex_t *mutex)
{
    if (__atomic_exchange_n(&mutex->lock, 0, __ATOMIC_RELEASE) == 2)
        pthread_futex_wake(&mutex->lock, 1);
}

int pthread_mutexattr_init(pthread_mutexattr_t *attr)
{
    memset(attr, 0, sizeof(*attr));
    attr->is_initialized = 1;
    return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *attr)
{
    attr->is_initialized = 0;
    return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type)
{
    if (type != PTHREAD_MUTEX_NORMAL && type != PTHREAD_MUTEX_RECURSIVE &&
        type != PTHREAD_MUTEX_ERRORCHECK)
        return EINVAL;
    attr->type = type;
    return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type)
{
    *type = attr->type;
    return 0;
}

int pthread_mutexattr_setpshared(pthread_mutexattr_t *attr, int shared)
{
    if (shared != PTHREAD_PROCESS_PRIVATE && shared != PTHREAD_PROCESS_SHARED)
        return EINVAL;
    attr->shared = shared;
    return 0;
}

int pthread_mutexattr_getpshared(const pthread_mutexattr_t *attr, int *shared)
{
    *shared = attr->shared;
    return 0;
}

int pthread_mutexattr_setrobust(pthread_mutexattr_t *attr, int robust)
{
    if (robust != PTHREAD_MUTEX_STALLED && robust != PTHREAD_MUTEX_ROBUST)
        return EINVAL;
    attr->robust = robust;
    return 0;
}

int pthread_mutexattr_getrobust(const pthread_mutexattr_t *attr, int *robust)
{
    *robust = attr->robust;
    return 0;
}

int pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr)
{
    memset(mutex, 0, sizeof(*mutex));
    if (attr != NULL) {
        mutex->type = attr->type;
        mutex->shared = attr->shared;
        mutex->robust = attr->robust;
    }
    return 0;
}

/*
 * Robust mutexes, within a process and between processes (MAP_SHARED): the lock word is the
 * owner's thread id (kernel thread ids: the low 30 bits, ARAMID_ROBUST_TID_MASK) with
 * ARAMID_ROBUST_WAITERS when someone may sleep on it; 0 when free. While held, a mutex is on
 * its owner's list (robust_head.first, linked through robust_next/robust_prev; only the owner
 * changes its list), which the kernel walks when the thread dies however it dies (its
 * process killed, exit from another thread, execve: robust_list_set, syscall.h), as Linux's
 * robust futex lists; robust_head.pending names the mutex being locked or unlocked meanwhile.
 * A dead owner's word becomes ARAMID_ROBUST_OWNER_DIED (pthread_exit does the same itself): the
 * next locker takes it, sets robust_state MUTEX_OWNER_DIED and gets EOWNERDEAD; it makes it
 * good with pthread_mutex_consistent, or unlocks it and it becomes MUTEX_NOT_RECOVERABLE:
 * every later lock gives ENOTRECOVERABLE. robust_state lives in the mutex, so every process
 * sharing it sees it.
 */
#define MUTEX_CONSISTENT 0
#define MUTEX_OWNER_DIED 1
#define MUTEX_NOT_RECOVERABLE 2

/* The owner's thread id (0: none). */
static unsigned mutex_owner(const pthread_mutex_t *mutex)
{
    return mutex->robust ? mutex->lock & ARAMID_ROBUST_TID_MASK : mutex->owner;
}

/* The kernel learns where self's list is, once per kernel thread (a fork child's is new). */
static void mutex_robust_register(struct shim_thread *self)
{
    if (self->robust_registered == self->id)
        return;
    self->robust_head.next_offset = (long)offsetof(pthread_mutex_t, robust_next);
    self->robust_head.word_offset = (long)offsetof(pthread_mutex_t, lock);
    if (sys_robust_list_set(&self->robust_head) == 0)
        self->robust_registered = self->id;
}

static void mutex_robust_note(struct shim_thread *self, pthread_mutex_t *mutex)
{
    pthread_mutex_t *first = (pthread_mutex_t *)self->robust_head.first;
    mutex->robust_prev = NULL;
    mutex->robust_next = first;
    if (first != NULL)
        first->robust_prev = mutex;
    __atomic_store_n(&self->robust_head.first, (unsigned long)mutex, __ATOMIC_RELEASE);
}

static void mutex_robust_forget(struct shim_thread *self, pthread_mutex_t *mutex)
{
    pthread_mutex_t *next = mutex->robust_next, *prev = mutex->robust_prev;
    if (next != NULL)
        next->robust_prev = prev;
    if (prev != NULL)
        prev->robust_next = next;
    else
        __atomic_store_n(&self->robust_head.first, (unsigned long)next, __ATOMIC_RELEASE);
    mutex->robust_next = mutex->robust_prev = NULL;
}

/* Takes the word for thread id: 0, or MUTEX_OWNER_DIED when its owner had died, EBUSY (try),
 * ETIMEDOUT. contended: take it with the waiters bit (others may still sleep). */
static int mutex_robust_acquire(pthread_mutex_t *mutex, unsigned id, unsigned long deadline,
                                bool try, bool contended)
{
    unsigned word = __atomic_load_n(&mutex->lock, __ATOMIC_RELAXED);
    for (;;) {
        if ((word & ARAMID_ROBUST_TID_MASK) == 0) {
            unsigned want = id | (contended ? ARAMID_ROBUST_WAITERS : 0);
            if (__atomic_compare_exchange_n(&mutex->lock, &word, want, false, __ATOMIC_ACQUIRE,
                                            __ATOMIC_RELAXED))
                return (word & ARAMID_ROBUST_OWNER_DIED) ? MUTEX_OWNER_DIED : 0;
            continue;
        }
        if (try)
            return EBUSY;
        if (!(word & ARAMID_ROBUST_WAITERS) &&
            !__atomic_compare_exchange_n(&mutex->lock, &word, word | ARAMID_ROBUST_WAITERS,
                                         false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            continue;
        contended = true;
        if (pthread_futex_wait(&mutex->lock, word | ARAMID_ROBUST_WAITERS, deadline) ==
            -ETIMEDOUT)
            return ETIMEDOUT;
        word = __atomic_load_n(&mutex->lock, __ATOMIC_RELAXED);
    }
}

/* Lets the word go with value (0, or OWNER_DIED for a holder that ends). */
static void mutex_robust_release(pthread_mutex_t *mutex, unsigned value)
{
    unsigned old = __atomic_exchange_n(&mutex->lock, value, __ATOMIC_RELEASE);
    if (old & ARAMID_ROBUST_WAITERS)
        pthread_futex_wake(&mutex->lock, value == 0 ? 1 : INT_MAX);
}

/* A robust mutex taken (acquire's result): on the list, its state learnt from the word. */
static int mutex_robust_taken(struct shim_thread *self, pthread_mutex_t *mutex, int acquired)
{
    mutex_robust_note(self, mutex);
    self->robust_head.pending = 0;
    if (acquired == MUTEX_OWNER_DIED) {
        mutex->robust_state = MUTEX_OWNER_DIED;
        __atomic_fetch_and(&mutex->lock, ~ARAMID_ROBUST_OWNER_DIED, __ATOMIC_RELAXED);
    }
    if (mutex->robust_state == MUTEX_NOT_RECOVERABLE) {
        mutex_robust_forget(self, mutex);
        mutex_robust_release(mutex, 0); /* the next waiter learns it in turn */
        return ENOTRECOVERABLE;
    }
    return mutex->robust_state == MUTEX_OWNER_DIED ? EOWNERDEAD : 0;
}

/* Lets a robust mutex go (the owner's count already 0): off the list, then the word. */
static void mutex_robust_unlock(struct shim_thread *self, pthread_mutex_t *mutex, unsigned value)
{
    self->robust_head.pending = (unsigned long)mutex;
    mutex_robust_forget(self, mutex);
    mutex_robust_release(mutex, value);
    self->robust_head.pending = 0;
}

void pthread_mutex_robust_exit(struct shim_thread *self)
{
    while (self->robust_head.first != 0) {
        pthread_mutex_t *mutex = (pthread_mutex_t *)self->robust_head.first;
        mutex->owner = 0;
        mutex->count = 0;
        mutex_robust_unlock(self, mutex, ARAMID_ROBUST_OWNER_DIED);
    }
}

void pthread_mutex_robust_fork_child(struct shim_thread *self)
{
    /* What the parent's thread held stays the parent's (its words name the parent's id). */
    self->robust_head.first = 0;
    self->robust_head.pending = 0;
    self->robust_registered = 0;
}

int pthread_mutex_consistent(pthread_mutex_t *mutex)
{
    if (!mutex->robust || mutex->robust_state != MUTEX_OWNER_DIED ||
        mutex_owner(mutex) != shim_thread_self()->id)
        return EINVAL;
    mutex->robust_state = MUTEX_CONSISTENT;
    return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *mutex)
{
    if (mutex->lock != 0)
        return EBUSY;
    mutex->destroyed = 1;
    return 0;
}

static int mutex_lock(pthread_mutex_t *mutex, unsigned long deadline, bool try)
{
    if (mutex->destroyed)
        return EINVAL;
    if (mutex->type == PTHREAD_MUTEX_NORMAL && !mutex->robust) {
        if (try) {
            unsigned expected = 0;
            return __atomic_compare_exchange_n(&mutex->lock, &expected, 1, false,
                                               __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)
                       ? 0
                       : EBUSY;
        }
        return mutex_acquire(mutex, deadline);
    }
    struct shim_thread *thread = shim_thread_self();
    unsigned self = thread->id;
    if (mutex->robust && mutex->robust_state == MUTEX_NOT_RECOVERABLE)
        return ENOTRECOVERABLE;
    if (mutex_owner(mutex) == self && mutex->type != PTHREAD_MUTEX_NORMAL) {
        if (mutex->type == PTHREAD_MUTEX_ERRORCHECK)
            return try ? EBUSY : EDEADLK;
        if (mutex->count == UINT_MAX)
            return EAGAIN;
        mutex->count++;
        return 0;
    }
    int error;
    if (mutex->robust) {
        mutex_robust_register(thread);
        thread->robust_head.pending = (unsigned long)mutex;
        error = mutex_robust_acquire(mutex, self, deadline, try, false);
        if (error == 0 || error == MUTEX_OWNER_DIED)
            error = mutex_robust_taken(thread, mutex, error);
        else
            thread->robust_head.pending = 0;
    } else if (try) {
        unsigned expected = 0;
        error = __atomic_compare_exchange_n(&mutex->lock, &expected, 1, false, __ATOMIC_ACQUIRE,
                                            __ATOMIC_RELAXED)
                    ? 0
                    : EBUSY;
    } else {
        error = mutex_acquire(mutex, deadline);
    }
    if (error == 0 || error == EOWNERDEAD) {
        mutex->owner = self;
        mutex->count = 1;
    }
    return error;
}

int pthread_mutex_lock(pthread_mutex_t *mutex)
{
    /* The uncontended normal mutex: one atomic instruction, no frame. */
    unsigned expected = 0;
    if (__builtin_expect(mutex->type == PTHREAD_MUTEX_NORMAL && !mutex->robust &&
                             !mutex->destroyed,
                         1) &&
        __atomic_compare_exchange_n(&mutex->lock, &expected, 1, false, __ATOMIC_ACQUIRE,
                                    __ATOMIC_RELAXED))
        return 0;
    return mutex_lock(mutex, 0, false);
}

int pthread_mutex_trylock(pthread_mutex_t *mutex)
{
    return mutex_lock(mutex, 0, true);
}

int pthread_mutex_timedlock(pthread_mutex_t *mutex, const struct timespec *abstime)
{
    unsigned long deadline;
    long bad = pthread_deadline(CLOCK_REALTIME, abstime, &deadline);
    return bad ? (int)-bad : mutex_lock(mutex, deadline, false);
}

/* A waiter of a normal mutex just released is woken (kept out of pthread_mutex_unlock's
 * frameless path). */
__attribute__((noinline)) static int mutex_wake_one(pthread_mutex_t *mutex)
{
    pthread_futex_wake(&mutex->lock, 1);
    return 0;
}

__attribute__((noinline)) static int mutex_unlock_tracked(pthread_mutex_t *mutex);

int pthread_mutex_unlock(pthread_mutex_t *mutex)
{
    /* The normal mutex: one atomic instruction, no frame (as mutex_release). */
    if (__builtin_expect(mutex->type == PTHREAD_MUTEX_NORMAL && !mutex->robust, 1)) {
        if (__atomic_exchange_n(&mutex->lock, 0, __ATOMIC_RELEASE) == 2)
            return mutex_wake_one(mutex);
        return 0;
    }
    return mutex_unlock_tracked(mutex);
}

/* Recursive, errorcheck and robust mutexes: the owner's count and list first. */
static int mutex_unlock_tracked(pthread_mutex_t *mutex)
{
    if (mutex_owner(mutex) != shim_thread_self()->id)
        return EPERM;
    if (--mutex->count != 0)
        return 0;
    mutex->owner = 0;
    if (mutex->robust) {
        if (mutex->robust_state == MUTEX_OWNER_DIED)
            mutex->robust_state = MUTEX_NOT_RECOVERABLE; /* unlocked, never made consistent */
        mutex_robust_unlock(shim_thread_self(), mutex, 0);
        return 0;
    }
    mutex_release(mutex);
    return 0;
}

/* --- condition variables: waiters sleep on the sequence word, every signal bumps it. --- */

int pthread_condattr_init(pthread_condattr_t *attr)
{
    memset(attr, 0, sizeof(*attr));
    attr->is_initialized = 1;
    attr->clock = CLOCK_REALTIME;
    return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *attr)
{
    attr->is_initialized = 0;
    return 0;
}

int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock)
{
    if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
        return EINVAL;
    attr->clock = (int)clock;
    return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *attr, clockid_t *clock)
{
    *clock = attr->clock;
    return 0;
}

int pthread_condattr_setpshared(pthread_condattr_t *attr, int shared)
{
    if (shared != PTHREAD_PROCESS_PRIVATE && shared != PTHREAD_PROCESS_SHARED)
        return EINVAL;
    attr->shared = shared;
    return 0;
}

int pthread_cond_init(pthread_cond_t *cond, const pthread_condattr_t *attr)
{
    memset(cond, 0, sizeof(*cond));
    cond->clock = attr ? attr->clock : (int)CLOCK_REALTIME;
    cond->shared = attr ? attr->shared : 0;
    return 0;
}

int pthread_cond_destroy(pthread_cond_t *cond)
{
    return cond->waiters ? EBUSY : 0;
}

/* A cancellation point: cancelled, the waiter leaves holding the mutex, as POSIX has it (its
 * cleanup handlers usually unlock it). */
static int cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex, unsigned long deadline)
{
    pthread_testcancel();
    unsigned sequence = __atomic_load_n(&cond->sequence, __ATOMIC_ACQUIRE);
    __atomic_add_fetch(&cond->waiters, 1, __ATOMIC_SEQ_CST);
    /* A recursive mutex is released whole and taken back with its count. */
    unsigned count = mutex->count;
    unsigned owner = mutex_owner(mutex);
    struct shim_thread *self = shim_thread_self();
    int error = mutex->type == PTHREAD_MUTEX_NORMAL && !mutex->robust
                    ? 0
                    : (owner == self->id ? 0 : EPERM);
    if (error) {
        __atomic_sub_fetch(&cond->waiters, 1, __ATOMIC_SEQ_CST);
        return error;
    }
    mutex->owner = 0;
    mutex->count = 0;
    if (mutex->robust)
        mutex_robust_unlock(self, mutex, 0); /* another thread may hold it meanwhile */
    else
        mutex_release(mutex);
    long waited = pthread_futex_wait(&cond->sequence, sequence, deadline);
    __atomic_sub_fetch(&cond->waiters, 1, __ATOMIC_SEQ_CST);
    /* Back in with "may have waiters": a wake-up may have left others sleeping on the lock. */
    int taken = 0;
    if (mutex->robust) {
        self->robust_head.pending = (unsigned long)mutex;
        taken = mutex_robust_taken(self, mutex,
                                   mutex_robust_acquire(mutex, owner, 0, false, true));
    } else {
        while (__atomic_exchange_n(&mutex->lock, 2, __ATOMIC_ACQUIRE) != 0)
            (void)pthread_futex_wait(&mutex->lock, 2, 0);
    }
    if (taken == ENOTRECOVERABLE)
        return ENOTRECOVERABLE;
    mutex->owner = owner;
    mutex->count = count;
    if (taken == EOWNERDEAD)
        return EOWNERDEAD; /* its holder died while we waited */
    pthread_testcancel();
    return waited == -ETIMEDOUT ? ETIMEDOUT : 0;
}

int pthread_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mutex)
{
    return cond_wait(cond, mutex, 0);
}

int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mutex,
                           const struct timespec *abstime)
{
    unsigned long deadline;
    long bad = pthread_deadline(cond->clock, abstime, &deadline);
    return bad ? (int)-bad : cond_wait(cond, mutex, deadline);
}

int pthread_cond_signal(pthread_cond_t *cond)
{
    __atomic_add_fetch(&cond->sequence, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&cond->waiters, __ATOMIC_SEQ_CST))
        pthread_futex_wake(&cond->sequence, 1);
    return 0;
}

int pthread_cond_broadcast(pthread_cond_t *cond)
{
    __atomic_add_fetch(&cond->sequence, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&cond->waiters, __ATOMIC_SEQ_CST))
        pthread_futex_wake(&cond->sequence, UINT_MAX);
    return 0;
}

/* --- rwlocks: a mutex and a condition variable; waiting writers keep new readers out. --- */

int pthread_rwlockattr_init(pthread_rwlockattr_t *attr)
{
    memset(attr, 0, sizeof(*attr));
    attr->is_initialized = 1;
    return 0;
}

int pthread_rwlockattr_destroy(pthread_rwlockattr_t *attr)
{
    attr->is_initialized = 0;
    return 0;
}

int pthread_rwlock_init(pthread_rwlock_t *lock, const pthread_rwlockattr_t *attr)
{
    memset(lock, 0, sizeof(*lock));
    lock->shared = attr ? attr->shared : 0;
    return 0;
}

int pthread_rwlock_destroy(pthread_rwlock_t *lock)
{
    return lock->readers || lock->writer ? EBUSY : 0;
}

static int rwlock_read(pthread_rwlock_t *lock, bool try)
{
    pthread_mutex_lock(&lock->lock);
    if (lock->writer && lock->writer_owner == shim_thread_self()->id) {
        pthread_mutex_unlock(&lock->lock);
        return EDEADLK;
    }
    while (lock->writer || lock->waiting_writers) {
        if (try) {
            pthread_mutex_unlock(&lock->lock);
            return EBUSY;
        }
        pthread_cond_wait(&lock->changed, &lock->lock);
    }
    lock->readers++;
    pthread_mutex_unlock(&lock->lock);
    return 0;
}

static int rwlock_write(pthread_rwlock_t *lock, bool try)
{
    unsigned self = shim_thread_self()->id;
    pthread_mutex_lock(&lock->lock);
    if (lock->writer && lock->writer_owner == self) {
        pthread_mutex_unlock(&lock->lock);
        return EDEADLK;
    }
    if (try && (lock->writer || lock->readers)) {
        pthread_mutex_unlock(&lock->lock);
        return EBUSY;
    }
    lock->waiting_writers++;
    while (lock->writer || lock->readers)
        pthread_cond_wait(&lock->changed, &lock->lock);
    lock->waiting_writers--;
    lock->writer = 1;
    lock->writer_owner = self;
    pthread_mutex_unlock(&lock->lock);
    return 0;
}

int pthread_rwlock_rdlock(pthread_rwlock_t *lock)
{
    return rwlock_read(lock, false);
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t *lock)
{
    return rwlock_read(lock, true);
}

int pthread_rwlock_wrlock(pthread_rwlock_t *lock)
{
    return rwlock_write(lock, false);
}

int pthread_rwlock_trywrlock(pthread_rwlock_t *lock)
{
    return rwlock_write(lock, true);
}

int pthread_rwlock_unlock(pthread_rwlock_t *lock)
{
    pthread_mutex_lock(&lock->lock);
    int error = 0;
    if (lock->writer && lock->writer_owner == shim_thread_self()->id) {
        lock->writer = 0;
        lock->writer_owner = 0;
    } else if (lock->readers) {
        lock->readers--;
    } else {
        error = EPERM;
    }
    pthread_mutex_unlock(&lock->lock);
    if (error == 0)
        pthread_cond_broadcast(&lock->changed);
    return error;
}

/* --- barriers --- */

int pthread_barrierattr_init(pthread_barrierattr_t *attr)
{
    memset(attr, 0, sizeof(*attr));
    attr->is_initialized = 1;
    return 0;
}

int pthread_barrierattr_destroy(pthread_barrierattr_t *attr)
{
    attr->is_initialized = 0;
    return 0;
}

int pthread_barrier_init(pthread_barrier_t *barrier, const pthread_barrierattr_t *attr,
                         unsigned count)
{
    (void)attr;
    if (count == 0)
        return EINVAL;
    memset(barrier, 0, sizeof(*barrier));
    barrier->count = count;
    return 0;
}

int pthread_barrier_destroy(pthread_barrier_t *barrier)
{
    if (barrier->arrived)
        return EBUSY;
    barrier->count = 0;
    return 0;
}

int pthread_barrier_wait(pthread_barrier_t *barrier)
{
    pthread_mutex_lock(&barrier->lock);
    if (barrier->count == 0) {
        pthread_mutex_unlock(&barrier->lock);
        return EINVAL;
    }
    unsigned generation = barrier->generation;
    if (++barrier->arrived == barrier->count) {
        barrier->arrived = 0;
        barrier->generation++;
        pthread_mutex_unlock(&barrier->lock);
        pthread_cond_broadcast(&barrier->released);
        return PTHREAD_BARRIER_SERIAL_THREAD;
    }
    while (barrier->generation == generation)
        pthread_cond_wait(&barrier->released, &barrier->lock);
    pthread_mutex_unlock(&barrier->lock);
    return 0;
}

/* --- spinlocks --- */

int pthread_spin_init(pthread_spinlock_t *lock, int shared)
{
    (void)shared;
    *lock = 0;
    return 0;
}

int pthread_spin_destroy(pthread_spinlock_t *lock)
{
    return *lock ? EBUSY : 0;
}

int pthread_spin_lock(pthread_spinlock_t *lock)
{
    for (int spins = 0; __atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE) != 0; spins++) {
        __builtin_ia32_pause();
        if (spins >= SPIN_TRIES) { /* one CPU: the holder needs the CPU to let go */
            sched_yield();
            spins = 0;
        }
    }
    return 0;
}

int pthread_spin_trylock(pthread_spinlock_t *lock)
{
    return __atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE) ? EBUSY : 0;
}

int pthread_spin_unlock(pthread_spinlock_t *lock)
{
    __atomic_store_n(lock, 0, __ATOMIC_RELEASE);
    return 0;
}

/* --- unnamed semaphores --- */

int sem_init(sem_t *sem, int shared, unsigned value)
{
    if (value > SEM_VALUE_MAX)
        return (int)shim_return(-EINVAL);
    sem->value = value;
    sem->waiters = 0;
    sem->shared = shared;
    return 0;
}

int sem_destroy(sem_t *sem)
{
    (void)sem;
    return 0;
}

static bool sem_take(sem_t *sem)
{
    unsigned value = __atomic_load_n(&sem->value, __ATOMIC_RELAXED);
    while (value > 0) {
        if (__atomic_compare_exchange_n(&sem->value, &value, value - 1, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return true;
    }
    return false;
}

/* Linux: a handled signal ends sem_wait with EINTR, SA_RESTART or not. */
static long sem_wait_until(sem_t *sem, unsigned long deadline)
{
    for (;;) {
        pthread_testcancel(); /* a cancellation point */
        if (sem_take(sem))
            return 0;
        __atomic_add_fetch(&sem->waiters, 1, __ATOMIC_SEQ_CST);
        long waited = pthread_futex_wait(&sem->value, 0, deadline);
        __atomic_sub_fetch(&sem->waiters, 1, __ATOMIC_SEQ_CST);
        if (waited == -EINTR)
            pthread_testcancel();
        if (waited == -ETIMEDOUT || waited == -EINTR) {
            if (sem_take(sem))
                return 0;
            return waited;
        }
    }
}

int sem_wait(sem_t *sem)
{
    /* The uncontended path inline: no cancellation pending (sem_wait is a cancellation point
     * even when it does not block), and a value to take. */
    if (!shim_thread_self()->cancel_pending && sem_take(sem))
        return 0;
    return (int)shim_return(sem_wait_until(sem, 0));
}

int sem_trywait(sem_t *sem)
{
    return sem_take(sem) ? 0 : (int)shim_return(-EAGAIN);
}

int sem_timedwait(sem_t *sem, const struct timespec *abstime)
{
    if (sem_take(sem))
        return 0;
    unsigned long deadline;
    long result = pthread_deadline(CLOCK_REALTIME, abstime, &deadline);
    if (result == 0)
        result = sem_wait_until(sem, deadline);
    return (int)shim_return(result);
}

int sem_post(sem_t *sem)
{
    unsigned value = __atomic_load_n(&sem->value, __ATOMIC_RELAXED);
    do {
        if (value >= SEM_VALUE_MAX)
            return (int)shim_return(-EOVERFLOW);
    } while (!__atomic_compare_exchange_n(&sem->value, &value, value + 1, false,
                                          __ATOMIC_RELEASE, __ATOMIC_RELAXED));
    if (__atomic_load_n(&sem->waiters, __ATOMIC_SEQ_CST))
        pthread_futex_wake(&sem->value, 1);
    return 0;
}

int sem_getvalue(sem_t *sem, int *value)
{
    *value = (int)sem->value;
    return 0;
}
