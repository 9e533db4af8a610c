/* Per-CPU priority run queue: doubly-linked FIFO per level and a bitmap of non-empty levels. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kerrno.h"
#include "runqueue.h"

_Static_assert(RUNQUEUE_LEVELS == 32, "nonempty is a 32-bit bitmap");

void runqueue_init(struct runqueue *rq)
{
    rq->nonempty = 0;
    rq->count = 0;
    for (size_t i = 0; i < RUNQUEUE_LEVELS; i++) {
        rq->levels[i].head = NULL;
        rq->levels[i].tail = NULL;
    }
}

void rq_entry_init(struct rq_entry *entry)
{
    entry->next = NULL;
    entry->prev = NULL;
    entry->rq = NULL;
    entry->priority = 0;
}

static int runqueue_check_insert(const struct rq_entry *entry, unsigned priority)
{
    if (priority > RUNQUEUE_PRIORITY_LOWEST)
        return -EINVAL;
    if (entry->rq != NULL)
        return -EBUSY;
    return 0;
}

static void runqueue_mark_queued(struct runqueue *rq, struct rq_entry *entry, unsigned priority)
{
    entry->rq = rq;
    entry->priority = priority;
    rq->nonempty |= UINT32_C(1) << priority;
    rq->count++;
}

int runqueue_enqueue(struct runqueue *rq, struct rq_entry *entry, unsigned priority)
{
    int err = runqueue_check_insert(entry, priority);
    if (err != 0)
        return err;
    struct runqueue_level *level = &rq->levels[priority];
    entry->next = NULL;
    entry->prev = level->tail;
    if (level->tail != NULL)
        level->tail->next = entry;
    else
        level->head = entry;
    level->tail = entry;
    runqueue_mark_queued(rq, entry, priority);
    return 0;
}

int runqueue_enqueue_front(struct runqueue *rq, struct rq_entry *entry, unsigned priority)
{
    int err = runqueue_check_insert(entry, priority);
    if (err != 0)
        return err;
    struct runqueue_level *level = &rq->levels[priority];
    entry->prev = NULL;
    entry->next = level->head;
    if (level->head != NULL)
        level->head->prev = entry;
    else
        level->tail = entry;
    level->head = entry;
    runqueue_mark_queued(rq, entry, priority);
    return 0;
}

/* entry is on rq. Unlinks it and keeps the bitmap and count invariants. */
static void runqueue_unlink(struct runqueue *rq, struct rq_entry *entry)
{
    struct runqueue_level *level = &rq->levels[entry->priority];
    if (entry->prev != NULL)
        entry->prev->next = entry->next;
    else
        level->head = entry->next;
    if (entry->next != NULL)
        entry->next->prev = entry->prev;
    else
        level->tail = entry->prev;
    if (level->head == NULL)
        rq->nonempty &= ~(UINT32_C(1) << entry->priority);
    rq->count--;
    entry->next = NULL;
    entry->prev = NULL;
    entry->rq = NULL;
}

int runqueue_dequeue(struct runqueue *rq, struct rq_entry *entry)
{
    if (entry->rq != rq)
        return -EINVAL;
    runqueue_unlink(rq, entry);
    return 0;
}

struct rq_entry *runqueue_pick_next(struct runqueue *rq)
{
    if (rq->nonempty == 0)
        return NULL;
    struct rq_entry *entry = rq->levels[__builtin_ctz(rq->nonempty)].head;
    runqueue_unlink(rq, entry);
    return entry;
}

int runqueue_top_priority(const struct runqueue *rq)
{
    if (rq->nonempty == 0)
        return -ENOENT;
    return __builtin_ctz(rq->nonempty);
}

bool runqueue_is_empty(const struct runqueue *rq)
{
    return rq->count == 0;
}

size_t runqueue_count(const struct runqueue *rq)
{
    return rq->count;
}
