/* 16550 UART driver: output polled (COM1 is the console, COM2 the runner's control channel;
 * polling keeps both working before interrupts are set up and after a fault); COM1's input by
 * its receive interrupt (ISA IRQ 4). */
#include <stdbool.h>
#include <stdint.h>

#include "io.h"
#include "serial.h"

#define COM1 0x3f8
#define COM2 0x2f8
#define UART_DATA 0
#define UART_INTERRUPT_ENABLE 1
#define UART_FIFO_CONTROL 2
#define UART_LINE_CONTROL 3
#define UART_MODEM_CONTROL 4
#define UART_LINE_STATUS 5
#define LINE_STATUS_DATA_READY 0x01
#define LINE_STATUS_TRANSMIT_EMPTY 0x20
#define INTERRUPT_RECEIVED_DATA 0x01
#define MODEM_CONTROL_DTR_RTS 0x03
#define MODEM_CONTROL_OUT2 0x08 /* gates the UART's interrupt line on PCs */

static void uart_init(uint16_t port)
{
    io_out8(port + UART_INTERRUPT_ENABLE, 0x00);
    io_out8(port + UART_LINE_CONTROL, 0x80); /* divisor latch on */
    io_out8(port + UART_DATA, 0x01);         /* 115200 baud */
    io_out8(port + UART_INTERRUPT_ENABLE, 0x00);
    io_out8(port + UART_LINE_CONTROL, 0x03); /* 8N1, latch off */
    io_out8(port + UART_FIFO_CONTROL, 0xc7);
    io_out8(port + UART_MODEM_CONTROL, MODEM_CONTROL_DTR_RTS);
}

static void uart_put_byte(uint16_t port, uint8_t byte)
{
    while (!(io_in8(port + UART_LINE_STATUS) & LINE_STATUS_TRANSMIT_EMPTY))
        ;
    io_out8(port + UART_DATA, byte);
}

void serial_init(void)
{
    uart_init(COM1);
    uart_init(COM2);
}

void serial_put_char(char c)
{
    if (c == '\n')
        uart_put_byte(COM1, '\r');
    uart_put_byte(COM1, (uint8_t)c);
}

void serial_control_write(const char *text)
{
    while (*text)
        uart_put_byte(COM2, (uint8_t)*text++);
}

void serial_input_start(void)
{
    while (io_in8(COM1 + UART_LINE_STATUS) & LINE_STATUS_DATA_READY)
        (void)io_in8(COM1 + UART_DATA); /* what arrived before the kernel listened */
    io_out8(COM1 + UART_MODEM_CONTROL, MODEM_CONTROL_DTR_RTS | MODEM_CONTROL_OUT2);
    serial_input_receive(true);
}

void serial_input_receive(bool on)
{
    io_out8(COM1 + UART_INTERRUPT_ENABLE, on ? INTERRUPT_RECEIVED_DATA : 0);
}

int serial_input_byte(void)
{
    if (!(io_in8(COM1 + UART_LINE_STATUS) & LINE_STATUS_DATA_READY))
        return -1;
    return io_in8(COM1 + UART_DATA);
}
