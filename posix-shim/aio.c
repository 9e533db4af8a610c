/* posix-shim asynchronous I/O: aio_* and lio_listio on worker threads (as glibc does): each
 * request is a pread/pwrite (read/write where the descriptor cannot seek: pipes, sockets) or an
 * fsync, requests on one descriptor run in order, completion is told by signal or thread. */
#include <aio.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

#define AIO_WORKERS_MAX 8
#define AIO_PRIO_DELTA_MAX 20
#define AIO_OP_FSYNC 3 /* beside LIO_READ and LIO_WRITE */
#define AIO_NS_PER_SECOND 1000000000l
#ifndef O_DSYNC
#define O_DSYNC O_SYNC /* newlib's fcntl.h names it only in some configurations: the same bit */
#endif

/* A group of lio_listio requests: the last to finish tells the group's event (LIO_NOWAIT). */
struct aio_group {
    int left;
    struct sigevent event;
};

/* A request. Invariant: on the queue while not started; running is set by the worker that
 * took it (no other request of its descriptor runs meanwhile). */
struct aio_request {
    struct aio_request *next;
    struct aiocb *control;
    int operation;
    bool running;
    struct aio_group *group;
};

static pthread_mutex_t aio_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t aio_work = PTHREAD_COND_INITIALIZER; /* a request was queued */
static pthread_cond_t aio_done = PTHREAD_COND_INITIALIZER; /* a request finished */
static struct aio_request *aio_queue;                      /* queued and running, in order */
static int aio_workers, aio_idle;
static bool aio_fork_registered;

/* A fork child has none of the parent's workers, and none of its requests are its own. */
static void aio_fork_child(void)
{
    pthread_mutex_init(&aio_lock, NULL);
    pthread_cond_init(&aio_work, NULL);
    pthread_cond_init(&aio_done, NULL);
    aio_queue = NULL;
    aio_workers = aio_idle = 0;
}

/* Tells event (SIGEV_SIGNAL: the signal to the process; SIGEV_THREAD: the function on a new
 * thread, or this one if none can be made). */
static void *aio_notify_thread(void *argument)
{
    struct sigevent *event = argument;
    event->sigev_notify_function(event->sigev_value);
    free(event);
    return NULL;
}

static void aio_notify(const struct sigevent *event)
{
    if (event->sigev_notify == SIGEV_SIGNAL && event->sigev_signo > 0) {
        (void)signal_queue_send_self(event->sigev_signo, SI_ASYNCIO, event->sigev_value,
                                     getpid(), getuid()); /* glibc's siginfo */
    } else if (event->sigev_notify == SIGEV_THREAD && event->sigev_notify_function != NULL) {
        struct sigevent *copy = malloc(sizeof(*copy));
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        if (copy != NULL) {
            *copy = *event;
            if (pthread_create(&thread, &attributes, aio_notify_thread, copy) != 0)
                aio_notify_thread(copy);
        } else {
            event->sigev_notify_function(event->sigev_value);
        }
        pthread_attr_destroy(&attributes);
    }
}

/* Does the transfer; the result as aio_return will give it, errno-style error in *error. */
static ssize_t aio_perform(const struct aiocb *control, int operation, int *error)
{
    ssize_t result;
    void *buffer = (void *)control->aio_buf;
    if (operation == AIO_OP_FSYNC)
        result = fsync(control->aio_fildes);
    else if (operation == LIO_READ)
        result = pread(control->aio_fildes, buffer, control->aio_nbytes, control->aio_offset);
    else
        result = pwrite(control->aio_fildes, buffer, control->aio_nbytes, control->aio_offset);
    /* Pipes and sockets cannot seek: the offset means nothing there (glibc reads on). */
    if (result < 0 && errno == ESPIPE && operation != AIO_OP_FSYNC)
        result = operation == LIO_READ ? read(control->aio_fildes, buffer, control->aio_nbytes)
                                       : write(control->aio_fildes, buffer, control->aio_nbytes);
    *error = result < 0 ? errno : 0;
    return result;
}

/* The first queued request whose descriptor has nothing running (per-descriptor order). */
static struct aio_request *aio_next_ready(void)
{
    for (struct aio_request *request = aio_queue; request != NULL; request = request->next) {
        if (request->running)
            continue;
        bool busy = false;
        for (struct aio_request *before = aio_queue; before != request; before = before->next)
            if (before->control->aio_fildes == request->control->aio_fildes)
                busy = true;
        if (!busy)
            return request;
    }
    return NULL;
}

static void aio_unlink(struct aio_request *request)
{
    struct aio_request **link = &aio_queue;
    while (*link != request)
        link = &(*link)->next;
    *link = request->next;
}

/* Ends request with result and error (under aio_lock): the control block, then its event and
 * its group's. Returns the events to tell once the lock is dropped. */
static void aio_finish(struct aio_request *request, ssize_t result, int error,
                       struct sigevent *events, int *count)
{
    struct aiocb *control = request->control;
    control->__return_value = result;
    __atomic_store_n(&control->__error_code, error, __ATOMIC_RELEASE);
    if (error != ECANCELED && control->aio_sigevent.sigev_notify != SIGEV_NONE)
        events[(*count)++] = control->aio_sigevent;
    if (request->group != NULL && --request->group->left == 0) {
        if (request->group->event.sigev_notify != SIGEV_NONE)
            events[(*count)++] = request->group->event;
        free(request->group);
    }
    free(request);
    pthread_cond_broadcast(&aio_done);
}

/* A worker: every signal blocked (they go to the program's threads), takes ready requests. */
static void *aio_worker(void *argument)
{
    (void)argument;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    pthread_mutex_lock(&aio_lock);
    for (;;) {
        struct aio_request *request = aio_next_ready();
        if (request == NULL) {
            aio_idle++;
            pthread_cond_wait(&aio_work, &aio_lock);
            aio_idle--;
            continue;
        }
        request->running = true;
        pthread_mutex_unlock(&aio_lock);
        int error;
        ssize_t result = aio_perform(request->control, request->operation, &error);
        struct sigevent events[2];
        int count = 0;
        pthread_mutex_lock(&aio_lock);
        aio_unlink(request);
        aio_finish(request, result, error, events, &count);
        pthread_mutex_unlock(&aio_lock);
        for (int i = 0; i < count; i++)
            aio_notify(&events[i]);
        pthread_mutex_lock(&aio_lock);
    }
    return NULL;
}

/* Queues control for operation (group may be NULL): 0, or -errno with nothing queued. */
static long aio_enqueue(struct aiocb *control, int operation, struct aio_group *group)
{
    if (control->aio_reqprio < 0 || control->aio_reqprio > AIO_PRIO_DELTA_MAX)
        return -EINVAL;
    struct aio_request *request = calloc(1, sizeof(*request));
    if (request == NULL)
        return -EAGAIN;
    request->control = control;
    request->operation = operation;
    request->group = group;
    control->__return_value = -1;
    __atomic_store_n(&control->__error_code, EINPROGRESS, __ATOMIC_RELEASE);
    pthread_mutex_lock(&aio_lock);
    if (!aio_fork_registered) {
        aio_fork_registered = true;
        pthread_atfork(NULL, NULL, aio_fork_child);
    }
    struct aio_request **link = &aio_queue;
    while (*link != NULL)
        link = &(*link)->next;
    *link = request;
    pthread_t thread;
    if (aio_idle == 0 && aio_workers < AIO_WORKERS_MAX &&
        pthread_create(&thread, NULL, aio_worker, NULL) == 0) {
        pthread_detach(thread);
        aio_workers++;
    }
    long result = 0;
    if (aio_workers == 0) { /* no thread could be made: nothing would ever run it */
        aio_unlink(request);
        free(request);
        control->__error_code = EAGAIN;
        result = -EAGAIN;
    }
    pthread_cond_signal(&aio_work);
    pthread_mutex_unlock(&aio_lock);
    return result;
}

int aio_read(struct aiocb *control)
{
    return (int)shim_return(aio_enqueue(control, LIO_READ, NULL));
}

int aio_write(struct aiocb *control)
{
    return (int)shim_return(aio_enqueue(control, LIO_WRITE, NULL));
}

int aio_fsync(int operation, struct aiocb *control)
{
    if (operation != O_SYNC && operation != O_DSYNC)
        return (int)shim_return(-EINVAL);
    if (fcntl(control->aio_fildes, F_GETFL) < 0)
        return (int)shim_return(-EBADF);
    return (int)shim_return(aio_enqueue(control, AIO_OP_FSYNC, NULL));
}

int aio_error(const struct aiocb *control)
{
    return __atomic_load_n(&control->__error_code, __ATOMIC_ACQUIRE);
}

ssize_t aio_return(struct aiocb *control)
{
    return control->__return_value;
}

static bool aio_any_done(const struct aiocb *const list[], int count)
{
    for (int i = 0; i < count; i++)
        if (list[i] != NULL && aio_error(list[i]) != EINPROGRESS)
            return true;
    return false;
}

int aio_suspend(const struct aiocb *const list[], int count, const struct timespec *timeout)
{
    struct timespec deadline;
    if (timeout != NULL) {
        if (timeout->tv_nsec < 0 || timeout->tv_nsec >= AIO_NS_PER_SECOND || timeout->tv_sec < 0)
            return (int)shim_return(-EINVAL);
        clock_gettime(CLOCK_REALTIME, &deadline);
        deadline.tv_sec += timeout->tv_sec;
        deadline.tv_nsec += timeout->tv_nsec;
        if (deadline.tv_nsec >= AIO_NS_PER_SECOND) {
            deadline.tv_sec++;
            deadline.tv_nsec -= AIO_NS_PER_SECOND;
        }
    }
    long result = 0;
    pthread_mutex_lock(&aio_lock);
    while (!aio_any_done(list, count) && result == 0) {
        int waited = timeout != NULL ? pthread_cond_timedwait(&aio_done, &aio_lock, &deadline)
                                     : pthread_cond_wait(&aio_done, &aio_lock);
        if (waited == ETIMEDOUT && !aio_any_done(list, count))
            result = -EAGAIN;
    }
    pthread_mutex_unlock(&aio_lock);
    return (int)shim_return(result);
}

int aio_cancel(int descriptor, struct aiocb *control)
{
    if (fcntl(descriptor, F_GETFL) < 0)
        return (int)shim_return(-EBADF);
    if (control != NULL && control->aio_fildes != descriptor)
        return (int)shim_return(-EINVAL);
    int result = AIO_ALLDONE;
    struct sigevent events[2 * 64];
    int count = 0;
    pthread_mutex_lock(&aio_lock);
    for (struct aio_request *request = aio_queue, *next; request != NULL; request = next) {
        next = request->next;
        if (request->control->aio_fildes != descriptor ||
            (control != NULL && request->control != control))
            continue;
        if (request->running) {
            result = AIO_NOTCANCELED;
            continue;
        }
        if (result == AIO_ALLDONE)
            result = AIO_CANCELED;
        if (count + 2 > (int)(sizeof(events) / sizeof(events[0]))) {
            result = AIO_NOTCANCELED; /* the rest another time */
            break;
        }
        aio_unlink(request);
        aio_finish(request, -1, ECANCELED, events, &count);
    }
    pthread_mutex_unlock(&aio_lock);
    for (int i = 0; i < count; i++)
        aio_notify(&events[i]);
    return result;
}

int lio_listio(int mode, struct aiocb *const list[], int count, struct sigevent *event)
{
    if ((mode != LIO_WAIT && mode != LIO_NOWAIT) || count < 0)
        return (int)shim_return(-EINVAL);
    struct aio_group *group = NULL;
    if (mode == LIO_NOWAIT && event != NULL && event->sigev_notify != SIGEV_NONE) {
        group = calloc(1, sizeof(*group));
        if (group == NULL)
            return (int)shim_return(-EAGAIN);
        group->event = *event;
        group->left = 1; /* held until every request is queued */
    }
    bool failed = false;
    for (int i = 0; i < count; i++) {
        struct aiocb *control = list[i];
        if (control == NULL || control->aio_lio_opcode == LIO_NOP)
            continue;
        if (control->aio_lio_opcode != LIO_READ && control->aio_lio_opcode != LIO_WRITE) {
            control->__error_code = EINVAL;
            control->__return_value = -1;
            failed = true;
            continue;
        }
        if (group != NULL) {
            pthread_mutex_lock(&aio_lock);
            group->left++;
            pthread_mutex_unlock(&aio_lock);
        }
        if (aio_enqueue(control, control->aio_lio_opcode, group) < 0) {
            failed = true;
            if (group != NULL) {
                pthread_mutex_lock(&aio_lock);
                group->left--;
                pthread_mutex_unlock(&aio_lock);
            }
        }
    }
    if (group != NULL) {
        pthread_mutex_lock(&aio_lock);
        bool last = --group->left == 0;
        pthread_mutex_unlock(&aio_lock);
        if (last) { /* everything finished already */
            aio_notify(&group->event);
            free(group);
        }
    }
    if (mode == LIO_WAIT) {
        pthread_mutex_lock(&aio_lock);
        for (int i = 0; i < count; i++) {
            struct aiocb *control = list[i];
            if (control == NULL || control->aio_lio_opcode == LIO_NOP)
                continue;
            while (aio_error(control) == EINPROGRESS)
                pthread_cond_wait(&aio_done, &aio_lock);
            if (aio_error(control) != 0)
                failed = true;
        }
        pthread_mutex_unlock(&aio_lock);
    }
    return failed ? (int)shim_return(-EIO) : 0;
}
