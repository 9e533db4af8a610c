/* The sock server's readiness words (aramid/proto/ready.h), mapped read-only: a watched
 * socket's change is read from its word after the notification, not asked with ready_poll. */
#include "event.h"

#include <aramid/proto/sock.h>

/* The words come only from the sock endpoint init gave the server (never from a handle a
 * client granted), so they are the sock server's. The sock server is a system process, but
 * every index is still range-checked and every word loaded once. */
static const unsigned long *event_sock_words;
static unsigned long event_sock_word_count;
static bool event_sock_words_tried;

/* The part of a ring half mapped to look at its indexes: its first page. */
#define EVENT_RING_HEADER_BYTES 4096ul
_Static_assert(sizeof(struct aramid_sock_ring_half) <= EVENT_RING_HEADER_BYTES &&
                   ARAMID_SOCK_RING_HALF % EVENT_RING_HEADER_BYTES == 0,
               "a half's header is its first page");

/* Maps the words on first use; false when there are none (no sock server, a failed call). */
static bool event_sock_words_ready(void)
{
    if (event_sock_words != NULL)
        return true;
    if (event_sock_words_tried || event.sock <= 0)
        return false;
    event_sock_words_tried = true;
    aramid_handle_t memory;
    unsigned long count;
    if (aramid_ready_map(event.sock, ARAMID_SOCK_ready_map, 0, &memory, &count) < 0)
        return false;
    size_t bytes = (count * sizeof(unsigned long) + 4095) & ~4095ul;
    long address = count == 0 || count > (1ul << ARAMID_SOCK_SLOT_BITS)
                       ? -ARAMID_EINVAL
                       : aramid_memory_map(event.space, bytes, ARAMID_PROT_READ, memory, 0);
    (void)sys_handle_close(memory); /* the mapping keeps the object */
    if (address < 0)
        return false;
    event_sock_words = (const unsigned long *)address;
    event_sock_word_count = count;
    return true;
}

unsigned long event_ready_word_of(unsigned long foreign_id)
{
    if ((foreign_id & ~((1ul << 60) - 1)) != ARAMID_READY_ID_SOCK || !event_sock_words_ready())
        return 0;
    unsigned long slot = aramid_sock_ready_slot(foreign_id);
    return slot < event_sock_word_count ? slot + 1 : 0;
}

/* The header page of the half object's socket reads (its ring's indexes), mapped read-only on
 * need from ready_map with its id (through the event server's own sock handle), again when the half says
 * it is no longer the socket's (ARAMID_SOCK_RING_GONE: the pair got new rings); NULL when it
 * cannot be had (then the word is not enough: ready_poll). */
static const struct aramid_sock_ring_half *event_ring_header(struct event_object *object)
{
    if (object->ring_header != NULL &&
        (__atomic_load_n((const uint32_t *)&object->ring_header->flags, __ATOMIC_ACQUIRE) &
         ARAMID_SOCK_RING_GONE))
        event_ready_ring_release(object);
    if (object->ring_header != NULL)
        return object->ring_header;
    aramid_handle_t memory;
    unsigned long half;
    if (aramid_ready_map(event.sock, ARAMID_SOCK_ready_map, object->foreign_id, &memory, &half) <
        0)
        return NULL;
    long address = half > 1 ? -ARAMID_EPROTO
                            : aramid_memory_map(event.space, EVENT_RING_HEADER_BYTES,
                                                ARAMID_PROT_READ, memory,
                                                half * ARAMID_SOCK_RING_HALF);
    (void)sys_handle_close(memory); /* the mapping keeps the object */
    if (address < 0)
        return NULL;
    object->ring_header = (const struct aramid_sock_ring_half *)address;
    return object->ring_header;
}

void event_ready_ring_release(struct event_object *object)
{
    if (object->ring_header != NULL)
        (void)sys_vm_unmap(event.space, (unsigned long)object->ring_header,
                           EVENT_RING_HEADER_BYTES);
    object->ring_header = NULL;
}

bool event_ready_word_read(struct event_object *object, uint32_t *bits,
                           unsigned long *generation)
{
    /* ready_word 0 (none) wraps to a slot past the count. */
    long ring_only = aramid_ready_word_read(event_sock_words, event_sock_word_count,
                                            object->ready_word - 1,
                                            aramid_sock_ready_check(object->foreign_id), bits,
                                            generation);
    if (ring_only <= 0)
        return ring_only == 0;
    /* Its input is only bytes in its ring, whose reader takes them without telling anyone
     * (ARAMID_SOCK_RING_TELL_READS is clear for us): look at the ring's indexes (each read
     * once, bounded: a scribbled ring says "ask"). */
    const struct aramid_sock_ring_half *half = event_ring_header(object);
    long queued = half == NULL ? -1 : aramid_ring_observe(&half->ring, ARAMID_SOCK_RING_CAPACITY);
    if (queued < 0)
        return false;
    if (queued == 0)
        *bits &= ~(uint32_t)(ARAMID_POLLIN | ARAMID_POLLRDNORM);
    return true;
}
