/* Timer tick and the monotonic clock: ticks drive time slices and sleeps; the clock is the TSC
 * scaled by its frequency measured against the PIT at boot. */
#include <stdint.h>

#include "apic.h"
#include "clock_math.h"
#include "console.h"
#include "cputime.h"
#include "cpu.h"
#include "infopage.h"
#include "percpu.h"
#include "sched.h"
#include "timer.h"
#include "trap.h"

static uint64_t tsc_boot;
static uint64_t tsc_per_second;
static uint64_t tsc_mult; /* nanoseconds = (ticks * tsc_mult) >> TSC_SHIFT, as in the info page */
#define TSC_SHIFT 32

static void timer_interrupt(struct trap_frame *frame)
{
    struct percpu *cpu = this_cpu();
    cputime_charge(cpu, cpu->current, trap_from_user(frame));
    uint64_t now = ++cpu->ticks;
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
    tsc_mult = clock_nanosecond_multiplier(tsc_per_second, TSC_SHIFT);
    infopage_init(tsc_boot, tsc_per_second);
    kprintf("timer: local APIC timer at %u Hz, %u counts per tick; TSC %lu kHz\n", TIMER_HZ,
            per_tick, tsc_per_second / 1000);
}

uint64_t timer_ticks(void)
{
    return this_cpu()->ticks;
}

uint64_t timer_nanoseconds(void)
{
    return clock_ticks_to_nanoseconds(cpu_read_tsc() - tsc_boot, tsc_mult, TSC_SHIFT);
}
