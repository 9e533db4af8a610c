/* Frame-pointer backtraces (the kernel is built with -fno-omit-frame-pointer), checked at every
 * step so a corrupt stack ends the walk instead of faulting inside the fault handler. */
#include <stdint.h>

#include "backtrace.h"
#include "console.h"
#include "ksyms.h"
#include "layout.h"

#define BACKTRACE_MAX_FRAMES 32

static struct ksyms kernel_symbols;

void backtrace_set_symbols(const char *text, size_t length)
{
    ksyms_init(&kernel_symbols, text, length);
}

/* lookup is the address to name: a return address minus one, so a call at the very end of a
 * function is named after that function and not the next one. */
static void print_frame(int depth, uint64_t address, uint64_t lookup)
{
    struct ksym_match match;
    if (ksyms_lookup(&kernel_symbols, lookup, &match) == 0)
        kprintf("  #%-2d %016lx %.*s+%#lx\n", depth, address, (int)match.name_length, match.name,
                address - (lookup - match.offset));
    else
        kprintf("  #%-2d %016lx ?\n", depth, address);
}

/* A frame pointer is followed only if it is 8-aligned and inside the kernel's half. */
static int frame_pointer_valid(uint64_t rbp)
{
    return rbp % 8 == 0 && rbp >= PHYS_MAP_BASE && rbp < UINT64_MAX - 16;
}

void backtrace_print(uint64_t rip, uint64_t rbp)
{
    kprintf("backtrace:\n");
    print_frame(0, rip, rip);
    for (int depth = 1; depth < BACKTRACE_MAX_FRAMES && frame_pointer_valid(rbp); depth++) {
        const uint64_t *frame = (const uint64_t *)rbp;
        uint64_t return_address = frame[1];
        if (return_address < KERNEL_VIRT_BASE)
            break;
        print_frame(depth, return_address, return_address - 1);
        if (frame[0] <= rbp)
            break; /* stacks grow down: the caller's frame is above */
        rbp = frame[0];
    }
}
