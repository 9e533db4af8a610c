/* The clocks without a system call: the TSC scaled by the kernel information page's parameters
 * (the same formula as the kernel's own clock, so both agree). */
#include <aramid/infopage.h>
#include <aramid/sys.h>

static const volatile struct aramid_info_page *const info_page =
    (const volatile struct aramid_info_page *)ARAMID_INFO_PAGE_ADDRESS;

static unsigned long read_tsc(void)
{
    unsigned int low, high;
    __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
    return (unsigned long)high << 32 | low;
}

unsigned long aramid_clock_monotonic_ns(void)
{
    unsigned long ticks = read_tsc() - info_page->tsc_base;
    return (unsigned long)(((unsigned __int128)ticks * info_page->tsc_mult) >>
                           info_page->tsc_shift);
}

unsigned long aramid_clock_realtime_ns(void)
{
    return info_page->realtime_base_ns + aramid_clock_monotonic_ns();
}
