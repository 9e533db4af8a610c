/* cmocka tests for address spaces, regions, faults, COW and memory objects (ukernel/kern/vm_*.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "address_space.h"
#include "kerrno.h"
#include "memory.h"
#include "mmu_entry.h"
#include "paging.h"
#include "paging_arena.h"
#include "quota.h"
#include "vm.h"

#define PAGE PAGING_PAGE_SIZE
#define RW (VM_PROT_READ | VM_PROT_WRITE)
#define USER_READ VM_FAULT_USER
#define USER_WRITE (VM_FAULT_USER | VM_FAULT_WRITE)
#define USER_FETCH (VM_FAULT_USER | VM_FAULT_FETCH)

/* What vm.c needs from the rest of the kernel. */
struct frame_zone memory_frames;
static size_t heap_live;
static size_t page_flushes, context_flushes, releases;

void *kmalloc(size_t size)
{
    void *pointer = malloc(size);

    if (pointer != NULL)
        heap_live++;
    return pointer;
}

void kfree(void *pointer)
{
    if (pointer != NULL)
        heap_live--;
    free(pointer);
}

void vm_tlb_flush_page(struct address_space *space, uint64_t address)
{
    (void)space;
    (void)address;
    page_flushes++;
}

void vm_tlb_flush_all(struct address_space *space)
{
    (void)space;
    context_flushes++;
}

void vm_tlb_release(struct address_space *space)
{
    (void)space;
    releases++;
}

static struct paging_arena arena;
static size_t free_at_start;

static int setup(void **state)
{
    (void)state;
    paging_arena_create(&arena, true);
    free_at_start = frame_free_count(&arena.zone);
    heap_live = page_flushes = context_flushes = releases = 0;
    return 0;
}

/* Every test ends with everything given back. */
static int teardown(void **state)
{
    (void)state;
    assert_int_equal(frame_free_count(&arena.zone), free_at_start);
    assert_int_equal(heap_live, 0);
    paging_arena_destroy(&arena);
    return 0;
}

static uint64_t entry_of(struct address_space *space, uint64_t address)
{
    uint64_t entry;

    assert_int_equal(paging_lookup(space->pml4, address, &entry), 0);
    return entry;
}

static uint64_t frame_of(struct address_space *space, uint64_t address)
{
    return mmu_entry_frame(entry_of(space, address));
}

static void write_byte(struct address_space *space, uint64_t address, uint8_t value)
{
    assert_int_equal(vm_write(space, address, &value, 1), 0);
}

static uint8_t read_byte(struct address_space *space, uint64_t address)
{
    uint8_t value = 0xee;

    assert_int_equal(vm_read(space, address, &value, 1), 0);
    return value;
}

static void test_demand_zero_and_faults(void **state)
{
    (void)state;
    struct address_space *space = address_space_create();

    assert_non_null(space);
    assert_int_equal(vm_map(space, 0x10000, 4 * PAGE, RW, NULL, 0), 0);
    assert_int_equal(vm_map(space, 0x20000, PAGE, VM_PROT_READ, NULL, 0), 0);
    assert_int_equal(vm_map(space, 0x30000, PAGE, VM_PROT_READ | VM_PROT_EXEC, NULL, 0), 0);
    assert_int_equal(vm_map(space, 0x40000, PAGE, 0, NULL, 0), 0);
    size_t before = frame_free_count(&arena.zone);

    /* Read fault: a zero page, present, not writable-less (the region is RW). */
    assert_int_equal(vm_handle_page_fault(space, 0x10123, USER_READ), 0);
    uint64_t entry = entry_of(space, 0x10000);

    assert_true(mmu_entry_present(entry));
    assert_true(entry & PTE_USER);
    assert_true(entry & PTE_NX);
    assert_int_equal(read_byte(space, 0x10fff), 0);
    /* A repeated fault on a fine page is a stale TLB entry: resolved, flushed. */
    size_t flushes = page_flushes;

    assert_int_equal(vm_handle_page_fault(space, 0x10000, USER_WRITE | VM_FAULT_PRESENT), 0);
    assert_int_equal(page_flushes, flushes + 1);

    /* Not allowed: unmapped, write to read-only, fetch from no-exec, PROT_NONE. */
    assert_int_equal(vm_handle_page_fault(space, 0x50000, USER_READ), -EFAULT);
    assert_int_equal(vm_handle_page_fault(space, 0x20000, USER_WRITE), -EFAULT);
    assert_int_equal(vm_handle_page_fault(space, 0x10000, USER_FETCH), -EFAULT);
    assert_int_equal(vm_handle_page_fault(space, 0x40000, USER_READ), -EFAULT);
    assert_int_equal(vm_handle_page_fault(space, 0x30000, USER_FETCH), 0);
    assert_false(entry_of(space, 0x30000) & PTE_NX);
    assert_int_equal(vm_handle_page_fault(space, 0x20000, USER_READ), 0);
    assert_false(mmu_entry_writable(entry_of(space, 0x20000)));
    /* Hostile: kernel-mode, reserved bit, kernel and non-canonical addresses, NULL space. */
    assert_int_equal(vm_handle_page_fault(space, 0x11000, VM_FAULT_WRITE), -EFAULT);
    assert_int_equal(vm_handle_page_fault(space, 0x11000, USER_READ | VM_FAULT_RESERVED), -EFAULT);
    assert_int_equal(vm_handle_page_fault(space, 0xffff800000001000ull, USER_READ), -EFAULT);
    assert_int_equal(vm_handle_page_fault(space, 0x0000800000000000ull, USER_READ), -EFAULT);
    assert_int_equal(vm_handle_page_fault(space, VM_USER_TOP, USER_READ), -EFAULT);
    assert_int_equal(vm_handle_page_fault(space, 0x0, USER_READ), -EFAULT);
    assert_int_equal(vm_handle_page_fault(NULL, 0x10000, USER_READ), -EFAULT);
    assert_true(frame_free_count(&arena.zone) < before);

    address_space_put(space);
    assert_int_equal(releases, 1);
}

static void test_map_rejects_bad_arguments(void **state)
{
    (void)state;
    struct address_space *space = address_space_create();
    struct memory_object *object = memory_object_create(2 * PAGE);

    assert_non_null(object);
    assert_int_equal(vm_map(space, 0x10000, 4 * PAGE, RW, NULL, 0), 0);
    assert_int_equal(vm_map(space, 0x13000, PAGE, RW, NULL, 0), -EINVAL);    /* overlap */
    assert_int_equal(vm_map(space, 0xf000, 2 * PAGE, RW, NULL, 0), -EINVAL); /* overlap */
    assert_int_equal(vm_map(space, 0x8000, 0x10000, RW, NULL, 0), -EINVAL);  /* covers */
    assert_int_equal(vm_map(space, 0x20001, PAGE, RW, NULL, 0), -EINVAL);
    assert_int_equal(vm_map(space, 0x20000, 100, RW, NULL, 0), -EINVAL);
    assert_int_equal(vm_map(space, 0x20000, 0, RW, NULL, 0), -EINVAL);
    assert_int_equal(vm_map(space, 0x20000, PAGE, 8, NULL, 0), -EINVAL);
    assert_int_equal(vm_map(space, 0x20000, PAGE, -1, NULL, 0), -EINVAL);
    assert_int_equal(vm_map(space, 0x20000, PAGE, RW, NULL, PAGE), -EINVAL);
    assert_int_equal(vm_map(space, 0, PAGE, RW, NULL, 0), -EINVAL);
    assert_int_equal(vm_map(space, VM_USER_TOP - PAGE, 2 * PAGE, RW, NULL, 0), -EINVAL);
    assert_int_equal(vm_map(space, 0xffff800000000000ull, PAGE, RW, NULL, 0), -EINVAL);
    assert_int_equal(vm_map(space, 0x20000, UINT64_MAX & ~(PAGE - 1), RW, NULL, 0), -EINVAL);
    assert_int_equal(vm_map(space, 0x20000, 3 * PAGE, RW, object, 0), -EINVAL);
    assert_int_equal(vm_map(space, 0x20000, PAGE, RW, object, 2 * PAGE), -EINVAL);
    assert_int_equal(vm_map(space, 0x20000, PAGE, RW, object, 1), -EINVAL);
    assert_int_equal(vm_map(space, 0x20000, PAGE, RW, object, UINT64_MAX & ~(PAGE - 1)), -EINVAL);
    assert_int_equal(vm_map(NULL, 0x20000, PAGE, RW, NULL, 0), -EINVAL);
    assert_int_equal(vm_map(space, VM_USER_TOP - PAGE, PAGE, RW, object, PAGE), 0);
    assert_int_equal(vm_unmap(space, 0x10001, PAGE), -EINVAL);
    assert_int_equal(vm_unmap(space, 0x10000, 0), -EINVAL);
    assert_int_equal(vm_unmap(space, 0xffff800000000000ull, PAGE), -EINVAL);
    assert_int_equal(vm_protect(space, 0x10000, PAGE, 16), -EINVAL);
    assert_null(memory_object_create(0));
    assert_null(memory_object_create(UINT64_MAX));
    memory_object_put(object);
    address_space_put(space);
}

static void test_read_write_across_pages(void **state)
{
    (void)state;
    struct address_space *space = address_space_create();
    char message[3 * PAGE];
    char back[sizeof(message)];

    for (size_t i = 0; i < sizeof(message); i++)
        message[i] = (char)(i * 7);
    assert_int_equal(vm_map(space, 0x100000, 4 * PAGE, RW, NULL, 0), 0);
    assert_int_equal(vm_map(space, 0x200000, PAGE, VM_PROT_READ, NULL, 0), 0);
    assert_int_equal(vm_write(space, 0x100800, message, sizeof(message)), 0);
    assert_int_equal(vm_read(space, 0x100800, back, sizeof(back)), 0);
    assert_memory_equal(message, back, sizeof(message));
    assert_int_equal(read_byte(space, 0x1007ff), 0);
    /* Rejected: past the mapping, read-only target, kernel and wrapping ranges. */
    assert_int_equal(vm_write(space, 0x103800, message, PAGE), -EFAULT);
    assert_int_equal(vm_write(space, 0x200000, message, 1), -EFAULT);
    assert_int_equal(vm_read(space, 0x200000, back, PAGE), 0); /* demand-zero on read */
    assert_int_equal(vm_read(space, 0xffff800000000000ull, back, 1), -EFAULT);
    assert_int_equal(vm_read(space, VM_USER_TOP - 1, back, 2), -EFAULT);
    assert_int_equal(vm_read(space, 0x100000, back, SIZE_MAX), -EFAULT);
    assert_int_equal(vm_read(NULL, 0x100000, back, 1), -EFAULT);
    assert_int_equal(vm_read(space, 0x100000, back, 0), 0);
    address_space_put(space);
}

static void test_unmap_splits_and_frees(void **state)
{
    (void)state;
    struct address_space *space = address_space_create();
    size_t before = frame_free_count(&arena.zone);

    assert_int_equal(vm_map(space, 0x10000, 8 * PAGE, RW, NULL, 0), 0);
    for (uint64_t page = 0; page < 8; page++)
        write_byte(space, 0x10000 + page * PAGE, (uint8_t)(page + 1));
    size_t touched = frame_free_count(&arena.zone);

    /* Punch a hole in the middle: the region splits in two. */
    assert_int_equal(vm_unmap(space, 0x12000, 3 * PAGE), 0);
    assert_int_equal(frame_free_count(&arena.zone), touched + 3);
    assert_int_equal(read_byte(space, 0x11000), 2);
    assert_int_equal(read_byte(space, 0x15000), 6);
    assert_int_equal(vm_handle_page_fault(space, 0x13000, USER_READ), -EFAULT);
    /* The hole can be mapped again; unmapping across holes and regions is fine. */
    assert_int_equal(vm_map(space, 0x13000, PAGE, VM_PROT_READ, NULL, 0), 0);
    assert_int_equal(read_byte(space, 0x13000), 0);
    assert_int_equal(vm_unmap(space, 0x8000, 0x20000), 0);
    assert_int_equal(vm_handle_page_fault(space, 0x10000, USER_READ), -EFAULT);
    assert_int_equal(vm_handle_page_fault(space, 0x17000, USER_READ), -EFAULT);
    /* The emptied page tables went too. */
    assert_int_equal(frame_free_count(&arena.zone), before);
    assert_int_equal(vm_unmap(space, 0x100000, PAGE), 0); /* nothing there */
    address_space_put(space);
}

static void test_protect(void **state)
{
    (void)state;
    struct address_space *space = address_space_create();

    assert_int_equal(vm_map(space, 0x10000, 4 * PAGE, RW, NULL, 0), 0);
    assert_int_equal(vm_map(space, 0x20000, PAGE, RW, NULL, 0), 0);
    write_byte(space, 0x11000, 42);
    write_byte(space, 0x12000, 43);
    /* A hole in the range: -ENOMEM and nothing changes. */
    assert_int_equal(vm_protect(space, 0x12000, 0x20000 - 0x12000 + PAGE, VM_PROT_READ), -ENOMEM);
    assert_int_equal(vm_protect(space, 0x8000, PAGE, VM_PROT_READ), -ENOMEM);
    write_byte(space, 0x12000, 44);
    /* The middle two pages read-only: the region splits in three. */
    assert_int_equal(vm_protect(space, 0x11000, 2 * PAGE, VM_PROT_READ), 0);
    assert_false(mmu_entry_writable(entry_of(space, 0x11000)));
    assert_int_equal(vm_handle_page_fault(space, 0x11000, USER_WRITE | VM_FAULT_PRESENT), -EFAULT);
    assert_int_equal(vm_write(space, 0x12000, &(uint8_t){1}, 1), -EFAULT);
    write_byte(space, 0x10000, 1);
    write_byte(space, 0x13000, 1);
    assert_int_equal(read_byte(space, 0x11000), 42);
    /* PROT_NONE keeps the data; back to RW exposes it again. */
    assert_int_equal(vm_protect(space, 0x11000, PAGE, 0), 0);
    assert_int_equal(vm_read(space, 0x11000, &(uint8_t){0}, 1), -EFAULT);
    assert_int_equal(vm_protect(space, 0x10000, 4 * PAGE, RW), 0);
    assert_int_equal(read_byte(space, 0x11000), 42);
    write_byte(space, 0x12000, 45);
    assert_int_equal(read_byte(space, 0x12000), 45);
    address_space_put(space);
}

/* Many regions (none merge): every lookup through the tree finds the right one, after
 * inserts at both ends and in the middle, and after punching every other one out. */
static void test_many_regions(void **state)
{
    (void)state;
    struct address_space *space = address_space_create();
    const uint64_t base = 0x100000, count = 1500; /* the arena has 2048 frames */

    for (uint64_t k = 0; k < count; k++) {
        uint64_t i = (k * 1543) % count; /* all over the range (1543 is coprime to 1500) */
        int prot = (i & 1) ? VM_PROT_READ : RW;
        assert_int_equal(vm_map(space, base + i * 2 * PAGE, PAGE, prot, NULL, 0), 0);
    }
    for (uint64_t i = 0; i < count; i++) {
        uint64_t address = base + i * 2 * PAGE;
        assert_int_equal(vm_handle_page_fault(space, address, USER_READ), 0);
        assert_int_equal(vm_handle_page_fault(space, address + PAGE, USER_READ), -EFAULT);
        assert_int_equal(vm_handle_page_fault(space, address, USER_WRITE),
                         (i & 1) ? -EFAULT : 0);
    }
    assert_int_equal(vm_map(space, base + 10 * PAGE, PAGE, RW, NULL, 0), -EINVAL); /* taken */
    for (uint64_t i = 0; i < count; i += 2)
        assert_int_equal(vm_unmap(space, base + i * 2 * PAGE, PAGE), 0);
    for (uint64_t i = 0; i < count; i++)
        assert_int_equal(vm_handle_page_fault(space, base + i * 2 * PAGE, USER_READ),
                         (i & 1) ? 0 : -EFAULT);
    /* One unmap over all of it, then nothing is left. */
    assert_int_equal(vm_unmap(space, base, count * 2 * PAGE), 0);
    assert_int_equal(vm_handle_page_fault(space, base + 2 * PAGE, USER_READ), -EFAULT);
    address_space_put(space);
}

/* Anonymous mappings are charged when made and uncharged when unmapped (part by part), a clone
 * is charged to whom it is moved, objects for their size; over the limit: -ENOMEM. */
#define REGION 3 /* vm_space.c VM_REGION_TABLE_PAGES */

static void test_quota_charges(void **state)
{
    (void)state;
    struct address_space *space = address_space_create();
    struct quota *quota = quota_create(18);

    /* Each region also costs REGION pages (its page tables and heap); an object mapping one
     * more per 2 MiB it spans. */
    assert_int_equal(address_space_charge_to(space, quota), 0);
    assert_int_equal(vm_map(space, 0x10000, 6 * PAGE, RW, NULL, 0), 0);
    assert_int_equal(quota->used, 6 + REGION);
    assert_int_equal(vm_map(space, 0x20000, 7 * PAGE, RW, NULL, 0), -ENOMEM);
    assert_int_equal(vm_map(space, 0x10000, PAGE, RW, NULL, 0), -EINVAL); /* overlaps */
    assert_int_equal(quota->used, 6 + REGION);
    assert_int_equal(vm_unmap(space, 0x11000, 2 * PAGE), 0); /* a hole in the middle: 2 regions */
    assert_int_equal(quota->used, 4 + 2 * REGION);
    struct memory_object *object = memory_object_create(4 * PAGE);
    assert_int_equal(memory_object_charge_to(object, quota), 0);
    assert_int_equal(quota->used, 8 + 2 * REGION);
    /* Object mappings are charged only their region, not their pages again. */
    assert_int_equal(vm_map(space, 0x30000, 4 * PAGE, RW, object, 0), 0);
    assert_int_equal(quota->used, 8 + 3 * REGION + 1);
    assert_int_equal(vm_map(space, 0x40000, PAGE, RW, object, 0), -ENOMEM);
    /* A clone (4 anonymous pages, 3 regions) does not fit; moved to a roomier quota it does. */
    struct address_space *clone = address_space_clone(space);
    assert_non_null(clone);
    assert_int_equal(address_space_charge_to(clone, quota), -ENOMEM);
    struct quota *other = quota_create(100);
    assert_int_equal(address_space_charge_to(clone, other), 0);
    assert_int_equal(other->used, 4 + 3 * REGION + 1);
    address_space_put(clone);
    assert_int_equal(other->used, 0);
    /* Unmapping the object mapping gives its charge back. */
    assert_int_equal(vm_unmap(space, 0x30000, 4 * PAGE), 0);
    assert_int_equal(quota->used, 8 + 2 * REGION);
    memory_object_put(object); /* freed: its pages are given back */
    assert_int_equal(quota->used, 4 + 2 * REGION);
    address_space_put(space);
    assert_int_equal(quota->used, 0);
    quota_put(other);
    quota_put(quota);
}

/* Splits by protect and unmap are charged (past the limit if need be: they must not fail),
 * merges and unmaps give it back, to the page. */
static void test_quota_region_splits(void **state)
{
    (void)state;
    struct address_space *space = address_space_create();
    struct quota *quota = quota_create(8 + REGION);

    assert_int_equal(address_space_charge_to(space, quota), 0);
    assert_int_equal(vm_map(space, 0x10000, 8 * PAGE, RW, NULL, 0), 0);
    assert_int_equal(quota->used, 8 + REGION);
    assert_int_equal(vm_protect(space, 0x12000, PAGE, VM_PROT_READ), 0); /* three regions */
    assert_int_equal(quota->used, 8 + 3 * REGION);
    assert_int_equal(vm_map(space, 0x30000, PAGE, RW, NULL, 0), -ENOMEM);
    assert_int_equal(vm_protect(space, 0x12000, PAGE, RW), 0); /* still three regions */
    assert_int_equal(vm_unmap(space, 0x12000, PAGE), 0);       /* two */
    assert_int_equal(quota->used, 7 + 2 * REGION);
    /* A map is charged a new region before it knows it merges, then given back the rest. */
    assert_int_equal(vm_map(space, 0x12000, PAGE, RW, NULL, 0), -ENOMEM);
    quota->limit = 8 + 3 * REGION;
    assert_int_equal(vm_map(space, 0x12000, PAGE, RW, NULL, 0), 0); /* merged back into one */
    assert_int_equal(quota->used, 8 + REGION);
    assert_int_equal(vm_unmap(space, 0x10000, 8 * PAGE), 0);
    assert_int_equal(quota->used, 0);
    address_space_put(space);
    quota_put(quota);
}

/* A ceiling set at map time holds under protect, after splits and in a clone. */
static void test_protect_ceiling(void **state)
{
    (void)state;
    struct address_space *space = address_space_create();
    struct memory_object *object = memory_object_create(4 * PAGE);

    assert_int_equal(vm_map_limited(space, 0x10000, 4 * PAGE, RW, VM_PROT_READ, object, 0),
                     -EACCES);
    assert_int_equal(vm_map_limited(space, 0x10000, 4 * PAGE, VM_PROT_READ, VM_PROT_READ, object,
                                    0),
                     0);
    assert_int_equal(vm_map(space, 0x14000, PAGE, RW, NULL, 0), 0);
    assert_int_equal(vm_protect(space, 0x11000, PAGE, VM_PROT_READ), 0);
    assert_int_equal(vm_protect(space, 0x11000, PAGE, 0), 0);
    assert_int_equal(vm_protect(space, 0x11000, PAGE, RW), -EACCES);
    assert_int_equal(vm_protect(space, 0x12000, PAGE, VM_PROT_READ | VM_PROT_EXEC), -EACCES);
    /* Spanning the ceiling and plain anonymous memory: refused, nothing changes. */
    assert_int_equal(vm_protect(space, 0x13000, 2 * PAGE, RW), -EACCES);
    write_byte(space, 0x14000, 1);
    assert_int_equal(vm_write(space, 0x13000, &(uint8_t){1}, 1), -EFAULT);
    struct address_space *clone = address_space_clone(space);
    assert_non_null(clone);
    assert_int_equal(vm_protect(clone, 0x10000, PAGE, RW), -EACCES);
    assert_int_equal(vm_protect(clone, 0x14000, PAGE, VM_PROT_READ | VM_PROT_EXEC), 0);
    address_space_put(clone);
    /* A frame region's ceiling is the prot it was mapped with. */
    uint64_t frame;
    assert_int_equal(paging_frame_alloc_zeroed(&frame), 0);
    assert_int_equal(vm_map_frame(space, 0x20000, frame, VM_PROT_READ), 0);
    assert_int_equal(paging_frame_put(frame), 0);
    assert_int_equal(vm_protect(space, 0x20000, PAGE, VM_PROT_READ), 0);
    assert_int_equal(vm_protect(space, 0x20000, PAGE, RW), -EACCES);
    memory_object_put(object);
    address_space_put(space);
}

static void test_clone_copy_on_write(void **state)
{
    (void)state;
    struct address_space *parent = address_space_create();

    assert_int_equal(vm_map(parent, 0x10000, 2 * PAGE, RW, NULL, 0), 0);
    write_byte(parent, 0x10000, 'A');
    write_byte(parent, 0x11000, 'a');
    uint64_t frame = frame_of(parent, 0x10000);
    size_t flushes = context_flushes;
    struct address_space *child = address_space_clone(parent);

    assert_non_null(child);
    assert_int_equal(context_flushes, flushes + 1); /* parent lost write access */
    assert_int_equal(paging_frame_refcount(frame), 2);
    assert_true(mmu_entry_copy_on_write(entry_of(parent, 0x10000)));
    assert_false(mmu_entry_writable(entry_of(child, 0x10000)));
    assert_int_equal(read_byte(child, 0x10000), 'A');

    /* The child writes: it gets a copy, the parent keeps its byte. */
    assert_int_equal(vm_handle_page_fault(child, 0x10000, USER_WRITE | VM_FAULT_PRESENT), 0);
    assert_int_not_equal(frame_of(child, 0x10000), frame);
    assert_int_equal(read_byte(child, 0x10000), 'A');
    write_byte(child, 0x10000, 'B');
    assert_int_equal(read_byte(parent, 0x10000), 'A');
    assert_int_equal(paging_frame_refcount(frame), 1);
    /* The parent is now the last sharer: it takes the frame over without a copy. */
    assert_int_equal(vm_handle_page_fault(parent, 0x10000, USER_WRITE | VM_FAULT_PRESENT), 0);
    assert_int_equal(frame_of(parent, 0x10000), frame);
    assert_true(mmu_entry_writable(entry_of(parent, 0x10000)));
    assert_false(mmu_entry_copy_on_write(entry_of(parent, 0x10000)));
    /* vm_write breaks COW as a fault would. */
    write_byte(parent, 0x11000, 'p');
    assert_int_equal(read_byte(child, 0x11000), 'a');
    /* A COW page made read-only and back stays COW until written. */
    assert_int_equal(vm_protect(child, 0x11000, PAGE, VM_PROT_READ), 0);
    assert_int_equal(vm_protect(child, 0x11000, PAGE, RW), 0);
    assert_false(mmu_entry_writable(entry_of(child, 0x11000)));
    write_byte(child, 0x11000, 'c');
    assert_int_equal(read_byte(parent, 0x11000), 'p');

    /* Grandchild, then the middle generation dies first. */
    struct address_space *grandchild = address_space_clone(child);

    assert_non_null(grandchild);
    address_space_put(child);
    assert_int_equal(read_byte(grandchild, 0x10000), 'B');
    write_byte(grandchild, 0x10000, 'G');
    address_space_put(grandchild);
    address_space_put(parent);
}

static void test_memory_objects_stay_shared(void **state)
{
    (void)state;
    struct address_space *first = address_space_create();
    struct address_space *second = address_space_create();
    struct memory_object *object = memory_object_create(3 * PAGE - 100);

    assert_int_equal(vm_map(first, 0x10000, 3 * PAGE, RW, object, 0), 0);
    assert_int_equal(vm_map(second, 0x50000, 2 * PAGE, VM_PROT_READ, object, PAGE), 0);
    memory_object_put(object); /* the mappings keep it alive */
    write_byte(first, 0x12000, 'x');
    assert_int_equal(read_byte(second, 0x51000), 'x');
    assert_int_equal(frame_of(first, 0x12000), frame_of(second, 0x51000));
    assert_true(entry_of(first, 0x12000) & PTE_SHARED);

    struct address_space *clone = address_space_clone(first);

    assert_true(mmu_entry_writable(entry_of(first, 0x12000))); /* not made COW */
    write_byte(clone, 0x12000, 'y');
    assert_int_equal(read_byte(first, 0x12000), 'y');
    /* Splitting an object mapping keeps the offsets right. */
    assert_int_equal(vm_unmap(first, 0x11000, PAGE), 0);
    assert_int_equal(read_byte(first, 0x12000), 'y');
    write_byte(first, 0x10000, 'z');
    assert_int_equal(read_byte(clone, 0x10000), 'z');
    address_space_put(first);
    address_space_put(clone);
    assert_int_equal(read_byte(second, 0x51000), 'y');
    address_space_put(second);
}

static void test_memory_objects_grow_while_mapped(void **state)
{
    (void)state;
    struct address_space *space = address_space_create();
    struct memory_object *object = memory_object_create(2 * PAGE);
    struct quota *quota = quota_create(10);
    struct quota *other = quota_create(10);

    assert_int_equal(memory_object_charge_to(object, quota), 0);
    assert_int_equal(vm_map(space, 0x10000, 2 * PAGE, RW, object, 0), 0);
    write_byte(space, 0x11000, 'a');
    assert_int_equal(vm_map(space, 0x20000, PAGE, RW, object, 2 * PAGE), -EINVAL);
    assert_int_equal(memory_object_resize(object, 12 * PAGE), -ENOMEM); /* past the quota */
    assert_int_equal(memory_object_resize(object, 4 * PAGE - 1), 0);
    assert_int_equal(quota->used, 4);
    assert_int_equal(memory_object_resize(object, 4 * PAGE), 0); /* the same size again */
    assert_int_equal(quota->used, 4); /* charged once */
    /* The old mapping still sees its page; a new one reaches the new pages and the old. */
    assert_int_equal(read_byte(space, 0x11000), 'a');
    assert_int_equal(vm_map(space, 0x20000, 3 * PAGE, RW, object, PAGE), 0);
    assert_int_equal(read_byte(space, 0x20000), 'a');
    write_byte(space, 0x22000, 'b');
    assert_int_equal(read_byte(space, 0x22000), 'b');
    address_space_put(space);
    memory_object_put(object);
    assert_int_equal(quota->used, 0);
    quota_put(quota);
    quota_put(other);
}

/* A shrink takes the pages past the new size out of every sized mapping (VM_MAP_PAST_END), in
 * any space and in a clone, whether touched or not; plain mappings keep them. */
static void test_shrink_unmaps_sized_mappings(void **state)
{
    (void)state;
    struct address_space *space = address_space_create();
    struct memory_object *object = memory_object_create(3 * PAGE);
    uint8_t byte = 0;

    assert_int_equal(vm_map(space, 0x10000, 3 * PAGE, RW, object, 0), 0);
    assert_int_equal(vm_map(space, 0x20000, 4 * PAGE, RW | VM_MAP_PAST_END, object, 0), 0);
    /* From an offset, split in two by an unmap: both parts are the object's regions. */
    assert_int_equal(vm_map(space, 0x30000, 3 * PAGE, RW | VM_MAP_PAST_END, object, 0), 0);
    assert_int_equal(vm_unmap(space, 0x31000, PAGE), 0);
    write_byte(space, 0x22000, 'c');
    write_byte(space, 0x21000, 'b');
    assert_int_equal(read_byte(space, 0x32000), 'c'); /* the same object page, touched */
    struct address_space *clone = address_space_clone(space);
    assert_int_equal(read_byte(clone, 0x22000), 'c');
    size_t flushes = page_flushes;
    assert_int_equal(memory_object_resize(object, PAGE + 1), 0); /* two pages */
    assert_true(page_flushes > flushes);
    assert_int_equal(vm_read(space, 0x22000, &byte, 1), -EFAULT);
    assert_int_equal(vm_read(clone, 0x22000, &byte, 1), -EFAULT);
    assert_int_equal(vm_read(space, 0x32000, &byte, 1), -EFAULT);
    assert_int_equal(vm_handle_page_fault(space, 0x22000, USER_READ), -ENXIO);
    assert_int_equal(read_byte(space, 0x21000), 'b'); /* inside the size */
    assert_int_equal(read_byte(space, 0x12000), 'c'); /* the plain mapping reaches it */
    assert_int_equal(memory_object_resize(object, 3 * PAGE), 0);
    assert_int_equal(read_byte(clone, 0x22000), 'c'); /* the object kept it */
    assert_int_equal(read_byte(space, 0x32000), 'c');
    address_space_put(clone);
    address_space_put(space);
    memory_object_put(object);
}

/* VM_MAP_PRIVATE: the object's pages until a write copies them; charged as anonymous memory. */
static void test_private_object_mapping(void **state)
{
    (void)state;
    struct address_space *space = address_space_create();
    struct memory_object *object = memory_object_create(2 * PAGE);
    struct quota *quota = quota_create(100);

    assert_int_equal(address_space_charge_to(space, quota), 0);
    assert_int_equal(vm_map(space, 0x10000, 2 * PAGE, RW, object, 0), 0);
    uint64_t before = quota->used;
    assert_int_equal(vm_map(space, 0x20000, 2 * PAGE, RW | VM_MAP_PRIVATE, object, 0), 0);
    assert_true(quota->used >= before + 2);
    write_byte(space, 0x10000, 'o');
    assert_int_equal(read_byte(space, 0x20000), 'o');
    assert_false(entry_of(space, 0x20000) & PTE_WRITE);
    assert_true(entry_of(space, 0x20000) & PTE_COW);
    assert_int_equal(frame_of(space, 0x20000), frame_of(space, 0x10000));
    write_byte(space, 0x20000, 'p');
    assert_true(frame_of(space, 0x20000) != frame_of(space, 0x10000));
    assert_int_equal(read_byte(space, 0x10000), 'o');
    /* A first touch that writes copies at once, writable. */
    assert_int_equal(vm_handle_page_fault(space, 0x21000, USER_WRITE), 0);
    assert_true(entry_of(space, 0x21000) & PTE_WRITE);
    assert_false(entry_of(space, 0x21000) & PTE_SHARED);
    /* A clone's copies are its own. */
    struct address_space *clone = address_space_clone(space);
    write_byte(clone, 0x20000, 'q');
    assert_int_equal(read_byte(space, 0x20000), 'p');
    assert_int_equal(read_byte(space, 0x10000), 'o');
    address_space_put(clone);
    assert_int_equal(vm_unmap(space, 0x20000, 2 * PAGE), 0);
    assert_int_equal(quota->used, before);
    address_space_put(space);
    memory_object_put(object);
    assert_int_equal(quota->used, 0);
    quota_put(quota);
}

static void test_memory_object_discard(void **state)
{
    (void)state;
    struct address_space *space = address_space_create();
    struct memory_object *object = memory_object_create(4 * PAGE);
    uint64_t frames = memory_object_frames;

    assert_int_equal(vm_map(space, 0x10000, 4 * PAGE, RW, object, 0), 0);
    write_byte(space, 0x11000, 'a');
    write_byte(space, 0x12000, 'b');
    assert_int_equal(memory_object_frames, frames + 2);
    /* The good call, then each bad range: past the object, over the bound. */
    assert_int_equal(memory_object_discard(object, PAGE, PAGE), 0);
    assert_int_equal(memory_object_frames, frames + 1);
    assert_int_equal(memory_object_discard(object, 3 * PAGE, 2 * PAGE), -EINVAL);
    assert_int_equal(memory_object_discard(object, PAGE + 1, PAGE), -EINVAL);
    assert_int_equal(memory_object_discard(object, 5 * PAGE, 0), -EINVAL);
    assert_int_equal(memory_object_discard(object, 0, (MEMORY_OBJECT_DISCARD_MAX + 1) * PAGE), -EINVAL);
    /* The mapping that had the page keeps its frame; once it lets go, the page reads zero. */
    assert_int_equal(read_byte(space, 0x11000), 'a');
    assert_int_equal(vm_discard(space, 0x11000, PAGE), 0);
    assert_int_equal(read_byte(space, 0x11000), 0);
    assert_int_equal(read_byte(space, 0x12000), 'b');
    address_space_put(space);
    memory_object_put(object);
    assert_int_equal(memory_object_frames, frames);
}

static void test_map_frame(void **state)
{
    (void)state;
    struct address_space *space = address_space_create();
    uint64_t frame;

    assert_int_equal(paging_frame_alloc_zeroed(&frame), 0);
    assert_int_equal(vm_map_frame(space, 0x30000, frame, RW), 0);
    assert_int_equal(paging_frame_refcount(frame), 2);
    write_byte(space, 0x30010, 9);
    assert_int_equal(((uint8_t *)paging_phys_to_virt(frame))[0x10], 9);
    assert_int_equal(vm_map_frame(space, 0x30000, frame, RW), -EINVAL); /* taken */
    assert_int_equal(vm_map_frame(space, 0x31000, frame + 1, RW), -EINVAL);
    assert_int_equal(vm_map_frame(space, 0x31000, 0x1000, RW), -EINVAL); /* not a zone frame */
    assert_int_equal(vm_map_frame(space, 0xffff800000000000ull, frame, RW), -EINVAL);
    assert_int_equal(vm_map_frame(space, 0x31000, frame, 7 << 4), -EINVAL);
    assert_int_equal(vm_map(space, 0x2f000, 2 * PAGE, RW, NULL, 0), -EINVAL);
    assert_int_equal(paging_frame_refcount(frame), 2);

    struct address_space *clone = address_space_clone(space);

    assert_int_equal(entry_of(clone, 0x30000), 0); /* not copied */
    assert_int_equal(vm_handle_page_fault(clone, 0x30000, USER_READ), -EFAULT);
    address_space_put(clone);
    assert_int_equal(vm_unmap(space, 0x30000, PAGE), 0);
    assert_int_equal(paging_frame_refcount(frame), 1);
    assert_int_equal(vm_map_frame(space, 0x30000, frame, VM_PROT_READ), 0);
    address_space_put(space);
    assert_int_equal(paging_frame_put(frame), 0);
}

static void test_out_of_memory(void **state)
{
    (void)state;
    struct address_space *space = address_space_create();
    uint64_t hoard[ARENA_FRAMES];
    size_t hoarded = 0;

    assert_int_equal(vm_map(space, 0x10000, 0x400000, RW, NULL, 0), 0);
    for (uint64_t address = 0x10000; address < 0x20000; address += PAGE)
        write_byte(space, address, 1);
    while (frame_free_count(&arena.zone) > 0)
        assert_int_equal(paging_frame_alloc(&hoard[hoarded++]), 0);
    assert_int_equal(vm_handle_page_fault(space, 0x300000, USER_READ), -ENOMEM);
    assert_int_equal(vm_write(space, 0x300000, &(uint8_t){1}, 1), -ENOMEM);
    assert_null(address_space_create());
    assert_null(address_space_clone(space));
    /* Room for the clone's PML4 and one table, not the rest: the clone fails and frees itself. */
    assert_int_equal(paging_frame_put(hoard[--hoarded]), 0);
    assert_int_equal(paging_frame_put(hoard[--hoarded]), 0);
    assert_null(address_space_clone(space));
    assert_int_equal(frame_free_count(&arena.zone), 2);
    /* Enough for the page tables of a clone but not for a COW copy afterwards. */
    while (hoarded > 0)
        assert_int_equal(paging_frame_put(hoard[--hoarded]), 0);
    struct address_space *clone = address_space_clone(space);

    assert_non_null(clone);
    while (frame_free_count(&arena.zone) > 0)
        assert_int_equal(paging_frame_alloc(&hoard[hoarded++]), 0);
    assert_int_equal(vm_handle_page_fault(clone, 0x11000, USER_WRITE | VM_FAULT_PRESENT), -ENOMEM);
    assert_int_equal(read_byte(clone, 0x11000), 1);
    while (hoarded > 0)
        assert_int_equal(paging_frame_put(hoard[--hoarded]), 0);
    address_space_put(clone);
    address_space_put(space);
}

static void test_refcounts(void **state)
{
    (void)state;
    struct address_space *space = address_space_create();

    address_space_get(space);
    address_space_put(space);
    assert_int_equal(releases, 0);
    assert_int_equal(vm_map(space, 0x10000, PAGE, RW, NULL, 0), 0);
    address_space_put(space);
    assert_int_equal(releases, 1);
    address_space_put(NULL);
    memory_object_put(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_demand_zero_and_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_rejects_bad_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_write_across_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmap_splits_and_frees, setup, teardown),
        cmocka_unit_test_setup_teardown(test_protect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_protect_ceiling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_regions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quota_charges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quota_region_splits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clone_copy_on_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_memory_objects_stay_shared, setup, teardown),
        cmocka_unit_test_setup_teardown(test_memory_objects_grow_while_mapped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shrink_unmaps_sized_mappings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_private_object_mapping, setup, teardown),
        cmocka_unit_test_setup_teardown(test_memory_object_discard, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_frame, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refcounts, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
