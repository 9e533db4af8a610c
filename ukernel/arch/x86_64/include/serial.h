/* The serial ports: COM1 is the kernel's console (output, and input for console_read), COM2 a
 * control channel read by tools/run. */
#ifndef ARAMID_ARCH_SERIAL_H
#define ARAMID_ARCH_SERIAL_H

#include <stdbool.h>

void serial_init(void);
void serial_put_char(char c);
/* Writes raw text to the control channel (no newline translation). */
void serial_control_write(const char *text);
/* Turns on COM1's receive interrupt (ISA IRQ 4); bytes that came before are discarded. */
void serial_input_start(void);
/* Turns the receive interrupt on or off: off, the UART's FIFO fills and the other end of the
 * line waits (QEMU stops reading its input), so no byte is lost. */
void serial_input_receive(bool on);
/* The next received byte of COM1 (0..255), or -1 when none is waiting. */
int serial_input_byte(void);

#endif
