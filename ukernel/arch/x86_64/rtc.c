/* CMOS RTC: waits out an update in progress, reads until two reads agree, converts BCD and
 * 12-hour formats. The century register is not standard; years are taken as 20xx. */
#include <stdbool.h>
#include <stdint.h>

#include "clock_math.h"
#include "io.h"
#include "rtc.h"

#define CMOS_ADDRESS 0x70
#define CMOS_DATA 0x71
#define CMOS_SECONDS 0x00
#define CMOS_MINUTES 0x02
#define CMOS_HOURS 0x04
#define CMOS_DAY 0x07
#define CMOS_MONTH 0x08
#define CMOS_YEAR 0x09
#define CMOS_STATUS_A 0x0a
#define CMOS_STATUS_B 0x0b
#define STATUS_A_UPDATING 0x80
#define STATUS_B_BINARY 0x04
#define STATUS_B_24_HOUR 0x02
#define HOUR_PM 0x80
#define RTC_READ_ATTEMPTS 10

struct rtc_time {
    uint8_t second, minute, hour, day, month, year;
};

static uint8_t cmos_read(uint8_t reg)
{
    io_out8(CMOS_ADDRESS, reg);
    return io_in8(CMOS_DATA);
}

static void rtc_read_raw(struct rtc_time *t)
{
    while (cmos_read(CMOS_STATUS_A) & STATUS_A_UPDATING)
        ;
    t->second = cmos_read(CMOS_SECONDS);
    t->minute = cmos_read(CMOS_MINUTES);
    t->hour = cmos_read(CMOS_HOURS);
    t->day = cmos_read(CMOS_DAY);
    t->month = cmos_read(CMOS_MONTH);
    t->year = cmos_read(CMOS_YEAR);
}

static int from_bcd(uint8_t value)
{
    return (value >> 4) * 10 + (value & 0x0f);
}

int64_t rtc_read_unix_seconds(void)
{
    struct rtc_time a, b;
    int attempts = 0;
    rtc_read_raw(&b);
    do {
        a = b;
        rtc_read_raw(&b);
    } while (++attempts < RTC_READ_ATTEMPTS &&
             (a.second != b.second || a.minute != b.minute || a.hour != b.hour ||
              a.day != b.day || a.month != b.month || a.year != b.year));

    uint8_t status = cmos_read(CMOS_STATUS_B);
    bool pm = b.hour & HOUR_PM;
    int hour = b.hour & ~HOUR_PM;
    int second = b.second, minute = b.minute, day = b.day, month = b.month, year = b.year;
    if (!(status & STATUS_B_BINARY)) {
        second = from_bcd((uint8_t)second);
        minute = from_bcd((uint8_t)minute);
        hour = from_bcd((uint8_t)hour);
        day = from_bcd((uint8_t)day);
        month = from_bcd((uint8_t)month);
        year = from_bcd((uint8_t)year);
    }
    if (!(status & STATUS_B_24_HOUR))
        hour = (hour % 12) + (pm ? 12 : 0);
    return clock_unix_seconds(2000 + year, month, day, hour, minute, second);
}
