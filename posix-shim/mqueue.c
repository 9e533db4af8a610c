/* posix-shim POSIX message queues: mqd_t descriptors over the ipc server's queues; blocking
 * calls kept by the server, deadlines carried as IPC deadlines, mq_notify by a helper thread. */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "ipc_client.h"
#include "pthread_internal.h"
#include "shim.h"
#include "vfs.h"

#define MQUEUE_SIGNAL_MAX 64

/* The queue behind descriptor, or NULL (EBADF). */
static struct fd_file *mqueue_file(mqd_t queue)
{
    struct fd_file *file = fd_lookup(queue);
    return file != NULL && file->backend == &mqueue_backend ? file : NULL;
}

static void mqueue_release(struct fd_file *file)
{
    poll_forget(file);
    shm_object_close(file->handle);
    free((void *)file->data);
    file->data = NULL;
}

const struct fd_backend mqueue_backend = {
    .name = "mqueue",
    .release = mqueue_release,
    .event_data = 1,
};

/* glibc wants the leading slash, the kernel the rest: "" is ENOENT, a '/' in it EACCES. */
static long mqueue_name(const char *name, char *out)
{
    long result = shim_check_string(name);
    if (result < 0)
        return result;
    if (name[0] != '/')
        return -EINVAL;
    size_t length = strlen(name + 1);
    if (length > ARAMID_IPCS_NAME_MAX)
        return -ENAMETOOLONG;
    if (length == 0)
        return -ENOENT;
    if (strchr(name + 1, '/') != NULL)
        return -EACCES;
    memcpy(out, name + 1, length + 1);
    return (long)(length + 1);
}

mqd_t mq_open(const char *name, int flags, ...)
{
    char prepared[ARAMID_IPCS_NAME_MAX + 1];
    long name_bytes = mqueue_name(name, prepared);
    if (name_bytes < 0)
        return (mqd_t)shim_return(name_bytes);
    long result;
    mode_t mode = 0;
    const struct mq_attr *attr = NULL;
    if (flags & O_CREAT) {
        va_list arguments;
        va_start(arguments, flags);
        mode = (mode_t)va_arg(arguments, int);
        attr = va_arg(arguments, const struct mq_attr *);
        va_end(arguments);
    }
    struct mq_attr wanted = {0};
    if (attr != NULL && (result = shim_copy_in(&wanted, attr, sizeof(wanted))) < 0)
        return (mqd_t)shim_return(result);
    if (aramid_proc_self.ipc <= 0)
        return (mqd_t)shim_return(-ENOSYS);
    /* Values <= 0 go as -1: (0, 0) means "no attributes" to the server. */
    struct aramid_ipcs_mq_open_request request = {
        .flags = vfs_flags_to_linux(flags & (O_ACCMODE | O_CREAT | O_EXCL)),
        .mode = (long)(mode & ~umask_current() & 07777),
        .maxmsg = attr == NULL ? 0 : wanted.mq_maxmsg > 0 ? wanted.mq_maxmsg : -1,
        .msgsize = attr == NULL ? 0 : wanted.mq_msgsize > 0 ? wanted.mq_msgsize : -1,
    };
    struct aramid_ipcs_mq_open_reply reply;
    aramid_handle_t handle = 0;
    memcpy((void *)sys_ipc_buffer(), prepared, (size_t)name_bytes);
    result = shim_error_from_sys(aramid_ipcs_call_mq_open(aramid_proc_self.ipc, &request,
                                                          (size_t)name_bytes, 0, &reply, &handle));
    if (result < 0)
        return (mqd_t)shim_return(result);
    /* An event_file, so poll and epoll watch it through the ipc server (ready.h); close-on-
     * exec, as Linux's mq_open. */
    return (mqd_t)shim_return(event_file_install(&mqueue_backend, EVENT_FILE_FOREIGN, handle,
                                                 (unsigned long)reply.id, 0, 0,
                                                 flags & (O_ACCMODE | O_NONBLOCK), 1));
}

/* As glibc's: close(2) of the descriptor, whatever it is. */
int mq_close(mqd_t queue)
{
    return close(queue);
}

int mq_unlink(const char *name)
{
    char prepared[ARAMID_IPCS_NAME_MAX + 1];
    long result = mqueue_name(name, prepared);
    if (result >= 0 && aramid_proc_self.ipc <= 0)
        result = -ENOSYS;
    if (result >= 0) {
        struct aramid_ipcs_mq_unlink_request request;
        struct aramid_ipcs_mq_unlink_reply reply;
        memcpy((void *)sys_ipc_buffer(), prepared, (size_t)result);
        result = shim_error_from_sys(aramid_ipcs_call_mq_unlink(aramid_proc_self.ipc, &request,
                                                                (size_t)result, 0, &reply, NULL));
    }
    return (int)shim_return(result);
}

/* The deadline of an absolute CLOCK_REALTIME timeout (NULL: 0, none); -EINVAL for a bad one,
 * as Linux checks it before anything else. */
static long mqueue_deadline(const struct timespec *timeout, unsigned long *deadline)
{
    *deadline = 0;
    if (timeout == NULL)
        return 0;
    struct timespec copy;
    long result = shim_copy_in(&copy, timeout, sizeof(copy));
    return result < 0 ? result : pthread_deadline(CLOCK_REALTIME, &copy, deadline);
}

/*
 * One send or receive: words to the queue's handle with the message (text, length: in the IPC
 * buffer or a granted memory object, prepared again for each try) and the deadline twice (in
 * the request, and as the call's IPC deadline when it is still ahead, so the kernel cancels a
 * kept call when it passes). A signal's -EINTR (queued, or the server's answer to the cancel)
 * restarts the call unless a handler without SA_RESTART ran.
 */
static long mqueue_call(aramid_handle_t handle, unsigned label, const long *words, size_t count,
                        const void *text, size_t length, unsigned long deadline,
                        struct aramid_message *message)
{
    struct signal_watch watch;
    signal_watch_start(&watch);
    for (;;) {
        aramid_handle_t grant = 0;
        long bytes = text != NULL ? ipc_bulk_prepare(text, length, &grant) : 0;
        if (bytes < 0)
            return bytes;
        *message = (struct aramid_message){.info = ARAMID_IPC_INFO(label, (size_t)bytes)};
        for (size_t i = 0; i < count; i++)
            message->words[i] = (unsigned long)words[i];
        if (grant > 0) {
            message->info |= ARAMID_IPC_GRANT;
            message->words[5] = (unsigned long)grant;
        }
        if (deadline != 0 && deadline > aramid_clock_monotonic_ns()) {
            message->info |= ARAMID_IPC_DEADLINE;
            message->deadline = deadline;
        }
        long result = aramid_ipc_call(handle, message);
        if (result < 0 && grant > 0)
            (void)sys_handle_close(grant); /* queued and ended before the grant moved */
        if (result == 0)
            result = (long)message->words[0];
        result = shim_error_from_sys(result);
        if (result != -EINTR || signal_watch_interrupts(&watch, true))
            return result;
    }
}

int mq_timedsend(mqd_t queue, const char *text, size_t length, unsigned priority,
                 const struct timespec *timeout)
{
    unsigned long deadline;
    long result = mqueue_deadline(timeout, &deadline);
    if (result == 0 && priority >= ARAMID_IPCS_MQ_PRIO_MAX)
        result = -EINVAL;
    struct fd_file *file = result == 0 ? mqueue_file(queue) : NULL;
    if (result == 0 && file == NULL)
        result = -EBADF;
    if (result < 0)
        return (int)shim_return(result);
    long words[] = {(long)length, (long)priority, (file->status_flags & O_NONBLOCK) != 0,
                    (long)deadline, (long)getpid() | (long)((unsigned long)getuid() << 32)};
    struct aramid_message message;
    /* Past every queue's msgsize the bytes need not travel: the server refuses the length
     * (after the access check, in Linux's order). */
    bool carried = length <= ARAMID_IPCS_MQ_MSGSIZE_LIMIT;
    result = mqueue_call(file->handle, ARAMID_IPCS_mq_send, words, 5, carried ? text : NULL,
                         carried ? length : 0, deadline, &message);
    return (int)shim_return(result);
}

int mq_send(mqd_t queue, const char *text, size_t length, unsigned priority)
{
    return mq_timedsend(queue, text, length, priority, NULL);
}

ssize_t mq_timedreceive(mqd_t queue, char *text, size_t capacity, unsigned *priority,
                        const struct timespec *timeout)
{
    unsigned long deadline;
    long result = mqueue_deadline(timeout, &deadline);
    struct fd_file *file = result == 0 ? mqueue_file(queue) : NULL;
    if (result == 0 && file == NULL)
        result = -EBADF;
    if (result < 0)
        return shim_return(result);
    long words[] = {capacity > (size_t)0x7fffffffffffffff ? 0x7fffffffffffffff : (long)capacity,
                    (file->status_flags & O_NONBLOCK) != 0, (long)deadline};
    struct aramid_message message;
    result = mqueue_call(file->handle, ARAMID_IPCS_mq_receive, words, 3, NULL, 0, deadline,
                         &message);
    if (result < 0) {
        if (result != -EINTR && (message.info & ARAMID_IPC_GRANT))
            (void)sys_handle_close((aramid_handle_t)message.words[5]);
        return shim_return(result);
    }
    long copied = ipc_bulk_deliver(&message, text, (size_t)result);
    if (copied == 0 && priority != NULL)
        copied = shim_copy_out(priority, &(unsigned){(unsigned)message.words[1]},
                               sizeof(*priority));
    return copied < 0 ? shim_return(copied) : result;
}

ssize_t mq_receive(mqd_t queue, char *text, size_t capacity, unsigned *priority)
{
    return mq_timedreceive(queue, text, capacity, priority, NULL);
}

int mq_getattr(mqd_t queue, struct mq_attr *attributes)
{
    struct fd_file *file = mqueue_file(queue);
    if (file == NULL)
        return (int)shim_return(-EBADF);
    struct aramid_ipcs_mq_getattr_request request;
    struct aramid_ipcs_mq_getattr_reply reply;
    long result = shim_error_from_sys(
        aramid_ipcs_call_mq_getattr(file->handle, &request, 0, 0, &reply, NULL));
    if (result < 0)
        return (int)shim_return(result);
    struct mq_attr now = {.mq_flags = file->status_flags & O_NONBLOCK,
                          .mq_maxmsg = reply.maxmsg,
                          .mq_msgsize = reply.msgsize,
                          .mq_curmsgs = reply.curmsgs};
    return (int)shim_return(shim_copy_out(attributes, &now, sizeof(now)));
}

/* Only O_NONBLOCK may change (the description's flag, kept here as for every descriptor). */
int mq_setattr(mqd_t queue, const struct mq_attr *attributes, struct mq_attr *old)
{
    struct mq_attr wanted;
    long result = shim_copy_in(&wanted, attributes, sizeof(wanted));
    if (result == 0 && (wanted.mq_flags & ~(long)O_NONBLOCK))
        result = -EINVAL;
    struct fd_file *file = result == 0 ? mqueue_file(queue) : NULL;
    if (result == 0 && file == NULL)
        result = -EBADF;
    if (result == 0 && old != NULL && mq_getattr(queue, old) != 0)
        result = -errno;
    if (result == 0)
        file->status_flags = (file->status_flags & ~O_NONBLOCK) | (int)(wanted.mq_flags & O_NONBLOCK);
    return (int)shim_return(result);
}

/* What a notifier thread needs: its own handle to the queue and what to do. */
struct mqueue_notifier {
    aramid_handle_t handle;
    long generation; /* the registration it waits for */
    struct sigevent event;
};

/* Waits (with every signal blocked, so none is delivered here) until the registration fires,
 * then raises the signal or calls the function, as SIGEV_SIGNAL / SIGEV_THREAD say. A removed
 * registration (-ENOENT) ends it quietly. */
static void *mqueue_notifier_run(void *argument)
{
    struct mqueue_notifier *notifier = argument;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    struct aramid_ipcs_mq_notify_wait_request request = {.generation = notifier->generation};
    struct aramid_ipcs_mq_notify_wait_reply reply;
    long result;
    do
        result = aramid_ipcs_call_mq_notify_wait(notifier->handle, &request, 0, 0, &reply, NULL);
    while (result == -ARAMID_EINTR);
    (void)sys_handle_close(notifier->handle);
    if (result == 0 && notifier->event.sigev_notify == SIGEV_SIGNAL &&
        notifier->event.sigev_signo != 0) /* Linux's siginfo: SI_MESGQ, the sender's pid, uid */
        (void)signal_queue_send_self(notifier->event.sigev_signo, SI_MESGQ,
                                     notifier->event.sigev_value,
                                     (pid_t)(reply.sender & 0xffffffff),
                                     (uid_t)((unsigned long)reply.sender >> 32));
    else if (result == 0 && notifier->event.sigev_notify == SIGEV_THREAD)
        notifier->event.sigev_notify_function(notifier->event.sigev_value);
    free(notifier);
    return NULL;
}

/* Registers (1) or unregisters (0); the new registration's generation, or -errno. */
static long mqueue_notify_register(struct fd_file *file, long registration)
{
    struct aramid_ipcs_mq_notify_request request = {.registration = registration};
    struct aramid_ipcs_mq_notify_reply reply;
    long result = shim_error_from_sys(
        aramid_ipcs_call_mq_notify(file->handle, &request, 0, 0, &reply, NULL));
    return result < 0 ? result : reply.generation;
}

int mq_notify(mqd_t queue, const struct sigevent *event)
{
    struct sigevent wanted;
    long result = event != NULL ? shim_copy_in(&wanted, event, sizeof(wanted)) : 0;
    if (result == 0 && event != NULL) {
        if (wanted.sigev_notify != SIGEV_NONE && wanted.sigev_notify != SIGEV_SIGNAL &&
            wanted.sigev_notify != SIGEV_THREAD)
            result = -EINVAL;
        else if (wanted.sigev_notify == SIGEV_SIGNAL &&
                 (wanted.sigev_signo < 0 || wanted.sigev_signo > MQUEUE_SIGNAL_MAX))
            result = -EINVAL;
    }
    struct fd_file *file = result == 0 ? mqueue_file(queue) : NULL;
    if (result == 0 && file == NULL)
        result = -EBADF;
    if (result == 0)
        result = mqueue_notify_register(file, event != NULL);
    if (result < 0 || event == NULL || wanted.sigev_notify == SIGEV_NONE)
        return (int)shim_return(result < 0 ? result : 0);
    long generation = result;
    struct mqueue_notifier *notifier = calloc(1, sizeof(*notifier));
    long handle = notifier != NULL ? sys_handle_duplicate(file->handle, ARAMID_RIGHT_SEND) : -ENOMEM;
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    if (handle > 0) {
        *notifier = (struct mqueue_notifier){.handle = handle, .generation = generation,
                                             .event = wanted};
        int created = pthread_create(&thread, &attributes, mqueue_notifier_run, notifier);
        pthread_attr_destroy(&attributes);
        if (created == 0)
            return 0;
        (void)sys_handle_close(handle);
    }
    free(notifier);
    (void)mqueue_notify_register(file, 0);
    return (int)shim_return(-EAGAIN);
}
