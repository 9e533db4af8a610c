/* Machine exit: the code goes to the runner over the control channel, then isa-debug-exit stops QEMU. */
#include "format.h"
#include "io.h"
#include "machine.h"
#include "serial.h"

#define DEBUG_EXIT_PORT 0xf4
/* QEMU exits with status (value << 1) | 1 = 3; tools/run takes the code from the control line. */
#define DEBUG_EXIT_VALUE 1

void machine_exit(uint8_t code)
{
    char line[32];
    interrupts_disable();
    format_snprint(line, sizeof(line), "aramid-exit %u\n", code);
    serial_control_write(line);
    io_out32(DEBUG_EXIT_PORT, DEBUG_EXIT_VALUE);
    for (;;)
        cpu_halt();
}
