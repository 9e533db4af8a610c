/* Deliberate kernel faults: each kind in its own non-inlined function, so a test can check that
 * the fault report's backtrace names the function that faulted. */
#include <stddef.h>
#include <stdint.h>

#include "fault_inject.h"

const char *const fault_kind_names[] = { "none", "pagefault", "divide", "ud", "gp", NULL };

static __attribute__((noinline)) void fault_inject_page_fault(void)
{
    /* The boot page tables map nothing between 4 GiB and the direct map. */
    volatile uint64_t *unmapped = (volatile uint64_t *)0x0000100000000000;
    *unmapped = 1;
}

static __attribute__((noinline)) void fault_inject_divide(void)
{
    volatile uint64_t zero = 0, one = 1;
    one = one / zero;
}

static __attribute__((noinline)) void fault_inject_invalid_opcode(void)
{
    __asm__ volatile("ud2");
}

static __attribute__((noinline)) void fault_inject_general_protection(void)
{
    /* A non-canonical address raises #GP, not #PF. */
    volatile uint64_t *non_canonical = (volatile uint64_t *)0x8000000000000000;
    *non_canonical = 1;
}

void fault_inject(enum fault_kind kind)
{
    switch (kind) {
    case FAULT_NONE:
        break;
    case FAULT_PAGE_FAULT:
        fault_inject_page_fault();
        break;
    case FAULT_DIVIDE:
        fault_inject_divide();
        break;
    case FAULT_INVALID_OPCODE:
        fault_inject_invalid_opcode();
        break;
    case FAULT_GENERAL_PROTECTION:
        fault_inject_general_protection();
        break;
    }
}
