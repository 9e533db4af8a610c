/* The serial ports: COM1 is the kernel's console, COM2 a control channel read by tools/run. */
#ifndef ARAMID_ARCH_SERIAL_H
#define ARAMID_ARCH_SERIAL_H

void serial_init(void);
void serial_put_char(char c);
/* Writes raw text to the control channel (no newline translation). */
void serial_control_write(const char *text);

#endif
