/* Host tests for libsys's start blocks (libsys/startinfo.c) and proc string encoding
 * (libsys/proc_strings.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <aramid/errno.h>
#include <aramid/proto/proc.h>
#include <aramid/startinfo.h>

static _Alignas(16) unsigned char stack[8192];
static char strings[ARAMID_IPC_BUFFER_SIZE];

static void test_build_then_parse(void **state)
{
    (void)state;
    char *argv[] = {"prog", "a b", "", NULL};
    char *envp[] = {"X=1", NULL};
    long argc, envc;
    long bytes =
        aramid_proc_strings_encode(strings, sizeof(strings), "prog", argv, envp, &argc, &envc);
    assert_int_equal(bytes, 5 + 5 + 4 + 1 + 4);
    const char *path, *text;
    size_t length;
    assert_int_equal(
        aramid_proc_strings_decode(strings, (size_t)bytes, argc, envc, &path, &text, &length), 0);
    assert_string_equal(path, "prog");
    struct aramid_auxv auxv[] = {{ARAMID_AT_ARAMID_PID, 7},
                                 {ARAMID_AT_ARAMID_PROC_ENDPOINT, 11},
                                 {ARAMID_AT_ARAMID_PROC_NOTIFICATION, 12},
                                 {ARAMID_AT_PAGESZ, 4096},
                                 {ARAMID_AT_ARAMID_CONSOLE_TOKEN, 0xfedcba9876543210ul},
                                 {ARAMID_AT_ARAMID_CONSOLE, 13},
                                 {0x7777, 1}};
    unsigned long top = (unsigned long)(stack + sizeof(stack)), sp = 0;
    long used =
        aramid_start_build(stack, sizeof(stack), top, text, length, argc, envc, auxv, 7, &sp);
    assert_true(used > 0);
    assert_int_equal(sp, top - (unsigned long)used);
    assert_int_equal(sp % 16, 0);
    struct aramid_startinfo info;
    assert_int_equal(aramid_start_parse(sp, &info), 0);
    assert_int_equal(info.argc, 3);
    assert_string_equal(info.argv[0], "prog");
    assert_string_equal(info.argv[1], "a b");
    assert_string_equal(info.argv[2], "");
    assert_null(info.argv[3]);
    assert_string_equal(info.envp[0], "X=1");
    assert_null(info.envp[1]);
    assert_int_equal(info.self.pid, 7);
    assert_int_equal(info.self.endpoint, 11);
    assert_int_equal(info.self.notification, 12);
    assert_int_equal(info.page_size, 4096);
    assert_int_equal(info.console_token, 0xfedcba9876543210ul);
    assert_int_equal(info.self.console, 13);
}

static void test_build_empty_lists(void **state)
{
    (void)state;
    unsigned long top = (unsigned long)(stack + sizeof(stack)), sp;
    assert_true(aramid_start_build(stack, sizeof(stack), top, NULL, 0, 0, 0, NULL, 0, &sp) > 0);
    struct aramid_startinfo info;
    assert_int_equal(aramid_start_parse(sp, &info), 0);
    assert_int_equal(info.argc, 0);
    assert_null(info.argv[0]);
    assert_null(info.envp[0]);
}

static void test_build_rejects_bad_input(void **state)
{
    (void)state;
    unsigned long top = (unsigned long)(stack + sizeof(stack)), sp;
    /* counts that claim more strings than there are */
    assert_int_equal(aramid_start_build(stack, sizeof(stack), top, "a\0b", 4, 3, 0, NULL, 0, &sp),
                     -ARAMID_E2BIG);
    /* fewer strings than the bytes hold */
    assert_int_equal(aramid_start_build(stack, sizeof(stack), top, "a\0b", 4, 1, 0, NULL, 0, &sp),
                     -ARAMID_E2BIG);
    /* a block larger than the buffer */
    assert_int_equal(aramid_start_build(stack, 64, top, "a\0b", 4, 2, 0, NULL, 0, &sp),
                     -ARAMID_E2BIG);
    assert_int_equal(aramid_start_build(stack, sizeof(stack), top, "", 0, -1, 0, NULL, 0, &sp),
                     -ARAMID_E2BIG);
}

static void test_parse_rejects_bad_blocks(void **state)
{
    (void)state;
    _Alignas(16) unsigned long block[8] = {1000000, 0};
    struct aramid_startinfo info;
    assert_int_equal(aramid_start_parse(0, &info), -ARAMID_EINVAL);
    assert_int_equal(aramid_start_parse((unsigned long)block + 1, &info), -ARAMID_EINVAL);
    assert_int_equal(aramid_start_parse((unsigned long)block, &info), -ARAMID_EINVAL);
    block[0] = 1; /* argv[0] = 1 is not followed by NULL */
    block[1] = 1;
    block[2] = 1;
    assert_int_equal(aramid_start_parse((unsigned long)block, &info), -ARAMID_EINVAL);
}

static void test_strings_encode_limits(void **state)
{
    (void)state;
    static char big[5000];
    memset(big, 'x', sizeof(big) - 1);
    char *argv[] = {big, NULL};
    long argc, envc;
    assert_int_equal(
        aramid_proc_strings_encode(strings, sizeof(strings), "p", argv, NULL, &argc, &envc),
        -ARAMID_E2BIG);
    assert_int_equal(
        aramid_proc_strings_encode(strings, sizeof(strings), "", NULL, NULL, &argc, &envc),
        -ARAMID_ENOENT);
    assert_int_equal(
        aramid_proc_strings_encode(strings, sizeof(strings), "p", NULL, NULL, &argc, &envc), 2);
    assert_int_equal(argc, 0);
    assert_int_equal(envc, 0);
}

static void test_strings_decode_rejects_garbage(void **state)
{
    (void)state;
    const char *path, *text;
    size_t length;
    memset(strings, 0xff, sizeof(strings));
    assert_int_equal(
        aramid_proc_strings_decode(strings, sizeof(strings), 0, 0, &path, &text, &length),
        -ARAMID_EINVAL);
    assert_int_equal(aramid_proc_strings_decode("p\0a\0", 4, 2, 0, &path, &text, &length),
                     -ARAMID_EINVAL);
    assert_int_equal(aramid_proc_strings_decode("p\0a\0", 4, 0, 0, &path, &text, &length),
                     -ARAMID_EINVAL);
    assert_int_equal(aramid_proc_strings_decode("\0a\0", 3, 1, 0, &path, &text, &length),
                     -ARAMID_EINVAL);
    assert_int_equal(aramid_proc_strings_decode("p\0a\0", 4, -1, 2, &path, &text, &length),
                     -ARAMID_EINVAL);
    assert_int_equal(aramid_proc_strings_decode("p\0a\0", 0, 0, 0, &path, &text, &length),
                     -ARAMID_EINVAL);
    assert_int_equal(aramid_proc_strings_decode("p\0a\0", 4, 0, 1, &path, &text, &length), 0);
    assert_int_equal(length, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_then_parse),
        cmocka_unit_test(test_build_empty_lists),
        cmocka_unit_test(test_build_rejects_bad_input),
        cmocka_unit_test(test_parse_rejects_bad_blocks),
        cmocka_unit_test(test_strings_encode_limits),
        cmocka_unit_test(test_strings_decode_rejects_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
