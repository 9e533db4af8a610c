/* Unit tests for the memory-map sanitizer (ukernel/mm/memmap.c), with a random model check. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "kerrno.h"
#include "memmap.h"

#define PAGE MEMMAP_PAGE_SIZE
#define GIB (1ull << 30)
#define RESERVED 2u
#define ACPI_RECLAIMABLE 3u
#define CAPACITY 32

#define ARRAY_LENGTH(a) (sizeof(a) / sizeof((a)[0]))

/* Checks the invariants memmap.h promises for every list. */
static void assert_valid_list(const struct memmap_range *ranges, int count)
{
    assert_true(count >= 0);
    for (int i = 0; i < count; i++) {
        assert_true(ranges[i].base < ranges[i].end);
        assert_int_equal(ranges[i].base % PAGE, 0);
        assert_int_equal(ranges[i].end % PAGE, 0);
        assert_true(ranges[i].end <= MEMMAP_ADDRESS_END);
        if (i > 0)
            assert_true(ranges[i - 1].end < ranges[i].base);
    }
}

static void assert_ranges(const struct memmap_range *ranges, int count,
                          const struct memmap_range *expected, size_t expected_count)
{
    assert_valid_list(ranges, count);
    assert_int_equal(count, expected_count);
    for (size_t i = 0; i < expected_count; i++) {
        assert_int_equal(ranges[i].base, expected[i].base);
        assert_int_equal(ranges[i].end, expected[i].end);
    }
}

static int sanitize(const struct memmap_entry *entries, size_t n, struct memmap_range *ranges)
{
    return memmap_sanitize(entries, n, ranges, CAPACITY);
}

static void test_empty_map(void **state)
{
    (void)state;
    struct memmap_range ranges[CAPACITY];
    assert_int_equal(memmap_sanitize(NULL, 0, ranges, CAPACITY), 0);
    assert_int_equal(memmap_sanitize(NULL, 0, NULL, 0), 0);
    assert_int_equal(memmap_sanitize(NULL, 1, ranges, CAPACITY), -EINVAL);
    struct memmap_entry only_reserved = {0, GIB, RESERVED};
    assert_int_equal(sanitize(&only_reserved, 1, ranges), 0);
    assert_int_equal(memmap_total_bytes(ranges, 0), 0);
}

/* A typical PC map: low memory, VGA/BIOS holes, the PCI hole, RAM above 4 GiB. */
static const struct memmap_entry pc_map[] = {
    {0x0, 0x9fc00, MEMMAP_TYPE_AVAILABLE}, {0x9fc00, 0x400, RESERVED},
    {0xf0000, 0x10000, RESERVED},          {0x100000, 0x7ee0000, MEMMAP_TYPE_AVAILABLE},
    {0x7fe0000, 0x20000, RESERVED},        {0xfffc0000, 0x40000, RESERVED},
    {4 * GIB, GIB, MEMMAP_TYPE_AVAILABLE},
};

static const struct memmap_range pc_expected[] = {
    {0x0, 0x9f000},
    {0x100000, 0x7fe0000},
    {4 * GIB, 5 * GIB},
};

static void test_typical_pc_map(void **state)
{
    (void)state;
    struct memmap_range ranges[CAPACITY];
    int count = sanitize(pc_map, ARRAY_LENGTH(pc_map), ranges);
    assert_ranges(ranges, count, pc_expected, ARRAY_LENGTH(pc_expected));
    assert_int_equal(memmap_total_bytes(ranges, (size_t)count), 0x9f000 + 0x7ee0000 + GIB);
}

static void test_unsorted_input(void **state)
{
    (void)state;
    struct memmap_entry reversed[ARRAY_LENGTH(pc_map)];
    struct memmap_entry shuffled[ARRAY_LENGTH(pc_map)];
    static const size_t order[] = {3, 6, 0, 5, 1, 4, 2};
    struct memmap_range ranges[CAPACITY];

    for (size_t i = 0; i < ARRAY_LENGTH(pc_map); i++) {
        reversed[i] = pc_map[ARRAY_LENGTH(pc_map) - 1 - i];
        shuffled[i] = pc_map[order[i]];
    }
    assert_ranges(ranges, sanitize(reversed, ARRAY_LENGTH(reversed), ranges), pc_expected,
                  ARRAY_LENGTH(pc_expected));
    assert_ranges(ranges, sanitize(shuffled, ARRAY_LENGTH(shuffled), ranges), pc_expected,
                  ARRAY_LENGTH(pc_expected));
}

static void test_holes_and_merging(void **state)
{
    (void)state;
    struct memmap_range ranges[CAPACITY];
    static const struct memmap_entry map[] = {
        {0x1000, 0x800, MEMMAP_TYPE_AVAILABLE},   /* unaligned halves of one page run ... */
        {0x1800, 0x1800, MEMMAP_TYPE_AVAILABLE},  /* ... merge before rounding: 0x1000..0x3000 */
        {0x3000, 0x1000, MEMMAP_TYPE_AVAILABLE},  /* touching: merged */
        {0x10000, 0x5000, MEMMAP_TYPE_AVAILABLE}, /* overlapping available entries merge */
        {0x13000, 0x5000, MEMMAP_TYPE_AVAILABLE},
        {0x14000, 0x1000, MEMMAP_TYPE_AVAILABLE}, /* duplicate coverage */
        {0x30000, 0x1000, MEMMAP_TYPE_AVAILABLE}, /* after a hole */
    };
    static const struct memmap_range expected[] = {
        {0x1000, 0x4000}, {0x10000, 0x18000}, {0x30000, 0x31000}};
    assert_ranges(ranges, sanitize(map, ARRAY_LENGTH(map), ranges), expected,
                  ARRAY_LENGTH(expected));
}

static void test_reserved_wins_overlaps(void **state)
{
    (void)state;
    struct memmap_range ranges[CAPACITY];
    static const struct memmap_entry map[] = {
        {0x0, 0x10000, MEMMAP_TYPE_AVAILABLE},
        {0x2800, 0x900, RESERVED}, /* unaligned hole inside: both sides lose a partial page */
        {0x8000, 0x10000, ACPI_RECLAIMABLE}, /* reserved overlapping the end of available */
        {0x20000, 0x10000, RESERVED},
        {0x1c000, 0x8000, MEMMAP_TYPE_AVAILABLE}, /* available overlapping the start of reserved */
        {0x40000, 0x10000, RESERVED},
        {0x44000, 0x1000, MEMMAP_TYPE_AVAILABLE}, /* available entirely inside reserved */
        {0x50000, 0x10000, MEMMAP_TYPE_AVAILABLE},
        {0x48000, 0x10000, 7u}, /* unknown types are reserved too */
    };
    static const struct memmap_range expected[] = {
        {0x0, 0x2000},
        {0x4000, 0x8000},
        {0x1c000, 0x20000},
        {0x58000, 0x60000},
    };
    assert_ranges(ranges, sanitize(map, ARRAY_LENGTH(map), ranges), expected,
                  ARRAY_LENGTH(expected));
}

static void test_zero_length_entries(void **state)
{
    (void)state;
    struct memmap_range ranges[CAPACITY];
    static const struct memmap_entry map[] = {
        {0x5000, 0, MEMMAP_TYPE_AVAILABLE},
        {0x100000, 0x100000, MEMMAP_TYPE_AVAILABLE},
        {0x180000, 0, RESERVED}, /* an empty reserved entry splits nothing */
        {0x0, 0, RESERVED},
    };
    static const struct memmap_range expected[] = {{0x100000, 0x200000}};
    assert_ranges(ranges, sanitize(map, ARRAY_LENGTH(map), ranges), expected,
                  ARRAY_LENGTH(expected));
}

static void test_unaligned_entries(void **state)
{
    (void)state;
    struct memmap_range ranges[CAPACITY];
    static const struct memmap_entry map[] = {
        {0x1001, 0x1ffe, MEMMAP_TYPE_AVAILABLE},  /* 0x1001..0x2fff holds no whole page */
        {0x10001, 0x3000, MEMMAP_TYPE_AVAILABLE}, /* 0x10001..0x13001 -> 0x11000..0x13000 */
        {0x20000, 0xfff, MEMMAP_TYPE_AVAILABLE},  /* less than a page */
    };
    static const struct memmap_range expected[] = {{0x11000, 0x13000}};
    assert_ranges(ranges, sanitize(map, ARRAY_LENGTH(map), ranges), expected,
                  ARRAY_LENGTH(expected));
}

static void test_overflowing_entries(void **state)
{
    (void)state;
    struct memmap_range ranges[CAPACITY];
    uint64_t top_base = 0xffffffff00000000ull;
    static struct memmap_entry map[] = {
        {0x100000, UINT64_MAX, MEMMAP_TYPE_AVAILABLE}, /* wraps: corrupt, ignored */
        {0x0, 0x400000, MEMMAP_TYPE_AVAILABLE},
        {0x200000, UINT64_MAX, RESERVED}, /* wraps: reserves to the top */
        {0x0, 0, MEMMAP_TYPE_AVAILABLE},  /* filled in below: ends exactly at 2^64 */
    };
    map[3].base = top_base;
    map[3].length = 0 - top_base;
    static const struct memmap_range expected[] = {{0x0, 0x200000}};
    assert_ranges(ranges, sanitize(map, ARRAY_LENGTH(map), ranges), expected,
                  ARRAY_LENGTH(expected));

    /* Without the wrapping reservation, the range ending at 2^64 is kept up to the last page. */
    static const struct memmap_range expected_top[] = {{0x0, 0x400000},
                                                       {0xffffffff00000000ull, MEMMAP_ADDRESS_END}};
    struct memmap_entry without_reservation[] = {map[0], map[1], map[3]};
    assert_ranges(ranges, sanitize(without_reservation, ARRAY_LENGTH(without_reservation), ranges),
                  expected_top, ARRAY_LENGTH(expected_top));

    struct memmap_entry at_top = {UINT64_MAX - 10, 5, MEMMAP_TYPE_AVAILABLE};
    assert_int_equal(sanitize(&at_top, 1, ranges), 0);
}

static void test_sanitize_capacity(void **state)
{
    (void)state;
    struct memmap_range ranges[3];
    memset(ranges, 0, sizeof(ranges));
    assert_int_equal(memmap_sanitize(pc_map, ARRAY_LENGTH(pc_map), ranges, 2), -ENOSPC);
    assert_ranges(ranges, 2, pc_expected, 2);
    assert_int_equal(memmap_sanitize(pc_map, ARRAY_LENGTH(pc_map), NULL, 0), -ENOSPC);
    assert_int_equal(memmap_sanitize(pc_map, ARRAY_LENGTH(pc_map), ranges, 3), 3);
    assert_int_equal(memmap_sanitize(pc_map, MEMMAP_ENTRIES_MAX + 1, ranges, 3), -EINVAL);
}

/* Sanitizes pc_map into ranges and returns the count. */
static int load_pc_map(struct memmap_range *ranges, size_t capacity)
{
    int count = memmap_sanitize(pc_map, ARRAY_LENGTH(pc_map), ranges, capacity);
    assert_int_equal(count, ARRAY_LENGTH(pc_expected));
    return count;
}

static void test_subtract_splits_range(void **state)
{
    (void)state;
    struct memmap_range ranges[CAPACITY];
    int count = load_pc_map(ranges, CAPACITY);
    /* A kernel image at 1 MiB + 0x10 of unaligned length: widened outwards to whole pages. */
    count = memmap_subtract(ranges, (size_t)count, CAPACITY, 0x200010, 0x3000);
    static const struct memmap_range expected[] = {
        {0x0, 0x9f000},
        {0x100000, 0x200000},
        {0x204000, 0x7fe0000},
        {4 * GIB, 5 * GIB},
    };
    assert_ranges(ranges, count, expected, ARRAY_LENGTH(expected));
}

static void test_subtract_trims_and_removes(void **state)
{
    (void)state;
    struct memmap_range ranges[CAPACITY];
    int count = load_pc_map(ranges, CAPACITY);
    /* Covers the end of the first range, all of the second, the start of the third. */
    count = memmap_subtract(ranges, (size_t)count, CAPACITY, 0x9e000, 4 * GIB + 0x1000 - 0x9e000);
    static const struct memmap_range expected[] = {{0x0, 0x9e000}, {4 * GIB + 0x1000, 5 * GIB}};
    assert_ranges(ranges, count, expected, ARRAY_LENGTH(expected));
    /* Exactly one whole range. */
    count = memmap_subtract(ranges, (size_t)count, CAPACITY, 0x0, 0x9e000);
    static const struct memmap_range expected_rest[] = {{4 * GIB + 0x1000, 5 * GIB}};
    assert_ranges(ranges, count, expected_rest, ARRAY_LENGTH(expected_rest));
    assert_int_equal(memmap_total_bytes(ranges, (size_t)count), GIB - 0x1000);
}

static void test_subtract_outside_ranges(void **state)
{
    (void)state;
    struct memmap_range ranges[CAPACITY];
    int count = load_pc_map(ranges, CAPACITY);
    count = memmap_subtract(ranges, (size_t)count, CAPACITY, 0xa0000,
                            0x60000); /* in a gap, touching both */
    count = memmap_subtract(ranges, (size_t)count, CAPACITY, 6 * GIB, GIB); /* above everything */
    count = memmap_subtract(ranges, (size_t)count, CAPACITY, 0x5000, 0);    /* empty */
    count =
        memmap_subtract(ranges, (size_t)count, CAPACITY, UINT64_MAX - 5, 3); /* beyond the limit */
    assert_ranges(ranges, count, pc_expected, ARRAY_LENGTH(pc_expected));
    assert_int_equal(memmap_subtract(NULL, 0, 0, 0x1000, 0x1000), 0);
}

static void test_subtract_to_top(void **state)
{
    (void)state;
    struct memmap_range ranges[CAPACITY];
    int count = load_pc_map(ranges, CAPACITY);
    count = memmap_subtract(ranges, (size_t)count, CAPACITY, 0x100800, UINT64_MAX);
    static const struct memmap_range expected[] = {{0x0, 0x9f000}};
    assert_ranges(ranges, count, expected, ARRAY_LENGTH(expected));
}

static void test_subtract_capacity(void **state)
{
    (void)state;
    struct memmap_range ranges[3];
    int count = load_pc_map(ranges, 3);
    assert_int_equal(memmap_subtract(ranges, (size_t)count, 3, 0x300000, 0x1000), -ENOSPC);
    assert_ranges(ranges, count, pc_expected, ARRAY_LENGTH(pc_expected));
    /* Trimming needs no extra slot, so it still works on a full list. */
    count = memmap_subtract(ranges, (size_t)count, 3, 0x0, 0x1000);
    assert_int_equal(count, 3);
    assert_int_equal(ranges[0].base, 0x1000);
    assert_int_equal(memmap_subtract(ranges, 4, 3, 0x0, 0x1000), -EINVAL);
}

/* Deterministic xorshift generator so failures reproduce. */
static uint64_t next_random(uint64_t *seed)
{
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    return *seed;
}

#define MODEL_PAGES 64
#define MODEL_UNIT 256u
#define MODEL_UNITS (MODEL_PAGES * PAGE / MODEL_UNIT)

/* Pages usable according to a byte-granular model: every unit of the page available and not
 * reserved. */
static void model_pages(const struct memmap_entry *entries, size_t n, bool usable_page[MODEL_PAGES])
{
    static bool available[MODEL_UNITS];
    static bool reserved[MODEL_UNITS];
    memset(available, 0, sizeof(available));
    memset(reserved, 0, sizeof(reserved));
    for (size_t i = 0; i < n; i++) {
        for (uint64_t u = entries[i].base / MODEL_UNIT;
             u < (entries[i].base + entries[i].length) / MODEL_UNIT; u++) {
            if (entries[i].type == MEMMAP_TYPE_AVAILABLE)
                available[u] = true;
            else
                reserved[u] = true;
        }
    }
    for (size_t page = 0; page < MODEL_PAGES; page++) {
        usable_page[page] = true;
        for (size_t u = page * (PAGE / MODEL_UNIT); u < (page + 1) * (PAGE / MODEL_UNIT); u++)
            usable_page[page] = usable_page[page] && available[u] && !reserved[u];
    }
}

static void assert_matches_model(const struct memmap_range *ranges, int count,
                                 const bool usable_page[MODEL_PAGES])
{
    assert_valid_list(ranges, count);
    uint64_t expected_total = 0;
    for (size_t page = 0; page < MODEL_PAGES; page++) {
        bool listed = false;
        for (int i = 0; i < count; i++)
            listed = listed || (ranges[i].base <= page * PAGE && page * PAGE < ranges[i].end);
        assert_int_equal(listed, usable_page[page]);
        expected_total += usable_page[page] ? PAGE : 0;
    }
    assert_int_equal(memmap_total_bytes(ranges, (size_t)count), expected_total);
}

static void test_random_maps_match_page_model(void **state)
{
    (void)state;
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    for (int round = 0; round < 3000; round++) {
        struct memmap_entry entries[12];
        size_t n = next_random(&seed) % ARRAY_LENGTH(entries);
        for (size_t i = 0; i < n; i++) {
            uint64_t a = next_random(&seed) % (MODEL_UNITS + 1);
            uint64_t b = next_random(&seed) % (MODEL_UNITS + 1);
            entries[i].base = (a < b ? a : b) * MODEL_UNIT;
            entries[i].length = (a < b ? b - a : a - b) * MODEL_UNIT;
            entries[i].type = next_random(&seed) % 3 != 0 ? MEMMAP_TYPE_AVAILABLE : RESERVED;
        }
        bool usable_page[MODEL_PAGES];
        model_pages(entries, n, usable_page);
        struct memmap_range ranges[MODEL_PAGES];
        int count = memmap_sanitize(entries, n, ranges, ARRAY_LENGTH(ranges));
        assert_matches_model(ranges, count, usable_page);

        /* Subtract random spans; a page goes when any byte of it is covered. */
        for (int cut = 0; cut < 3; cut++) {
            uint64_t base = next_random(&seed) % (MODEL_PAGES * PAGE);
            uint64_t length = next_random(&seed) % (MODEL_PAGES * PAGE / 4);
            int result = memmap_subtract(ranges, (size_t)count, ARRAY_LENGTH(ranges), base, length);
            assert_true(result >= 0);
            count = result;
            for (uint64_t page = 0; page < MODEL_PAGES && length > 0; page++) {
                if (page * PAGE < base + length && base < (page + 1) * PAGE)
                    usable_page[page] = false;
            }
            assert_matches_model(ranges, count, usable_page);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_map),
        cmocka_unit_test(test_typical_pc_map),
        cmocka_unit_test(test_unsorted_input),
        cmocka_unit_test(test_holes_and_merging),
        cmocka_unit_test(test_reserved_wins_overlaps),
        cmocka_unit_test(test_zero_length_entries),
        cmocka_unit_test(test_unaligned_entries),
        cmocka_unit_test(test_overflowing_entries),
        cmocka_unit_test(test_sanitize_capacity),
        cmocka_unit_test(test_subtract_splits_range),
        cmocka_unit_test(test_subtract_trims_and_removes),
        cmocka_unit_test(test_subtract_outside_ranges),
        cmocka_unit_test(test_subtract_to_top),
        cmocka_unit_test(test_subtract_capacity),
        cmocka_unit_test(test_random_maps_match_page_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
