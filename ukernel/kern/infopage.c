/* The kernel information page: one frame, filled at boot, mapped read-only into every process
 * so user code reads the clocks without a system call. */
#include <stdint.h>

#include "aramid/infopage.h"
#include "clock_math.h"
#include "console.h"
#include "frame.h"
#include "infopage.h"
#include "kstring.h"
#include "layout.h"
#include "memory.h"
#include "rtc.h"
#include "vm.h"

#define TSC_SHIFT 32

static uint64_t infopage_phys;

void infopage_init(uint64_t tsc_base, uint64_t tsc_per_second)
{
    if (frame_alloc(&memory_frames, 0, &infopage_phys) != 0)
        kernel_panic("infopage: no frame");
    struct aramid_info_page *page = phys_to_virt(infopage_phys);
    memset(page, 0, PAGE_SIZE);
    int64_t seconds = rtc_read_unix_seconds();
    page->tsc_base = tsc_base;
    page->tsc_shift = TSC_SHIFT;
    page->tsc_mult = clock_nanosecond_multiplier(tsc_per_second, TSC_SHIFT);
    page->tsc_per_second = tsc_per_second;
    /* The RTC was read a moment after tsc_base; the error is below its one-second resolution. */
    page->realtime_base_ns = seconds > 0 ? (uint64_t)seconds * 1000000000ull : 0;
    page->magic = ARAMID_INFO_PAGE_MAGIC;
    if (seconds < 0)
        kprintf("clock: the RTC reads nonsense; real time starts at the epoch\n");
    else
        kprintf("clock: real time %ld s since the epoch at boot\n", (long)seconds);
}

void infopage_map(struct address_space *space)
{
    /* -EINVAL: the space already has it (processes can share a space). */
    vm_map_frame(space, ARAMID_INFO_PAGE_ADDRESS, infopage_phys, VM_PROT_READ);
}

