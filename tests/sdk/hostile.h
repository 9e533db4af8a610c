/* SDK test helper (a second translation unit) for the hostile programs: a repeatable random
 * word, garbage messages and a byte pattern streamed through a descriptor and checked. */
#ifndef HOSTILE_H
#define HOSTILE_H

/* xorshift64; the sequence starts from 0x9e3779b97f4a7c15 unless hostile_random_seed says. */
void hostile_random_seed(unsigned long seed);
unsigned long hostile_random_word(void);

/* A byte sent over a fresh AF_UNIX stream pair arrives: 1, else 0. */
int hostile_socketpair_works(void);

struct aramid_message;
/* A garbage call with label: a random byte count (up to the whole IPC buffer) of random bytes
 * in the IPC buffer, random words in every register. */
void hostile_garbage_fill(struct aramid_message *message, unsigned label);

/* Writes bytes of the pattern (byte i is i * 131) to fd in chunks of 1 to 5000 bytes: 0, or -1
 * when a write fails or writes nothing. */
int hostile_pattern_write(int fd, unsigned long bytes);
/* Reads fd in chunks of up to 3000 bytes until bytes have come or the stream ends: 1 when
 * bytes came and every one was the pattern's, else 0. Reads no further than bytes. */
int hostile_pattern_read(int fd, unsigned long bytes);

#endif
