/* Pipes and FIFOs: a 64 KiB ring with PIPE_BUF atomicity, reader and writer counts (pure logic). */
#ifndef VFS_PIPE_H
#define VFS_PIPE_H

#include <stdbool.h>
#include <stddef.h>

#define PIPE_CAPACITY 65536ul /* Linux's default, what F_GETPIPE_SZ reports */
#define PIPE_ATOMIC 4096ul    /* PIPE_BUF: writes up to this size are never split */
#define PIPE_PAGE_SIZE 4096ul
#define PIPE_PAGES (PIPE_CAPACITY / PIPE_PAGE_SIZE)

/*
 * The ring holds count bytes starting at head (both < PIPE_CAPACITY), in pages allocated on
 * the first write and kept until the pipe is freed. readers / writers count open descriptions
 * of each end; a pipe is freed when both reach 0.
 */
struct pipe {
    unsigned char *pages[PIPE_PAGES];
    unsigned long head;
    unsigned long count;
    unsigned readers;
    unsigned writers;
};

void pipe_init(struct pipe *pipe);

/*
 * Copies up to length bytes out. Returns the count (> 0), 0 at end of file (empty, no
 * writers), or -EAGAIN (empty, writers remain: the caller waits or fails with EAGAIN).
 */
long pipe_read(struct pipe *pipe, void *buffer, size_t length);

/*
 * Copies bytes in: -EPIPE when there are no readers; -EAGAIN when nothing can go in now (full,
 * or a write of at most PIPE_ATOMIC bytes that does not fit whole); otherwise the count, which
 * may be short for a larger write. page_alloc gives a zeroed page or NULL (-ENOMEM).
 */
long pipe_write(struct pipe *pipe, const void *buffer, size_t length,
                void *(*page_alloc)(void *context), void *context);

/* Bytes that a read could take now, and room for a write. */
unsigned long pipe_readable(const struct pipe *pipe);
unsigned long pipe_writable(const struct pipe *pipe);

/* Frees the pages (the pipe is unused afterwards). */
void pipe_release(struct pipe *pipe, void (*page_free)(void *context, void *page), void *context);

#endif
