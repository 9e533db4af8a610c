/* The wait-on-address queue's hash buckets (see futex_queue.h for the invariants). */
#include "futex_queue.h"

void futex_queue_init(struct futex_queue *queue)
{
    for (size_t i = 0; i < FUTEX_QUEUE_BUCKETS; i++)
        list_init(&queue->buckets[i]);
    queue->count = 0;
}

size_t futex_queue_bucket(uint64_t key)
{
    /* Fibonacci hashing of the word index: neighbouring words land in different buckets. */
    uint64_t mixed = (key >> 2) * 0x9e3779b97f4a7c15ull;
    return (size_t)(mixed >> 56) & (FUTEX_QUEUE_BUCKETS - 1);
}

void futex_waiter_init(struct futex_waiter *waiter)
{
    list_node_init(&waiter->link);
    waiter->key = 0;
}

void futex_queue_add(struct futex_queue *queue, struct futex_waiter *waiter, uint64_t key)
{
    waiter->key = key;
    list_push_back(&queue->buckets[futex_queue_bucket(key)], &waiter->link);
    queue->count++;
}

bool futex_queue_remove(struct futex_queue *queue, struct futex_waiter *waiter)
{
    if (!list_node_is_linked(&waiter->link))
        return false;
    list_remove(&waiter->link);
    queue->count--;
    return true;
}

size_t futex_queue_wake(struct futex_queue *queue, uint64_t key, size_t count,
                        void (*wake)(struct futex_waiter *waiter, void *context), void *context)
{
    struct list_node *head = &queue->buckets[futex_queue_bucket(key)];
    struct list_node *node = head->next;
    size_t woken = 0;
    while (node != head && woken < count) {
        struct list_node *next = node->next;
        struct futex_waiter *waiter = list_entry(node, struct futex_waiter, link);
        if (waiter->key == key) {
            list_remove(node);
            queue->count--;
            woken++;
            wake(waiter, context);
        }
        node = next;
    }
    return woken;
}
