/* Unit tests for the command-line parser (ukernel/kern/cmdline.c) with the real options. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "cmdline.h"

#define RECORDED_MAX 16
#define INIT_PATH_SIZE 64
#define FAULT_NONE SIZE_MAX

/* Diagnostics passed to the report callback, in order. */
struct recorder {
    char messages[RECORDED_MAX][CMDLINE_MESSAGE_MAX];
    size_t count;
};

/* Storage for the kernel's options, initialized to their defaults. */
struct kernel_options {
    bool shutdown;
    size_t fault;
    uint64_t ticks;
    char init[INIT_PATH_SIZE];
    uint64_t loglevel;
    struct cmdline_option table[5];
    struct recorder recorder;
};

static const char *const fault_words[] = {"pagefault", "divide", "ud", "gp", NULL};

static void record_message(void *ctx, const char *message)
{
    struct recorder *recorder = ctx;
    assert_true(strlen(message) < CMDLINE_MESSAGE_MAX);
    if (recorder->count < RECORDED_MAX)
        strcpy(recorder->messages[recorder->count], message);
    recorder->count++;
}

static int setup_options(void **state)
{
    struct kernel_options *o = test_calloc(1, sizeof(*o));
    o->shutdown = false;
    o->fault = FAULT_NONE;
    o->ticks = 0;
    strcpy(o->init, "/sbin/init");
    o->loglevel = 4;
    o->table[0] =
        (struct cmdline_option){.name = "shutdown", .type = CMDLINE_FLAG, .flag = {&o->shutdown}};
    o->table[1] = (struct cmdline_option){.name = "fault",
                                          .type = CMDLINE_ENUM,
                                          .choice = {.value = &o->fault, .words = fault_words}};
    o->table[2] = (struct cmdline_option){.name = "ticks",
                                          .type = CMDLINE_U64,
                                          .u64 = {.value = &o->ticks, .min = 0, .max = UINT64_MAX}};
    o->table[3] = (struct cmdline_option){.name = "init",
                                          .type = CMDLINE_STRING,
                                          .string = {.value = o->init, .size = sizeof(o->init)}};
    o->table[4] = (struct cmdline_option){.name = "loglevel",
                                          .type = CMDLINE_U64,
                                          .u64 = {.value = &o->loglevel, .min = 0, .max = 7}};
    *state = o;
    return 0;
}

static int teardown_options(void **state)
{
    test_free(*state);
    return 0;
}

/* Parses cmdline with the kernel's table; o->recorder afterwards holds this call's diagnostics
 * only. */
static size_t parse(struct kernel_options *o, const char *cmdline)
{
    o->recorder.count = 0;
    size_t problems = cmdline_parse(cmdline, o->table, sizeof(o->table) / sizeof(o->table[0]),
                                    record_message, &o->recorder);
    assert_int_equal(problems, o->recorder.count);
    return problems;
}

static void assert_defaults(const struct kernel_options *o)
{
    assert_false(o->shutdown);
    assert_int_equal(o->fault, FAULT_NONE);
    assert_int_equal(o->ticks, 0);
    assert_string_equal(o->init, "/sbin/init");
    assert_int_equal(o->loglevel, 4);
}

static void test_null_and_empty_cmdline(void **state)
{
    struct kernel_options *o = *state;
    assert_int_equal(parse(o, NULL), 0);
    assert_int_equal(parse(o, ""), 0);
    assert_int_equal(parse(o, "   \t\n  "), 0);
    assert_int_equal(parse(o, "\"\""), 0);
    assert_defaults(o);
}

static void test_all_option_types(void **state)
{
    struct kernel_options *o = *state;
    assert_int_equal(parse(o, "shutdown fault=gp ticks=100 init=/bin/sh loglevel=7"), 0);
    assert_true(o->shutdown);
    assert_int_equal(o->fault, 3);
    assert_int_equal(o->ticks, 100);
    assert_string_equal(o->init, "/bin/sh");
    assert_int_equal(o->loglevel, 7);
}

static void test_every_enum_word(void **state)
{
    struct kernel_options *o = *state;
    for (size_t i = 0; fault_words[i] != NULL; i++) {
        char cmdline[64];
        snprintf(cmdline, sizeof(cmdline), "fault=%s", fault_words[i]);
        assert_int_equal(parse(o, cmdline), 0);
        assert_int_equal(o->fault, i);
    }
}

static void test_number_forms(void **state)
{
    struct kernel_options *o = *state;
    assert_int_equal(parse(o, "ticks=0x1F loglevel=0"), 0);
    assert_int_equal(o->ticks, 31);
    assert_int_equal(o->loglevel, 0);
    assert_int_equal(parse(o, "ticks=18446744073709551615"), 0);
    assert_int_equal(o->ticks, UINT64_MAX);
    assert_int_equal(parse(o, "ticks=0xffffffffffffffff"), 0);
    assert_int_equal(o->ticks, UINT64_MAX);
}

static void test_whitespace_and_quotes(void **state)
{
    struct kernel_options *o = *state;
    assert_int_equal(parse(o, "  \t loglevel=3 \n\n  init=\"/bin/my init\"   fault=\"ud\"\r"), 0);
    assert_int_equal(o->loglevel, 3);
    assert_string_equal(o->init, "/bin/my init");
    assert_int_equal(o->fault, 2);
    assert_int_equal(parse(o, "\"init=/a b c\" \"shut\"down"), 0);
    assert_string_equal(o->init, "/a b c");
    assert_true(o->shutdown);
    /* Only the first '=' splits; later ones belong to the value. */
    assert_int_equal(parse(o, "init=\"x=y\""), 0);
    assert_string_equal(o->init, "x=y");
    assert_int_equal(parse(o, "init=a=b"), 0);
    assert_string_equal(o->init, "a=b");
}

static void test_unknown_options(void **state)
{
    struct kernel_options *o = *state;
    assert_int_equal(parse(o, "foo bar=1 shut shutdownx Shutdown loglevel=1"), 5);
    assert_string_equal(o->recorder.messages[0], "cmdline: unknown option 'foo' ignored");
    assert_string_equal(o->recorder.messages[1], "cmdline: unknown option 'bar' ignored");
    assert_string_equal(o->recorder.messages[2], "cmdline: unknown option 'shut' ignored");
    assert_string_equal(o->recorder.messages[3], "cmdline: unknown option 'shutdownx' ignored");
    assert_string_equal(o->recorder.messages[4], "cmdline: unknown option 'Shutdown' ignored");
    assert_false(o->shutdown);
    assert_int_equal(o->loglevel, 1);
}

static void test_bad_numbers(void **state)
{
    struct kernel_options *o = *state;
    assert_int_equal(
        parse(o, "ticks=abc ticks=12x ticks=-1 ticks=0x ticks=18446744073709551616 loglevel=8"), 6);
    assert_string_equal(
        o->recorder.messages[0],
        "cmdline: bad value 'abc' for 'ticks' (expected 0..18446744073709551615) ignored");
    assert_string_equal(
        o->recorder.messages[1],
        "cmdline: bad value '12x' for 'ticks' (expected 0..18446744073709551615) ignored");
    assert_string_equal(
        o->recorder.messages[2],
        "cmdline: bad value '-1' for 'ticks' (expected 0..18446744073709551615) ignored");
    assert_string_equal(
        o->recorder.messages[3],
        "cmdline: bad value '0x' for 'ticks' (expected 0..18446744073709551615) ignored");
    assert_string_equal(o->recorder.messages[4],
                        "cmdline: bad value '18446744073709551616' for 'ticks' "
                        "(expected 0..18446744073709551615) ignored");
    assert_string_equal(o->recorder.messages[5],
                        "cmdline: bad value '8' for 'loglevel' (expected 0..7) ignored");
    assert_defaults(o);
}

static void test_missing_values(void **state)
{
    struct kernel_options *o = *state;
    assert_int_equal(parse(o, "ticks loglevel= init fault="), 4);
    assert_string_equal(
        o->recorder.messages[0],
        "cmdline: missing value for 'ticks' (expected 0..18446744073709551615) ignored");
    assert_string_equal(o->recorder.messages[1],
                        "cmdline: missing value for 'loglevel' (expected 0..7) ignored");
    assert_string_equal(
        o->recorder.messages[2],
        "cmdline: missing value for 'init' (expected at most 63 characters) ignored");
    assert_string_equal(
        o->recorder.messages[3],
        "cmdline: missing value for 'fault' (expected pagefault|divide|ud|gp) ignored");
    assert_defaults(o);
}

static void test_flag_with_value(void **state)
{
    struct kernel_options *o = *state;
    assert_int_equal(parse(o, "shutdown=1 shutdown="), 2);
    assert_string_equal(o->recorder.messages[0],
                        "cmdline: flag 'shutdown' takes no value, 'shutdown=1' ignored");
    assert_string_equal(o->recorder.messages[1],
                        "cmdline: flag 'shutdown' takes no value, 'shutdown=' ignored");
    assert_false(o->shutdown);
}

static void test_bad_enum_and_long_string(void **state)
{
    struct kernel_options *o = *state;
    char cmdline[128];
    char path[INIT_PATH_SIZE + 1];
    memset(path, 'p', INIT_PATH_SIZE);
    path[INIT_PATH_SIZE] = '\0';
    snprintf(cmdline, sizeof(cmdline), "fault=segv fault=GP init=%s", path);
    assert_int_equal(parse(o, cmdline), 3);
    assert_string_equal(
        o->recorder.messages[0],
        "cmdline: bad value 'segv' for 'fault' (expected pagefault|divide|ud|gp) ignored");
    assert_string_equal(
        o->recorder.messages[1],
        "cmdline: bad value 'GP' for 'fault' (expected pagefault|divide|ud|gp) ignored");
    assert_non_null(
        strstr(o->recorder.messages[2], "for 'init' (expected at most 63 characters) ignored"));
    assert_defaults(o);

    /* One character less fits exactly, NUL included. */
    path[INIT_PATH_SIZE - 1] = '\0';
    snprintf(cmdline, sizeof(cmdline), "init=%s", path);
    assert_int_equal(parse(o, cmdline), 0);
    assert_string_equal(o->init, path);
}

static void test_nameless_option(void **state)
{
    struct kernel_options *o = *state;
    assert_int_equal(parse(o, "=5 loglevel=6"), 1);
    assert_string_equal(o->recorder.messages[0], "cmdline: option without a name '=5' ignored");
    assert_int_equal(o->loglevel, 6);
}

static void test_huge_tokens(void **state)
{
    struct kernel_options *o = *state;
    static char cmdline[4096];
    size_t used = 0;

    used += (size_t)snprintf(cmdline + used, sizeof(cmdline) - used, "loglevel=2 ");
    memset(cmdline + used, 'a', 1000);
    used += 1000;
    used += (size_t)snprintf(cmdline + used, sizeof(cmdline) - used, " init=");
    memset(cmdline + used, 'b', 300);
    used += 300;
    snprintf(cmdline + used, sizeof(cmdline) - used, " shutdown");

    assert_int_equal(parse(o, cmdline), 2);
    assert_string_equal(
        o->recorder.messages[0],
        "cmdline: option 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' longer than 255 characters ignored");
    assert_string_equal(
        o->recorder.messages[1],
        "cmdline: option 'init=bbbbbbbbbbbbbbbbbbbbbbbbbbb...' longer than 255 characters ignored");
    assert_int_equal(o->loglevel, 2);
    assert_string_equal(o->init, "/sbin/init");
    assert_true(o->shutdown);
}

static void test_token_at_exact_limit(void **state)
{
    struct kernel_options *o = *state;
    char cmdline[CMDLINE_TOKEN_MAX + 1];
    memset(cmdline, 'k', CMDLINE_TOKEN_MAX - 1);
    cmdline[CMDLINE_TOKEN_MAX - 1] = '\0';
    assert_int_equal(parse(o, cmdline), 1);
    assert_int_equal(strncmp(o->recorder.messages[0], "cmdline: unknown option 'kkkk", 29), 0);
    memset(cmdline, 'k', CMDLINE_TOKEN_MAX);
    cmdline[CMDLINE_TOKEN_MAX] = '\0';
    assert_int_equal(parse(o, cmdline), 1);
    assert_non_null(strstr(o->recorder.messages[0], "longer than 255 characters ignored"));
}

static void test_repeated_options_last_wins(void **state)
{
    struct kernel_options *o = *state;
    assert_int_equal(
        parse(o, "loglevel=2 loglevel=5 init=/a init=/b fault=ud fault=divide ticks=1 ticks=2"), 0);
    assert_int_equal(o->loglevel, 5);
    assert_string_equal(o->init, "/b");
    assert_int_equal(o->fault, 1);
    assert_int_equal(o->ticks, 2);
    /* A later bad value leaves the earlier good one in place. */
    assert_int_equal(parse(o, "loglevel=1 loglevel=9"), 1);
    assert_int_equal(o->loglevel, 1);
}

static void test_unterminated_quote(void **state)
{
    struct kernel_options *o = *state;
    assert_int_equal(parse(o, "loglevel=3 init=\"/bin/x shutdown"), 1);
    assert_string_equal(o->recorder.messages[0],
                        "cmdline: missing closing quote in 'init=/bin/x shutdown' ignored");
    assert_int_equal(o->loglevel, 3);
    assert_string_equal(o->init, "/sbin/init");
    assert_false(o->shutdown);
}

static void test_report_may_be_null(void **state)
{
    struct kernel_options *o = *state;
    assert_int_equal(cmdline_parse("foo loglevel=99 loglevel=6", o->table, 5, NULL, NULL), 2);
    assert_int_equal(o->loglevel, 6);
}

static void test_empty_table(void **state)
{
    struct kernel_options *o = *state;
    assert_int_equal(cmdline_parse("shutdown", NULL, 0, record_message, &o->recorder), 1);
    assert_string_equal(o->recorder.messages[0], "cmdline: unknown option 'shutdown' ignored");
}

#define OPTION_TEST(name) cmocka_unit_test_setup_teardown(name, setup_options, teardown_options)

int main(void)
{
    const struct CMUnitTest tests[] = {
        OPTION_TEST(test_null_and_empty_cmdline),
        OPTION_TEST(test_all_option_types),
        OPTION_TEST(test_every_enum_word),
        OPTION_TEST(test_number_forms),
        OPTION_TEST(test_whitespace_and_quotes),
        OPTION_TEST(test_unknown_options),
        OPTION_TEST(test_bad_numbers),
        OPTION_TEST(test_missing_values),
        OPTION_TEST(test_flag_with_value),
        OPTION_TEST(test_bad_enum_and_long_string),
        OPTION_TEST(test_nameless_option),
        OPTION_TEST(test_huge_tokens),
        OPTION_TEST(test_token_at_exact_limit),
        OPTION_TEST(test_repeated_options_last_wins),
        OPTION_TEST(test_unterminated_quote),
        OPTION_TEST(test_report_may_be_null),
        OPTION_TEST(test_empty_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
