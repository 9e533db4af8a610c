/* Symbolized stack backtraces of the kernel, for fault reports and panics. */
#ifndef ARAMID_BACKTRACE_H
#define ARAMID_BACKTRACE_H

#include <stddef.h>
#include <stdint.h>

/* Uses the nm text of the kernel (the "kernel-symbols" boot module) for names. */
void backtrace_set_symbols(const char *text, size_t length);
/* Prints rip, then the return addresses found by following the frame-pointer chain from rbp. */
void backtrace_print(uint64_t rip, uint64_t rbp);

#endif
