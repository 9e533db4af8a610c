/* The fuzzer over the shared data rings (fuzz_ring.c): hostile rounds on a worker's own pipe and
 * socketpair rings, and the bystander whose own rings must carry every byte right meanwhile. */
#ifndef FUZZ_RING_H
#define FUZZ_RING_H

#include <aramid/sys.h>
#include <stddef.h>

#include "fuzz_random.h"

/* What a worker's ring rounds did (printed, summed by tools/fuzz). */
struct fuzz_ring_counts {
    unsigned long rounds;     /* pipes and socketpairs that got a ring and were fuzzed */
    unsigned long refused;    /* ones the server kept off a ring (-EPERM, its ring limit) */
    unsigned long forks;      /* rounds with a forked child on the same ring */
    unsigned long transfers;  /* ring and server reads and writes */
    unsigned long scribbles;  /* random writes over a ring's header, flags, words or data */
    unsigned long waits;      /* futex_waits on a waiting word (each with a deadline) */
    unsigned long unbounded;  /* answers longer than asked: a server bug (printed) */
};

/* One round: a pipe or a socketpair with its ring mapped at FUZZ_RINGS, transfers through the
 * ring and the server mixed with scribbles over every part of the ring memory, sometimes with a
 * forked child scribbling, waking and waiting on the same ring (or holding the pipe, so that
 * the vfs drains a retiring ring under it), ended by a retiring call or a close. */
void fuzz_ring_round(struct fuzz_random *random, struct fuzz_ring_counts *counts);

/* A new vfs session for this process (the fuzzed messages may have ended the last one with
 * `release`, or a fork child has none): the session call's result; its buffer's handle in
 * *buffer (0: none). fuzz_ring_session_again closes the buffer's handle (the vfs keeps it). */
long fuzz_ring_session(aramid_handle_t *buffer, size_t *size);
long fuzz_ring_session_again(void);

/* The bystander's report, in a page it shares with the coordinator. */
struct fuzz_bystander {
    volatile unsigned long stop;   /* set by the coordinator: finish and report */
    volatile unsigned long done;   /* set by the bystander when the counts are final */
    unsigned long rounds;          /* pipes and socketpairs made and closed */
    unsigned long ring_bytes;      /* bytes that went through a ring */
    unsigned long server_bytes;    /* bytes that went through the server (no ring, or retired) */
    unsigned long no_ring;         /* pipes and pairs that got no ring (every ring in use) */
    unsigned long wrong;           /* bytes that came out wrong */
    unsigned long errors;          /* calls that failed, or a ring of its own found broken */
    unsigned long checksum;        /* of every byte read, in order */
};

/* The bystander's loop: its own pipes and socketpairs, checksummed data through their rings
 * (and through the server after a retire) until stop; exits 0 when every byte was right. */
_Noreturn void fuzz_bystander_run(struct fuzz_bystander *report, unsigned long seed);

#endif
