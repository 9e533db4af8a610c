/* POSIX record locks (fcntl F_GETLK, F_SETLK, F_SETLKW): byte ranges per inode and process
 * (pure logic). */
#ifndef VFS_LOCK_H
#define VFS_LOCK_H

#include <stdbool.h>

#define LOCK_MAX 512
#define LOCK_END_OF_FILE (~0ul) /* end of a range that runs to the end of the file and beyond */

/* Linux's l_type values. */
#define LOCK_READ 0
#define LOCK_WRITE 1
#define LOCK_UNLOCK 2

/* [start, end) of inode, held by owner (a kernel process id). owner 0: a free slot. */
struct lock_range {
    long inode;
    unsigned long owner;
    unsigned long start;
    unsigned long end;
    int type;
};

struct lock_table {
    struct lock_range ranges[LOCK_MAX];
};

void lock_table_init(struct lock_table *table);
/* Whether owner may take type on [start, end): false and *conflict = a range of another owner
 * that prevents it (F_GETLK). */
bool lock_test(const struct lock_table *table, long inode, unsigned long owner, int type,
               unsigned long start, unsigned long end, struct lock_range *conflict);
/* F_SETLK: takes (replacing owner's own overlapping ranges, splitting them) or, with
 * LOCK_UNLOCK, drops the range. 0, -EAGAIN on a conflict, -ENOLCK when the table is full,
 * -EINVAL for a bad type or an empty range. */
long lock_set(struct lock_table *table, long inode, unsigned long owner, int type,
              unsigned long start, unsigned long end);
/* Drops every range of owner, on inode (or on every inode when inode is 0): a close of any
 * descriptor of the file, and process exit. */
void lock_release(struct lock_table *table, unsigned long owner, long inode);

#endif
