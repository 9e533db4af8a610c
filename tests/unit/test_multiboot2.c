/* Unit tests for the multiboot2 tag-list parser: well-formed lists and hostile ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kerrno.h"
#include "multiboot2.h"

/* Builds a tag list in an 8-byte aligned buffer. */
struct builder {
    _Alignas(8) uint8_t bytes[4096];
    size_t used;
};

static void put32(struct builder *b, size_t at, uint32_t v)
{
    memcpy(b->bytes + at, &v, 4);
}

static void put64(struct builder *b, size_t at, uint64_t v)
{
    memcpy(b->bytes + at, &v, 8);
}

static void builder_start(struct builder *b)
{
    memset(b, 0, sizeof(*b));
    b->used = 8;
}

static size_t builder_tag(struct builder *b, uint32_t type, uint32_t size)
{
    size_t at = b->used;
    put32(b, at, type);
    put32(b, at + 4, size);
    b->used += (size + 7) & ~7u;
    return at;
}

static void builder_string_tag(struct builder *b, uint32_t type, const char *s)
{
    size_t at = builder_tag(b, type, 8 + (uint32_t)strlen(s) + 1);
    memcpy(b->bytes + at + 8, s, strlen(s) + 1);
}

static void builder_mmap(struct builder *b, const struct memmap_entry *r, size_t n)
{
    size_t at = builder_tag(b, 6, 16 + 24 * (uint32_t)n);
    put32(b, at + 8, 24);
    for (size_t i = 0; i < n; i++) {
        put64(b, at + 16 + 24 * i, r[i].base);
        put64(b, at + 24 + 24 * i, r[i].length);
        put32(b, at + 32 + 24 * i, r[i].type);
    }
}

static void builder_finish(struct builder *b)
{
    builder_tag(b, 0, 8);
    put32(b, 0, (uint32_t)b->used);
}

static void test_parses_cmdline_memory_and_modules(void **state)
{
    (void)state;
    struct builder b;
    struct boot_info info;
    const struct memmap_entry ranges[] = {
        { 0, 0x9fc00, 1 }, { 0x100000, 0x7ee0000, 1 }, { 0xfffc0000, 0x40000, 2 }
    };
    builder_start(&b);
    builder_string_tag(&b, 1, "shutdown ticks=5");
    builder_string_tag(&b, 2, "GRUB 2.06");
    builder_mmap(&b, ranges, 3);
    size_t m = builder_tag(&b, 3, 16 + 8);
    put32(&b, m + 8, 0x200000);
    put32(&b, m + 12, 0x201000);
    memcpy(b.bytes + m + 16, "symbols", 8);
    builder_finish(&b);

    assert_int_equal(multiboot2_parse(b.bytes, sizeof(b.bytes), &info), 0);
    assert_string_equal(info.cmdline, "shutdown ticks=5");
    assert_string_equal(info.bootloader, "GRUB 2.06");
    assert_int_equal(info.memory_count, 3);
    assert_int_equal(info.memory[1].base, 0x100000);
    assert_int_equal(info.memory[1].length, 0x7ee0000);
    assert_int_equal(info.memory[2].type, 2);
    assert_int_equal(info.module_count, 1);
    assert_int_equal(info.modules[0].start, 0x200000);
    assert_int_equal(info.modules[0].end, 0x201000);
    assert_string_equal(info.modules[0].name, "symbols");
    assert_int_equal(info.info_size, b.used);
}

static void test_empty_list_gives_defaults(void **state)
{
    (void)state;
    struct builder b;
    struct boot_info info;
    builder_start(&b);
    builder_finish(&b);
    assert_int_equal(multiboot2_parse(b.bytes, sizeof(b.bytes), &info), 0);
    assert_string_equal(info.cmdline, "");
    assert_int_equal(info.memory_count, 0);
    assert_int_equal(info.module_count, 0);
}

static void test_rejects_total_size_beyond_limit(void **state)
{
    (void)state;
    struct builder b;
    struct boot_info info;
    builder_start(&b);
    builder_finish(&b);
    assert_int_equal(multiboot2_parse(b.bytes, b.used - 1, &info), -EINVAL);
    put32(&b, 0, 4);
    assert_int_equal(multiboot2_parse(b.bytes, sizeof(b.bytes), &info), -EINVAL);
    assert_int_equal(multiboot2_parse(b.bytes, 4, &info), -EINVAL);
}

static void test_rejects_tag_running_past_end(void **state)
{
    (void)state;
    struct builder b;
    struct boot_info info;
    builder_start(&b);
    builder_string_tag(&b, 1, "ok");
    size_t bad = builder_tag(&b, 99, 16);
    builder_finish(&b);
    put32(&b, bad + 4, 4000); /* claims more than the list holds */
    assert_int_equal(multiboot2_parse(b.bytes, sizeof(b.bytes), &info), -EINVAL);
    assert_string_equal(info.cmdline, "ok"); /* what came before is kept */
    put32(&b, bad + 4, 3); /* smaller than a tag header */
    assert_int_equal(multiboot2_parse(b.bytes, sizeof(b.bytes), &info), -EINVAL);
}

static void test_rejects_unterminated_string(void **state)
{
    (void)state;
    struct builder b;
    struct boot_info info;
    builder_start(&b);
    size_t at = builder_tag(&b, 1, 12);
    memcpy(b.bytes + at + 8, "abcd", 4);
    builder_finish(&b);
    assert_int_equal(multiboot2_parse(b.bytes, sizeof(b.bytes), &info), -EINVAL);
    assert_string_equal(info.cmdline, "");
}

static void test_rejects_missing_end_tag(void **state)
{
    (void)state;
    struct builder b;
    struct boot_info info;
    builder_start(&b);
    builder_string_tag(&b, 1, "x");
    put32(&b, 0, (uint32_t)b.used);
    assert_int_equal(multiboot2_parse(b.bytes, sizeof(b.bytes), &info), -EINVAL);
}

static void test_rejects_bad_mmap_entry_size_and_module(void **state)
{
    (void)state;
    struct builder b;
    struct boot_info info;
    const struct memmap_entry r = { 0, 4096, 1 };
    builder_start(&b);
    builder_mmap(&b, &r, 1);
    builder_finish(&b);
    put32(&b, 8 + 8, 12); /* entry size smaller than an entry */
    assert_int_equal(multiboot2_parse(b.bytes, sizeof(b.bytes), &info), -EINVAL);

    builder_start(&b);
    size_t m = builder_tag(&b, 3, 16 + 4);
    put32(&b, m + 8, 0x3000);
    put32(&b, m + 12, 0x2000); /* end before start */
    memcpy(b.bytes + m + 16, "abc", 4);
    builder_finish(&b);
    assert_int_equal(multiboot2_parse(b.bytes, sizeof(b.bytes), &info), -EINVAL);
    assert_int_equal(info.module_count, 0);
}

static void test_counts_dropped_memory_entries(void **state)
{
    (void)state;
    static struct builder b;
    struct boot_info info;
    struct memmap_entry ranges[BOOT_MEMORY_RANGES_MAX + 3];
    for (size_t i = 0; i < BOOT_MEMORY_RANGES_MAX + 3; i++)
        ranges[i] = (struct memmap_entry){ i * 8192, 4096, 1 };
    builder_start(&b);
    builder_mmap(&b, ranges, BOOT_MEMORY_RANGES_MAX + 3);
    builder_finish(&b);
    assert_int_equal(multiboot2_parse(b.bytes, sizeof(b.bytes), &info), 0);
    assert_int_equal(info.memory_count, BOOT_MEMORY_RANGES_MAX);
    assert_int_equal(info.memory_dropped, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parses_cmdline_memory_and_modules),
        cmocka_unit_test(test_empty_list_gives_defaults),
        cmocka_unit_test(test_rejects_total_size_beyond_limit),
        cmocka_unit_test(test_rejects_tag_running_past_end),
        cmocka_unit_test(test_rejects_unterminated_string),
        cmocka_unit_test(test_rejects_missing_end_tag),
        cmocka_unit_test(test_rejects_bad_mmap_entry_size_and_module),
        cmocka_unit_test(test_counts_dropped_memory_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
