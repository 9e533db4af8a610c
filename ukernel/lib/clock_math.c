/* Calendar arithmetic for the real-time clock and the TSC-to-nanosecond multiplier. */
#include <stdbool.h>
#include <stdint.h>

#include "clock_math.h"

static bool is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

int64_t clock_unix_seconds(int year, int month, int day, int hour, int minute, int second)
{
    if (year < 1970 || year > 100000 || month < 1 || month > 12 || day < 1 ||
        day > days_in_month(year, month) || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
        second < 0 || second > 59)
        return -1;
    int64_t days = 0;
    for (int y = 1970; y < year; y++)
        days += is_leap(y) ? 366 : 365;
    for (int m = 1; m < month; m++)
        days += days_in_month(year, m);
    days += day - 1;
    return ((days * 24 + hour) * 60 + minute) * 60 + second;
}

uint64_t clock_nanosecond_multiplier(uint64_t hz, unsigned shift)
{
    return (uint64_t)(((unsigned __int128)1000000000u << shift) / hz);
}
