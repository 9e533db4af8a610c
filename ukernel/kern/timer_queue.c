/* Deadlines in a pairing heap (see timer_queue.h for the invariants). */
#include "timer_queue.h"

void timer_queue_init(struct timer_queue *queue)
{
    queue->root = NULL;
    queue->count = 0;
}

/* Makes the later of two detached heaps the first child of the earlier; returns the earlier. */
static struct timer_entry *heap_link(struct timer_entry *a, struct timer_entry *b)
{
    if (b->deadline < a->deadline) {
        struct timer_entry *swap = a;
        a = b;
        b = swap;
    }
    b->prev = a;
    b->sibling = a->child;
    if (a->child)
        a->child->prev = b;
    a->child = b;
    return a;
}

/* Melds a list of sibling heaps into one (the standard two passes), or NULL for none. */
static struct timer_entry *heap_merge_pairs(struct timer_entry *first)
{
    struct timer_entry *pairs = NULL; /* melded pairs, in reverse order, linked by sibling */
    while (first) {
        struct timer_entry *a = first, *b = a->sibling;
        if (!b) {
            a->sibling = pairs;
            pairs = a;
            break;
        }
        first = b->sibling;
        struct timer_entry *melded = heap_link(a, b);
        melded->sibling = pairs;
        pairs = melded;
    }
    if (!pairs)
        return NULL;
    struct timer_entry *result = pairs;
    pairs = pairs->sibling;
    while (pairs) {
        struct timer_entry *next = pairs->sibling;
        result = heap_link(result, pairs);
        pairs = next;
    }
    result->prev = NULL;
    result->sibling = NULL;
    return result;
}

/* Makes heap (detached, may be NULL) part of the queue. */
static void queue_meld(struct timer_queue *queue, struct timer_entry *heap)
{
    if (!heap)
        return;
    queue->root = queue->root ? heap_link(queue->root, heap) : heap;
    queue->root->prev = NULL;
    queue->root->sibling = NULL;
}

void timer_queue_insert(struct timer_queue *queue, struct timer_entry *entry, uint64_t deadline)
{
    entry->deadline = deadline;
    entry->child = entry->sibling = entry->prev = NULL;
    entry->queued = true;
    queue->count++;
    queue_meld(queue, entry);
}

void timer_queue_remove(struct timer_queue *queue, struct timer_entry *entry)
{
    if (!entry->queued)
        return;
    entry->queued = false;
    queue->count--;
    struct timer_entry *children = heap_merge_pairs(entry->child);
    if (entry == queue->root) {
        queue->root = children;
    } else {
        if (entry->prev->child == entry)
            entry->prev->child = entry->sibling;
        else
            entry->prev->sibling = entry->sibling;
        if (entry->sibling)
            entry->sibling->prev = entry->prev;
        queue_meld(queue, children);
    }
    entry->child = entry->sibling = entry->prev = NULL;
}

struct timer_entry *timer_queue_pop_expired(struct timer_queue *queue, uint64_t now)
{
    struct timer_entry *first = queue->root;
    if (!first || first->deadline > now)
        return NULL;
    timer_queue_remove(queue, first);
    return first;
}
