/* The epoll snapshot's seqlock (aramid/proto/event.h): the server's writer and the client's
 * reader that trusts nothing it reads (pure logic, host-tested in tests/unit). */
#include <aramid/proto/event.h>

void aramid_event_snapshot_write(struct aramid_event_snapshot *snapshot, unsigned long *sequence,
                                 const struct aramid_event_record *records, long count)
{
    /* Odd while writing; the writer's own copy of the count, never the page's. */
    __atomic_store_n(&snapshot->sequence, *sequence + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n(&snapshot->count,
                     count < 0 ? ARAMID_EVENT_SNAPSHOT_NONE : (unsigned long)count,
                     __ATOMIC_RELAXED);
    for (long i = 0; i < count; i++) {
        __atomic_store_n(&snapshot->records[i].events, records[i].events, __ATOMIC_RELAXED);
        __atomic_store_n(&snapshot->records[i].data, records[i].data, __ATOMIC_RELAXED);
    }
    *sequence += 2;
    __atomic_store_n(&snapshot->sequence, *sequence, __ATOMIC_RELEASE);
}

long aramid_event_snapshot_read(const struct aramid_event_snapshot *snapshot,
                                struct aramid_event_record *out, long maxevents)
{
    unsigned long sequence = __atomic_load_n(&snapshot->sequence, __ATOMIC_ACQUIRE);
    unsigned long count = __atomic_load_n(&snapshot->count, __ATOMIC_RELAXED);
    /* Read once, then checked: a scribbled count sends the caller to the server. */
    if ((sequence & 1) != 0 || count > ARAMID_EVENT_SNAPSHOT_MAX || maxevents < 0 ||
        count > (unsigned long)maxevents)
        return -1;
    for (unsigned long i = 0; i < count; i++) {
        out[i].events = __atomic_load_n(&snapshot->records[i].events, __ATOMIC_RELAXED);
        out[i].data = __atomic_load_n(&snapshot->records[i].data, __ATOMIC_RELAXED);
    }
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if (__atomic_load_n(&snapshot->sequence, __ATOMIC_RELAXED) != sequence)
        return -1;
    return (long)count;
}
