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
    if (aramid_ready_map(event.sock, ARAMID_SOCK_ready_map, &memory, &count) < 0)
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

bool event_ready_word_read(const struct event_object *object, uint32_t *bits,
                           unsigned long *generation)
{
    /* ready_word 0 (none) wraps to a slot past the count. The RING flag is for the ring's
     * reader: a watched socket's ring bytes are all told (ARAMID_SOCK_RING_TELL). */
    return aramid_ready_word_read(event_sock_words, event_sock_word_count, object->ready_word - 1,
                                  aramid_sock_ready_check(object->foreign_id), bits,
                                  generation) >= 0;
}
