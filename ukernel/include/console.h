/* Kernel console output (the serial port) and panic. */
#ifndef ARAMID_CONSOLE_H
#define ARAMID_CONSOLE_H

#include <stdarg.h>

/* Exit codes the kernel reports to the runner through machine_exit(). */
#define KERNEL_EXIT_SUCCESS 0
#define KERNEL_EXIT_PANIC 1
#define KERNEL_EXIT_FAULT 2

__attribute__((format(printf, 1, 2))) int kprintf(const char *fmt, ...);
int kvprintf(const char *fmt, va_list ap);
__attribute__((noreturn, format(printf, 1, 2))) void kernel_panic(const char *fmt, ...);

#endif
