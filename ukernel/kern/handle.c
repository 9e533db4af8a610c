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
    table->hole_head = HANDLE_SLOT_NONE;
    table->free_head = HANDLE_SLOT_NONE;
    table->free_tail = HANDLE_SLOT_NONE;
    table->high_water = 0; /* every slot is never used: none is written until it is taken */
    return 0;
}

/* No slot is free: no hole, no never-used slot, no closed one. */
static bool handle_table_full(const struct handle_table *table)
{
    return table->hole_head == HANDLE_SLOT_NONE && table->high_water == table->capacity &&
           table->free_head == HANDLE_SLOT_NONE;
}

/* Takes the oldest free slot and fills it: a hole an inherited copy left, else the first
 * never-used slot, else the slot closed longest ago (the order a single list in index order
 * with closed slots appended gave). The table is not full. */
static handle_t handle_fill_slot(struct handle_table *table, void *object, enum handle_type type,
                                 uint32_t rights, uint64_t badge)
{
    uint32_t index;
    struct handle_slot *slot;
    if (table->hole_head != HANDLE_SLOT_NONE) {
        index = table->hole_head;
        slot = &table->slots[index];
        table->hole_head = slot->next_free;
    } else if (table->high_water < table->capacity) {
        index = table->high_water++;
        slot = &table->slots[index];
        slot->generation = 1;
    } else {
        index = table->free_head;
        slot = &table->slots[index];
        table->free_head = slot->next_free;
        if (table->free_head == HANDLE_SLOT_NONE)
            table->free_tail = HANDLE_SLOT_NONE;
    }
    slot->object = object;
    slot->type = type;
    slot->rights = rights;
    slot->badge = badge;
    slot->next_free = HANDLE_SLOT_NONE;
    table->used++;
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
    if (handle_table_full(table))
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
    if (handle_table_full(table))
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
    /* The slots below end that are not copied become holes, taken first and in slot order
     * (then the never-used slots from end on), as fresh slots (generation 1). */
    uint32_t hole_tail = HANDLE_SLOT_NONE;
    for (uint32_t i = 0; i < end; i++) {
        const struct handle_slot *source = &from->slots[i];
        struct handle_slot *slot = &to->slots[i];
        if (source->type == HANDLE_TYPE_NONE || !(source->rights & HANDLE_RIGHT_INHERIT)) {
            *slot = (struct handle_slot){.generation = 1, .type = HANDLE_TYPE_NONE,
                                         .next_free = HANDLE_SLOT_NONE};
            if (hole_tail == HANDLE_SLOT_NONE)
                to->hole_head = i;
            else
                to->slots[hole_tail].next_free = i;
            hole_tail = i;
            continue;
        }
        *slot = *source;
        slot->next_free = HANDLE_SLOT_NONE;
        take_one(ctx, source->object, source->type);
        copied++;
    }
    if (copied == 0) {
        to->hole_head = HANDLE_SLOT_NONE; /* still fresh: every slot never used */
        return 0;
    }
    to->used = (uint32_t)copied;
    to->high_water = end;
    return copied;
}

size_t handle_table_count(const struct handle_table *table)
{
    return table->used;
}

void handle_table_count_types(const struct handle_table *table, uint64_t *counts, size_t kinds)
{
    for (size_t i = 0; i < kinds; i++)
        counts[i] = 0;
    for (uint32_t i = 0; i < table->high_water; i++) {
        enum handle_type type = table->slots[i].type;
        if (type != HANDLE_TYPE_NONE && (size_t)type < kinds)
            counts[type]++;
    }
}
