/* The robust-list walk (robust_list.h): pure, so the same code runs in the kernel and the tests. */
#include "robust_list.h"

unsigned robust_list_walk(uint64_t head, unsigned limit, const struct robust_list_access *access)
{
    uint64_t first, next_offset, word_offset, pending;
    if (access->read(access->context, head, &first) != 0 ||
        access->read(access->context, head + 8, &next_offset) != 0 ||
        access->read(access->context, head + 16, &word_offset) != 0 ||
        access->read(access->context, head + 24, &pending) != 0)
        return 0;
    unsigned released = 0;
    uint64_t mutex = first;
    for (unsigned n = 0; mutex != 0 && n < limit; n++) {
        uint64_t next;
        if (access->read(access->context, mutex + next_offset, &next) != 0)
            break;
        access->release(access->context, mutex + word_offset);
        released++;
        mutex = next;
    }
    if (pending != 0) {
        access->release(access->context, pending + word_offset);
        released++;
    }
    return released;
}
