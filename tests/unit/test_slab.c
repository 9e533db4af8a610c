/* cmocka tests for slab caches in ukernel/mm/slab.c, fed from a bounded test page arena. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "kerrno.h"
#include "page_arena.h"
#include "slab.h"

static struct test_arena *arena_create(size_t npages, size_t limit)
{
    struct test_arena *arena = calloc(1, sizeof(*arena));

    assert_non_null(arena);
    arena_init(arena, npages, limit);
    return arena;
}

static void arena_destroy(struct test_arena *arena)
{
    arena_release(arena);
    free(arena);
}

static struct page_source arena_source(struct test_arena *arena)
{
    struct page_source source = {
        .alloc_page = arena_alloc_page,
        .free_page = arena_free_page,
        .ctx = arena,
    };
    return source;
}

static void test_init_validates_arguments(void **state)
{
    (void)state;
    struct test_arena *arena = arena_create(4, 4);
    struct page_source source = arena_source(arena);
    struct page_source broken = {.alloc_page = NULL, .free_page = arena_free_page, .ctx = arena};
    struct slab_cache cache;

    assert_int_equal(slab_cache_init(&cache, "zero", 0, 0, &source), -EINVAL);
    assert_int_equal(slab_cache_init(&cache, "big", SLAB_MAX_OBJECT_SIZE + 1, 0, &source), -EINVAL);
    assert_int_equal(slab_cache_init(&cache, "align3", 32, 3, &source), -EINVAL);
    assert_int_equal(slab_cache_init(&cache, "align4k", 32, 4096, &source), -EINVAL);
    assert_int_equal(slab_cache_init(&cache, "nosrc", 32, 0, NULL), -EINVAL);
    assert_int_equal(slab_cache_init(&cache, "broken", 32, 0, &broken), -EINVAL);
    assert_int_equal(slab_cache_init(&cache, "tiny", 1, 0, &source), 0);
    assert_int_equal(cache.object_size, SLAB_MIN_OBJECT_SIZE);
    assert_int_equal(slab_cache_init(&cache, "max", SLAB_MAX_OBJECT_SIZE, 0, &source), 0);
    assert_true(cache.objects_per_slab >= 1);
    assert_int_equal(slab_cache_slab_count(&cache), 0);
    assert_int_equal(arena->alloc_calls, 0);
    arena_destroy(arena);
}

static int compare_pointers(const void *a, const void *b)
{
    const void *const *left_object = a;
    const void *const *right_object = b;
    uintptr_t left = (uintptr_t)*left_object;
    uintptr_t right = (uintptr_t)*right_object;

    return (left > right) - (left < right);
}

/* Allocates count objects, checks placement and contents, frees them in a scrambled order. */
static void exercise_cache(size_t size, size_t align, size_t count)
{
    struct test_arena *arena = arena_create(count + 4, count + 4);
    struct page_source source = arena_source(arena);
    struct slab_cache cache;
    void **objects = calloc(count, sizeof(*objects));
    void **sorted = calloc(count, sizeof(*sorted));
    size_t effective_align = align == 0 ? SLAB_DEFAULT_ALIGN : align;

    assert_non_null(objects);
    assert_non_null(sorted);
    assert_int_equal(slab_cache_init(&cache, "exercise", size, align, &source), 0);
    for (size_t i = 0; i < count; i++) {
        objects[i] = slab_alloc(&cache);
        assert_non_null(objects[i]);
        assert_int_equal((uintptr_t)objects[i] % effective_align, 0);
        assert_true(((uintptr_t)objects[i] & (SLAB_PAGE_SIZE - 1)) + size <= SLAB_PAGE_SIZE);
        assert_ptr_equal(slab_cache_of(objects[i]), &cache);
        fill_pattern(objects[i], size, i);
    }
    assert_int_equal(slab_cache_objects_in_use(&cache), count);
    assert_int_equal(slab_cache_slab_count(&cache),
                     (count + cache.objects_per_slab - 1) / cache.objects_per_slab);
    assert_int_equal(arena->in_use, slab_cache_slab_count(&cache));
    for (size_t i = 0; i < count; i++) {
        check_pattern(objects[i], size, i);
    }
    memcpy(sorted, objects, count * sizeof(*sorted));
    qsort(sorted, count, sizeof(*sorted), compare_pointers);
    for (size_t i = 1; i < count; i++) {
        assert_true((uintptr_t)sorted[i - 1] + size <= (uintptr_t)sorted[i]);
    }
    for (size_t step = 0; step < count; step++) {
        size_t i = (step * 7919) % count; /* 7919 is prime and no test count is a multiple */

        assert_int_equal(slab_free(&cache, objects[i]), 0);
    }
    assert_int_equal(slab_cache_objects_in_use(&cache), 0);
    assert_int_equal(slab_cache_slab_count(&cache), 1);
    assert_int_equal(arena->in_use, 1);
    assert_int_equal(slab_cache_destroy(&cache), 0);
    assert_int_equal(slab_cache_slab_count(&cache), 0);
    free(objects);
    free(sorted);
    arena_destroy(arena);
}

static void test_many_small_objects(void **state)
{
    (void)state;
    exercise_cache(24, 0, 5000);
}

static void test_odd_sizes_and_alignments(void **state)
{
    (void)state;
    static const size_t cases[][2] = {
        {1, 0},     {8, 8},    {24, 8},     {40, 8},   {40, 16},  {24, 64},
        {100, 128}, {1000, 8}, {1000, 256}, {2047, 1}, {2048, 8}, {2048, 2048},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        exercise_cache(cases[i][0], cases[i][1], 97);
    }
}

static void test_exhaustion_and_recovery(void **state)
{
    (void)state;
    struct test_arena *arena = arena_create(8, 2);
    struct page_source source = arena_source(arena);
    struct slab_cache cache;
    void *objects[2048];
    size_t count = 0;

    assert_int_equal(slab_cache_init(&cache, "bounded", 40, 0, &source), 0);
    while ((objects[count] = slab_alloc(&cache)) != NULL) {
        count++;
        assert_true(count < 2048);
    }
    assert_int_equal(count, 2 * cache.objects_per_slab);
    assert_null(slab_alloc(&cache));
    assert_int_equal(slab_cache_objects_in_use(&cache), count);
    assert_int_equal(slab_cache_destroy(&cache), -EBUSY);
    assert_int_equal(slab_free(&cache, objects[5]), 0);
    objects[5] = slab_alloc(&cache);
    assert_non_null(objects[5]);
    assert_null(slab_alloc(&cache));
    for (size_t i = 0; i < count; i++) {
        assert_int_equal(slab_free(&cache, objects[i]), 0);
    }
    assert_int_equal(slab_cache_destroy(&cache), 0);
    arena_destroy(arena);
}

static void test_double_free_detected(void **state)
{
    (void)state;
    struct test_arena *arena = arena_create(4, 4);
    struct page_source source = arena_source(arena);
    struct slab_cache cache;

    assert_int_equal(slab_cache_init(&cache, "double", 64, 0, &source), 0);
    void *first = slab_alloc(&cache);
    void *second = slab_alloc(&cache);

    assert_non_null(first);
    assert_non_null(second);
    assert_int_equal(slab_free(&cache, first), 0);
    assert_int_equal(slab_free(&cache, first), -EINVAL);
    assert_int_equal(slab_cache_objects_in_use(&cache), 1);
    /* The slab is now empty and cached: a second free must still be caught. */
    assert_int_equal(slab_free(&cache, second), 0);
    assert_int_equal(slab_free(&cache, second), -EINVAL);
    assert_int_equal(slab_cache_objects_in_use(&cache), 0);
    assert_ptr_equal(slab_alloc(&cache), first);
    assert_int_equal(slab_free(&cache, first), 0);
    assert_int_equal(slab_cache_destroy(&cache), 0);
    arena_destroy(arena);
}

static void test_foreign_and_misaligned_pointers(void **state)
{
    (void)state;
    struct test_arena *arena = arena_create(8, 8);
    struct page_source source = arena_source(arena);
    struct slab_cache cache;
    struct slab_cache other;

    assert_int_equal(slab_cache_init(&cache, "mine", 48, 16, &source), 0);
    assert_int_equal(slab_cache_init(&other, "other", 48, 16, &source), 0);
    uint8_t *mine = slab_alloc(&cache);
    void *theirs = slab_alloc(&other);
    uint8_t *plain_page = arena_alloc_page(arena);
    uint8_t *page = (uint8_t *)((uintptr_t)mine & ~(uintptr_t)(SLAB_PAGE_SIZE - 1));

    assert_non_null(mine);
    assert_non_null(theirs);
    assert_non_null(plain_page);
    assert_int_equal(slab_free(&cache, NULL), -EINVAL);
    assert_int_equal(slab_free(&cache, theirs), -EINVAL);
    assert_int_equal(slab_free(&cache, mine + 1), -EINVAL);
    assert_int_equal(slab_free(&cache, mine + 8), -EINVAL);
    assert_int_equal(slab_free(&cache, page), -EINVAL);
    assert_int_equal(slab_free(&cache, page + cache.first_offset - cache.stride), -EINVAL);
    assert_int_equal(
        slab_free(&cache, page + cache.first_offset + cache.objects_per_slab * cache.stride),
        -EINVAL);
    assert_int_equal(slab_free(&cache, plain_page + 256), -EINVAL);
    assert_null(slab_cache_of(plain_page + 256));
    assert_int_equal(slab_cache_objects_in_use(&cache), 1);
    assert_int_equal(slab_cache_objects_in_use(&other), 1);

    assert_int_equal(slab_free(&cache, mine), 0);
    assert_int_equal(slab_free(&other, theirs), 0);
    arena_free_page(arena, plain_page);
    assert_int_equal(slab_cache_destroy(&cache), 0);
    assert_int_equal(slab_cache_destroy(&other), 0);
    arena_destroy(arena);
}

/* Fully free slabs go back to the source; only one empty slab stays cached. */
static void test_empty_slabs_released(void **state)
{
    (void)state;
    struct test_arena *arena = arena_create(16, 16);
    struct page_source source = arena_source(arena);
    struct slab_cache cache;
    void *objects[10];

    assert_int_equal(slab_cache_init(&cache, "pages", 2048, 0, &source), 0);
    assert_int_equal(cache.objects_per_slab, 1);
    for (int i = 0; i < 10; i++) {
        objects[i] = slab_alloc(&cache);
        assert_non_null(objects[i]);
    }
    assert_int_equal(slab_cache_slab_count(&cache), 10);
    assert_int_equal(arena->in_use, 10);
    for (int i = 0; i < 10; i++) {
        assert_int_equal(slab_free(&cache, objects[i]), 0);
        assert_int_equal(slab_cache_slab_count(&cache), 10 - (size_t)i);
    }
    assert_int_equal(slab_cache_slab_count(&cache), 1);
    assert_int_equal(arena->in_use, 1);
    /* objects[0]'s slab is the cached one; the others' pages were released and disowned. */
    assert_ptr_equal(slab_cache_of(objects[0]), &cache);
    assert_null(slab_cache_of(objects[1]));
    assert_int_equal(slab_free(&cache, objects[1]), -EINVAL);

    size_t calls = arena->alloc_calls;
    void *again = slab_alloc(&cache);

    assert_non_null(again);
    assert_int_equal(arena->alloc_calls, calls);
    assert_int_equal(slab_free(&cache, again), 0);
    assert_int_equal(slab_cache_destroy(&cache), 0);
    assert_int_equal(arena->in_use, 0);
    arena_destroy(arena);
}

static void test_misaligned_page_source_rejected(void **state)
{
    (void)state;
    struct test_arena *arena = arena_create(4, 4);
    struct page_source source = arena_source(arena);
    struct slab_cache cache;

    arena->misalign = 64;
    assert_int_equal(slab_cache_init(&cache, "skewed", 32, 0, &source), 0);
    assert_null(slab_alloc(&cache));
    assert_int_equal(arena->in_use, 0);
    assert_int_equal(slab_cache_slab_count(&cache), 0);
    arena_destroy(arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_validates_arguments),
        cmocka_unit_test(test_many_small_objects),
        cmocka_unit_test(test_odd_sizes_and_alignments),
        cmocka_unit_test(test_exhaustion_and_recovery),
        cmocka_unit_test(test_double_free_detected),
        cmocka_unit_test(test_foreign_and_misaligned_pointers),
        cmocka_unit_test(test_empty_slabs_released),
        cmocka_unit_test(test_misaligned_page_source_rejected),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
