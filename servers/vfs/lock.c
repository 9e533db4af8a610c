/* POSIX record locks (fcntl F_GETLK, F_SETLK, F_SETLKW): byte ranges per inode and process
 * (pure logic). */
#include "lock.h"

#include <aramid/errno.h>

#include "kstring.h"

void lock_table_init(struct lock_table *table)
{
    memset(table, 0, sizeof(*table));
}

static bool lock_overlaps(const struct lock_range *range, long inode, unsigned long start,
                          unsigned long end)
{
    return range->owner != 0 && range->inode == inode && range->start < end && start < range->end;
}

bool lock_test(const struct lock_table *table, long inode, unsigned long owner, int type,
               unsigned long start, unsigned long end, struct lock_range *conflict)
{
    for (unsigned i = 0; i < LOCK_MAX; i++) {
        const struct lock_range *range = &table->ranges[i];
        if (!lock_overlaps(range, inode, start, end) || range->owner == owner)
            continue;
        if (type == LOCK_WRITE || range->type == LOCK_WRITE) {
            *conflict = *range;
            return false;
        }
    }
    return true;
}

/* A free slot, or NULL. */
static struct lock_range *lock_slot(struct lock_table *table)
{
    for (unsigned i = 0; i < LOCK_MAX; i++) {
        if (table->ranges[i].owner == 0)
            return &table->ranges[i];
    }
    return NULL;
}

static unsigned lock_free_slots(const struct lock_table *table)
{
    unsigned free = 0;
    for (unsigned i = 0; i < LOCK_MAX; i++)
        free += table->ranges[i].owner == 0;
    return free;
}

long lock_set(struct lock_table *table, long inode, unsigned long owner, int type,
              unsigned long start, unsigned long end)
{
    struct lock_range conflict;
    if ((type != LOCK_READ && type != LOCK_WRITE && type != LOCK_UNLOCK) || start >= end)
        return -ARAMID_EINVAL;
    if (type != LOCK_UNLOCK && !lock_test(table, inode, owner, type, start, end, &conflict))
        return -ARAMID_EAGAIN;
    /* At most one of owner's ranges is split in two, and one range is added: two slots make
     * every step below infallible. */
    if (lock_free_slots(table) < 2)
        return -ARAMID_ENOLCK;
    for (unsigned i = 0; i < LOCK_MAX; i++) {
        struct lock_range *range = &table->ranges[i];
        if (!lock_overlaps(range, inode, start, end) || range->owner != owner)
            continue;
        if (range->start < start && range->end > end) {
            struct lock_range *tail = lock_slot(table);
            *tail = *range;
            tail->start = end;
            range->end = start;
        } else if (range->start < start) {
            range->end = start;
        } else if (range->end > end) {
            range->start = end;
        } else {
            range->owner = 0;
        }
    }
    if (type == LOCK_UNLOCK)
        return 0;
    struct lock_range *added = lock_slot(table);
    *added = (struct lock_range){
        .inode = inode, .owner = owner, .start = start, .end = end, .type = type};
    return 0;
}

void lock_release(struct lock_table *table, unsigned long owner, long inode)
{
    for (unsigned i = 0; i < LOCK_MAX; i++) {
        struct lock_range *range = &table->ranges[i];
        if (range->owner == owner && (inode == 0 || range->inode == inode))
            range->owner = 0;
    }
}
