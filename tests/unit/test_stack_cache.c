/* Host tests for the per-CPU kernel stack cache in ukernel/mm/stack_cache.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>

#include "kerrno.h"
#include "stack_cache.h"

#define SMALL (16 * 1024)
#define LARGE (32 * 1024)

/* Backing allocator that counts its calls and can be told to fail. */
struct fake_backend {
    size_t allocs;
    size_t frees;
    size_t live;
    bool fail;
    void *last_freed;
    size_t last_freed_size;
};

static void *fake_alloc(void *ctx, size_t size)
{
    struct fake_backend *fake = ctx;
    if (fake->fail)
        return NULL;
    fake->allocs++;
    fake->live++;
    return malloc(size);
}

static void fake_free(void *ctx, void *stack, size_t size)
{
    struct fake_backend *fake = ctx;
    fake->frees++;
    fake->live--;
    fake->last_freed = stack;
    fake->last_freed_size = size;
    free(stack);
}

struct fixture {
    struct fake_backend fake;
    struct stack_cache cache;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    if (f == NULL)
        return -1;
    const struct stack_cache_class_config classes[] = {
        {.size = SMALL, .capacity = 4},
        {.size = LARGE, .capacity = 2},
    };
    struct stack_cache_backend backend = {fake_alloc, fake_free, &f->fake};
    if (stack_cache_init(&f->cache, classes, 2, &backend) != 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    stack_cache_drain(&f->cache);
    int leaked = f->fake.live != 0;
    free(f);
    return leaked ? -1 : 0;
}

static void test_init_rejects_bad_config(void **state)
{
    (void)state;
    struct fake_backend fake = {0};
    struct stack_cache cache;
    struct stack_cache_backend backend = {fake_alloc, fake_free, &fake};
    struct stack_cache_backend no_free = {fake_alloc, NULL, &fake};
    const struct stack_cache_class_config ok[] = {{SMALL, 2}};
    const struct stack_cache_class_config zero_size[] = {{0, 2}};
    const struct stack_cache_class_config too_deep[] = {{SMALL, STACK_CACHE_MAX_CAPACITY + 1}};
    const struct stack_cache_class_config repeated[] = {{SMALL, 2}, {SMALL, 4}};
    const struct stack_cache_class_config many[STACK_CACHE_MAX_CLASSES + 1] = {
        {1, 1}, {2, 1}, {3, 1}, {4, 1}, {5, 1},
    };

    assert_int_equal(stack_cache_init(&cache, ok, 0, &backend), -EINVAL);
    assert_int_equal(stack_cache_init(&cache, ok, 1, &no_free), -EINVAL);
    assert_int_equal(stack_cache_init(&cache, zero_size, 1, &backend), -EINVAL);
    assert_int_equal(stack_cache_init(&cache, too_deep, 1, &backend), -EINVAL);
    assert_int_equal(stack_cache_init(&cache, repeated, 2, &backend), -EINVAL);
    assert_int_equal(stack_cache_init(&cache, many, STACK_CACHE_MAX_CLASSES + 1, &backend),
                     -EINVAL);
    assert_int_equal(stack_cache_init(&cache, ok, 1, &backend), 0);
}

static void test_miss_falls_back_then_hit(void **state)
{
    struct fixture *f = *state;
    void *stack = stack_cache_pop(&f->cache, SMALL);
    assert_non_null(stack);
    assert_int_equal(f->fake.allocs, 1);

    assert_int_equal(stack_cache_push(&f->cache, stack, SMALL), 0);
    assert_int_equal(f->fake.frees, 0);
    assert_ptr_equal(stack_cache_pop(&f->cache, SMALL), stack);
    assert_int_equal(f->fake.allocs, 1);

    struct stack_cache_stats stats;
    assert_int_equal(stack_cache_get_stats(&f->cache, SMALL, &stats), 0);
    assert_int_equal(stats.hits, 1);
    assert_int_equal(stats.misses, 1);
    assert_int_equal(stats.overflows, 0);
    assert_int_equal(stats.cached, 0);
    assert_int_equal(stack_cache_push(&f->cache, stack, SMALL), 0);
}

static void test_lifo_order(void **state)
{
    struct fixture *f = *state;
    void *stacks[3];
    for (int i = 0; i < 3; i++)
        stacks[i] = stack_cache_pop(&f->cache, SMALL);
    for (int i = 0; i < 3; i++)
        assert_int_equal(stack_cache_push(&f->cache, stacks[i], SMALL), 0);
    for (int i = 2; i >= 0; i--)
        assert_ptr_equal(stack_cache_pop(&f->cache, SMALL), stacks[i]);
    for (int i = 0; i < 3; i++)
        assert_int_equal(stack_cache_push(&f->cache, stacks[i], SMALL), 0);
}

static void test_full_class_frees_to_backend(void **state)
{
    struct fixture *f = *state;
    void *stacks[3];
    for (int i = 0; i < 3; i++)
        stacks[i] = stack_cache_pop(&f->cache, LARGE);
    assert_int_equal(stack_cache_push(&f->cache, stacks[0], LARGE), 0);
    assert_int_equal(stack_cache_push(&f->cache, stacks[1], LARGE), 0);
    assert_int_equal(f->fake.frees, 0);
    assert_int_equal(stack_cache_push(&f->cache, stacks[2], LARGE), 0);
    assert_int_equal(f->fake.frees, 1);
    assert_ptr_equal(f->fake.last_freed, stacks[2]);
    assert_int_equal(f->fake.last_freed_size, LARGE);

    struct stack_cache_stats stats;
    assert_int_equal(stack_cache_get_stats(&f->cache, LARGE, &stats), 0);
    assert_int_equal(stats.misses, 3);
    assert_int_equal(stats.overflows, 1);
    assert_int_equal(stats.cached, 2);

    /* Classes are independent: the small class saw nothing. */
    assert_int_equal(stack_cache_get_stats(&f->cache, SMALL, &stats), 0);
    assert_int_equal(stats.hits + stats.misses + stats.overflows + stats.cached, 0);
}

static void test_backend_failure_returns_null(void **state)
{
    struct fixture *f = *state;
    f->fake.fail = true;
    assert_null(stack_cache_pop(&f->cache, SMALL));
    f->fake.fail = false;
}

static void test_invalid_size(void **state)
{
    struct fixture *f = *state;
    struct stack_cache_stats stats;
    int dummy;
    assert_null(stack_cache_pop(&f->cache, 8192));
    assert_null(stack_cache_pop(&f->cache, 0));
    assert_int_equal(stack_cache_push(&f->cache, &dummy, 8192), -EINVAL);
    assert_int_equal(stack_cache_push(&f->cache, NULL, SMALL), -EINVAL);
    assert_int_equal(stack_cache_get_stats(&f->cache, 8192, &stats), -EINVAL);
    assert_int_equal(f->fake.allocs, 0);
    assert_int_equal(f->fake.frees, 0);
}

static void test_drain_empties(void **state)
{
    struct fixture *f = *state;
    void *a = stack_cache_pop(&f->cache, SMALL);
    void *b = stack_cache_pop(&f->cache, LARGE);
    assert_int_equal(stack_cache_push(&f->cache, a, SMALL), 0);
    assert_int_equal(stack_cache_push(&f->cache, b, LARGE), 0);
    stack_cache_drain(&f->cache);
    assert_int_equal(f->fake.frees, 2);
    assert_int_equal(f->fake.live, 0);
    struct stack_cache_stats stats;
    assert_int_equal(stack_cache_get_stats(&f->cache, SMALL, &stats), 0);
    assert_int_equal(stats.cached, 0);
}

static void test_zero_capacity_never_caches(void **state)
{
    (void)state;
    struct fake_backend fake = {0};
    struct stack_cache cache;
    struct stack_cache_backend backend = {fake_alloc, fake_free, &fake};
    const struct stack_cache_class_config classes[] = {{SMALL, 0}};
    assert_int_equal(stack_cache_init(&cache, classes, 1, &backend), 0);
    void *stack = stack_cache_pop(&cache, SMALL);
    assert_non_null(stack);
    assert_int_equal(stack_cache_push(&cache, stack, SMALL), 0);
    assert_int_equal(fake.frees, 1);
    assert_int_equal(fake.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_rejects_bad_config),
        cmocka_unit_test_setup_teardown(test_miss_falls_back_then_hit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lifo_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_class_frees_to_backend, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backend_failure_returns_null, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drain_empties, setup, teardown),
        cmocka_unit_test(test_zero_capacity_never_caches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
