/* Per-CPU cache of free kernel stacks: a bounded LIFO per size class over a backing allocator. */
#ifndef ARAMID_STACK_CACHE_H
#define ARAMID_STACK_CACHE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Each CPU owns one struct stack_cache and touches it only with interrupts disabled, so no lock
 * is taken. A popped stack is the most recently pushed one of its class (the warmest in cache).
 * A miss allocates from the backing allocator; a push into a full class frees to it. The cache
 * stores stack addresses in its own arrays and never writes into the stacks.
 */

#define STACK_CACHE_MAX_CLASSES 4
#define STACK_CACHE_MAX_CAPACITY 32

struct stack_cache_backend {
    /* Returns a stack of exactly size bytes, or NULL. */
    void *(*alloc)(void *ctx, size_t size);
    void (*free)(void *ctx, void *stack, size_t size);
    void *ctx;
};

struct stack_cache_class_config {
    size_t size;
    /* At most STACK_CACHE_MAX_CAPACITY stacks kept; 0 disables caching for the class. */
    size_t capacity;
};

struct stack_cache_stats {
    uint64_t hits;      /* pops served from the cache */
    uint64_t misses;    /* pops that went to the backing allocator */
    uint64_t overflows; /* pushes into a full class, freed to the backing allocator */
    size_t cached;      /* stacks held now */
};

struct stack_cache_class {
    size_t size;
    size_t capacity;
    /* stacks[0..count) are free stacks; stacks[count - 1] was pushed last. */
    size_t count;
    void *stacks[STACK_CACHE_MAX_CAPACITY];
    struct stack_cache_stats stats;
};

struct stack_cache {
    struct stack_cache_backend backend;
    size_t class_count;
    struct stack_cache_class classes[STACK_CACHE_MAX_CLASSES];
};

/* Returns 0, or -EINVAL if class_count is 0 or above STACK_CACHE_MAX_CLASSES, a size is 0 or
 * repeated, a capacity is above STACK_CACHE_MAX_CAPACITY, or a backend callback is missing. */
int stack_cache_init(struct stack_cache *cache, const struct stack_cache_class_config *classes,
                     size_t class_count, const struct stack_cache_backend *backend);

/* Returns a stack of size bytes, or NULL if size is not a configured class or the backing
 * allocator failed. */
void *stack_cache_pop(struct stack_cache *cache, size_t size);

/* Takes back a stack of size bytes. Returns 0, or -EINVAL (stack NULL or size not a class;
 * the stack is then left with the caller). */
int stack_cache_push(struct stack_cache *cache, void *stack, size_t size);

/* Bytes of the stacks the cache holds now, every class together. */
size_t stack_cache_bytes(const struct stack_cache *cache);
/* Copies the counters of a class. Returns 0 or -EINVAL. */
int stack_cache_get_stats(const struct stack_cache *cache, size_t size,
                          struct stack_cache_stats *out);

/* Frees every cached stack to the backing allocator (memory pressure, CPU going offline). */
void stack_cache_drain(struct stack_cache *cache);

#endif /* ARAMID_STACK_CACHE_H */
