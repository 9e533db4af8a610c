/* kprintf and kernel_panic over the serial console, formatted by format.c. */
#include <stdarg.h>

#include "console.h"
#include "format.h"
#include "machine.h"
#include "serial.h"

static void console_emit(void *ctx, char c)
{
    (void)ctx;
    serial_put_char(c);
}

int kvprintf(const char *fmt, va_list ap)
{
    return format_vprint(console_emit, NULL, fmt, ap);
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}

void kernel_panic(const char *fmt, ...)
{
    va_list ap;
    interrupts_disable();
    kprintf("\nkernel panic: ");
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    machine_exit(KERNEL_EXIT_PANIC);
}
