/* Memory-map sanitizer: firmware (multiboot2) memory map to page-aligned usable RAM. */
#ifndef ARAMID_MEMMAP_H
#define ARAMID_MEMMAP_H

#include <stddef.h>
#include <stdint.h>

#define MEMMAP_PAGE_SIZE 4096u

/* Firmware entry type for RAM the kernel may use; every other type is reserved. */
#define MEMMAP_TYPE_AVAILABLE 1u

/*
 * Exclusive upper bound of every range: the last page of the 64-bit space is never usable
 * (x86-64 physical addresses have at most 52 bits), so end always fits in a uint64_t.
 */
#define MEMMAP_ADDRESS_END 0xfffffffffffff000ull

/* Most firmware entries memmap_sanitize accepts and most ranges a list may hold. */
#define MEMMAP_ENTRIES_MAX 1024u
#define MEMMAP_RANGES_MAX 4096u

/* One raw entry as the firmware reports it: any order, may overlap, may be empty or wrap past 2^64.
 */
struct memmap_entry {
    uint64_t base;
    uint64_t length;
    uint32_t type;
};

/*
 * Usable RAM [base, end). In a list produced by these functions: base < end, both are multiples
 * of MEMMAP_PAGE_SIZE, end <= MEMMAP_ADDRESS_END, and ranges are sorted with a gap between
 * neighbours (ranges[i].end < ranges[i + 1].base), so no two overlap or touch.
 */
struct memmap_range {
    uint64_t base;
    uint64_t end;
};

/*
 * Writes the usable RAM of entries into ranges: addresses covered by an available entry and by
 * no reserved entry (reserved wins), adjacent pieces merged, then each rounded inwards to whole
 * pages. An available entry whose base + length exceeds 2^64 is ignored as corrupt; a reserved
 * one reserves up to the top. Returns the number of ranges, -EINVAL for NULL arrays or too many
 * entries, or -ENOSPC when more than capacity ranges would be needed (ranges then holds the
 * lowest capacity ranges).
 */
int memmap_sanitize(const struct memmap_entry *entries, size_t entry_count,
                    struct memmap_range *ranges, size_t capacity);

/*
 * Removes [base, base + length), widened outwards to whole pages, from the valid list ranges of
 * count entries, splitting a range when the hole lies inside it. Returns the new count, -EINVAL
 * for a bad list size, or -ENOSPC when a split needs more than capacity entries, in which case
 * the list is left unchanged. A length reaching past 2^64 removes everything from base up.
 */
int memmap_subtract(struct memmap_range *ranges, size_t count, size_t capacity, uint64_t base,
                    uint64_t length);

/* Total bytes in a valid list (cannot overflow: the ranges are disjoint and below 2^64). */
uint64_t memmap_total_bytes(const struct memmap_range *ranges, size_t count);

#endif
