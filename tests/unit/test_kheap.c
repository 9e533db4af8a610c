/* cmocka tests for the kernel heap in ukernel/mm/kheap.c over slab.c and a test page arena. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "kerrno.h"
#include "kheap.h"
#include "page_arena.h"

struct heap_fixture {
    struct test_arena arena;
    struct page_source pages;
    struct page_run_source runs;
    struct kheap heap;
};

static struct heap_fixture *fixture_create(size_t npages, size_t limit)
{
    struct heap_fixture *fixture = calloc(1, sizeof(*fixture));

    assert_non_null(fixture);
    arena_init(&fixture->arena, npages, limit);
    fixture->pages = (struct page_source){arena_alloc_page, arena_free_page, &fixture->arena};
    fixture->runs = (struct page_run_source){arena_alloc_pages, arena_free_pages, &fixture->arena};
    assert_int_equal(kheap_init(&fixture->heap, &fixture->pages, &fixture->runs), 0);
    return fixture;
}

/* Destroys the heap and checks every page went back to the arena. */
static void fixture_destroy(struct heap_fixture *fixture)
{
    assert_int_equal(kheap_destroy(&fixture->heap), 0);
    assert_int_equal(kheap_pages_held(&fixture->heap), 0);
    arena_release(&fixture->arena);
    free(fixture);
}

struct span {
    uintptr_t start;
    size_t size;
};

static int compare_spans(const void *a, const void *b)
{
    uintptr_t left = ((const struct span *)a)->start;
    uintptr_t right = ((const struct span *)b)->start;

    return (left > right) - (left < right);
}

static void test_init_validates_sources(void **state)
{
    (void)state;
    struct heap_fixture *fixture = fixture_create(4, 4);
    struct page_run_source no_runs = {NULL, arena_free_pages, &fixture->arena};
    struct kheap heap;

    assert_int_equal(kheap_init(&heap, NULL, &fixture->runs), -EINVAL);
    assert_int_equal(kheap_init(&heap, &fixture->pages, NULL), -EINVAL);
    assert_int_equal(kheap_init(&heap, &fixture->pages, &no_runs), -EINVAL);
    assert_int_equal(kheap_pages_held(&fixture->heap), 0);
    fixture_destroy(fixture);
}

/* Every odd size from 1 to 8191 live at once: aligned, disjoint, contents intact. */
static void test_odd_sizes_do_not_overlap(void **state)
{
    (void)state;
    enum { COUNT = 4096 };
    struct heap_fixture *fixture = fixture_create(16384, 16384);
    void **objects = calloc(COUNT, sizeof(*objects));
    struct span *spans = calloc(COUNT, sizeof(*spans));

    assert_non_null(objects);
    assert_non_null(spans);
    for (size_t i = 0; i < COUNT; i++) {
        size_t size = 2 * i + 1;

        objects[i] = kheap_alloc(&fixture->heap, size);
        assert_non_null(objects[i]);
        assert_int_equal((uintptr_t)objects[i] % KHEAP_ALIGNMENT, 0);
        fill_pattern(objects[i], size, i);
        spans[i] = (struct span){(uintptr_t)objects[i], size};
    }
    for (size_t i = 0; i < COUNT; i++) {
        check_pattern(objects[i], 2 * i + 1, i);
    }
    qsort(spans, COUNT, sizeof(*spans), compare_spans);
    for (size_t i = 1; i < COUNT; i++) {
        assert_true(spans[i - 1].start + spans[i - 1].size <= spans[i].start);
    }
    for (size_t step = 0; step < COUNT; step++) {
        size_t i = (step * 2654435761u) % COUNT; /* odd multiplier: a permutation mod 2^12 */

        assert_int_equal(kheap_free(&fixture->heap, objects[i]), 0);
    }
    /* Only one cached empty slab per size class may remain. */
    assert_true(kheap_pages_held(&fixture->heap) <= KHEAP_CLASS_COUNT);
    assert_int_equal(fixture->arena.in_use, kheap_pages_held(&fixture->heap));
    free(objects);
    free(spans);
    fixture_destroy(fixture);
}

static void test_large_allocations(void **state)
{
    (void)state;
    static const size_t sizes[] = {2049, 4080, 4081, 8192, 100000, 1 << 20};
    enum { COUNT = sizeof(sizes) / sizeof(sizes[0]) };
    struct heap_fixture *fixture = fixture_create(1024, 1024);
    void *objects[COUNT];
    size_t expected_pages = 0;

    for (size_t i = 0; i < COUNT; i++) {
        objects[i] = kheap_alloc(&fixture->heap, sizes[i]);
        assert_non_null(objects[i]);
        assert_int_equal((uintptr_t)objects[i] % KHEAP_ALIGNMENT, 0);
        fill_pattern(objects[i], sizes[i], i);
        expected_pages += (sizes[i] + 16 + SLAB_PAGE_SIZE - 1) / SLAB_PAGE_SIZE;
        assert_int_equal(kheap_pages_held(&fixture->heap), expected_pages);
    }
    assert_int_equal(expected_pages, 1 + 1 + 2 + 3 + 25 + 257);
    for (size_t i = 0; i < COUNT; i++) {
        check_pattern(objects[i], sizes[i], i);
    }
    for (size_t i = 0; i < COUNT; i++) {
        assert_int_equal(kheap_free(&fixture->heap, objects[i]), 0);
    }
    assert_int_equal(kheap_pages_held(&fixture->heap), 0);
    assert_int_equal(fixture->arena.in_use, 0);
    assert_null(kheap_alloc(&fixture->heap, SIZE_MAX));
    assert_null(kheap_alloc(&fixture->heap, 2000 * SLAB_PAGE_SIZE));
    fixture_destroy(fixture);
}

static void test_free_null_and_zero_size(void **state)
{
    (void)state;
    struct heap_fixture *fixture = fixture_create(4, 4);

    assert_int_equal(kheap_free(&fixture->heap, NULL), 0);
    assert_null(kheap_alloc(&fixture->heap, 0));
    assert_int_equal(fixture->arena.in_use, 0);
    fixture_destroy(fixture);
}

static void test_invalid_frees_detected(void **state)
{
    (void)state;
    struct heap_fixture *fixture = fixture_create(64, 64);
    struct heap_fixture *other = fixture_create(8, 8);
    struct kheap *heap = &fixture->heap;
    struct slab_cache cache;

    assert_int_equal(slab_cache_init(&cache, "outsider", 64, 16, &fixture->pages), 0);
    uint8_t *small = kheap_alloc(heap, 100);
    uint8_t *large = kheap_alloc(heap, 3 * SLAB_PAGE_SIZE);
    void *foreign = kheap_alloc(&other->heap, 100);
    void *outsider = slab_alloc(&cache);
    uint8_t *plain = arena_alloc_page(&fixture->arena);

    assert_non_null(small);
    assert_non_null(large);
    assert_non_null(foreign);
    assert_non_null(outsider);
    assert_non_null(plain);
    size_t held = kheap_pages_held(heap);

    assert_int_equal(kheap_free(heap, small + 1), -EINVAL);
    assert_int_equal(kheap_free(heap, small + 16), -EINVAL);
    assert_int_equal(kheap_free(heap, large + 16), -EINVAL);
    assert_int_equal(kheap_free(heap, large - 16), -EINVAL);
    assert_int_equal(kheap_free(heap, large + SLAB_PAGE_SIZE), -EINVAL);
    assert_int_equal(kheap_free(heap, foreign), -EINVAL);
    assert_int_equal(kheap_free(heap, outsider), -EINVAL);
    assert_int_equal(kheap_free(heap, plain + 16), -EINVAL);
    assert_int_equal(kheap_free(NULL, small), -EINVAL);
    assert_int_equal(kheap_pages_held(heap), held);

    assert_int_equal(kheap_free(heap, small), 0);
    assert_int_equal(kheap_free(heap, small), -EINVAL);
    assert_int_equal(kheap_free(heap, large), 0);
    assert_int_equal(kheap_free(heap, large), -EINVAL);
    assert_int_equal(kheap_free(&other->heap, foreign), 0);
    assert_int_equal(slab_free(&cache, outsider), 0);
    assert_int_equal(slab_cache_destroy(&cache), 0);
    arena_free_page(&fixture->arena, plain);
    fixture_destroy(other);
    fixture_destroy(fixture);
}

static void test_destroy_busy_and_exhaustion(void **state)
{
    (void)state;
    struct heap_fixture *fixture = fixture_create(16, 4);
    struct kheap *heap = &fixture->heap;
    void *objects[64];
    size_t count = 0;

    /* Four pages of 1024-byte objects, three per slab page. */
    while ((objects[count] = kheap_alloc(heap, 1000)) != NULL) {
        count++;
        assert_true(count < 64);
    }
    assert_int_equal(count, 12);
    assert_null(kheap_alloc(heap, 5000));
    assert_null(kheap_alloc(heap, 16));
    assert_int_equal(kheap_destroy(heap), -EBUSY);
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(kheap_free(heap, objects[i]), 0);
    }
    /* Two slabs emptied: one cached, one returned, so a one-page run fits again. */
    void *large = kheap_alloc(heap, 4000);

    assert_non_null(large);
    assert_int_equal(kheap_destroy(heap), -EBUSY);
    assert_int_equal(kheap_free(heap, large), 0);
    for (size_t i = 6; i < count; i++) {
        assert_int_equal(kheap_free(heap, objects[i]), 0);
    }
    fixture_destroy(fixture);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_validates_sources),
        cmocka_unit_test(test_odd_sizes_do_not_overlap),
        cmocka_unit_test(test_large_allocations),
        cmocka_unit_test(test_free_null_and_zero_size),
        cmocka_unit_test(test_invalid_frees_detected),
        cmocka_unit_test(test_destroy_busy_and_exhaustion),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
