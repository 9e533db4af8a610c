/* posix-shim threads: create, join, detach, exit, self, once, keys, static TLS blocks and
 * fork's handlers, over kernel threads (thread_create) and thread_exit_wake. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pthread_internal.h"
#include "vfs.h"
#include "shim.h"

#define THREAD_STACK_DEFAULT (256ul << 10)
#define THREAD_ATFORK_MAX 32

/* The linker script's TLS template (libsys/user.ld). */
extern const char __tls_start[] __attribute__((weak));
extern const char __tdata_end[] __attribute__((weak));
extern const char __tls_end[] __attribute__((weak));
extern const char __tls_align[] __attribute__((weak));

/* Every thread's block; the lock guards the list, the key table and the atfork table. */
static struct shim_thread *thread_list;
static pthread_mutex_t thread_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile unsigned thread_count = 1;
volatile bool shim_threaded;

/* Mappings of ended threads kept for the next ones of the same size (under thread_lock): a
 * create then costs no mmap, and the address area (and its page tables) does not grow. */
#define THREAD_CACHE_MAX 8
static struct {
    void *map;
    size_t size, guard;
} thread_cache[THREAD_CACHE_MAX];
static unsigned thread_cache_count;

/* Frees or keeps the mapping of an ended thread (under thread_lock). */
static void thread_map_release_locked(void *map, size_t size, size_t guard)
{
    if (thread_cache_count < THREAD_CACHE_MAX) {
        thread_cache[thread_cache_count].map = map;
        thread_cache[thread_cache_count].size = size;
        thread_cache[thread_cache_count].guard = guard;
        thread_cache_count++;
        return;
    }
    munmap(map, size);
}

/* A kept mapping of size bytes whose first guard bytes are PROT_NONE, or NULL (under
 * thread_lock). */
static void *thread_map_reuse_locked(size_t size, size_t guard)
{
    for (unsigned i = 0; i < thread_cache_count; i++) {
        if (thread_cache[i].size == size && thread_cache[i].guard == guard) {
            void *map = thread_cache[i].map;
            thread_cache[i] = thread_cache[--thread_cache_count];
            return map;
        }
    }
    return NULL;
}

static struct {
    bool used;
    unsigned sequence; /* bumped by each create: stale values of a deleted key read as NULL */
    void (*destructor)(void *);
} thread_keys[PTHREAD_KEYS_MAX];

static struct {
    void (*prepare)(void), (*parent)(void), (*child)(void);
} thread_atfork[THREAD_ATFORK_MAX];
static unsigned thread_atfork_count;

/* The control block's alignment: the TLS segment's, at least a cache line. */
static size_t thread_tls_align(void)
{
    size_t align = (size_t)(uintptr_t)__tls_align;
    return align < 64 ? 64 : align;
}

/* Bytes below the control block: the TLS segment rounded to its own alignment, as the linker
 * computed every variable's offset from the thread pointer (x86-64 variant II). */
static size_t thread_tls_size(void)
{
    size_t size = (size_t)(__tls_end - __tls_start), align = (size_t)(uintptr_t)__tls_align;
    if (align == 0)
        align = 1;
    return (size + align - 1) & ~(align - 1);
}

/* Lays out TLS and control block in [base, base + thread_block_size()), returns the block. */
static size_t thread_block_size(void)
{
    return thread_tls_size() + sizeof(struct shim_thread) + thread_tls_align();
}

static struct shim_thread *thread_block_init(char *base)
{
    size_t align = thread_tls_align(), tls = thread_tls_size();
    uintptr_t block = ((uintptr_t)base + tls + align - 1) & ~(uintptr_t)(align - 1);
    char *tls_start = (char *)block - tls;
    size_t data = (size_t)(__tdata_end - __tls_start);
    memcpy(tls_start, __tls_start, data);
    memset(tls_start + data, 0, tls - data);
    struct shim_thread *thread = (struct shim_thread *)block;
    memset(thread, 0, sizeof(*thread));
    thread->self = thread;
    thread->exited = 1;
    return thread;
}

static void thread_list_add(struct shim_thread *thread)
{
    pthread_mutex_lock(&thread_lock);
    thread->next = thread_list;
    thread_list = thread;
    pthread_mutex_unlock(&thread_lock);
}

/* Takes thread off the list (under thread_lock). */
static void thread_list_remove_locked(struct shim_thread *thread)
{
    for (struct shim_thread **p = &thread_list; *p; p = &(*p)->next) {
        if (*p == thread) {
            *p = thread->next;
            return;
        }
    }
}

static bool thread_list_has_locked(struct shim_thread *thread)
{
    for (struct shim_thread *t = thread_list; t; t = t->next) {
        if (t == thread)
            return true;
    }
    return false;
}

static void thread_exit_without_cancel(void)
{
    shim_thread_self()->cancel_disabled = 1;
}

void pthread_thread_init_main(void)
{
    long base = aramid_memory_map(shim_self_space, thread_block_size(),
                                  ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
    if (base < 0)
        shim_fail("no memory for the main thread's TLS");
    struct shim_thread *main_thread = thread_block_init((char *)base);
    main_thread->reent = pthread_newlib_main_reent();
    main_thread->id = (unsigned)sys_thread_self();
    if (sys_thread_tls_set((unsigned long)main_thread) < 0)
        shim_fail("cannot set the TLS base");
    thread_list = main_thread;
    /* Registered first, so it runs last of the exit handlers: stdio's flush at exit writes
     * without being a cancellation point (glibc's exit neither cancels). */
    (void)atexit(thread_exit_without_cancel);
}

/* newlib's per-thread state (__DYNAMIC_REENT__). */
struct _reent *__getreent(void)
{
    return shim_thread_self()->reent;
}

/* Frees the mappings of detached threads that have ended (under thread_lock). */
static void thread_reap_detached_locked(void)
{
    for (struct shim_thread **p = &thread_list; *p;) {
        struct shim_thread *t = *p;
        if (t->detached && t->exited == 0 && t->map) {
            *p = t->next;
            thread_map_release_locked(t->map, t->map_size, t->map_guard);
        } else {
            p = &t->next;
        }
    }
}

static void thread_run_destructors(struct shim_thread *self)
{
    for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
        bool ran = false;
        for (unsigned k = 0; k < PTHREAD_KEYS_MAX; k++) {
            void (*destructor)(void *) = thread_keys[k].destructor;
            const void *value = self->values[k];
            if (value == NULL || !thread_keys[k].used || destructor == NULL ||
                self->key_sequence[k] != thread_keys[k].sequence)
                continue;
            self->values[k] = NULL;
            destructor((void *)value);
            ran = true;
        }
        if (!ran)
            return;
    }
}

void __pthread_cleanup_push(struct __pthread_cleanup *cleanup, void (*routine)(void *),
                            void *argument)
{
    struct shim_thread *self = shim_thread_self();
    cleanup->routine = routine;
    cleanup->argument = argument;
    cleanup->next = self->cleanup;
    self->cleanup = cleanup;
}

void __pthread_cleanup_pop(struct __pthread_cleanup *cleanup, int execute)
{
    shim_thread_self()->cleanup = cleanup->next;
    if (execute)
        cleanup->routine(cleanup->argument);
}

void pthread_exit(void *result)
{
    struct shim_thread *self = shim_thread_self();
    self->cancel_disabled = 1; /* no cancellation inside the handlers and destructors */
    while (self->cleanup) {
        struct __pthread_cleanup *cleanup = self->cleanup;
        self->cleanup = cleanup->next;
        cleanup->routine(cleanup->argument);
    }
    self->result = result;
    thread_run_destructors(self);
    pthread_mutex_robust_exit(self);
    vfs_thread_exit(self);
    if (__atomic_sub_fetch(&thread_count, 1, __ATOMIC_SEQ_CST) == 0)
        exit(0); /* the last thread: the process ends as if main returned 0 */
    if (self->signals_notification <= 0 && shim_started_by_proc)
        signal_thread_linger(self); /* it receives the process's signals: stays for them */
    signal_thread_exit(self);
    if (self->reent != _impure_ptr)
        _reclaim_reent(self->reent);
    for (;;)
        sys_thread_exit_wake(&self->exited, 0);
}

static void thread_entry(unsigned long argument)
{
    struct shim_thread *self = (struct shim_thread *)argument;
    if (sys_thread_tls_set(argument) < 0)
        shim_fail("cannot set a thread's TLS base");
    self->id = (unsigned)sys_thread_self();
    if (signal_thread_start(self) < 0)
        shim_fail("cannot set up a thread's signals");
    pthread_exit(self->start(self->argument));
}

int pthread_attr_init(pthread_attr_t *attr)
{
    memset(attr, 0, sizeof(*attr));
    attr->is_initialized = 1;
    attr->stacksize = THREAD_STACK_DEFAULT;
    attr->guardsize = SHIM_PAGE_SIZE;
    return 0;
}

int pthread_attr_destroy(pthread_attr_t *attr)
{
    attr->is_initialized = 0;
    return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *attr, int state)
{
    if (state != PTHREAD_CREATE_JOINABLE && state != PTHREAD_CREATE_DETACHED)
        return EINVAL;
    attr->detachstate = state;
    return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state)
{
    *state = attr->detachstate;
    return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size)
{
    if (size < PTHREAD_STACK_MIN)
        return EINVAL;
    attr->stacksize = size;
    return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size)
{
    *size = attr->stacksize;
    return 0;
}

int pthread_attr_setguardsize(pthread_attr_t *attr, size_t size)
{
    attr->guardsize = size;
    return 0;
}

int pthread_attr_getguardsize(const pthread_attr_t *attr, size_t *size)
{
    *size = attr->guardsize;
    return 0;
}

int pthread_create(pthread_t *out, const pthread_attr_t *attr, void *(*start)(void *),
                   void *argument)
{
    pthread_attr_t defaults;
    if (attr == NULL) {
        pthread_attr_init(&defaults);
        attr = &defaults;
    }
    if (attr->stackaddr != NULL)
        return ENOSYS; /* caller-supplied stacks: docs/status.md */
    size_t guard = SHIM_PAGE_ROUND_UP(attr->guardsize);
    size_t stack = SHIM_PAGE_ROUND_UP(attr->stacksize);
    size_t size = guard + stack + SHIM_PAGE_ROUND_UP(thread_block_size());
    pthread_mutex_lock(&thread_lock);
    thread_reap_detached_locked();
    char *map = thread_map_reuse_locked(size, guard);
    pthread_mutex_unlock(&thread_lock);
    if (map == NULL) {
        map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (map == MAP_FAILED)
            return EAGAIN;
        if (guard && mprotect(map, guard, PROT_NONE) != 0) {
            munmap(map, size);
            return EAGAIN;
        }
    }
    struct shim_thread *thread = thread_block_init(map + guard + stack);
    thread->map = map;
    thread->map_size = size;
    thread->map_guard = guard;
    thread->start = start;
    thread->argument = argument;
    thread->detached = attr->detachstate == PTHREAD_CREATE_DETACHED;
    thread->reent = &thread->own_reent;
    thread->signals_blocked = shim_thread_self()->signals_blocked; /* POSIX: the creator's */
    _REENT_INIT_PTR(thread->reent);
    shim_threaded = true;
    thread_list_add(thread);
    __atomic_add_fetch(&thread_count, 1, __ATOMIC_SEQ_CST);
    long handle = aramid_thread_start(shim_bootinfo->self_process, thread_entry,
                                      (unsigned long)thread, map + guard, stack);
    if (handle < 0) {
        __atomic_sub_fetch(&thread_count, 1, __ATOMIC_SEQ_CST);
        pthread_mutex_lock(&thread_lock);
        thread_list_remove_locked(thread);
        pthread_mutex_unlock(&thread_lock);
        munmap(map, size);
        return EAGAIN;
    }
    (void)sys_handle_close(handle); /* the thread lives on its own reference */
    *out = (pthread_t)thread;
    return 0;
}

int pthread_join(pthread_t id, void **result)
{
    struct shim_thread *thread = (struct shim_thread *)id, *self = shim_thread_self();
    pthread_mutex_lock(&thread_lock);
    bool known = thread_list_has_locked(thread);
    int error = !known ? ESRCH
                : thread == self ? EDEADLK
                : (thread->detached || thread->joining) ? EINVAL
                : 0;
    if (error == 0)
        thread->joining = 1;
    pthread_mutex_unlock(&thread_lock);
    if (error)
        return error;
    while (thread->exited != 0) {
        pthread_testcancel(); /* a cancellation point */
        (void)pthread_futex_wait(&thread->exited, 1, 0);
    }
    if (result != NULL)
        *result = thread->result;
    pthread_mutex_lock(&thread_lock);
    thread_list_remove_locked(thread);
    if (thread->map != NULL) /* the main thread's block stays */
        thread_map_release_locked(thread->map, thread->map_size, thread->map_guard);
    pthread_mutex_unlock(&thread_lock);
    return 0;
}

int pthread_detach(pthread_t id)
{
    struct shim_thread *thread = (struct shim_thread *)id;
    pthread_mutex_lock(&thread_lock);
    int error = !thread_list_has_locked(thread)        ? ESRCH
                : (thread->detached || thread->joining) ? EINVAL
                                                        : 0;
    if (error == 0)
        thread->detached = 1; /* the next pthread_create frees it once it has ended */
    pthread_mutex_unlock(&thread_lock);
    return error;
}

pthread_t pthread_self(void)
{
    return (pthread_t)shim_thread_self();
}

int pthread_equal(pthread_t a, pthread_t b)
{
    return a == b;
}

/* state: 0 not run, 1 running, 2 running with waiters, 3 done. */
int pthread_once(pthread_once_t *once, void (*function)(void))
{
    for (;;) {
        unsigned state = __atomic_load_n(&once->state, __ATOMIC_ACQUIRE);
        if (state == 3)
            return 0;
        if (state == 0) {
            unsigned expected = 0;
            if (__atomic_compare_exchange_n(&once->state, &expected, 1, false, __ATOMIC_ACQUIRE,
                                            __ATOMIC_RELAXED)) {
                function();
                if (__atomic_exchange_n(&once->state, 3, __ATOMIC_RELEASE) == 2)
                    pthread_futex_wake(&once->state, ~0u);
                return 0;
            }
            continue;
        }
        unsigned expected = 1;
        if (state == 1 && !__atomic_compare_exchange_n(&once->state, &expected, 2, false,
                                                       __ATOMIC_RELAXED, __ATOMIC_RELAXED))
            continue;
        (void)pthread_futex_wait(&once->state, 2, 0);
    }
}

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
    pthread_mutex_lock(&thread_lock);
    for (unsigned k = 0; k < PTHREAD_KEYS_MAX; k++) {
        if (!thread_keys[k].used) {
            thread_keys[k].used = true;
            thread_keys[k].sequence++;
            thread_keys[k].destructor = destructor;
            pthread_mutex_unlock(&thread_lock);
            *key = k;
            return 0;
        }
    }
    pthread_mutex_unlock(&thread_lock);
    return EAGAIN;
}

int pthread_key_delete(pthread_key_t key)
{
    if (key >= PTHREAD_KEYS_MAX || !thread_keys[key].used)
        return EINVAL;
    thread_keys[key].used = false;
    return 0;
}

void *pthread_getspecific(pthread_key_t key)
{
    struct shim_thread *self = shim_thread_self();
    if (key >= PTHREAD_KEYS_MAX || self->key_sequence[key] != thread_keys[key].sequence)
        return NULL;
    return (void *)self->values[key];
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
    if (key >= PTHREAD_KEYS_MAX || !thread_keys[key].used)
        return EINVAL;
    struct shim_thread *self = shim_thread_self();
    self->values[key] = value;
    self->key_sequence[key] = thread_keys[key].sequence;
    return 0;
}

int pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void))
{
    pthread_mutex_lock(&thread_lock);
    if (thread_atfork_count == THREAD_ATFORK_MAX) {
        pthread_mutex_unlock(&thread_lock);
        return ENOMEM;
    }
    thread_atfork[thread_atfork_count].prepare = prepare;
    thread_atfork[thread_atfork_count].parent = parent;
    thread_atfork[thread_atfork_count].child = child;
    thread_atfork_count++;
    pthread_mutex_unlock(&thread_lock);
    return 0;
}

/* POSIX: prepare handlers in reverse order of registration, parent and child in order. */
void pthread_fork_prepare(void)
{
    for (unsigned i = thread_atfork_count; i-- > 0;) {
        if (thread_atfork[i].prepare)
            thread_atfork[i].prepare();
    }
}

void pthread_fork_parent(void)
{
    for (unsigned i = 0; i < thread_atfork_count; i++) {
        if (thread_atfork[i].parent)
            thread_atfork[i].parent();
    }
}

void pthread_fork_child_tls(struct shim_thread *self)
{
    (void)sys_thread_tls_set((unsigned long)self);
    self->id = (unsigned)sys_thread_self();
}

void pthread_fork_child(struct shim_thread *self)
{
    /* Only the caller lives on: the others' blocks are the child's memory, freed never (their
     * mappings may hold what the program still points at). */
    self->next = NULL;
    thread_list = self;
    thread_count = 1;
    pthread_mutex_robust_fork_child(self);
    shim_threaded = false;
    memset((void *)&thread_lock, 0, sizeof(thread_lock));
    for (unsigned i = 0; i < thread_atfork_count; i++) {
        if (thread_atfork[i].child)
            thread_atfork[i].child();
    }
}

/* thread is one of ours and has not ended. */
static bool thread_is_running(struct shim_thread *thread)
{
    pthread_mutex_lock(&thread_lock);
    bool running = thread_list_has_locked(thread) && thread->exited != 0;
    pthread_mutex_unlock(&thread_lock);
    return running;
}

int pthread_kill(pthread_t id, int n)
{
    struct shim_thread *thread = (struct shim_thread *)id;
    if (!thread_is_running(thread))
        return ESRCH;
    return (int)-signal_send_thread(thread, n);
}

struct shim_thread *pthread_find_unblocked(unsigned long bit)
{
    /* Called from signal upcalls, which may interrupt a holder of the lock: never wait. */
    if (pthread_mutex_trylock(&thread_lock) != 0)
        return NULL;
    struct shim_thread *found = NULL;
    for (struct shim_thread *t = thread_list; t && !found; t = t->next) {
        if (t->exited != 0 && !(t->signals_blocked & bit))
            found = t;
    }
    pthread_mutex_unlock(&thread_lock);
    return found;
}

/* Asynchronous cancellation acts at once when it is due (as glibc's pthread_cancel,
 * setcancelstate and setcanceltype do). */
static void thread_cancel_async_now(struct shim_thread *self)
{
    if (self->cancel_async && pthread_cancel_async_due(self))
        pthread_exit(PTHREAD_CANCELED);
}

/* Deferred cancellation: the target acts on it at its next cancellation point (see
 * pthread_testcancel's callers); a kick ends a wait it is blocked in. An asynchronous target
 * acts in the kick's upcall (signal.c), wherever it was. */
int pthread_cancel(pthread_t id)
{
    struct shim_thread *thread = (struct shim_thread *)id;
    if (!thread_is_running(thread))
        return ESRCH;
    thread->cancel_pending = 1;
    shim_cancel_requested = true;
    if (thread == shim_thread_self()) {
        thread_cancel_async_now(thread);
        return 0; /* acted on at its next cancellation point, as any other thread */
    }
    signal_kick_thread(thread);
    return 0;
}

int pthread_setcancelstate(int state, int *old)
{
    if (state != PTHREAD_CANCEL_ENABLE && state != PTHREAD_CANCEL_DISABLE)
        return EINVAL;
    struct shim_thread *self = shim_thread_self();
    if (old)
        *old = self->cancel_disabled ? PTHREAD_CANCEL_DISABLE : PTHREAD_CANCEL_ENABLE;
    self->cancel_disabled = state == PTHREAD_CANCEL_DISABLE;
    thread_cancel_async_now(self);
    return 0;
}

int pthread_setcanceltype(int type, int *old)
{
    if (type != PTHREAD_CANCEL_DEFERRED && type != PTHREAD_CANCEL_ASYNCHRONOUS)
        return EINVAL;
    struct shim_thread *self = shim_thread_self();
    if (old)
        *old = self->cancel_async ? PTHREAD_CANCEL_ASYNCHRONOUS : PTHREAD_CANCEL_DEFERRED;
    self->cancel_async = type == PTHREAD_CANCEL_ASYNCHRONOUS;
    thread_cancel_async_now(self);
    return 0;
}

volatile bool shim_cancel_requested;

void shim_cancel_check(void)
{
    struct shim_thread *self = shim_thread_self();
    if (__builtin_expect(self->cancel_pending && !self->cancel_disabled, 0) &&
        self->cancel_deferred == 0)
        pthread_exit(PTHREAD_CANCELED);
}

void pthread_testcancel(void)
{
    shim_cancel_point();
}
