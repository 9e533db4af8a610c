/* Unit tests for the calendar conversion and the TSC-to-nanosecond arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "clock_math.h"

static void test_known_dates(void **state)
{
    (void)state;
    assert_int_equal(clock_unix_seconds(1970, 1, 1, 0, 0, 0), 0);
    assert_int_equal(clock_unix_seconds(2000, 3, 1, 0, 0, 0), 951868800);
    assert_int_equal(clock_unix_seconds(2026, 11, 27, 15, 42, 26), 1795794146);
    assert_int_equal(clock_unix_seconds(2024, 2, 29, 23, 59, 59), 1709251199);
}

static void test_matches_timegm_over_many_dates(void **state)
{
    (void)state;
    for (int year = 1970; year < 2200; year += 7)
        for (int month = 1; month <= 12; month++) {
            struct tm tm = { .tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = 28,
                             .tm_hour = 13, .tm_min = 7, .tm_sec = 5 };
            assert_int_equal(clock_unix_seconds(year, month, 28, 13, 7, 5), (int64_t)timegm(&tm));
        }
}

static void test_rejects_out_of_range_fields(void **state)
{
    (void)state;
    assert_int_equal(clock_unix_seconds(1969, 12, 31, 0, 0, 0), -1);
    assert_int_equal(clock_unix_seconds(2023, 2, 29, 0, 0, 0), -1);
    assert_int_equal(clock_unix_seconds(2100, 2, 29, 0, 0, 0), -1);
    assert_int_equal(clock_unix_seconds(2000, 13, 1, 0, 0, 0), -1);
    assert_int_equal(clock_unix_seconds(2000, 0, 1, 0, 0, 0), -1);
    assert_int_equal(clock_unix_seconds(2000, 1, 32, 0, 0, 0), -1);
    assert_int_equal(clock_unix_seconds(2000, 1, 1, 24, 0, 0), -1);
    assert_int_equal(clock_unix_seconds(2000, 1, 1, 0, 60, 0), -1);
    assert_int_equal(clock_unix_seconds(2000, 1, 1, 0, 0, 60), -1);
}

static void test_tick_conversion(void **state)
{
    (void)state;
    uint64_t hz = 2600000000u;
    uint64_t mult = clock_nanosecond_multiplier(hz, 32);
    assert_true(clock_ticks_to_nanoseconds(hz, mult, 32) >= 999999999u);
    assert_true(clock_ticks_to_nanoseconds(hz, mult, 32) <= 1000000000u);
    /* a year of ticks does not overflow the 128-bit product */
    uint64_t year = hz * 3600 * 24 * 365;
    uint64_t ns = clock_ticks_to_nanoseconds(year, mult, 32);
    assert_true(ns > 31535999000000000ull && ns <= 31536000000000000ull);
    /* monotonic: consecutive tick counts never give decreasing nanoseconds */
    uint64_t previous = 0;
    for (uint64_t t = 0; t < 100000; t += 7) {
        uint64_t now = clock_ticks_to_nanoseconds(t, mult, 32);
        assert_true(now >= previous);
        previous = now;
    }
    assert_int_equal(clock_ticks_to_nanoseconds(1000, clock_nanosecond_multiplier(1000000000, 32), 32),
                     1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_dates),
        cmocka_unit_test(test_matches_timegm_over_many_dates),
        cmocka_unit_test(test_rejects_out_of_range_fields),
        cmocka_unit_test(test_tick_conversion),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
