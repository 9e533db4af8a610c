/* posix-shim's <mqueue.h>: POSIX message queues (the ipc server), Linux's types and layout. */
#ifndef POSIX_SHIM_MQUEUE_H
#define POSIX_SHIM_MQUEUE_H

#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A descriptor, as on Linux (close-on-exec). */
typedef int mqd_t;

struct mq_attr {
    long mq_flags;   /* 0 or O_NONBLOCK */
    long mq_maxmsg;  /* most messages the queue holds (default 10) */
    long mq_msgsize; /* the largest message (default 8192) */
    long mq_curmsgs; /* messages in the queue now */
    long __pad[4];
};

mqd_t mq_open(const char *name, int flags, ...);
int mq_close(mqd_t queue);
int mq_unlink(const char *name);
int mq_send(mqd_t queue, const char *message, size_t length, unsigned priority);
int mq_timedsend(mqd_t queue, const char *message, size_t length, unsigned priority,
                 const struct timespec *deadline);
ssize_t mq_receive(mqd_t queue, char *message, size_t capacity, unsigned *priority);
ssize_t mq_timedreceive(mqd_t queue, char *message, size_t capacity, unsigned *priority,
                        const struct timespec *deadline);
int mq_getattr(mqd_t queue, struct mq_attr *attributes);
int mq_setattr(mqd_t queue, const struct mq_attr *attributes, struct mq_attr *old);
int mq_notify(mqd_t queue, const struct sigevent *event);

#ifdef __cplusplus
}
#endif

#endif
