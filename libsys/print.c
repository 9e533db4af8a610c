/* libsys console output: printf through the kernel's format engine into sys_debug_write. */
#include <aramid/sys.h>

#include "format.h"

#define PRINT_BUFFER_SIZE 256

/* Characters wait in text until it is full or the format ends; error keeps the first failure. */
struct print_buffer {
    char text[PRINT_BUFFER_SIZE];
    size_t used;
    long error;
};

static void print_flush(struct print_buffer *buffer)
{
    if (buffer->used > 0 && buffer->error == 0) {
        long written = sys_debug_write(buffer->text, buffer->used);
        if (written < 0)
            buffer->error = written;
    }
    buffer->used = 0;
}

static void print_emit(void *context, char c)
{
    struct print_buffer *buffer = context;
    if (buffer->used == PRINT_BUFFER_SIZE)
        print_flush(buffer);
    buffer->text[buffer->used++] = c;
}

int aramid_vprintf(const char *format, va_list arguments)
{
    struct print_buffer buffer;
    buffer.used = 0;
    buffer.error = 0;
    int count = format_vprint(print_emit, &buffer, format, arguments);
    print_flush(&buffer);
    return buffer.error < 0 ? (int)buffer.error : count;
}

int aramid_printf(const char *format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    int count = aramid_vprintf(format, arguments);
    va_end(arguments);
    return count;
}
