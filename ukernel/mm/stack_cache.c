/* Per-CPU kernel stack cache: LIFO reuse of warm stacks, bounded, backed by a page allocator. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kerrno.h"
#include "stack_cache.h"

/* Returns the index of the class holding stacks of size bytes, or -1. */
static int stack_cache_class_index(const struct stack_cache *cache, size_t size)
{
    for (size_t i = 0; i < cache->class_count; i++) {
        if (cache->classes[i].size == size)
            return (int)i;
    }
    return -1;
}

int stack_cache_init(struct stack_cache *cache, const struct stack_cache_class_config *classes,
                     size_t class_count, const struct stack_cache_backend *backend)
{
    if (class_count == 0 || class_count > STACK_CACHE_MAX_CLASSES)
        return -EINVAL;
    if (backend->alloc == NULL || backend->free == NULL)
        return -EINVAL;
    for (size_t i = 0; i < class_count; i++) {
        if (classes[i].size == 0 || classes[i].capacity > STACK_CACHE_MAX_CAPACITY)
            return -EINVAL;
        for (size_t j = 0; j < i; j++) {
            if (classes[j].size == classes[i].size)
                return -EINVAL;
        }
    }

    cache->backend = *backend;
    cache->class_count = class_count;
    for (size_t i = 0; i < class_count; i++) {
        struct stack_cache_class *class = &cache->classes[i];
        class->size = classes[i].size;
        class->capacity = classes[i].capacity;
        class->count = 0;
        class->stats = (struct stack_cache_stats){0};
    }
    return 0;
}

void *stack_cache_pop(struct stack_cache *cache, size_t size)
{
    int index = stack_cache_class_index(cache, size);
    if (index < 0)
        return NULL;
    struct stack_cache_class *class = &cache->classes[index];
    if (class->count > 0) {
        class->stats.hits++;
        class->count--;
        return class->stacks[class->count];
    }
    class->stats.misses++;
    return cache->backend.alloc(cache->backend.ctx, size);
}

int stack_cache_push(struct stack_cache *cache, void *stack, size_t size)
{
    int index = stack_cache_class_index(cache, size);
    if (index < 0 || stack == NULL)
        return -EINVAL;
    struct stack_cache_class *class = &cache->classes[index];
    if (class->count == class->capacity) {
        class->stats.overflows++;
        cache->backend.free(cache->backend.ctx, stack, size);
        return 0;
    }
    class->stacks[class->count] = stack;
    class->count++;
    return 0;
}

int stack_cache_get_stats(const struct stack_cache *cache, size_t size,
                          struct stack_cache_stats *out)
{
    int index = stack_cache_class_index(cache, size);
    if (index < 0)
        return -EINVAL;
    *out = cache->classes[index].stats;
    out->cached = cache->classes[index].count;
    return 0;
}

size_t stack_cache_bytes(const struct stack_cache *cache)
{
    size_t bytes = 0;
    for (size_t i = 0; i < cache->class_count; i++)
        bytes += cache->classes[i].count * cache->classes[i].size;
    return bytes;
}

void stack_cache_drain(struct stack_cache *cache)
{
    for (size_t i = 0; i < cache->class_count; i++) {
        struct stack_cache_class *class = &cache->classes[i];
        while (class->count > 0) {
            class->count--;
            cache->backend.free(cache->backend.ctx, class->stacks[class->count], class->size);
        }
    }
}
