/* Timer tick and the monotonic clock: ticks drive time slices and sleeps; the clock is the TSC
 * scaled by its frequency measured against the PIT at boot. */
#include <stdint.h>

#include "apic.h"
#include "console.h"
#include "cpu.h"
#include "percpu.h"
#include "sched.h"
#include "timer.h"
#include "trap.h"

static uint64_t tsc_boot;
static uint64_t tsc_per_second;

static void timer_interrupt(struct trap_frame *frame)
{
    (void)frame;
    uint64_t now = ++this_cpu()->ticks;
    apic_end_of_interrupt();
    sched_tick(now);
}

void timer_init(void)
{
    trap_set_handler(TRAP_TIMER, timer_interrupt);
    tsc_boot = cpu_read_tsc();
    uint32_t per_tick = apic_init(TIMER_HZ, &tsc_per_second);
    if (tsc_per_second == 0)
        tsc_per_second = 1;
    kprintf("timer: local APIC timer at %u Hz, %u counts per tick; TSC %lu kHz\n", TIMER_HZ,
            per_tick, tsc_per_second / 1000);
}

uint64_t timer_ticks(void)
{
    return this_cpu()->ticks;
}

uint64_t timer_nanoseconds(void)
{
    uint64_t elapsed = cpu_read_tsc() - tsc_boot;
    /* split to keep elapsed * 10^9 from overflowing */
    uint64_t seconds = elapsed / tsc_per_second, rest = elapsed % tsc_per_second;
    return seconds * 1000000000ull + rest * 1000000000ull / tsc_per_second;
}
