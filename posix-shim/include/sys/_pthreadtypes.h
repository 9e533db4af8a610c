/* posix-shim's own <sys/_pthreadtypes.h> (replaces newlib's): the pthread types of
 * posix-shim/pthread*.c. Every synchronization object is plain memory around 32-bit futex words,
 * so it works in MAP_SHARED memory between processes and a zeroed one is the static initializer. */
#ifndef _SYS__PTHREADTYPES_H_
#define _SYS__PTHREADTYPES_H_

#include <sys/sched.h>

typedef unsigned long pthread_t; /* the thread's control block (its FS base) */

#define PTHREAD_SCOPE_PROCESS 0
#define PTHREAD_SCOPE_SYSTEM 1
#define PTHREAD_INHERIT_SCHED 1
#define PTHREAD_EXPLICIT_SCHED 2
#define PTHREAD_CREATE_JOINABLE 0
#define PTHREAD_CREATE_DETACHED 1
#define PTHREAD_PROCESS_PRIVATE 0
#define PTHREAD_PROCESS_SHARED 1
#define PTHREAD_MUTEX_NORMAL 0
#define PTHREAD_MUTEX_RECURSIVE 1
#define PTHREAD_MUTEX_ERRORCHECK 2
#define PTHREAD_MUTEX_DEFAULT PTHREAD_MUTEX_NORMAL
#define PTHREAD_MUTEX_STALLED 0
#define PTHREAD_MUTEX_ROBUST 1

typedef struct {
    int is_initialized;
    int detachstate;
    size_t stacksize;
    size_t guardsize;
    void *stackaddr;
    int contentionscope;
    int inheritsched;
    int schedpolicy;
    struct sched_param schedparam;
} pthread_attr_t;

typedef struct {
    volatile unsigned lock;  /* 0 free, 1 locked, 2 locked with waiters */
    int type;                /* PTHREAD_MUTEX_*; a zeroed mutex is a normal one */
    int shared;
    volatile unsigned owner; /* recursive and errorcheck: the owner's thread id */
    unsigned count;          /* recursive: how many times the owner holds it */
    int destroyed;
    int robust;              /* PTHREAD_MUTEX_ROBUST: owner-tracked, on its owner's list */
    volatile int robust_state; /* 0 consistent, 1 its owner died, 2 not recoverable */
    void *robust_next, *robust_prev; /* the owner thread's list of robust mutexes it holds */
} pthread_mutex_t;

typedef struct {
    int is_initialized;
    int type;
    int shared;
    int robust;
} pthread_mutexattr_t;

typedef struct {
    volatile unsigned sequence; /* bumped by every signal and broadcast: the futex word */
    volatile unsigned waiters;
    int clock;                  /* 0: CLOCK_REALTIME (the zeroed default) or CLOCK_MONOTONIC */
    int shared;
} pthread_cond_t;

typedef struct {
    int is_initialized;
    int clock;
    int shared;
} pthread_condattr_t;

typedef unsigned pthread_key_t;

typedef struct {
    volatile unsigned state; /* 0 not run, 1 running, 2 running with waiters, 3 done */
} pthread_once_t;

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    unsigned readers;         /* holding it */
    unsigned writer;          /* 1 while a writer holds it */
    unsigned waiting_writers; /* writers go first */
    unsigned writer_owner;
    int shared;
} pthread_rwlock_t;

typedef struct {
    int is_initialized;
    int shared;
} pthread_rwlockattr_t;

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t released;
    unsigned count;      /* threads to wait for */
    unsigned arrived;
    unsigned generation;
} pthread_barrier_t;

typedef struct {
    int is_initialized;
    int shared;
} pthread_barrierattr_t;

typedef volatile int pthread_spinlock_t;

#endif
