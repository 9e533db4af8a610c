/* Pipes and FIFOs: a 64 KiB ring with PIPE_BUF atomicity, reader and writer counts (pure logic). */
#include "pipe.h"

#include <aramid/errno.h>

#include "kstring.h"

void pipe_init(struct pipe *pipe)
{
    memset(pipe, 0, sizeof(*pipe));
}

unsigned long pipe_readable(const struct pipe *pipe)
{
    return pipe->count;
}

unsigned long pipe_writable(const struct pipe *pipe)
{
    return PIPE_CAPACITY - pipe->count;
}

long pipe_read(struct pipe *pipe, void *buffer, size_t length)
{
    if (pipe->count == 0)
        return pipe->writers == 0 ? 0 : -ARAMID_EAGAIN;
    if (length > pipe->count)
        length = pipe->count;
    size_t done = 0;
    while (done < length) {
        unsigned long at = pipe->head % PIPE_CAPACITY;
        size_t piece = PIPE_PAGE_SIZE - at % PIPE_PAGE_SIZE;
        if (piece > length - done)
            piece = length - done;
        memcpy((char *)buffer + done, pipe->pages[at / PIPE_PAGE_SIZE] + at % PIPE_PAGE_SIZE,
               piece);
        done += piece;
        pipe->head = (pipe->head + piece) % PIPE_CAPACITY;
    }
    pipe->count -= done;
    if (pipe->count == 0)
        pipe->head = 0; /* an empty ring restarts at its first page: fewer page crossings */
    return (long)done;
}

long pipe_write(struct pipe *pipe, const void *buffer, size_t length,
                void *(*page_alloc)(void *context), void *context)
{
    if (pipe->readers == 0)
        return -ARAMID_EPIPE;
    if (length == 0)
        return 0;
    unsigned long room = pipe_writable(pipe);
    if (room == 0 || (length <= PIPE_ATOMIC && length > room))
        return -ARAMID_EAGAIN;
    if (length > room)
        length = room;
    size_t done = 0;
    while (done < length) {
        unsigned long at = (pipe->head + pipe->count + done) % PIPE_CAPACITY;
        unsigned long page = at / PIPE_PAGE_SIZE;
        if (pipe->pages[page] == NULL) {
            pipe->pages[page] = page_alloc(context);
            if (pipe->pages[page] == NULL)
                break;
        }
        size_t piece = PIPE_PAGE_SIZE - at % PIPE_PAGE_SIZE;
        if (piece > length - done)
            piece = length - done;
        memcpy(pipe->pages[page] + at % PIPE_PAGE_SIZE, (const char *)buffer + done, piece);
        done += piece;
    }
    if (done == 0)
        return -ARAMID_ENOMEM;
    pipe->count += done;
    return (long)done;
}

void pipe_release(struct pipe *pipe, void (*page_free)(void *context, void *page), void *context)
{
    for (unsigned long i = 0; i < PIPE_PAGES; i++) {
        if (pipe->pages[i] != NULL)
            page_free(context, pipe->pages[i]);
        pipe->pages[i] = NULL;
    }
}
