/* Host tests for init's reading of aramid-run's NAME.args module in servers/init/init_args.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "init_args.h"

static void test_parse(void **state)
{
    (void)state;
    char bytes[] = "aramid-args-1\0" "00ff00ff00ff00ff\0" "2\0" "prog\0" "a b\0" "1\0" "X=1";
    char *vector[sizeof(bytes) + 2];
    struct init_args_parsed out;
    assert_int_equal(init_args_parse(bytes, sizeof(bytes), vector, sizeof(bytes) + 2, &out), 0);
    assert_string_equal(out.token, "00ff00ff00ff00ff");
    assert_int_equal(out.argc, 2);
    assert_string_equal(out.argv[1], "a b");
    assert_null(out.argv[2]);
    assert_string_equal(out.envp[0], "X=1");
    assert_null(out.envp[1]);
}

static void test_console_token(void **state)
{
    (void)state;
    assert_int_equal(init_args_console_token("00ff00ff00ff00ff"), 0x00ff00ff00ff00fful);
    assert_int_equal(init_args_console_token("ffffffffffffffff"), 0xfffffffffffffffful);
    assert_int_equal(init_args_console_token("0123456789abcdef"), 0x0123456789abcdeful);
    /* Anything but 16 lowercase hex digits: no token, plain stderr. */
    assert_int_equal(init_args_console_token(""), 0);
    assert_int_equal(init_args_console_token("abc"), 0);
    assert_int_equal(init_args_console_token("0123456789abcdef0"), 0);
    assert_int_equal(init_args_console_token("0123456789ABCDEF"), 0);
    assert_int_equal(init_args_console_token("0123456789abcdeg"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_console_token),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
