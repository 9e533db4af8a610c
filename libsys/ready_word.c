/* Readiness words (aramid/proto/ready.h): the one reader the event server and posix-shim share,
 * which trusts nothing it reads (pure logic, host-tested in tests/unit/test_ready_word.c). */
#include <aramid/proto/ready.h>

long aramid_ready_word_read(const unsigned long *words, unsigned long count, unsigned long slot,
                            unsigned long check, uint32_t *bits, unsigned long *generation)
{
    if (words == NULL || slot >= count)
        return -1;
    unsigned long word = __atomic_load_n(&words[slot], __ATOMIC_ACQUIRE); /* once */
    if (!(word & ARAMID_READY_WORD_VALID) ||
        ((word >> ARAMID_READY_WORD_CHECK_SHIFT) & ARAMID_READY_WORD_CHECK_MASK) !=
            (check & ARAMID_READY_WORD_CHECK_MASK))
        return -1;
    *bits = (uint32_t)(word & ARAMID_READY_WORD_BITS);
    *generation = (word >> ARAMID_READY_WORD_GENERATION_SHIFT) & ARAMID_READY_WORD_GENERATION_MASK;
    return (word & ARAMID_READY_WORD_RING) != 0;
}
