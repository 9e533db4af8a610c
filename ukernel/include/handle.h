/* Per-process handle table: the unforgeable capabilities through which user space names objects. */
#ifndef ARAMID_HANDLE_H
#define ARAMID_HANDLE_H

#include <stddef.h>
#include <stdint.h>

#include "kerrno.h"

/*
 * A handle value is (generation << HANDLE_INDEX_BITS) | slot index. Generations run from 1 to
 * HANDLE_GENERATION_MAX, so every valid handle lies in [4096, INT32_MAX]: positive, fits an
 * int, and 0 is never valid. Closing a slot bumps its generation, so the old value is stale
 * (-EBADF) once the slot is reused. Freed slots are reused oldest-first, so a stale value can
 * name a new object only after its slot has been reused HANDLE_GENERATION_MAX times.
 *
 * Functions taking a handle accept any 64-bit value straight from a user register and reject
 * everything that is not a live handle of this table with -EBADF.
 *
 * The table does not count references: the caller takes a reference on the object before
 * handle_install and drops the one handed back by handle_close and handle_table_close_all.
 * Locking: the caller holds the owning process's lock (or, on one CPU, runs with interrupts
 * disabled) around every call.
 */

typedef int64_t handle_t;

#define HANDLE_INDEX_BITS 12
#define HANDLE_MAX_SLOTS (1u << HANDLE_INDEX_BITS)
#define HANDLE_GENERATION_BITS (31 - HANDLE_INDEX_BITS)
#define HANDLE_GENERATION_MAX ((1u << HANDLE_GENERATION_BITS) - 1)

enum handle_type {
    HANDLE_TYPE_NONE = 0, /* free slot; never matches a lookup */
    HANDLE_TYPE_THREAD,
    HANDLE_TYPE_ADDRESS_SPACE,
    HANDLE_TYPE_ENDPOINT,
    HANDLE_TYPE_NOTIFICATION,
    HANDLE_TYPE_MEMORY_OBJECT,
    HANDLE_TYPE_PROCESS,
    HANDLE_TYPE_CONSOLE, /* the console's input (console_input.c): one static object */
    HANDLE_TYPE_COUNT,
};

#define HANDLE_RIGHT_READ (1u << 0)      /* read state or contents */
#define HANDLE_RIGHT_WRITE (1u << 1)     /* change state or contents */
#define HANDLE_RIGHT_EXECUTE (1u << 2)   /* map a memory object executable */
#define HANDLE_RIGHT_MAP (1u << 3)       /* map a memory object into an address space */
#define HANDLE_RIGHT_SEND (1u << 4)      /* call or send on an endpoint */
#define HANDLE_RIGHT_RECEIVE (1u << 5)   /* receive on an endpoint */
#define HANDLE_RIGHT_SIGNAL (1u << 6)    /* set bits of a notification */
#define HANDLE_RIGHT_WAIT (1u << 7)      /* wait on a notification */
#define HANDLE_RIGHT_GRANT (1u << 8)     /* transfer the handle to another process by IPC */
#define HANDLE_RIGHT_DUPLICATE (1u << 9) /* make another handle with the same or fewer rights */
#define HANDLE_RIGHT_MANAGE (1u << 10)   /* control: suspend, kill, change mappings */
#define HANDLE_RIGHTS_ALL ((1u << 11) - 1)
/* Not a right over the object but a mark on the handle, which its holder may set on a duplicate:
 * copied into a child made by process_create(space, source), kept by process_exec. */
#define HANDLE_RIGHT_INHERIT (1u << 11)
#define HANDLE_RIGHTS_VALID (HANDLE_RIGHTS_ALL | HANDLE_RIGHT_INHERIT)

#define HANDLE_SLOT_NONE UINT32_MAX

struct handle_slot {
    void *object;
    uint64_t badge; /* endpoints: what calls through this handle carry (endpoint_mint) */
    uint32_t rights;
    /* Generation of the current occupant, or of the next one while free. */
    uint32_t generation;
    enum handle_type type;
    /* Next slot in the free list while free; HANDLE_SLOT_NONE at its tail. */
    uint32_t next_free;
};

struct handle_table {
    struct handle_slot *slots;
    uint32_t capacity;
    uint32_t used;
    /* Free slots are taken in this order: the holes an inherited copy left below its
     * high-water mark (a list in slot order), then the never-used slots (from high_water on),
     * then the closed slots, oldest first (a FIFO: taken at the head, appended at the tail). */
    uint32_t hole_head;
    uint32_t free_head;
    uint32_t free_tail;
    /* Slots at or above this index have never been used: free, and never written (so creating
     * a table writes no slot). */
    uint32_t high_water;
};

struct handle_info {
    void *object;
    enum handle_type type;
    uint32_t rights;
    uint64_t badge;
};

/* Uses slots[0..capacity) as the table. Returns 0, or -EINVAL if slots is NULL or capacity is
 * 0 or above HANDLE_MAX_SLOTS. */
int handle_table_init(struct handle_table *table, struct handle_slot *slots, size_t capacity);

/* Returns a new handle (> 0), -EINVAL (object NULL, type not a real type, unknown rights bits)
 * or -EMFILE (table full). */
handle_t handle_install(struct handle_table *table, void *object, enum handle_type type,
                        uint32_t rights);

/* handle_install with a badge (endpoint_mint). */
handle_t handle_install_badged(struct handle_table *table, void *object, enum handle_type type,
                               uint32_t rights, uint64_t badge);

/* Returns the slot a live handle names, or NULL for any other value. Inline: every system call
 * that takes a handle starts here, the IPC fastpath included. */
static inline struct handle_slot *handle_resolve(const struct handle_table *table, handle_t handle)
{
    if (handle <= 0 || handle > INT32_MAX)
        return NULL;
    uint32_t index = (uint32_t)handle & (HANDLE_MAX_SLOTS - 1);
    uint32_t generation = (uint32_t)handle >> HANDLE_INDEX_BITS;
    if (index >= table->high_water)
        return NULL; /* never used (high_water <= capacity) */
    struct handle_slot *slot = &table->slots[index];
    if (slot->type == HANDLE_TYPE_NONE || slot->generation != generation)
        return NULL;
    return slot;
}

/* Stores the object of handle in *object. Returns 0; -EBADF if the handle is not live in this
 * table or its type is not expected_type; -EPERM if it lacks a right in required_rights (EPERM,
 * not EACCES: the capability exists but does not allow the operation; EACCES is left to
 * file-permission checks in the servers). */
static inline int handle_lookup(const struct handle_table *table, handle_t handle,
                                enum handle_type expected_type, uint32_t required_rights,
                                void **object)
{
    const struct handle_slot *slot = handle_resolve(table, handle);
    if (slot == NULL || slot->type != expected_type)
        return -EBADF;
    if ((slot->rights & required_rights) != required_rights)
        return -EPERM;
    *object = slot->object;
    return 0;
}

/* Copies the object, type and rights of a live handle (for grants). Returns 0 or -EBADF. */
int handle_get_info(const struct handle_table *table, handle_t handle, struct handle_info *out);

/* Frees the slot; its value becomes stale. Hands back the object and type (either pointer may be
 * NULL) so the caller drops its reference. Returns 0 or -EBADF. */
int handle_close(struct handle_table *table, handle_t handle, void **object,
                 enum handle_type *type);

/* Returns a new handle to the same object with rights (old rights & rights_mask): rights are
 * never added, except the HANDLE_RIGHT_INHERIT mark, taken from rights_mask. Needs HANDLE_RIGHT_DUPLICATE. Returns the handle, -EBADF, -EPERM or -EMFILE.
 * The caller takes a reference for the new handle. */
handle_t handle_duplicate(struct handle_table *table, handle_t handle, uint32_t rights_mask);

/* Calls visit for every live handle of table (object, type, rights), in slot order. */
void handle_table_for_each(const struct handle_table *table,
                           void (*visit)(void *ctx, void *object, enum handle_type type,
                                         uint32_t rights),
                           void *ctx);

/* Closes every live handle (process teardown), calling close_one(ctx, object, type) for each after
 * its slot is freed. Returns how many were closed. */
size_t handle_table_close_all(struct handle_table *table,
                              void (*close_one)(void *ctx, void *object, enum handle_type type),
                              void *ctx);

/* Fills the never-used table to with every handle of from that has HANDLE_RIGHT_INHERIT, at
 * the same values (slot and generation), calling take_one(ctx, object, type) for each copy.
 * Returns the number copied, or -EINVAL when to has been used or is smaller than from. Costs
 * O(from's high-water mark), not O(capacity): fork pays for the slots its parent used. */
long handle_table_copy_inherited(struct handle_table *to, const struct handle_table *from,
                                 void (*take_one)(void *ctx, void *object, enum handle_type type),
                                 void *ctx);

/* Closes every live handle without HANDLE_RIGHT_INHERIT (process_exec), like
 * handle_table_close_all. Returns how many were closed. */
size_t handle_table_close_uninherited(struct handle_table *table,
                                      void (*close_one)(void *ctx, void *object,
                                                        enum handle_type type),
                                      void *ctx);

/* Number of live handles. */
size_t handle_table_count(const struct handle_table *table);

/* counts[t] = the live handles of type t, for t < kinds (counts[0], HANDLE_TYPE_NONE, is 0). */
void handle_table_count_types(const struct handle_table *table, uint64_t *counts, size_t kinds);

#endif /* ARAMID_HANDLE_H */
