/* SDK test helper for the hostile programs: hostile.h (random words, a checked byte stream). */
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <aramid/sys.h>

#include "hostile.h"

static unsigned long hostile_seed = 0x9e3779b97f4a7c15ul;

void hostile_random_seed(unsigned long seed)
{
    hostile_seed = seed;
}

unsigned long hostile_random_word(void)
{
    hostile_seed ^= hostile_seed << 13;
    hostile_seed ^= hostile_seed >> 7;
    hostile_seed ^= hostile_seed << 17;
    return hostile_seed;
}

int hostile_socketpair_works(void)
{
    int sv[2];
    char byte = 0;
    int ok = socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0 && write(sv[0], "s", 1) == 1 &&
             read(sv[1], &byte, 1) == 1 && byte == 's';
    close(sv[0]);
    close(sv[1]);
    return ok;
}

void hostile_garbage_fill(struct aramid_message *message, unsigned label)
{
    memset(message, 0, sizeof(*message));
    unsigned bytes = (unsigned)(hostile_random_word() % (ARAMID_IPC_BUFFER_SIZE + 1));
    message->info = ARAMID_IPC_INFO(label, bytes);
    unsigned char *buffer = (unsigned char *)sys_ipc_buffer();
    for (unsigned b = 0; b < bytes; b++)
        buffer[b] = (unsigned char)hostile_random_word();
    for (int w = 0; w < ARAMID_IPC_REGISTERS; w++)
        message->words[w] = hostile_random_word();
}

int hostile_pattern_write(int fd, unsigned long bytes)
{
    static unsigned char chunk[5000];
    for (unsigned long position = 0; position < bytes;) {
        size_t length = 1 + (position * 7) % sizeof(chunk);
        if (length > bytes - position)
            length = bytes - position;
        for (size_t i = 0; i < length; i++)
            chunk[i] = (unsigned char)((position + i) * 131);
        for (size_t done = 0; done < length;) {
            ssize_t put = write(fd, chunk + done, length - done);
            if (put <= 0)
                return -1;
            done += (size_t)put;
        }
        position += length;
    }
    return 0;
}

int hostile_pattern_read(int fd, unsigned long bytes)
{
    static unsigned char chunk[3000];
    unsigned long position = 0, wrong = 0;
    while (position < bytes) {
        size_t want = bytes - position < sizeof(chunk) ? bytes - position : sizeof(chunk);
        ssize_t got = read(fd, chunk, want);
        if (got <= 0)
            break;
        for (ssize_t i = 0; i < got; i++)
            wrong += chunk[i] != (unsigned char)((position + (unsigned long)i) * 131);
        position += (unsigned long)got;
    }
    return position == bytes && wrong == 0;
}
