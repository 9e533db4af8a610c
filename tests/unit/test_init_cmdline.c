/* Host tests for init's command-line reading in servers/init/init_cmdline.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <aramid/errno.h>

#include "init_cmdline.h"

static char storage[64];
static char *argv[8];

static void test_run_and_arguments(void **state)
{
    (void)state;
    assert_int_equal(
        init_cmdline_parse("init=init  run=prog a  bb", storage, sizeof(storage), argv, 8), 3);
    assert_string_equal(argv[0], "prog");
    assert_string_equal(argv[1], "a");
    assert_string_equal(argv[2], "bb");
    assert_null(argv[3]);
}

static void test_no_run(void **state)
{
    (void)state;
    assert_int_equal(init_cmdline_parse("", storage, sizeof(storage), argv, 8), -ARAMID_ENOENT);
    assert_int_equal(init_cmdline_parse("init=init run= x", storage, sizeof(storage), argv, 8),
                     -ARAMID_ENOENT);
    assert_int_equal(init_cmdline_parse("runner=x", storage, sizeof(storage), argv, 8),
                     -ARAMID_ENOENT);
}

static void test_too_long(void **state)
{
    (void)state;
    assert_int_equal(init_cmdline_parse("run=p a b c d e f g h", storage, sizeof(storage), argv, 8),
                     -ARAMID_E2BIG);
    assert_int_equal(init_cmdline_parse("run=p 0123456789012345678901234567890123456789"
                                        "0123456789012345678901234567890123456789",
                                        storage, sizeof(storage), argv, 8),
                     -ARAMID_E2BIG);
}

static void test_numbers_before_run(void **state)
{
    (void)state;
    assert_int_equal(init_cmdline_number("init=init tmp_pages=16 run=p", "tmp_pages=", 7), 16);
    assert_int_equal(init_cmdline_number("init=init run=p tmp_pages=16", "tmp_pages=", 7), 7);
    assert_int_equal(init_cmdline_number("tmp_pages=1x", "tmp_pages=", 7), 7);
    char word[8];
    assert_true(init_cmdline_word("kill=sock init=init run=p", "kill=", word, sizeof(word)));
    assert_string_equal(word, "sock");
    assert_false(init_cmdline_word("init=init run=p kill=sock", "kill=", word, sizeof(word)));
    assert_false(init_cmdline_word("kill=verylongname run=p", "kill=", word, sizeof(word)));
    assert_false(init_cmdline_word("kill= run=p", "kill=", word, sizeof(word)));
    assert_int_equal(init_cmdline_number("tmp_pages=", "tmp_pages=", 7), 7);
    assert_int_equal(init_cmdline_number("xtmp_pages=3 tmp_pages=0", "tmp_pages=", 7), 0);
    assert_int_equal(init_cmdline_number("tmp_pages=99999999999999999999999", "tmp_pages=", 7), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_and_arguments),
        cmocka_unit_test(test_no_run),
        cmocka_unit_test(test_too_long),
        cmocka_unit_test(test_numbers_before_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
