/* Open file descriptions: what an open() made (offset, status flags) and which processes hold
 * it (pure logic). */
#include "ofd.h"

#include <aramid/errno.h>

#include "kstring.h"

void ofd_table_init(struct ofd_table *table)
{
    memset(table, 0, sizeof(*table));
    table->hint = 1;
}

long ofd_create(struct ofd_table *table, unsigned long process, enum ofd_kind kind, int flags)
{
    for (long n = 0; n < OFD_MAX - 1; n++) {
        long id = 1 + (table->hint - 1 + n) % (OFD_MAX - 1);
        struct ofd *ofd = &table->ofds[id];
        if (ofd->kind != OFD_FREE)
            continue;
        memset(ofd, 0, sizeof(*ofd));
        ofd->kind = kind;
        ofd->flags = flags;
        ofd->holder_count = 1;
        ofd->holders[0] = process;
        table->hint = id + 1;
        return id;
    }
    return -ARAMID_ENFILE;
}

/* The slot of process among id's holders, or -1. */
static int ofd_holder_index(const struct ofd *ofd, unsigned long process)
{
    for (unsigned i = 0; i < ofd->holder_count; i++) {
        if (ofd->holders[i] == process)
            return (int)i;
    }
    return -1;
}

struct ofd *ofd_find(struct ofd_table *table, unsigned long process, long id)
{
    if (id <= 0 || id >= OFD_MAX)
        return NULL;
    struct ofd *ofd = &table->ofds[id];
    if (ofd->kind == OFD_FREE || ofd_holder_index(ofd, process) < 0)
        return NULL;
    return ofd;
}

long ofd_hold(struct ofd_table *table, unsigned long process, long id)
{
    if (id <= 0 || id >= OFD_MAX || table->ofds[id].kind == OFD_FREE)
        return -ARAMID_EBADF;
    struct ofd *ofd = &table->ofds[id];
    if (ofd_holder_index(ofd, process) >= 0)
        return 0;
    if (ofd->holder_count >= OFD_HOLDERS_MAX)
        return -ARAMID_ENFILE;
    ofd->holders[ofd->holder_count++] = process;
    return 0;
}

long ofd_release(struct ofd_table *table, unsigned long process, long id)
{
    struct ofd *ofd = ofd_find(table, process, id);
    if (ofd == NULL)
        return -ARAMID_EBADF;
    int index = ofd_holder_index(ofd, process);
    ofd->holders[index] = ofd->holders[--ofd->holder_count];
    return ofd->holder_count == 0 ? 1 : 0;
}

void ofd_free(struct ofd_table *table, long id)
{
    memset(&table->ofds[id], 0, sizeof(table->ofds[id]));
}

long ofd_next_held(struct ofd_table *table, unsigned long process, long *cursor)
{
    for (long id = *cursor < 1 ? 1 : *cursor; id < OFD_MAX; id++) {
        if (ofd_find(table, process, id) != NULL) {
            *cursor = id + 1;
            return id;
        }
    }
    *cursor = OFD_MAX;
    return 0;
}
