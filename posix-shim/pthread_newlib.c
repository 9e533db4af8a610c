/* newlib's thread hooks (its thread-capable build, tools/build-newlib): the retargetable locks
 * behind stdio, malloc, atexit, the environment and time zones, and flockfile and friends.
 * Every lock is a posix-shim recursive-capable mutex, so an uncontended one never enters the
 * kernel. The __lock___*_mutex objects replace libc.a's lock.o as a whole. While a thread holds
 * one, cancellation waits (newlib's stdio has no cleanup handlers: a thread cancelled in its
 * write would leave the stream locked). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/lock.h>

#include "pthread_internal.h"

struct __lock {
    pthread_mutex_t mutex;
};

#define NEWLIB_LOCK(name, kind) struct __lock __lock___##name = {{0, kind, 0, 0, 0, 0, 0, 0, 0, 0}}
NEWLIB_LOCK(sinit_recursive_mutex, PTHREAD_MUTEX_RECURSIVE);
NEWLIB_LOCK(sfp_recursive_mutex, PTHREAD_MUTEX_RECURSIVE);
NEWLIB_LOCK(atexit_recursive_mutex, PTHREAD_MUTEX_RECURSIVE);
NEWLIB_LOCK(at_quick_exit_mutex, PTHREAD_MUTEX_NORMAL);
NEWLIB_LOCK(malloc_recursive_mutex, PTHREAD_MUTEX_RECURSIVE);
NEWLIB_LOCK(env_recursive_mutex, PTHREAD_MUTEX_RECURSIVE);
NEWLIB_LOCK(tz_mutex, PTHREAD_MUTEX_NORMAL);
NEWLIB_LOCK(dd_hash_mutex, PTHREAD_MUTEX_NORMAL);
NEWLIB_LOCK(arc4random_mutex, PTHREAD_MUTEX_NORMAL);

struct _reent *pthread_newlib_main_reent(void)
{
    return _impure_ptr;
}

static void newlib_lock_make(_LOCK_T *lock, int type)
{
    /* A lock that cannot be made stays NULL, and the functions below skip it: newlib's own
     * behaviour for a build without locks. */
    *lock = malloc(sizeof(struct __lock));
    if (*lock) {
        pthread_mutexattr_t attr;
        pthread_mutexattr_init(&attr);
        pthread_mutexattr_settype(&attr, type);
        pthread_mutex_init(&(*lock)->mutex, &attr);
    }
}

void __retarget_lock_init(_LOCK_T *lock)
{
    newlib_lock_make(lock, PTHREAD_MUTEX_NORMAL);
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
    newlib_lock_make(lock, PTHREAD_MUTEX_RECURSIVE);
}

void __retarget_lock_close(_LOCK_T lock)
{
    free(lock);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
    free(lock);
}

void __retarget_lock_acquire(_LOCK_T lock)
{
    if (lock)
        pthread_mutex_lock(&lock->mutex);
    shim_thread_self()->cancel_deferred++;
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
    if (lock)
        pthread_mutex_lock(&lock->mutex);
    shim_thread_self()->cancel_deferred++;
}

int __retarget_lock_try_acquire(_LOCK_T lock)
{
    int taken = lock ? pthread_mutex_trylock(&lock->mutex) == 0 : 1;
    if (taken)
        shim_thread_self()->cancel_deferred++;
    return taken;
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
    int taken = lock ? pthread_mutex_trylock(&lock->mutex) == 0 : 1;
    if (taken)
        shim_thread_self()->cancel_deferred++;
    return taken;
}

void __retarget_lock_release(_LOCK_T lock)
{
    shim_thread_self()->cancel_deferred--;
    if (lock)
        pthread_mutex_unlock(&lock->mutex);
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
    shim_thread_self()->cancel_deferred--;
    if (lock)
        pthread_mutex_unlock(&lock->mutex);
}

/* A stream's own lock (string streams have none: __SSTR, as newlib's _flockfile). */
void flockfile(FILE *file)
{
    if (!(file->_flags & __SSTR))
        __retarget_lock_acquire_recursive(file->_lock);
}

int ftrylockfile(FILE *file)
{
    if (file->_flags & __SSTR)
        return 0;
    return __retarget_lock_try_acquire_recursive(file->_lock) ? 0 : -1;
}

void funlockfile(FILE *file)
{
    if (!(file->_flags & __SSTR))
        __retarget_lock_release_recursive(file->_lock);
}
