/* A POSIX message queue's messages in priority order (pure logic, host-tested). */
#ifndef IPC_MQ_QUEUE_H
#define IPC_MQ_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

/* One message; data follows the header (length bytes). */
struct mq_message {
    struct mq_message *next;
    unsigned priority;
    size_t length;
    unsigned char data[];
};

/* Invariant: head is sorted by priority, highest first, FIFO among equal priorities; count is
 * the list's length and never exceeds maxmsg. */
struct mq_queue {
    struct mq_message *head;
    unsigned count;
    unsigned maxmsg;
    size_t msgsize;
};

void mq_queue_init(struct mq_queue *queue, unsigned maxmsg, size_t msgsize);
bool mq_queue_full(const struct mq_queue *queue);
/* Linux's checks of a send, in its order: 0, -EINVAL (priority), -EMSGSIZE. */
long mq_queue_check_send(const struct mq_queue *queue, size_t length, unsigned long priority);
/* Adds message behind every message of the same or a higher priority (the queue is not full). */
void mq_queue_insert(struct mq_queue *queue, struct mq_message *message);
/* The first message (highest priority, oldest), unlinked, or NULL when empty. */
struct mq_message *mq_queue_take(struct mq_queue *queue);

#endif
