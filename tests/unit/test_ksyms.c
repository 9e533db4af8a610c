/* Unit tests for the kernel symbol lookup used by backtraces, including damaged tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kerrno.h"
#include "ksyms.h"

static const char table_text[] = "ffffffff80100000 T _start\n"
                                 "ffffffff80101000 t higher_half_entry\n"
                                 "ffffffff80101040 T kernel_main\n"
                                 "ffffffff80102000 D some_data\n"
                                 "ffffffff80102100 T memcpy\n";

static void expect_name(const struct ksyms *t, uint64_t address, const char *name, uint64_t offset)
{
    struct ksym_match m;
    assert_int_equal(ksyms_lookup(t, address, &m), 0);
    assert_int_equal(m.name_length, strlen(name));
    assert_memory_equal(m.name, name, strlen(name));
    assert_int_equal(m.offset, offset);
}

static void test_finds_enclosing_text_symbol(void **state)
{
    (void)state;
    struct ksyms t;
    ksyms_init(&t, table_text, strlen(table_text));
    expect_name(&t, 0xffffffff80101040, "kernel_main", 0);
    expect_name(&t, 0xffffffff80101abc, "kernel_main", 0xa7c);
    /* data symbols are skipped: an address after some_data still names kernel_main */
    expect_name(&t, 0xffffffff80102050, "kernel_main", 0x1010);
    expect_name(&t, 0xffffffff80109999, "memcpy", 0x7899);
    expect_name(&t, 0xffffffff80100000, "_start", 0);
}

static void test_address_before_every_symbol_is_not_found(void **state)
{
    (void)state;
    struct ksyms t;
    struct ksym_match m;
    ksyms_init(&t, table_text, strlen(table_text));
    assert_int_equal(ksyms_lookup(&t, 0x1000, &m), -ENOENT);
}

static void test_empty_and_null_tables(void **state)
{
    (void)state;
    struct ksyms t;
    struct ksym_match m;
    ksyms_init(&t, NULL, 100);
    assert_int_equal(ksyms_lookup(&t, 0xffffffff80101040, &m), -ENOENT);
    ksyms_init(&t, "", 0);
    assert_int_equal(ksyms_lookup(&t, 0xffffffff80101040, &m), -ENOENT);
}

static void test_damaged_lines_are_skipped(void **state)
{
    (void)state;
    static const char damaged[] = "zzzz T bad\n"
                                  "ffffffff80101000T glued\n"
                                  "ffffffff80101000 T \n"
                                  "1ffffffff80101000 T too_long\n"
                                  "\n"
                                  "ffffffff80101010 T good\n"
                                  "ffffffff80101020 T trunc"; /* no final newline */
    struct ksyms t;
    ksyms_init(&t, damaged, strlen(damaged));
    expect_name(&t, 0xffffffff80101018, "good", 8);
    expect_name(&t, 0xffffffff80101028, "trunc", 8);
    /* a table cut in the middle of a line never reads past its length */
    ksyms_init(&t, damaged, strlen(damaged) - 3);
    expect_name(&t, 0xffffffff80101028, "tr", 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_finds_enclosing_text_symbol),
        cmocka_unit_test(test_address_before_every_symbol_is_not_found),
        cmocka_unit_test(test_empty_and_null_tables),
        cmocka_unit_test(test_damaged_lines_are_skipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
