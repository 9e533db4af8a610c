/* Memory-map sanitizer: boundary sweep over firmware entries, range-list subtraction. */
#include "memmap.h"

#include <stdbool.h>

#include "kerrno.h"

_Static_assert(MEMMAP_ADDRESS_END % MEMMAP_PAGE_SIZE == 0,
               "the address limit must be page-aligned");
_Static_assert(MEMMAP_RANGES_MAX <= INT32_MAX && MEMMAP_ENTRIES_MAX <= INT32_MAX,
               "counts are returned as int");

/* Both round within [0, MEMMAP_ADDRESS_END], which is aligned, so neither can overflow there. */
static uint64_t memmap_round_up(uint64_t address)
{
    return (address + (MEMMAP_PAGE_SIZE - 1)) & ~(uint64_t)(MEMMAP_PAGE_SIZE - 1);
}

static uint64_t memmap_round_down(uint64_t address)
{
    return address & ~(uint64_t)(MEMMAP_PAGE_SIZE - 1);
}

/*
 * The span [*base, *end) an entry covers, clipped to MEMMAP_ADDRESS_END; false if it covers
 * nothing there or is an available entry running past 2^64 (corrupt, so not trusted as RAM).
 */
static bool memmap_entry_span(const struct memmap_entry *entry, uint64_t *base, uint64_t *end)
{
    if (entry->length == 0 || entry->base >= MEMMAP_ADDRESS_END)
        return false;
    /* base + length <= 2^64 exactly when length - 1 <= UINT64_MAX - base. */
    bool past_top = entry->length - 1 > UINT64_MAX - entry->base;
    if (past_top && entry->type == MEMMAP_TYPE_AVAILABLE)
        return false;
    *base = entry->base;
    if (past_top || entry->length > MEMMAP_ADDRESS_END - entry->base)
        *end = MEMMAP_ADDRESS_END;
    else
        *end = entry->base + entry->length;
    return true;
}

/* The smallest entry base or end strictly above after; false when there is none. */
static bool memmap_next_boundary(const struct memmap_entry *entries, size_t entry_count,
                                 uint64_t after, uint64_t *next)
{
    /* Boundaries never exceed MEMMAP_ADDRESS_END, so UINT64_MAX means "none found". */
    uint64_t best = UINT64_MAX;
    for (size_t i = 0; i < entry_count; i++) {
        uint64_t base;
        uint64_t end;
        if (!memmap_entry_span(&entries[i], &base, &end))
            continue;
        if (base > after && base < best)
            best = base;
        if (end > after && end < best)
            best = end;
    }
    *next = best;
    return best != UINT64_MAX;
}

/* Whether address lies in some available entry and in no reserved one. */
static bool memmap_address_usable(const struct memmap_entry *entries, size_t entry_count,
                                  uint64_t address)
{
    bool available = false;
    for (size_t i = 0; i < entry_count; i++) {
        uint64_t base;
        uint64_t end;
        if (!memmap_entry_span(&entries[i], &base, &end) || address < base || address >= end)
            continue;
        if (entries[i].type != MEMMAP_TYPE_AVAILABLE)
            return false;
        available = true;
    }
    return available;
}

/* Appends [base, end) rounded inwards, if a page survives; -ENOSPC when the list is full. */
static int memmap_append(struct memmap_range *ranges, size_t capacity, size_t *count, uint64_t base,
                         uint64_t end)
{
    base = memmap_round_up(base);
    end = memmap_round_down(end);
    if (base >= end)
        return 0;
    if (*count == capacity)
        return -ENOSPC;
    ranges[*count] = (struct memmap_range){.base = base, .end = end};
    (*count)++;
    return 0;
}

/*
 * Walks address 0 and then the entry boundaries in ascending order. No boundary lies
 * strictly between two consecutive ones, so each such interval is wholly usable or wholly not, and
 * testing its first address decides it. Consecutive usable intervals form one run, which is
 * rounded and appended when it ends; runs are separated by at least the unusable interval between
 * them, and inward rounding keeps them apart. O(entries^2), no sorting or scratch memory needed.
 */
int memmap_sanitize(const struct memmap_entry *entries, size_t entry_count,
                    struct memmap_range *ranges, size_t capacity)
{
    if ((entries == NULL && entry_count > 0) || (ranges == NULL && capacity > 0) ||
        entry_count > MEMMAP_ENTRIES_MAX)
        return -EINVAL;

    /* Each run starts inside a distinct available entry, so count stays below MEMMAP_ENTRIES_MAX.
     */
    size_t count = 0;
    bool in_run = false;
    uint64_t run_base = 0;
    uint64_t cursor = 0;
    uint64_t next;
    while (memmap_next_boundary(entries, entry_count, cursor, &next)) {
        bool usable = memmap_address_usable(entries, entry_count, cursor);
        if (usable && !in_run) {
            run_base = cursor;
            in_run = true;
        } else if (!usable && in_run) {
            int error = memmap_append(ranges, capacity, &count, run_base, cursor);
            if (error < 0)
                return error;
            in_run = false;
        }
        cursor = next;
    }
    /* Nothing lies above the last boundary, so an open run ends there. */
    if (in_run) {
        int error = memmap_append(ranges, capacity, &count, run_base, cursor);
        if (error < 0)
            return error;
    }
    return (int)count;
}

int memmap_subtract(struct memmap_range *ranges, size_t count, size_t capacity, uint64_t base,
                    uint64_t length)
{
    if ((ranges == NULL && count > 0) || count > capacity || count > MEMMAP_RANGES_MAX)
        return -EINVAL;
    if (length == 0 || base >= MEMMAP_ADDRESS_END)
        return (int)count;

    uint64_t cut_base = memmap_round_down(base);
    uint64_t cut_end =
        length > MEMMAP_ADDRESS_END - base ? MEMMAP_ADDRESS_END : memmap_round_up(base + length);

    /* The hole is contiguous and the ranges disjoint, so at most one range contains it with room
     * both sides. */
    for (size_t i = 0; i < count; i++) {
        if (ranges[i].base < cut_base && cut_end < ranges[i].end) {
            if (count == capacity)
                return -ENOSPC;
            for (size_t j = count; j > i + 1; j--)
                ranges[j] = ranges[j - 1];
            ranges[i + 1] = (struct memmap_range){.base = cut_end, .end = ranges[i].end};
            ranges[i].end = cut_base;
            return (int)(count + 1);
        }
    }

    /* No split: each range is kept, trimmed on one side, or dropped; compact in place. */
    size_t kept = 0;
    for (size_t i = 0; i < count; i++) {
        struct memmap_range range = ranges[i];
        if (range.end > cut_base && range.base < cut_end) {
            if (range.base < cut_base)
                range.end = cut_base;
            else if (range.end > cut_end)
                range.base = cut_end;
            else
                continue;
        }
        ranges[kept++] = range;
    }
    return (int)kept;
}

uint64_t memmap_total_bytes(const struct memmap_range *ranges, size_t count)
{
    uint64_t total = 0;
    for (size_t i = 0; i < count; i++)
        total += ranges[i].end - ranges[i].base;
    return total;
}
