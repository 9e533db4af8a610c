/* cmocka tests for the buddy frame allocator in ukernel/mm/frame.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "kerrno.h"

#define PAGE FRAME_SIZE

struct zone_fixture {
    struct frame_zone zone;
    void *metadata;
};

static struct zone_fixture *fixture_create(uint64_t base, size_t nframes)
{
    struct zone_fixture *fixture = calloc(1, sizeof(*fixture));

    assert_non_null(fixture);
    fixture->metadata = malloc(frame_zone_metadata_size(nframes));
    assert_non_null(fixture->metadata);
    assert_int_equal(frame_zone_init(&fixture->zone, base, nframes, fixture->metadata), 0);
    return fixture;
}

static void fixture_destroy(struct zone_fixture *fixture)
{
    free(fixture->metadata);
    free(fixture);
}

/*
 * Walks the free lists and checks every zone invariant: list membership matches
 * FREE|HEAD and order, blocks are aligned and inside the zone, no two free buddies
 * of the same order coexist, per-frame states agree with the counters.
 */
static void zone_check_invariants(struct frame_zone *zone)
{
    size_t listed_frames = 0;
    size_t free_frames = 0;
    size_t allocated_frames = 0;

    for (unsigned int order = 0; order < FRAME_ORDER_COUNT; order++) {
        struct list_node *node;

        for (node = zone->free_lists[order].next; node != &zone->free_lists[order];
             node = node->next) {
            struct frame *head = list_entry(node, struct frame, link);
            uint64_t phys = frame_to_phys(zone, head);
            uint64_t pfn = phys / PAGE;
            size_t count = (size_t)1 << order;

            assert_int_equal(head->flags, FRAME_FLAG_FREE | FRAME_FLAG_HEAD);
            assert_int_equal(head->order, order);
            assert_int_equal(pfn % count, 0);
            assert_true(phys >= zone->base);
            assert_true((phys - zone->base) / PAGE + count <= zone->nframes);
            for (size_t i = 1; i < count; i++) {
                assert_int_equal(head[i].flags, FRAME_FLAG_FREE);
            }
            if (order < FRAME_MAX_ORDER) {
                struct frame *buddy = frame_lookup(zone, (pfn ^ count) * PAGE);

                if (buddy != NULL) {
                    assert_false(buddy->flags == (FRAME_FLAG_FREE | FRAME_FLAG_HEAD) &&
                                 buddy->order == order);
                }
            }
            listed_frames += count;
        }
    }
    for (size_t i = 0; i < zone->nframes; i++) {
        uint8_t state = zone->frames[i].flags & ~FRAME_FLAG_HEAD;

        assert_true(state == FRAME_FLAG_FREE || state == FRAME_FLAG_RESERVED ||
                    state == FRAME_FLAG_ALLOCATED);
        free_frames += state == FRAME_FLAG_FREE;
        allocated_frames += state == FRAME_FLAG_ALLOCATED;
        if (state != FRAME_FLAG_ALLOCATED) {
            assert_int_equal(zone->frames[i].refcount, 0);
        }
    }
    assert_int_equal(listed_frames, frame_free_count(zone));
    assert_int_equal(free_frames, frame_free_count(zone));
    assert_int_equal(allocated_frames, frame_used_count(zone));
}

static void test_init_marks_everything_reserved(void **state)
{
    (void)state;
    struct zone_fixture *fixture = fixture_create(0x100000, 100);
    struct frame_zone *zone = &fixture->zone;
    uint64_t phys;

    assert_int_equal(frame_free_count(zone), 0);
    assert_int_equal(frame_used_count(zone), 0);
    for (size_t i = 0; i < 100; i++) {
        struct frame *frame = frame_lookup(zone, 0x100000 + i * PAGE + 123);

        assert_ptr_equal(frame, &zone->frames[i]);
        assert_int_equal(frame->flags, FRAME_FLAG_RESERVED);
        assert_int_equal(frame->refcount, 0);
        assert_int_equal(frame_to_phys(zone, frame), 0x100000 + i * PAGE);
    }
    assert_null(frame_lookup(zone, 0x100000 - 1));
    assert_null(frame_lookup(zone, 0x100000 + 100 * PAGE));
    assert_int_equal(frame_alloc(zone, 0, &phys), -ENOMEM);
    assert_int_equal(frame_free(zone, 0x100000, 0), -EINVAL);
    zone_check_invariants(zone);
    fixture_destroy(fixture);
}

static void test_init_rejects_bad_arguments(void **state)
{
    (void)state;
    struct frame_zone zone;
    uint64_t storage[64];

    assert_int_equal(frame_zone_init(&zone, 0x1000, 0, storage), -EINVAL);
    assert_int_equal(frame_zone_init(&zone, 0x1800, 4, storage), -EINVAL);
    assert_int_equal(frame_zone_init(&zone, 0x1000, 4, NULL), -EINVAL);
    assert_int_equal(frame_zone_init(&zone, 0x1000, 4, (char *)storage + 1), -EINVAL);
    assert_int_equal(frame_zone_init(&zone, UINT64_MAX - 0xFFF, 4, storage), -EINVAL);
    assert_int_equal(frame_zone_metadata_size(SIZE_MAX), 0);
    assert_int_equal(frame_zone_metadata_size(3), 3 * sizeof(struct frame));
    assert_int_equal(frame_zone_init(&zone, 0x1000, 4, storage), 0);
}

/* Two usable ranges with holes, odd sizes, and a start not aligned to any large order. */
static void test_free_ranges_with_holes(void **state)
{
    (void)state;
    const uint64_t base = 0x100000; /* pfn 256 */
    struct zone_fixture *fixture = fixture_create(base, 3000);
    struct frame_zone *zone = &fixture->zone;
    uint8_t *owned = calloc(3000, 1);
    uint64_t phys;
    size_t count = 0;

    assert_non_null(owned);
    assert_int_equal(frame_zone_add_free_range(zone, base + 3 * PAGE, base + 1000 * PAGE), 0);
    zone_check_invariants(zone);
    assert_int_equal(frame_zone_add_free_range(zone, base + 1500 * PAGE, base + 2999 * PAGE), 0);
    zone_check_invariants(zone);
    assert_int_equal(frame_free_count(zone), 997 + 1499);
    assert_int_equal(frame_lookup(zone, base + 2 * PAGE)->flags, FRAME_FLAG_RESERVED);
    assert_int_equal(frame_lookup(zone, base + 1000 * PAGE)->flags, FRAME_FLAG_RESERVED);
    assert_int_equal(frame_lookup(zone, base + 1499 * PAGE)->flags, FRAME_FLAG_RESERVED);
    assert_int_equal(frame_lookup(zone, base + 2999 * PAGE)->flags, FRAME_FLAG_RESERVED);

    /* Rejected ranges change nothing: overlap, outside, misaligned, reversed. */
    assert_int_equal(frame_zone_add_free_range(zone, base, base + 4 * PAGE), -EINVAL);
    assert_int_equal(frame_zone_add_free_range(zone, base + 2999 * PAGE, base + 3001 * PAGE),
                     -EINVAL);
    assert_int_equal(frame_zone_add_free_range(zone, base - PAGE, base), -EINVAL);
    assert_int_equal(frame_zone_add_free_range(zone, base + 0x10, base + PAGE), -EINVAL);
    assert_int_equal(frame_zone_add_free_range(zone, base + 2 * PAGE, base + PAGE), -EINVAL);
    assert_int_equal(frame_zone_add_free_range(zone, base + PAGE, base + PAGE), 0);
    assert_int_equal(frame_free_count(zone), 997 + 1499);
    zone_check_invariants(zone);

    /* Every order-0 allocation lands in a usable range, exactly once. */
    while (frame_alloc(zone, 0, &phys) == 0) {
        size_t index = (phys - base) / PAGE;

        assert_true((index >= 3 && index < 1000) || (index >= 1500 && index < 2999));
        assert_int_equal(owned[index], 0);
        owned[index] = 1;
        count++;
    }
    assert_int_equal(count, 997 + 1499);
    assert_int_equal(frame_free_count(zone), 0);
    assert_int_equal(frame_used_count(zone), count);
    zone_check_invariants(zone);

    for (size_t index = 0; index < 3000; index++) {
        if (owned[index]) {
            assert_int_equal(frame_free(zone, base + index * PAGE, 0), 0);
        }
    }
    assert_int_equal(frame_free_count(zone), 997 + 1499);
    assert_int_equal(frame_used_count(zone), 0);
    zone_check_invariants(zone);

    /* Only pfn 2048..3071 is a 4 MiB aligned block inside the usable ranges. */
    assert_int_equal(frame_alloc(zone, FRAME_MAX_ORDER, &phys), 0);
    assert_int_equal(phys, 2048 * PAGE);
    assert_int_equal(frame_alloc(zone, FRAME_MAX_ORDER, &phys), -ENOMEM);
    assert_int_equal(frame_free(zone, 2048 * PAGE, FRAME_MAX_ORDER), 0);
    zone_check_invariants(zone);
    free(owned);
    fixture_destroy(fixture);
}

static void test_alloc_every_order(void **state)
{
    (void)state;
    struct zone_fixture *fixture = fixture_create(0, 4096);
    struct frame_zone *zone = &fixture->zone;
    uint64_t phys[FRAME_ORDER_COUNT];
    size_t used = 0;

    assert_int_equal(frame_zone_add_free_range(zone, 0, 4096 * PAGE), 0);
    assert_int_equal(frame_free_count(zone), 4096);
    for (unsigned int order = 0; order <= FRAME_MAX_ORDER; order++) {
        size_t count = (size_t)1 << order;

        assert_int_equal(frame_alloc(zone, order, &phys[order]), 0);
        assert_int_equal(phys[order] % (PAGE << order), 0);
        struct frame *head = frame_lookup(zone, phys[order]);

        assert_int_equal(head->flags, FRAME_FLAG_ALLOCATED | FRAME_FLAG_HEAD);
        assert_int_equal(head->order, order);
        for (size_t i = 0; i < count; i++) {
            assert_int_equal(head[i].refcount, 1);
            assert_int_equal(head[i].flags & ~FRAME_FLAG_HEAD, FRAME_FLAG_ALLOCATED);
        }
        used += count;
        assert_int_equal(frame_used_count(zone), used);
        assert_int_equal(frame_free_count(zone), 4096 - used);
        zone_check_invariants(zone);
    }
    assert_int_equal(frame_alloc(zone, FRAME_MAX_ORDER + 1, &phys[0]), -EINVAL);
    for (unsigned int order = 0; order <= FRAME_MAX_ORDER; order++) {
        assert_int_equal(frame_free(zone, phys[order], order), 0);
        assert_int_equal(frame_lookup(zone, phys[order])->refcount, 0);
        zone_check_invariants(zone);
    }
    assert_int_equal(frame_used_count(zone), 0);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(frame_alloc(zone, FRAME_MAX_ORDER, &phys[i]), 0);
    }
    assert_int_equal(frame_alloc(zone, 0, &phys[4]), -ENOMEM);
    fixture_destroy(fixture);
}

static void test_exhaustion_and_recovery(void **state)
{
    (void)state;
    struct zone_fixture *fixture = fixture_create(0x200000, 64);
    struct frame_zone *zone = &fixture->zone;
    uint64_t big;
    uint64_t small;

    assert_int_equal(frame_zone_add_free_range(zone, 0x200000, 0x200000 + 64 * PAGE), 0);
    assert_int_equal(frame_alloc(zone, 7, &big), -ENOMEM);
    assert_int_equal(frame_alloc(zone, 6, &big), 0);
    assert_int_equal(frame_alloc(zone, 0, &small), -ENOMEM);
    assert_int_equal(frame_free(zone, big, 6), 0);
    assert_int_equal(frame_alloc(zone, 0, &small), 0);
    assert_int_equal(frame_alloc(zone, 6, &big), -ENOMEM);
    assert_int_equal(frame_alloc(zone, 5, &big), 0);
    assert_int_equal(frame_free(zone, small, 0), 0);
    assert_int_equal(frame_free(zone, big, 5), 0);
    assert_int_equal(frame_alloc(zone, 6, &big), 0);
    zone_check_invariants(zone);
    fixture_destroy(fixture);
}

/* The last reserve frames go only to callers may_use_reserve approves; without a hook there is
 * no reserve. */
static bool reserve_allowed;

static bool test_may_use_reserve(void)
{
    return reserve_allowed;
}

static void test_reserve_for_system(void **state)
{
    (void)state;
    struct zone_fixture *fixture = fixture_create(0x200000, 16);
    struct frame_zone *zone = &fixture->zone;
    uint64_t frames[16];

    assert_int_equal(frame_zone_add_free_range(zone, 0x200000, 0x200000 + 16 * PAGE), 0);
    zone->reserve = 4;
    zone->may_use_reserve = test_may_use_reserve;
    reserve_allowed = false;
    for (int i = 0; i < 12; i++)
        assert_int_equal(frame_alloc(zone, 0, &frames[i]), 0);
    assert_int_equal(frame_free_count(zone), 4);
    assert_int_equal(frame_alloc(zone, 0, &frames[12]), -ENOMEM); /* only the reserve is left */
    reserve_allowed = true;
    for (int i = 12; i < 16; i++)
        assert_int_equal(frame_alloc(zone, 0, &frames[i]), 0); /* a system process takes it */
    assert_int_equal(frame_alloc(zone, 0, &frames[0]), -ENOMEM); /* and then it is gone */
    for (int i = 8; i < 16; i++)
        assert_int_equal(frame_free(zone, frames[i], 0), 0);
    reserve_allowed = false;
    /* A block that would dip into the reserve is refused whole: 8 free, 4 reserved. */
    assert_int_equal(frame_alloc(zone, 3, &frames[8]), -ENOMEM);
    assert_int_equal(frame_alloc(zone, 2, &frames[8]), 0);
    zone_check_invariants(zone);
    fixture_destroy(fixture);
}

static void test_all_order0_then_free_merges_back(void **state)
{
    (void)state;
    /* Zone start pfn 5 and odd length: buddies near both edges fall outside the zone. */
    struct zone_fixture *fixture = fixture_create(5 * PAGE, 4099);
    struct frame_zone *zone = &fixture->zone;
    uint64_t *frames = malloc(4099 * sizeof(*frames));
    size_t count = 0;
    uint64_t phys;

    assert_non_null(frames);
    assert_int_equal(frame_zone_add_free_range(zone, 5 * PAGE, (5 + 4099) * PAGE), 0);
    zone_check_invariants(zone);
    while (frame_alloc(zone, 0, &frames[count]) == 0) {
        count++;
    }
    assert_int_equal(count, 4099);
    assert_int_equal(frame_alloc(zone, 0, &phys), -ENOMEM);
    /* Free in an interleaved order so merges happen out of address order. */
    for (size_t i = 0; i < count; i += 2) {
        assert_int_equal(frame_free(zone, frames[i], 0), 0);
    }
    zone_check_invariants(zone);
    for (size_t i = 1; i < count; i += 2) {
        assert_int_equal(frame_free(zone, frames[i], 0), 0);
    }
    zone_check_invariants(zone);
    assert_int_equal(frame_free_count(zone), 4099);
    assert_int_equal(frame_used_count(zone), 0);
    /* pfn 5..4103 contains exactly the aligned 4 MiB blocks at pfn 1024, 2048 and 3072. */
    for (int i = 0; i < 3; i++) {
        assert_int_equal(frame_alloc(zone, FRAME_MAX_ORDER, &phys), 0);
    }
    assert_int_equal(frame_alloc(zone, FRAME_MAX_ORDER, &phys), -ENOMEM);
    free(frames);
    fixture_destroy(fixture);
}

static void test_invalid_frees_are_rejected(void **state)
{
    (void)state;
    const uint64_t base = 0x400000;
    struct zone_fixture *fixture = fixture_create(base, 256);
    struct frame_zone *zone = &fixture->zone;
    uint64_t block;
    uint64_t single;

    assert_int_equal(frame_zone_add_free_range(zone, base + 16 * PAGE, base + 256 * PAGE), 0);
    assert_int_equal(frame_alloc(zone, 2, &block), 0);
    assert_int_equal(frame_alloc(zone, 0, &single), 0);
    size_t free_before = frame_free_count(zone);

    assert_int_equal(frame_free(zone, base, 0), -EINVAL);              /* reserved */
    assert_int_equal(frame_free(zone, base - PAGE, 0), -EINVAL);       /* below zone */
    assert_int_equal(frame_free(zone, base + 256 * PAGE, 0), -EINVAL); /* above zone */
    assert_int_equal(frame_free(zone, block + 1, 2), -EINVAL);         /* misaligned */
    assert_int_equal(frame_free(zone, block + 0x800, 2), -EINVAL);     /* misaligned */
    assert_int_equal(frame_free(zone, block + PAGE, 0), -EINVAL);      /* tail frame */
    assert_int_equal(frame_free(zone, block, 1), -EINVAL);             /* wrong order */
    assert_int_equal(frame_free(zone, block, 3), -EINVAL);             /* wrong order */
    assert_int_equal(frame_free(zone, block, FRAME_MAX_ORDER + 1), -EINVAL);
    assert_int_equal(frame_free_count(zone), free_before);
    zone_check_invariants(zone);

    assert_int_equal(frame_free(zone, block, 2), 0);
    assert_int_equal(frame_free(zone, block, 2), -EINVAL); /* double free */
    assert_int_equal(frame_free(zone, single, 0), 0);
    assert_int_equal(frame_free(zone, single, 0), -EINVAL); /* double free after merge */
    assert_int_equal(frame_free_count(zone), 240);
    assert_int_equal(frame_used_count(zone), 0);
    zone_check_invariants(zone);
    fixture_destroy(fixture);
}

/* Random allocations and frees checked against a shadow ownership map. */
static void test_random_stress(void **state)
{
    (void)state;
    enum { NFRAMES = 3000, SLOTS = 200, ROUNDS = 20000 };
    struct zone_fixture *fixture = fixture_create(7 * PAGE, NFRAMES);
    struct frame_zone *zone = &fixture->zone;
    uint8_t owned[NFRAMES] = {0};
    uint64_t slot_phys[SLOTS];
    int slot_order[SLOTS];
    uint32_t seed = 12345;

    for (int i = 0; i < SLOTS; i++) {
        slot_order[i] = -1;
    }
    assert_int_equal(frame_zone_add_free_range(zone, 7 * PAGE, (7 + 1000) * PAGE), 0);
    assert_int_equal(frame_zone_add_free_range(zone, (7 + 1001) * PAGE, (7 + NFRAMES) * PAGE), 0);
    for (int round = 0; round < ROUNDS; round++) {
        seed = seed * 1103515245u + 12345u;
        int slot = (int)((seed >> 8) % SLOTS);

        if (slot_order[slot] < 0) {
            unsigned int order = (seed >> 20) % 6;
            uint64_t phys;

            if (frame_alloc(zone, order, &phys) != 0) {
                continue;
            }
            for (size_t i = 0; i < ((size_t)1 << order); i++) {
                size_t index = (phys - 7 * PAGE) / PAGE + i;

                assert_true(index < NFRAMES && index != 1000);
                assert_int_equal(owned[index], 0);
                owned[index] = 1;
            }
            slot_phys[slot] = phys;
            slot_order[slot] = (int)order;
        } else {
            for (size_t i = 0; i < ((size_t)1 << slot_order[slot]); i++) {
                owned[(slot_phys[slot] - 7 * PAGE) / PAGE + i] = 0;
            }
            assert_int_equal(frame_free(zone, slot_phys[slot], (unsigned int)slot_order[slot]), 0);
            slot_order[slot] = -1;
        }
        if (round % 1000 == 0) {
            zone_check_invariants(zone);
        }
    }
    for (int i = 0; i < SLOTS; i++) {
        if (slot_order[i] >= 0) {
            assert_int_equal(frame_free(zone, slot_phys[i], (unsigned int)slot_order[i]), 0);
        }
    }
    assert_int_equal(frame_free_count(zone), NFRAMES - 1);
    zone_check_invariants(zone);
    fixture_destroy(fixture);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_marks_everything_reserved),
        cmocka_unit_test(test_init_rejects_bad_arguments),
        cmocka_unit_test(test_free_ranges_with_holes),
        cmocka_unit_test(test_alloc_every_order),
        cmocka_unit_test(test_exhaustion_and_recovery),
        cmocka_unit_test(test_reserve_for_system),
        cmocka_unit_test(test_all_order0_then_free_merges_back),
        cmocka_unit_test(test_invalid_frees_are_rejected),
        cmocka_unit_test(test_random_stress),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
