/* Pipes: three processes in a pipeline move 10 MiB; the last one's checksum matches the first's. */
#include <fcntl.h>

#include "contract.h"

#define PIPELINE_BYTES (10 * 1024 * 1024)
#define CHUNK 8192

/* FNV-1a over the stream. */
static unsigned long checksum_add(unsigned long hash, const unsigned char *bytes, size_t length)
{
    for (size_t i = 0; i < length; i++)
        hash = (hash ^ bytes[i]) * 1099511628211ul;
    return hash;
}

static int write_all(int fd, const unsigned char *bytes, size_t length)
{
    while (length > 0) {
        ssize_t n = write(fd, bytes, length);
        if (n <= 0)
            return -1;
        bytes += n;
        length -= (size_t)n;
    }
    return 0;
}

int main(void)
{
    contract_start();
    static unsigned char chunk[CHUNK];
    int first[2], second[2];
    if (pipe(first) != 0 || pipe(second) != 0)
        return 1;
    unsigned long expected = 14695981039346656037ul;
    unsigned seed = 1;
    for (long at = 0; at < PIPELINE_BYTES; at += CHUNK) {
        for (size_t i = 0; i < CHUNK; i++) {
            seed = seed * 1103515245u + 12345u;
            chunk[i] = (unsigned char)(seed >> 16);
        }
        expected = checksum_add(expected, chunk, CHUNK);
    }
    pid_t producer = contract_fork();
    if (producer == 0) {
        close(first[0]);
        close(second[0]);
        close(second[1]);
        seed = 1;
        for (long at = 0; at < PIPELINE_BYTES; at += CHUNK) {
            for (size_t i = 0; i < CHUNK; i++) {
                seed = seed * 1103515245u + 12345u;
                chunk[i] = (unsigned char)(seed >> 16);
            }
            if (write_all(first[1], chunk, CHUNK) != 0)
                _exit(2);
        }
        _exit(0);
    }
    pid_t relay = contract_fork();
    if (relay == 0) {
        close(first[1]);
        close(second[0]);
        /* Odd read sizes, so the relay's reads and writes cross the ring's edges. */
        static unsigned char relayed[CHUNK * 2 + 7];
        for (;;) {
            ssize_t n = read(first[0], relayed, sizeof(relayed));
            if (n < 0)
                _exit(3);
            if (n == 0)
                break;
            if (write_all(second[1], relayed, (size_t)n) != 0)
                _exit(4);
        }
        _exit(0);
    }
    close(first[0]);
    close(first[1]);
    close(second[1]);
    unsigned long hash = 14695981039346656037ul;
    long total = 0;
    static unsigned char received[5003];
    for (;;) {
        ssize_t n = read(second[0], received, sizeof(received));
        if (n <= 0)
            break;
        hash = checksum_add(hash, received, (size_t)n);
        total += n;
    }
    printf("bytes through the pipeline: %ld\n", total);
    printf("checksum matches: %s\n", hash == expected ? "yes" : "no");
    contract_reap("producer", producer);
    contract_reap("relay", relay);
    return contract_pass();
}
