/* Open file descriptions: what an open() made (offset, status flags) and which processes hold
 * it (pure logic). */
#ifndef VFS_OFD_H
#define VFS_OFD_H

#include <stdbool.h>

#define OFD_MAX 1024
#define OFD_HOLDERS_MAX 32 /* processes sharing one description (fork copies) */

enum ofd_kind {
    OFD_FREE = 0,
    OFD_FILE,       /* a tmpfs inode: regular file, directory or symlink (O_PATH-like) */
    OFD_DEVICE,     /* a /dev node: rdev says which */
    OFD_PIPE_READ,  /* the read end of pipe object */
    OFD_PIPE_WRITE, /* the write end of pipe object */
    OFD_PIPE_BOTH,  /* a FIFO opened O_RDWR: one description that is a reader and a writer */
};

/*
 * One description. Invariant: kind != OFD_FREE exactly when holder_count > 0. A process holds a
 * description at most once (posix-shim counts its own dups); dup and fork share offset and
 * flags because they share this record. offset is the readdir cookie for directories.
 */
struct ofd {
    enum ofd_kind kind;
    int flags; /* Linux O_* status flags and access mode */
    long inode;
    long object; /* the pipe (index into the vfs's pipe table) */
    unsigned long offset;
    unsigned long version; /* a pipe's read end: its writer_opens when it was opened */
    long next_end;         /* a pipe end: the next description of the same pipe, 0 at the end */
    /* Readiness (servers/vfs/ready.c): the serial of its readiness handle (0: none made), the
     * watches on it, and what its watchers last heard. Zero from ofd_create. */
    unsigned long ready_serial;
    unsigned ready_watches;
    unsigned told_bits;
    unsigned long told_generation;
    unsigned holder_count;
    unsigned long holders[OFD_HOLDERS_MAX]; /* kernel process ids */
};

/* A pipe or FIFO description, and whether it reads or writes its pipe (OFD_PIPE_BOTH: both). */
static inline bool ofd_is_pipe(const struct ofd *ofd)
{
    return ofd->kind == OFD_PIPE_READ || ofd->kind == OFD_PIPE_WRITE || ofd->kind == OFD_PIPE_BOTH;
}
static inline bool ofd_pipe_reads(const struct ofd *ofd)
{
    return ofd->kind == OFD_PIPE_READ || ofd->kind == OFD_PIPE_BOTH;
}
static inline bool ofd_pipe_writes(const struct ofd *ofd)
{
    return ofd->kind == OFD_PIPE_WRITE || ofd->kind == OFD_PIPE_BOTH;
}

struct ofd_table {
    struct ofd ofds[OFD_MAX];
    long hint;
};

void ofd_table_init(struct ofd_table *table);
/* A new description held by process -> its id (1..OFD_MAX-1), or -ENFILE. */
long ofd_create(struct ofd_table *table, unsigned long process, enum ofd_kind kind, int flags);
/* The description id if process holds it, else NULL. */
struct ofd *ofd_find(struct ofd_table *table, unsigned long process, long id);
/* process now holds id too (fork): 0, -EBADF, -ENFILE (too many holders); holding twice is 0. */
long ofd_hold(struct ofd_table *table, unsigned long process, long id);
/* process lets go of id: -EBADF if it did not hold it, 1 when it was the last holder (the
 * caller releases the object and then calls ofd_free), else 0. */
long ofd_release(struct ofd_table *table, unsigned long process, long id);
void ofd_free(struct ofd_table *table, long id);
/* The next description >= *cursor (start at 1) that process holds, or 0; advances *cursor.
 * For releasing everything of a dead process, and for copying holds at fork. */
long ofd_next_held(struct ofd_table *table, unsigned long process, long *cursor);

#endif
