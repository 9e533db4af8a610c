/* Handle tables: install, check, duplicate and close capabilities with generation-tagged values. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "handle.h"
#include "kerrno.h"

_Static_assert(HANDLE_INDEX_BITS + HANDLE_GENERATION_BITS == 31, "handles must stay positive ints");

static handle_t handle_encode(uint32_t index, uint32_t generation)
{
    return (handle_t)(((uint64_t)generation << HANDLE_INDEX_BITS) | index);
}

int handle_table_init(struct handle_table *table, struct handle_slot *slots, size_t capacity)
{
    if (slots == NULL || capacity == 0 || capacity > HANDLE_MAX_SLOTS)
        return -EINVAL;
    table->slots = slots;
    table->capacity = (uint32_t)capacity;
    table->used = 0;
    for (uint32_t i = 0; i < table->capacity; i++) {
        slots[i].object = NULL;
        slots[i].rights = 0;
        slots[i].generation = 1;
        slots[i].type = HANDLE_TYPE_NONE;
        slots[i].next_free = i + 1 < table->capacity ? i + 1 : HANDLE_SLOT_NONE;
    }
    table->free_head = 0;
    table->free_tail = table->capacity - 1;
    table->high_water = 0;
    return 0;
}

/* Takes the oldest free slot and fills it. The free list is not empty. */
static handle_t handle_fill_slot(struct handle_table *table, void *object, enum handle_type type,
                                 uint32_t rights, uint64_t badge)
{
    uint32_t index = table->free_head;
    struct handle_slot *slot = &table->slots[index];
    table->free_head = slot->next_free;
    if (table->free_head == HANDLE_SLOT_NONE)
        table->free_tail = HANDLE_SLOT_NONE;
    slot->object = object;
    slot->type = type;
    slot->rights = rights;
    slot->badge = badge;
    slot->next_free = HANDLE_SLOT_NONE;
    table->used++;
    if (index >= table->high_water)
        table->high_water = index + 1;
    return handle_encode(index, slot->generation);
}

/* Empties a live slot, retires its generation and appends it to the free list. */
static void handle_free_slot(struct handle_table *table, struct handle_slot *slot)
{
    uint32_t index = (uint32_t)(slot - table->slots);
    slot->object = NULL;
    slot->type = HANDLE_TYPE_NONE;
    slot->rights = 0;
    slot->generation = slot->generation == HANDLE_GENERATION_MAX ? 1 : slot->generation + 1;
    slot->next_free = HANDLE_SLOT_NONE;
    if (table->free_tail == HANDLE_SLOT_NONE)
        table->free_head = index;
    else
        table->slots[table->free_tail].next_free = index;
    table->free_tail = index;
    table->used--;
}

handle_t handle_install(struct handle_table *table, void *object, enum handle_type type,
                        uint32_t rights)
{
    return handle_install_badged(table, object, type, rights, 0);
}

handle_t handle_install_badged(struct handle_table *table, void *object, enum handle_type type,
                               uint32_t rights, uint64_t badge)
{
    if (object == NULL || type <= HANDLE_TYPE_NONE || type >= HANDLE_TYPE_COUNT)
        return -EINVAL;
    if ((rights & ~HANDLE_RIGHTS_VALID) != 0)
        return -EINVAL;
    if (table->free_head == HANDLE_SLOT_NONE)
        return -EMFILE;
    return handle_fill_slot(table, object, type, rights, badge);
}

int handle_get_info(const struct handle_table *table, handle_t handle, struct handle_info *out)
{
    const struct handle_slot *slot = handle_resolve(table, handle);
    if (slot == NULL)
        return -EBADF;
    out->object = slot->object;
    out->type = slot->type;
    out->rights = slot->rights;
    out->badge = slot->badge;
    return 0;
}

int handle_close(struct handle_table *table, handle_t handle, void **object, enum handle_type *type)
{
    struct handle_slot *slot = handle_resolve(table, handle);
    if (slot == NULL)
        return -EBADF;
    if (object != NULL)
        *object = slot->object;
    if (type != NULL)
        *type = slot->type;
    handle_free_slot(table, slot);
    return 0;
}

handle_t handle_duplicate(struct handle_table *table, handle_t handle, uint32_t rights_mask)
{
    const struct handle_slot *slot = handle_resolve(table, handle);
    if (slot == NULL)
        return -EBADF;
    if ((slot->rights & HANDLE_RIGHT_DUPLICATE) == 0)
        return -EPERM;
    if (table->free_head == HANDLE_SLOT_NONE)
        return -EMFILE;
    uint32_t rights = (slot->rights & rights_mask & HANDLE_RIGHTS_ALL) |
                      (rights_mask & HANDLE_RIGHT_INHERIT);
    return handle_fill_slot(table, slot->object, slot->type, rights, slot->badge);
}

/* Closes every live handle whose rights lack all of spare (0: every handle). Slots at or above
 * high_water were never used: the scan stops there (at every exit and exec it went through
 * all 1,024). */
static size_t close_unless(struct handle_table *table, uint32_t spare,
                           void (*close_one)(void *ctx, void *object, enum handle_type type),
                           void *ctx)
{
    size_t closed = 0;
    for (uint32_t i = 0; i < table->high_water; i++) {
        struct handle_slot *slot = &table->slots[i];
        if (slot->type == HANDLE_TYPE_NONE || (slot->rights & spare))
            continue;
        void *object = slot->object;
        enum handle_type type = slot->type;
        handle_free_slot(table, slot);
        close_one(ctx, object, type);
        closed++;
    }
    return closed;
}

void handle_table_for_each(const struct handle_table *table,
                           void (*visit)(void *ctx, void *object, enum handle_type type,
                                         uint32_t rights),
                           void *ctx)
{
    for (uint32_t i = 0; i < table->high_water; i++) {
        const struct handle_slot *slot = &table->slots[i];
        if (slot->type != HANDLE_TYPE_NONE)
            visit(ctx, slot->object, slot->type, slot->rights);
    }
}

size_t handle_table_close_all(struct handle_table *table,
                              void (*close_one)(void *ctx, void *object, enum handle_type type),
                              void *ctx)
{
    return close_unless(table, 0, close_one, ctx);
}

size_t handle_table_close_uninherited(struct handle_table *table,
                                      void (*close_one)(void *ctx, void *object,
                                                        enum handle_type type),
                                      void *ctx)
{
    return close_unless(table, HANDLE_RIGHT_INHERIT, close_one, ctx);
}

long handle_table_copy_inherited(struct handle_table *to, const struct handle_table *from,
                                 void (*take_one)(void *ctx, void *object, enum handle_type type),
                                 void *ctx)
{
    if (to->high_water != 0 || to->capacity < from->capacity)
        return -EINVAL;
    uint32_t end = from->high_water;
    long copied = 0;
    for (uint32_t i = 0; i < end; i++) {
        const struct handle_slot *source = &from->slots[i];
        if (source->type == HANDLE_TYPE_NONE || !(source->rights & HANDLE_RIGHT_INHERIT))
            continue;
        to->slots[i] = *source;
        to->slots[i].next_free = HANDLE_SLOT_NONE;
        take_one(ctx, source->object, source->type);
        copied++;
    }
    if (copied == 0)
        return 0;
    /* The free list again, in slot order, without the copied slots: the slots below end, then
     * the never-used rest, still chained in order from handle_table_init. */
    to->used = (uint32_t)copied;
    to->high_water = end;
    to->free_head = to->free_tail = HANDLE_SLOT_NONE;
    for (uint32_t i = 0; i <= end && i < to->capacity; i++) {
        if (to->slots[i].type != HANDLE_TYPE_NONE)
            continue;
        if (to->free_tail == HANDLE_SLOT_NONE)
            to->free_head = i;
        else
            to->slots[to->free_tail].next_free = i;
        to->free_tail = i;
        if (i == end) {
            to->free_tail = to->capacity - 1; /* end..capacity-1 are chained already */
            return copied;
        }
        to->slots[i].next_free = HANDLE_SLOT_NONE;
    }
    return copied;
}

size_t handle_table_count(const struct handle_table *table)
{
    return table->used;
}
