/* Host tests for the readiness words' reader (libsys/ready_word.c): packing, stale and reused slots, scribbles. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <aramid/proto/ready.h>

static void test_word_round_trip(void **state)
{
    (void)state;
    unsigned long words[4] = {0};
    uint32_t bits = 0;
    unsigned long generation = 0;
    /* A word never written says: ask ready_poll. */
    assert_int_equal(aramid_ready_word_read(words, 4, 2, 5, &bits, &generation), -1);
    words[2] = aramid_ready_word(5, 0x123456789ul, ARAMID_POLLIN | ARAMID_POLLOUT);
    assert_int_equal(aramid_ready_word_read(words, 4, 2, 5, &bits, &generation), 0);
    assert_int_equal(bits, ARAMID_POLLIN | ARAMID_POLLOUT);
    assert_int_equal(generation, 0x23456789ul); /* the low 32 bits */
    words[2] = aramid_ready_word(5, 7, ARAMID_POLLIN | ARAMID_READY_WORD_RING);
    assert_int_equal(aramid_ready_word_read(words, 4, 2, 5, &bits, &generation), 1);
    assert_int_equal(bits, ARAMID_POLLIN);
    assert_int_equal(generation, 7);
    /* The check is 15 bits: only they are compared. */
    assert_int_equal(aramid_ready_word_read(words, 4, 2, 5 + (1ul << 15), &bits, &generation), 1);
}

static void test_reused_or_out_of_range_slot(void **state)
{
    (void)state;
    unsigned long words[2] = {aramid_ready_word(9, 1, ARAMID_POLLOUT), 0};
    uint32_t bits = 0xdead;
    unsigned long generation = 0xbeef;
    /* Another socket in the slot now, a slot past the count, no words at all. */
    assert_int_equal(aramid_ready_word_read(words, 2, 0, 10, &bits, &generation), -1);
    assert_int_equal(aramid_ready_word_read(words, 2, 2, 9, &bits, &generation), -1);
    assert_int_equal(aramid_ready_word_read(words, 2, ~0ul, 9, &bits, &generation), -1);
    assert_int_equal(aramid_ready_word_read(NULL, 0, 0, 9, &bits, &generation), -1);
    assert_int_equal(bits, 0xdead); /* nothing written on a refusal */
    assert_int_equal(generation, 0xbeef);
}

static void test_scribbled_word_stays_in_bounds(void **state)
{
    (void)state;
    /* Every bit set: whatever it says, the bits are poll bits only and the check must match. */
    unsigned long words[1] = {~0ul};
    uint32_t bits;
    unsigned long generation;
    assert_int_equal(aramid_ready_word_read(words, 1, 0, ARAMID_READY_WORD_CHECK_MASK, &bits,
                                            &generation),
                     1);
    assert_int_equal(bits, ARAMID_READY_WORD_BITS);
    assert_int_equal(generation, ARAMID_READY_WORD_GENERATION_MASK);
    assert_int_equal(aramid_ready_word_read(words, 1, 0, 0, &bits, &generation), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_word_round_trip),
        cmocka_unit_test(test_reused_or_out_of_range_slot),
        cmocka_unit_test(test_scribbled_word_stays_in_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
