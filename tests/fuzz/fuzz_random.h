/* The fuzzer's seeded generator (xorshift64*): one stream per worker, so a seed replays. */
#ifndef FUZZ_RANDOM_H
#define FUZZ_RANDOM_H

struct fuzz_random {
    unsigned long state; /* never 0 */
};

static inline unsigned long fuzz_next(struct fuzz_random *r)
{
    r->state ^= r->state >> 12;
    r->state ^= r->state << 25;
    r->state ^= r->state >> 27;
    return r->state * 0x2545f4914f6cdd1dul;
}

static inline unsigned long fuzz_below(struct fuzz_random *r, unsigned long n)
{
    return n ? fuzz_next(r) % n : 0;
}

static inline int fuzz_chance(struct fuzz_random *r, unsigned percent)
{
    return fuzz_below(r, 100) < percent;
}

#endif
