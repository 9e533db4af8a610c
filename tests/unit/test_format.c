/* Unit tests for the kernel printf engine (ukernel/lib/format.c) against host snprintf. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "format.h"

#define CHECK_BUFFER_SIZE 512
#define CANARY 0x5a

/* Compares format_vsnprint against vsnprintf for one buffer size, including the bytes left
 * untouched. */
static void check_size(const char *fmt, size_t size, va_list ap)
{
    char expected[CHECK_BUFFER_SIZE + 1];
    char actual[CHECK_BUFFER_SIZE + 1];
    va_list host_ap;
    va_list our_ap;

    memset(expected, CANARY, sizeof(expected));
    memset(actual, CANARY, sizeof(actual));
    va_copy(host_ap, ap);
    va_copy(our_ap, ap);
    int expected_length = vsnprintf(expected, size, fmt, host_ap);
    int actual_length = format_vsnprint(actual, size, fmt, our_ap);
    va_end(host_ap);
    va_end(our_ap);

    if (expected_length != actual_length || memcmp(expected, actual, sizeof(expected)) != 0) {
        print_error("format \"%s\" size %zu: expected %d \"%.*s\", got %d \"%.*s\"\n", fmt, size,
                    expected_length, (int)(size ? size - 1 : 0), expected, actual_length,
                    (int)(size ? size - 1 : 0), actual);
        fail();
    }
}

/* Checks fmt with the full buffer and with every truncating size from 0 up to the full length. */
static void check_format_va(const char *fmt, va_list ap)
{
    va_list probe;

    va_copy(probe, ap);
    int length = vsnprintf(NULL, 0, fmt, probe);
    va_end(probe);
    assert_true(length >= 0 && length < CHECK_BUFFER_SIZE);

    check_size(fmt, CHECK_BUFFER_SIZE, ap);
    for (size_t size = 0; size <= (size_t)length + 1; size++)
        check_size(fmt, size, ap);
}

__attribute__((format(printf, 1, 2))) static void check_format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    check_format_va(fmt, ap);
    va_end(ap);
}

/* For well-defined flag combinations gcc's format checker flags as pointless ("%+u", "%08.3d"). */
static void check_format_redundant_flags(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    check_format_va(fmt, ap);
    va_end(ap);
}

/* Calls format_vsnprint without printf format checking, for conversions the host does not accept.
 */
static int format_unchecked(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int length = format_vsnprint(buf, size, fmt, ap);
    va_end(ap);
    return length;
}

static void test_plain_text(void **state)
{
    (void)state;
    check_format("%s", "");
    check_format("hello, world");
    check_format("100%% sure");
    check_format("%%%%");
    check_format("%c%c%c", 'a', 'b', 'c');
    check_format("[%5c] [%-5c]", 'x', 'y');
}

static void test_signed_decimal(void **state)
{
    (void)state;
    check_format("%d %i", 0, -0);
    check_format("%d %d %d", 1, -1, 42);
    check_format("%d %d", INT_MAX, INT_MIN);
    check_format("%ld %ld", LONG_MAX, LONG_MIN);
    check_format("%lld %lld", (long long)INT64_MAX, (long long)INT64_MIN);
    check_format("%zd %zd", (ptrdiff_t)-5, (ptrdiff_t)PTRDIFF_MAX);
    check_format("%hd %hd %hd", 32767, -32768, 70000);
    check_format("%hhd %hhd %hhd", 127, -128, 300);
    check_format("%+d %+d %+d", 5, -5, 0);
    check_format("% d % d % d", 5, -5, 0);
    check_format_redundant_flags("%+ d", 7);
    check_format("%5d|%-5d|%05d", -42, -42, -42);
    check_format("%05d|%+05d|% 05d", 42, 42, 42);
    check_format_redundant_flags("%.3d|%.3d|%8.3d|%-8.3d|%08.3d", 7, -7, 7, -7, 7);
    check_format("%.0d|%.0d|%5.0d|%+.0d", 0, 1, 0, 0);
    check_format("%30lld|%-30lld|%030lld", (long long)INT64_MIN, (long long)INT64_MIN,
                 (long long)INT64_MIN);
    check_format("%.40lld", (long long)INT64_MIN);
}

static void test_unsigned_conversions(void **state)
{
    (void)state;
    check_format("%u %u %u", 0u, 1u, UINT_MAX);
    check_format("%lu %llu %zu", ULONG_MAX, (unsigned long long)UINT64_MAX, SIZE_MAX);
    check_format("%hu %hhu", 70000, 300);
    check_format("%x %X %x", 0xdeadbeefu, 0xdeadbeefu, 0u);
    check_format("%lx %llX %zx", ULONG_MAX, (unsigned long long)UINT64_MAX, (size_t)0x1234);
    check_format("%hx %hhx", 0x12345, 0x1ff);
    check_format("%#x %#X %#x %#.0x", 255u, 255u, 0u, 0u);
    check_format("%#10x|%#-10x|%#010x|%#.6x", 255u, 255u, 255u, 255u);
    check_format("%o %#o %#o %#.0o %.0o", 8u, 8u, 0u, 0u, 0u);
    check_format("%#.3o %#.5o %#8o %#08o", 8u, 8u, 8u, 8u);
    check_format("%llo %#llo", (unsigned long long)UINT64_MAX, (unsigned long long)UINT64_MAX);
    check_format_redundant_flags("%+u % u %+x", 5u, 5u, 5u);
    check_format("%016llx|%-16llx|%.16llx", 0xabcULL, 0xabcULL, 0xabcULL);
}

static void test_width_and_precision(void **state)
{
    (void)state;
    check_format("%100d", 1);
    check_format("%-100d|", -1);
    check_format("%0100lld", (long long)INT64_MIN);
    check_format("%.100u", 12345u);
    check_format("%200.150llx", (unsigned long long)UINT64_MAX);
    check_format("%*d|%-*d|%*d", 6, 42, 6, 42, -6, 42);
    check_format("%.*d|%.*d|%*.*d", 4, 42, -1, 42, 8, 5, -42);
    check_format("%0*d", 7, -3);
    check_format_redundant_flags("%0.*d", -1, -3);
    check_format("%s|%10s|%-10s|%.2s|%10.3s|%-10.3s|", "abcd", "abcd", "abcd", "abcd", "abcd",
                 "abcd");
    check_format("%.*s|%*s", 3, "abcdef", -8, "ab");
    check_format("%.0s|%.10s", "abc", "abc");
    check_format("%.70s", "a string much shorter than seventy characters");
}

static void test_string_precision_reads_no_further(void **state)
{
    (void)state;
    char not_terminated[3] = {'a', 'b', 'c'};
    char buf[16];
    assert_int_equal(format_snprint(buf, sizeof(buf), "%.3s|%.2s", not_terminated, not_terminated),
                     6);
    assert_string_equal(buf, "abc|ab");
}

static void test_null_string(void **state)
{
    (void)state;
    char buf[32];
    const char *nothing = NULL;
    /* Unchecked: gcc rejects a known-NULL %s argument at compile time. */
    assert_int_equal(format_unchecked(buf, sizeof(buf), "%s", nothing), 6);
    assert_string_equal(buf, "(null)");
    assert_int_equal(format_unchecked(buf, sizeof(buf), "[%8s][%-8s]", nothing, nothing), 20);
    assert_string_equal(buf, "[  (null)][(null)  ]");
    assert_int_equal(format_unchecked(buf, sizeof(buf), "%.3s", nothing), 3);
    assert_string_equal(buf, "(nu");
}

static void test_pointer(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(format_snprint(buf, sizeof(buf), "%p", (void *)0), 18);
    assert_string_equal(buf, "0x0000000000000000");
    assert_int_equal(format_snprint(buf, sizeof(buf), "%p", (void *)0xffff800000001000ull), 18);
    assert_string_equal(buf, "0xffff800000001000");
    assert_int_equal(format_snprint(buf, sizeof(buf), "%p", (void *)(uintptr_t)UINT64_MAX), 18);
    assert_string_equal(buf, "0xffffffffffffffff");
    assert_int_equal(format_snprint(buf, sizeof(buf), "[%20p]", (void *)0x1234), 22);
    assert_string_equal(buf, "[  0x0000000000001234]");
    assert_int_equal(format_snprint(buf, sizeof(buf), "[%-20p]", (void *)0x1234), 22);
    assert_string_equal(buf, "[0x0000000000001234  ]");

    /* The host prints %p differently; its %#018llx agrees with ours for non-zero values. */
    void *p = &buf;
    char expected[64];
    snprintf(expected, sizeof(expected), "%#018llx", (unsigned long long)(uintptr_t)p);
    format_snprint(buf, sizeof(buf), "%p", p);
    assert_string_equal(buf, expected);
}

static void test_unknown_conversion_printed_literally(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(format_unchecked(buf, sizeof(buf), "%q %d", 5), 4);
    assert_string_equal(buf, "%q 5");
    assert_int_equal(format_unchecked(buf, sizeof(buf), "a%-08.3lqb%s", "x"), 11);
    assert_string_equal(buf, "a%-08.3lqbx");
    /* A '*' inside an unknown conversion consumes no argument either. */
    assert_int_equal(format_unchecked(buf, sizeof(buf), "%*.*k|%d", 77), 8);
    assert_string_equal(buf, "%*.*k|77");
    assert_int_equal(format_unchecked(buf, sizeof(buf), "%f %d", 3), 4);
    assert_string_equal(buf, "%f 3");
    assert_int_equal(format_unchecked(buf, sizeof(buf), "%jd %d", 9), 5);
    assert_string_equal(buf, "%jd 9");
}

static void test_incomplete_conversion_at_end(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(format_unchecked(buf, sizeof(buf), "abc%"), 4);
    assert_string_equal(buf, "abc%");
    assert_int_equal(format_unchecked(buf, sizeof(buf), "abc%-5.2ll"), 10);
    assert_string_equal(buf, "abc%-5.2ll");
}

static void test_truncation(void **state)
{
    (void)state;
    char buf[8];
    memset(buf, CANARY, sizeof(buf));
    assert_int_equal(format_snprint(NULL, 0, "%d", 123456), 6);
    assert_int_equal(format_snprint(buf, 0, "%d", 123456), 6);
    assert_int_equal((unsigned char)buf[0], CANARY);
    assert_int_equal(format_snprint(buf, 1, "%d", 123456), 6);
    assert_int_equal(buf[0], '\0');
    assert_int_equal((unsigned char)buf[1], CANARY);
    assert_int_equal(format_snprint(buf, 4, "%s", "abcdef"), 6);
    assert_string_equal(buf, "abc");
    assert_int_equal((unsigned char)buf[4], CANARY);
    check_format("%lld and %s", (long long)INT64_MIN, "a tail that will be truncated");
    check_format("%-20s|%020llu", "left", (unsigned long long)UINT64_MAX);
}

struct counting_sink {
    char text[64];
    size_t length;
};

static void counting_emit(void *ctx, char c)
{
    struct counting_sink *sink = ctx;
    if (sink->length < sizeof(sink->text) - 1)
        sink->text[sink->length] = c;
    sink->length++;
}

static int print_to_sink(struct counting_sink *sink, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = format_vprint(counting_emit, sink, fmt, ap);
    va_end(ap);
    sink->text[sink->length < sizeof(sink->text) ? sink->length : sizeof(sink->text) - 1] = '\0';
    return n;
}

static void test_vprint_emits_each_character(void **state)
{
    (void)state;
    struct counting_sink sink = {.length = 0};
    assert_int_equal(print_to_sink(&sink, "x=%d y=%s", -12, "ok"), 10);
    assert_int_equal(sink.length, 10);
    assert_string_equal(sink.text, "x=-12 y=ok");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text),
        cmocka_unit_test(test_signed_decimal),
        cmocka_unit_test(test_unsigned_conversions),
        cmocka_unit_test(test_width_and_precision),
        cmocka_unit_test(test_string_precision_reads_no_further),
        cmocka_unit_test(test_null_string),
        cmocka_unit_test(test_pointer),
        cmocka_unit_test(test_unknown_conversion_printed_literally),
        cmocka_unit_test(test_incomplete_conversion_at_end),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_vprint_emits_each_character),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
