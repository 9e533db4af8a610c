/* AF_UNIX receive queues over a byte ring and a record ring, allocated on the first write. */
#include "sockbuf.h"

#include <aramid/errno.h>

static void sockbuf_copy_in(struct sockbuf *buffer, uint64_t position, const unsigned char *bytes,
                            size_t length)
{
    for (size_t done = 0; done < length;) {
        size_t offset = (size_t)(position % buffer->capacity);
        size_t run = buffer->capacity - offset;
        if (run > length - done)
            run = length - done;
        __builtin_memcpy(buffer->data + offset, bytes + done, run);
        done += run;
        position += run;
    }
}

static void sockbuf_copy_out(const struct sockbuf *buffer, uint64_t position, unsigned char *out,
                             size_t length)
{
    for (size_t done = 0; done < length;) {
        size_t offset = (size_t)(position % buffer->capacity);
        size_t run = buffer->capacity - offset;
        if (run > length - done)
            run = length - done;
        __builtin_memcpy(out + done, buffer->data + offset, run);
        done += run;
        position += run;
    }
}

void sockbuf_init(struct sockbuf *buffer, int type, uint32_t capacity)
{
    if (capacity < SOCKBUF_CAPACITY_MIN)
        capacity = SOCKBUF_CAPACITY_MIN;
    if (capacity > SOCKBUF_CAPACITY_MAX)
        capacity = SOCKBUF_CAPACITY_MAX;
    *buffer = (struct sockbuf){.type = type, .capacity = capacity};
}

void sockbuf_destroy(struct sockbuf *buffer, void (*release)(long attachment))
{
    for (uint32_t i = 0; i < buffer->count; i++) {
        const struct sockbuf_record *record =
            &buffer->records[(buffer->first + i) % SOCKBUF_RECORDS_MAX];
        if (record->attachment != 0 && release != NULL)
            release(record->attachment);
    }
    if (buffer->data != NULL)
        sockbuf_memory_free(buffer->data, buffer->capacity);
    if (buffer->records != NULL)
        sockbuf_memory_free(buffer->records, SOCKBUF_RECORDS_MAX * sizeof(*buffer->records));
    int type = buffer->type;
    uint32_t capacity = buffer->capacity;
    *buffer = (struct sockbuf){.type = type, .capacity = capacity};
}

size_t sockbuf_used(const struct sockbuf *buffer)
{
    return (size_t)(buffer->tail - buffer->head);
}

size_t sockbuf_space(const struct sockbuf *buffer)
{
    return buffer->capacity - sockbuf_used(buffer);
}

bool sockbuf_readable(const struct sockbuf *buffer)
{
    return buffer->type == SOCKBUF_STREAM ? buffer->tail != buffer->head : buffer->count != 0;
}

bool sockbuf_writable(const struct sockbuf *buffer)
{
    if (buffer->type != SOCKBUF_STREAM && buffer->count >= SOCKBUF_RECORDS_MAX)
        return false;
    return sockbuf_used(buffer) <= (size_t)buffer->capacity * 3 / 4;
}

/* Memory comes with the first write: an idle socket costs no buffer. */
static long sockbuf_allocate(struct sockbuf *buffer)
{
    if (buffer->data == NULL) {
        buffer->data = sockbuf_memory_alloc(buffer->capacity);
        if (buffer->data == NULL)
            return -ARAMID_ENOMEM;
    }
    if (buffer->records == NULL) {
        buffer->records = sockbuf_memory_alloc(SOCKBUF_RECORDS_MAX * sizeof(*buffer->records));
        if (buffer->records == NULL)
            return -ARAMID_ENOMEM;
    }
    return 0;
}

long sockbuf_write(struct sockbuf *buffer, const void *bytes, size_t length, long attachment,
                   long sender)
{
    bool stream = buffer->type == SOCKBUF_STREAM;
    if (stream && length == 0)
        return 0;
    if (!stream && length > buffer->capacity)
        return -ARAMID_EMSGSIZE;
    size_t space = sockbuf_space(buffer);
    if (stream ? space == 0 : (length > space || buffer->count >= SOCKBUF_RECORDS_MAX))
        return -ARAMID_EAGAIN;
    long result = sockbuf_allocate(buffer);
    if (result < 0)
        return result;
    size_t taken = stream && length > space ? space : length;
    /* A stream needs a record only to carry an attachment, and a record slot for it. */
    bool record = !stream || attachment != 0;
    if (record && buffer->count >= SOCKBUF_RECORDS_MAX)
        return -ARAMID_EAGAIN;
    sockbuf_copy_in(buffer, buffer->tail, bytes, taken);
    if (record) {
        struct sockbuf_record *slot =
            &buffer->records[(buffer->first + buffer->count) % SOCKBUF_RECORDS_MAX];
        *slot = (struct sockbuf_record){
            .start = buffer->tail, .length = (uint32_t)taken, .attachment = attachment,
            .sender = sender};
        buffer->count++;
    }
    buffer->tail += taken;
    return (long)taken;
}

static void sockbuf_pop(struct sockbuf *buffer)
{
    buffer->first = (buffer->first + 1) % SOCKBUF_RECORDS_MAX;
    buffer->count--;
}

long sockbuf_read(struct sockbuf *buffer, void *out, size_t length, int flags,
                  struct sockbuf_read_info *info)
{
    bool peek = (flags & SOCKBUF_PEEK) != 0;
    *info = (struct sockbuf_read_info){0};
    if (!sockbuf_readable(buffer))
        return -ARAMID_EAGAIN;
    if (buffer->type != SOCKBUF_STREAM) {
        struct sockbuf_record *record = &buffer->records[buffer->first];
        size_t copied = length < record->length ? length : record->length;
        sockbuf_copy_out(buffer, record->start, out, copied);
        info->full_length = record->length;
        info->attachment = record->attachment;
        info->sender = record->sender;
        if (!peek) {
            buffer->head = record->start + record->length;
            sockbuf_pop(buffer);
        }
        return (long)copied;
    }
    size_t available = sockbuf_used(buffer);
    size_t copied = length < available ? length : available;
    uint64_t end = buffer->head + copied;
    /* The first attachment starting in the run read is delivered, and the read ends with
     * its record (Linux's unix_stream_read_generic). Records already passed are gone. */
    if (buffer->count != 0) {
        struct sockbuf_record *record = &buffer->records[buffer->first];
        if (record->start < end) {
            uint64_t record_end = record->start + record->length;
            if (record_end < end)
                end = record_end;
            copied = (size_t)(end - buffer->head);
            info->attachment = record->attachment;
            /* Taken (or partly read): a stream record only carries its attachment, so the
             * rest of its bytes read on as plain bytes. */
            if (!peek)
                sockbuf_pop(buffer);
        }
    }
    sockbuf_copy_out(buffer, buffer->head, out, copied);
    if (!peek)
        buffer->head = end;
    info->full_length = copied;
    return (long)copied;
}

int sockbuf_backlog_clamp(int backlog)
{
    if (backlog < 0 || backlog > SOCKBUF_SOMAXCONN)
        return SOCKBUF_SOMAXCONN;
    return backlog;
}

bool sockbuf_backlog_full(int backlog, size_t pending)
{
    return pending > (size_t)backlog;
}
