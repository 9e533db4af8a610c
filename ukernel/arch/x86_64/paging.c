/* x86-64 4-level page-table manipulation as pure logic over a frame zone (host-tested). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "kerrno.h"
#include "kstring.h"
#include "paging.h"
#include "vm.h"

/*
 * Levels: 3 = PML4, 2 = PDPT, 1 = PD, 0 = PT. An entry at level L covers 1 << (12 + 9 * L)
 * bytes. User-half tables are linked with PRESENT|WRITE|USER so the leaf alone decides
 * permissions; kernel-half tables with PRESENT|WRITE.
 */
#define PAGING_TABLE_USER (PTE_PRESENT | PTE_WRITE | PTE_USER)
#define PAGING_TABLE_KERNEL (PTE_PRESENT | PTE_WRITE)
#define PAGING_KERNEL_START 0xffff800000000000ull
/* Bits an entry keeps across paging_protect_range: its frame and its history. */
#define PAGING_KEPT_BITS (PTE_ADDRESS_MASK | PTE_COW | PTE_SHARED | PTE_ACCESSED | PTE_DIRTY)
#define PAGING_PERMISSION_BITS                                                                     \
    (PTE_PRESENT | PTE_WRITE | PTE_USER | PTE_NX | PTE_INACCESSIBLE | PTE_GLOBAL)

uintptr_t paging_phys_offset;
uint64_t paging_kernel_pml4;
static struct frame_zone *paging_zone;
/* ~0, or ~PTE_NX on a CPU without NX. */
static uint64_t paging_entry_mask = ~0ull;

void paging_setup(struct frame_zone *zone, uintptr_t phys_offset, bool nx_supported)
{
    paging_zone = zone;
    paging_phys_offset = phys_offset;
    paging_entry_mask = nx_supported ? ~0ull : ~PTE_NX;
    paging_kernel_pml4 = 0;
}

static inline unsigned int paging_index(uint64_t address, int level)
{
    return (unsigned int)(address >> (12 + 9 * level)) & (PAGING_ENTRIES - 1);
}

static inline uint64_t *paging_table(uint64_t entry)
{
    return paging_phys_to_virt(entry & PTE_ADDRESS_MASK);
}

/* The descriptor of an allocated single frame, or NULL for any other address. */
static struct frame *paging_single_frame(uint64_t phys)
{
    struct frame *frame = frame_lookup(paging_zone, phys);

    if (frame == NULL || frame->flags != (FRAME_FLAG_ALLOCATED | FRAME_FLAG_HEAD) ||
        frame->order != 0)
        return NULL;
    return frame;
}

int paging_frame_get(uint64_t phys)
{
    struct frame *frame = paging_single_frame(phys);

    if (frame == NULL || frame->refcount == UINT32_MAX)
        return -EINVAL;
    frame->refcount++;
    return 0;
}

int paging_frame_put(uint64_t phys)
{
    struct frame *frame = paging_single_frame(phys);

    if (frame == NULL || frame->refcount == 0)
        return -EINVAL;
    if (--frame->refcount == 0)
        return frame_free(paging_zone, phys & ~(FRAME_SIZE - 1), 0);
    return 0;
}

uint32_t paging_frame_refcount(uint64_t phys)
{
    struct frame *frame = paging_single_frame(phys);

    return frame == NULL ? 0 : frame->refcount;
}

int paging_frame_alloc(uint64_t *phys_out)
{
    return frame_alloc(paging_zone, 0, phys_out);
}

int paging_frame_alloc_zeroed(uint64_t *phys_out)
{
    int error = frame_alloc(paging_zone, 0, phys_out);

    if (error)
        return error;
    memset(paging_phys_to_virt(*phys_out), 0, FRAME_SIZE);
    return 0;
}

/* Drops the frame reference a user leaf entry owns. Entries are only made by paging_map (which
 * checks the frame) and paging_clone_range (which takes a reference), so this cannot fail. */
static void paging_drop_entry_frame(uint64_t entry)
{
    struct frame *frame = paging_single_frame(entry & PTE_ADDRESS_MASK);

    if (frame != NULL && frame->refcount != 0 && --frame->refcount == 0)
        (void)frame_free(paging_zone, entry & PTE_ADDRESS_MASK, 0);
}

/* Entries a table scan tests at once: a process uses a few entries of each of its tables, so
 * most groups are all zero and cost one test (a fork child's exit freed ~27 tables entry by
 * entry: 80,000 of fork_exit's 214,000 instructions). */
#define PAGING_SCAN_GROUP 8
_Static_assert(PAGING_ENTRIES % PAGING_SCAN_GROUP == 0, "tables are whole groups");

/* True when the PAGING_SCAN_GROUP entries from group on are all zero. */
static bool paging_group_empty(const uint64_t *group)
{
    return (group[0] | group[1] | group[2] | group[3] | group[4] | group[5] | group[6] |
            group[7]) == 0;
}

/* Frees the table at phys of the given level (>= 0) and every table below it; leaves of a
 * user table drop their frame references. Large pages hold no references. */
static void paging_free_table(uint64_t phys, int level, bool user)
{
    uint64_t *table = paging_phys_to_virt(phys);

    for (unsigned int group = 0; group < PAGING_ENTRIES; group += PAGING_SCAN_GROUP) {
        if (paging_group_empty(&table[group]))
            continue;
        for (unsigned int i = group; i < group + PAGING_SCAN_GROUP; i++) {
            uint64_t entry = table[i];

            if (level == 0) {
                if (user && (entry & PTE_HOLDS_FRAME))
                    paging_drop_entry_frame(entry);
            } else if ((entry & PTE_PRESENT) && !(entry & PTE_LARGE)) {
                paging_free_table(entry & PTE_ADDRESS_MASK, level - 1, user);
            }
        }
    }
    (void)frame_free(paging_zone, phys, 0);
}

int paging_create_pml4(uint64_t *pml4_out)
{
    int error = paging_frame_alloc_zeroed(pml4_out);

    if (error)
        return error;
    if (paging_kernel_pml4 != 0) {
        uint64_t *dst = paging_phys_to_virt(*pml4_out);
        const uint64_t *src = paging_phys_to_virt(paging_kernel_pml4);

        memcpy(&dst[PAGING_USER_ENTRIES], &src[PAGING_USER_ENTRIES],
               (PAGING_ENTRIES - PAGING_USER_ENTRIES) * sizeof(uint64_t));
    }
    return 0;
}

void paging_destroy_pml4(uint64_t pml4)
{
    uint64_t *table = paging_phys_to_virt(pml4);

    for (unsigned int i = 0; i < PAGING_USER_ENTRIES; i++)
        if (table[i] & PTE_PRESENT)
            paging_free_table(table[i] & PTE_ADDRESS_MASK, 2, true);
    (void)frame_free(paging_zone, pml4, 0);
}

/* Adds the frames below the table at phys (level >= 0, mapping from base) to usage; see
 * paging_count_user. */
static void paging_count_table(uint64_t phys, int level, uint64_t base, uint64_t low_end,
                               struct paging_usage *usage)
{
    const uint64_t *table = paging_phys_to_virt(phys);

    usage->tables++;
    for (unsigned int i = 0; i < PAGING_ENTRIES; i++) {
        uint64_t entry = table[i];
        uint64_t address = base + ((uint64_t)i << (12 + 9 * level));

        if (level == 0) {
            if ((entry & PTE_HOLDS_FRAME) &&
                paging_frame_refcount(entry & PTE_ADDRESS_MASK) == 1) {
                usage->private_pages++;
                usage->low_private_pages += address < low_end;
            }
            usage->pages += (entry & PTE_HOLDS_FRAME) != 0;
        } else if ((entry & PTE_PRESENT) && !(entry & PTE_LARGE)) {
            paging_count_table(entry & PTE_ADDRESS_MASK, level - 1, address, low_end, usage);
        }
    }
}

void paging_count_user(uint64_t pml4, uint64_t low_end, struct paging_usage *usage)
{
    const uint64_t *table = paging_phys_to_virt(pml4);

    usage->pages = usage->private_pages = usage->low_private_pages = 0;
    usage->tables = 1;
    for (unsigned int i = 0; i < PAGING_USER_ENTRIES; i++)
        if (table[i] & PTE_PRESENT)
            paging_count_table(table[i] & PTE_ADDRESS_MASK, 2, (uint64_t)i << 39, low_end,
                               usage);
}

static bool paging_user_address_ok(uint64_t address)
{
    return address < PAGING_USER_END;
}

/* Pointer to the level-0 entry for a user address; see paging_walk. */
static int paging_walk_user(uint64_t pml4, uint64_t address, bool create, uint64_t **entry_out)
{
    uint64_t *table = paging_phys_to_virt(pml4);

    for (int level = 3; level > 0; level--) {
        uint64_t *entry = &table[paging_index(address, level)];

        if (!(*entry & PTE_PRESENT)) {
            uint64_t phys;
            int error;

            if (!create)
                return -ENOENT;
            error = paging_frame_alloc_zeroed(&phys);
            if (error)
                return error;
            *entry = phys | PAGING_TABLE_USER;
        } else if (*entry & PTE_LARGE) {
            return -EINVAL; /* never made in the user half */
        }
        table = paging_table(*entry);
    }
    *entry_out = &table[paging_index(address, 0)];
    return 0;
}

int paging_walk(uint64_t pml4, uint64_t address, bool create, uint64_t **entry_out)
{
    if (!paging_user_address_ok(address))
        return -EINVAL;
    return paging_walk_user(pml4, address, create, entry_out);
}

int paging_lookup(uint64_t pml4, uint64_t address, uint64_t *entry_out)
{
    uint64_t *entry;
    int error = paging_walk(pml4, address, false, &entry);

    if (error == -ENOENT) {
        *entry_out = 0;
        return 0;
    }
    if (error)
        return error;
    *entry_out = *entry;
    return 0;
}

int paging_map(uint64_t pml4, uint64_t address, uint64_t phys, uint64_t flags)
{
    uint64_t *entry;
    int error;

    if (!paging_user_address_ok(address) || (address & (PAGING_PAGE_SIZE - 1)) ||
        (phys & ~PTE_ADDRESS_MASK) || (flags & PTE_ADDRESS_MASK) || !(flags & PTE_HOLDS_FRAME) ||
        (flags & PTE_LARGE))
        return -EINVAL;
    if (paging_single_frame(phys) == NULL)
        return -EINVAL;
    error = paging_walk_user(pml4, address, true, &entry);
    if (error)
        return error;
    if (*entry & PTE_HOLDS_FRAME)
        return -EEXIST;
    *entry = phys | (flags & paging_entry_mask);
    return 0;
}

static bool paging_user_range_ok(uint64_t start, uint64_t end)
{
    return start <= end && end <= PAGING_USER_END && ((start | end) & (PAGING_PAGE_SIZE - 1)) == 0;
}

/*
 * The leaf table covering the first address >= *address (and < end) whose page tables exist;
 * *address moves past every missing table on the way. NULL when no such table is left.
 */
static uint64_t *paging_next_leaf_table(uint64_t pml4, uint64_t *address, uint64_t end)
{
    while (*address < end) {
        uint64_t *table = paging_phys_to_virt(pml4);
        int level;

        for (level = 3; level > 0; level--) {
            uint64_t entry = table[paging_index(*address, level)];

            if (!(entry & PTE_PRESENT) || (entry & PTE_LARGE))
                break;
            table = paging_table(entry);
        }
        if (level == 0)
            return table;
        uint64_t span = 1ull << (12 + 9 * level);
        *address = (*address & ~(span - 1)) + span;
    }
    return NULL;
}

/* End of the leaf table's span holding address, clipped to end. */
static uint64_t paging_leaf_table_end(uint64_t address, uint64_t end)
{
    uint64_t table_end = (address | (PAGING_LARGE_2M - 1)) + 1;

    return table_end < end ? table_end : end;
}

static bool paging_table_empty(const uint64_t *table)
{
    for (unsigned int group = 0; group < PAGING_ENTRIES; group += PAGING_SCAN_GROUP)
        if (!paging_group_empty(&table[group]))
            return false;
    return true;
}

/*
 * Frees the leaf table covering address if it is empty, then each table above it that became
 * empty, up to (not including) the PML4. The caller flushes the range afterwards, which also
 * drops paging-structure caches of the freed tables (INVLPG does, as does a full flush).
 */
static void paging_prune_tables(uint64_t pml4, uint64_t address)
{
    uint64_t *parent_entry[4];
    uint64_t *table = paging_phys_to_virt(pml4);

    for (int level = 3; level > 0; level--) {
        parent_entry[level - 1] = &table[paging_index(address, level)];
        table = paging_table(*parent_entry[level - 1]);
    }
    /* table is the leaf; parent_entry[n] points at the table of level n. */
    for (int level = 0; level < 3; level++) {
        uint64_t phys = *parent_entry[level] & PTE_ADDRESS_MASK;

        if (!paging_table_empty(paging_phys_to_virt(phys)))
            return;
        *parent_entry[level] = 0;
        (void)frame_free(paging_zone, phys, 0);
    }
}

int paging_unmap_range(uint64_t pml4, uint64_t start, uint64_t end)
{
    uint64_t address = start;
    int cleared = 0;
    uint64_t *table;

    if (!paging_user_range_ok(start, end))
        return -EINVAL;
    while ((table = paging_next_leaf_table(pml4, &address, end)) != NULL) {
        uint64_t chunk_start = address;
        uint64_t chunk_end = paging_leaf_table_end(address, end);
        int cleared_here = 0;

        for (; address < chunk_end; address += PAGING_PAGE_SIZE) {
            uint64_t *entry = &table[paging_index(address, 0)];

            if (*entry & PTE_HOLDS_FRAME) {
                paging_drop_entry_frame(*entry);
                cleared_here++;
            }
            *entry = 0;
        }
        /* Only tables this call emptied: then cleared > 0 and the caller flushes. */
        if (cleared_here > 0)
            paging_prune_tables(pml4, chunk_start);
        cleared += cleared_here;
    }
    return cleared;
}

int paging_protect_range(uint64_t pml4, uint64_t start, uint64_t end, uint64_t permission_flags)
{
    uint64_t address = start;
    int changed = 0;
    uint64_t *table;

    if (!paging_user_range_ok(start, end) || (permission_flags & ~PAGING_PERMISSION_BITS))
        return -EINVAL;
    permission_flags &= paging_entry_mask;
    while ((table = paging_next_leaf_table(pml4, &address, end)) != NULL) {
        uint64_t chunk_end = paging_leaf_table_end(address, end);

        for (; address < chunk_end; address += PAGING_PAGE_SIZE) {
            uint64_t *entry = &table[paging_index(address, 0)];
            uint64_t updated;

            if (!(*entry & PTE_HOLDS_FRAME))
                continue;
            updated = (*entry & PAGING_KEPT_BITS) | permission_flags;
            if (updated & PTE_COW)
                updated &= ~PTE_WRITE;
            if (updated != *entry) {
                *entry = updated;
                changed++;
            }
        }
    }
    return changed;
}

int paging_clone_range(uint64_t dst_pml4, uint64_t src_pml4, uint64_t start, uint64_t end)
{
    uint64_t address = start;
    uint64_t *src_table;

    if (!paging_user_range_ok(start, end))
        return -EINVAL;
    while ((src_table = paging_next_leaf_table(src_pml4, &address, end)) != NULL) {
        uint64_t chunk_end = paging_leaf_table_end(address, end);
        uint64_t *dst_entry;
        int error = paging_walk_user(dst_pml4, address, true, &dst_entry);

        if (error)
            return error;
        /* dst_entry walks the same leaf table as src_table, index for index; a whole group of
         * empty source entries is passed at once. */
        for (; address < chunk_end; address += PAGING_PAGE_SIZE, dst_entry++) {
            unsigned int index = paging_index(address, 0);
            uint64_t *src_entry = &src_table[index];
            struct frame *frame;

            if (index % PAGING_SCAN_GROUP == 0 &&
                address + PAGING_SCAN_GROUP * PAGING_PAGE_SIZE <= chunk_end &&
                paging_group_empty(src_entry)) {
                address += (PAGING_SCAN_GROUP - 1) * PAGING_PAGE_SIZE;
                dst_entry += PAGING_SCAN_GROUP - 1;
                continue;
            }
            if (!(*src_entry & PTE_HOLDS_FRAME))
                continue;
            frame = paging_single_frame(*src_entry & PTE_ADDRESS_MASK);
            if (frame != NULL)
                frame->refcount++;
            if (!(*src_entry & PTE_SHARED))
                *src_entry = (*src_entry & ~PTE_WRITE) | PTE_COW;
            *dst_entry = *src_entry;
        }
    }
    return 0;
}

uint64_t paging_flags_for_prot(int prot)
{
    uint64_t flags;

    if (!(prot & (VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXEC)))
        return PTE_INACCESSIBLE;
    flags = PTE_PRESENT | PTE_USER;
    if (prot & VM_PROT_WRITE)
        flags |= PTE_WRITE;
    if (!(prot & VM_PROT_EXEC))
        flags |= PTE_NX;
    return flags & paging_entry_mask;
}

int paging_map_kernel(uint64_t pml4, uint64_t virt, uint64_t phys, uint64_t size,
                      uint64_t page_size, uint64_t flags)
{
    int leaf_level;

    if (page_size == PAGING_PAGE_SIZE)
        leaf_level = 0;
    else if (page_size == PAGING_LARGE_2M)
        leaf_level = 1;
    else if (page_size == PAGING_LARGE_1G)
        leaf_level = 2;
    else
        return -EINVAL;
    if (virt < PAGING_KERNEL_START || ((virt | phys | size) & (page_size - 1)) ||
        (size != 0 && size - 1 > UINT64_MAX - virt) || (phys & ~PTE_ADDRESS_MASK) ||
        (flags & PTE_ADDRESS_MASK) || !(flags & PTE_PRESENT))
        return -EINVAL;
    if (leaf_level > 0)
        flags |= PTE_LARGE;
    flags &= paging_entry_mask;

    for (uint64_t done = 0; done < size; done += page_size) {
        uint64_t address = virt + done;
        uint64_t *table = paging_phys_to_virt(pml4);

        for (int level = 3; level > leaf_level; level--) {
            uint64_t *entry = &table[paging_index(address, level)];

            if (!(*entry & PTE_PRESENT)) {
                uint64_t table_phys;
                int error = paging_frame_alloc_zeroed(&table_phys);

                if (error)
                    return error;
                *entry = table_phys | PAGING_TABLE_KERNEL;
            } else if (*entry & PTE_LARGE) {
                return -EEXIST;
            }
            table = paging_table(*entry);
        }
        uint64_t *leaf = &table[paging_index(address, leaf_level)];

        if (*leaf & PTE_PRESENT)
            return -EEXIST;
        *leaf = (phys + done) | flags;
    }
    return 0;
}

int paging_fill_kernel_half(uint64_t pml4)
{
    uint64_t *table = paging_phys_to_virt(pml4);

    for (unsigned int i = PAGING_USER_ENTRIES; i < PAGING_ENTRIES; i++) {
        uint64_t phys;
        int error;

        if (table[i] & PTE_PRESENT)
            continue;
        error = paging_frame_alloc_zeroed(&phys);
        if (error)
            return error;
        table[i] = phys | PAGING_TABLE_KERNEL;
    }
    return 0;
}

void paging_destroy_kernel_pml4(uint64_t pml4)
{
    uint64_t *table = paging_phys_to_virt(pml4);

    for (unsigned int i = PAGING_USER_ENTRIES; i < PAGING_ENTRIES; i++)
        if (table[i] & PTE_PRESENT)
            paging_free_table(table[i] & PTE_ADDRESS_MASK, 2, false);
    (void)frame_free(paging_zone, pml4, 0);
}
