/* AF_UNIX receive queues: bytes for SOCK_STREAM, records for SOCK_DGRAM and SOCK_SEQPACKET,
 * with SCM_RIGHTS attachments tied to byte positions, and the listen backlog. Pure logic. */
#ifndef SOCK_SOCKBUF_H
#define SOCK_SOCKBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Socket types (Linux values). */
#define SOCKBUF_STREAM 1
#define SOCKBUF_DGRAM 2
#define SOCKBUF_SEQPACKET 5

#define SOCKBUF_CAPACITY_DEFAULT 65536u
#define SOCKBUF_CAPACITY_MIN 4096u
#define SOCKBUF_CAPACITY_MAX (4u << 20)
#define SOCKBUF_RECORDS_MAX 1024u /* datagrams (or attachment runs) queued at most */
#define SOCKBUF_SOMAXCONN 4096

/* recv flags the buffer knows (Linux values). */
#define SOCKBUF_PEEK 0x2

/* The memory the buffer asks for on its first write (sock_memory.c, or malloc on the host). */
void *sockbuf_memory_alloc(size_t bytes);
void sockbuf_memory_free(void *memory, size_t bytes);

/*
 * One queued run of bytes [start, start + length) in stream positions. For STREAM a record
 * exists only to carry an attachment (runs without one merge); for DGRAM and SEQPACKET every
 * message is a record. attachment != 0 is the caller's token for descriptors in flight,
 * delivered with the first byte of its record; sender is the caller's token for the address.
 */
struct sockbuf_record {
    uint64_t start;
    uint32_t length;
    long attachment;
    long sender;
};

/* Invariants: head <= tail, tail - head <= capacity; data is NULL until the first write;
 * records[(first + i) % SOCKBUF_RECORDS_MAX] for i < count, in position order. */
struct sockbuf {
    int type;
    uint32_t capacity;
    unsigned char *data;
    uint64_t head, tail;
    struct sockbuf_record *records;
    uint32_t first, count;
};

void sockbuf_init(struct sockbuf *buffer, int type, uint32_t capacity);
/* Frees the memory; calls release(token) for every attachment still queued. */
void sockbuf_destroy(struct sockbuf *buffer, void (*release)(long attachment));

size_t sockbuf_used(const struct sockbuf *buffer);
/* Bytes a write could add now (stream), or whether a message of length fits (0/1 semantics
 * are the caller's: see sockbuf_write). */
size_t sockbuf_space(const struct sockbuf *buffer);
/* Readable: something queued (a zero-length datagram counts). */
bool sockbuf_readable(const struct sockbuf *buffer);
/* Writable as poll sees it: a quarter of the capacity free (Linux's unix_writable), or for
 * records, a free record slot too. */
bool sockbuf_writable(const struct sockbuf *buffer);

/*
 * Queues length bytes. STREAM: as many as fit (>= 1 or -EAGAIN when full; 0 for length 0,
 * with nothing queued, as Linux sends no attachment without data). DGRAM/SEQPACKET: all or
 * nothing: length, -EMSGSIZE (larger than the capacity), -EAGAIN (no room now), -ENOMEM.
 * attachment (0: none) goes with the first byte written.
 */
long sockbuf_write(struct sockbuf *buffer, const void *bytes, size_t length, long attachment,
                   long sender);

/* What a read returned besides the bytes. */
struct sockbuf_read_info {
    long attachment; /* 0: none (the caller now owns it unless peeking) */
    long sender;
    size_t full_length; /* DGRAM/SEQPACKET: the record's length (MSG_TRUNC) */
};

/*
 * Takes up to length bytes (SOCKBUF_PEEK: copies, leaves them queued). STREAM: stops at the
 * end of the first record carrying an attachment; DGRAM/SEQPACKET: one record, the rest of it
 * discarded. Returns the bytes copied or -EAGAIN when empty.
 */
long sockbuf_read(struct sockbuf *buffer, void *out, size_t length, int flags,
                  struct sockbuf_read_info *info);

/* listen(2)'s backlog: Linux clamps to SOMAXCONN (negative too); a listener is full when more
 * than backlog connections wait. */
int sockbuf_backlog_clamp(int backlog);
bool sockbuf_backlog_full(int backlog, size_t pending);

#endif
