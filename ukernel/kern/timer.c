/* Timer tick: counts ticks on this CPU; the scheduler will hook preemption here. */
#include <stdint.h>

#include "apic.h"
#include "console.h"
#include "percpu.h"
#include "timer.h"
#include "trap.h"

static void timer_interrupt(struct trap_frame *frame)
{
    (void)frame;
    this_cpu()->ticks++;
    apic_end_of_interrupt();
}

void timer_init(void)
{
    trap_set_handler(TRAP_TIMER, timer_interrupt);
    uint32_t per_tick = apic_init(TIMER_HZ);
    kprintf("timer: local APIC timer at %u Hz, %u counts per tick\n", TIMER_HZ, per_tick);
}

uint64_t timer_ticks(void)
{
    return this_cpu()->ticks;
}
