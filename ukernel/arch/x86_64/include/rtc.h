/* The CMOS real-time clock, read once at boot. */
#ifndef ARAMID_ARCH_RTC_H
#define ARAMID_ARCH_RTC_H

#include <stdint.h>

/* Seconds since the Unix epoch (the RTC is taken to hold UTC), or -1 if it reads nonsense. */
int64_t rtc_read_unix_seconds(void);

#endif
