/* The kernel information page: read-only, mapped at the same address in every process, so the
 * clocks can be read without entering the kernel (like Linux's vDSO data). */
#ifndef ARAMID_INFOPAGE_H
#define ARAMID_INFOPAGE_H

#define ARAMID_INFO_PAGE_ADDRESS 0x7ffffffe0000ul
#define ARAMID_INFO_PAGE_MAGIC 0x4f464e495f444d41ul /* "AMD_INFO" */

/*
 * Monotonic nanoseconds at TSC value t: ((t - tsc_base) * tsc_mult) >> tsc_shift, computed with
 * a 128-bit product (the kernel's own clock uses the same formula, so both agree exactly).
 * Real time: realtime_base_ns + monotonic nanoseconds (from the CMOS clock at boot, UTC).
 * The fields never change after boot.
 */
struct aramid_info_page {
    unsigned long magic;
    unsigned long tsc_base;
    unsigned long tsc_mult;
    unsigned long tsc_shift;
    unsigned long tsc_per_second;
    unsigned long realtime_base_ns;
};

#endif
