/* A POSIX message queue's messages in priority order: Linux's rules for what may be sent. */
#include "mq_queue.h"

#include <aramid/errno.h>

#define MQ_QUEUE_PRIO_MAX 32768ul

void mq_queue_init(struct mq_queue *queue, unsigned maxmsg, size_t msgsize)
{
    queue->head = NULL;
    queue->count = 0;
    queue->maxmsg = maxmsg;
    queue->msgsize = msgsize;
}

bool mq_queue_full(const struct mq_queue *queue)
{
    return queue->count >= queue->maxmsg;
}

long mq_queue_check_send(const struct mq_queue *queue, size_t length, unsigned long priority)
{
    if (priority >= MQ_QUEUE_PRIO_MAX)
        return -ARAMID_EINVAL;
    if (length > queue->msgsize)
        return -ARAMID_EMSGSIZE;
    return 0;
}

void mq_queue_insert(struct mq_queue *queue, struct mq_message *message)
{
    struct mq_message **link = &queue->head;
    while (*link != NULL && (*link)->priority >= message->priority)
        link = &(*link)->next;
    message->next = *link;
    *link = message;
    queue->count++;
}

struct mq_message *mq_queue_take(struct mq_queue *queue)
{
    struct mq_message *message = queue->head;
    if (message == NULL)
        return NULL;
    queue->head = message->next;
    message->next = NULL;
    queue->count--;
    return message;
}
