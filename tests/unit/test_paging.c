/* cmocka tests for the page-table logic in ukernel/arch/x86_64/paging.c, over a host arena. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "kerrno.h"
#include "mmu_entry.h"
#include "paging.h"
#include "paging_arena.h"
#include "vm.h"

#define PAGE PAGING_PAGE_SIZE
#define RW_FLAGS (PTE_PRESENT | PTE_USER | PTE_WRITE | PTE_NX)

static struct paging_arena arena;
static size_t free_at_start;

static int setup(void **state)
{
    (void)state;
    paging_arena_create(&arena, true);
    free_at_start = frame_free_count(&arena.zone);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    paging_arena_destroy(&arena);
    return 0;
}

static uint64_t alloc_frame(void)
{
    uint64_t phys;

    assert_int_equal(paging_frame_alloc_zeroed(&phys), 0);
    return phys;
}

static uint64_t new_pml4(void)
{
    uint64_t pml4;

    assert_int_equal(paging_create_pml4(&pml4), 0);
    return pml4;
}

static uint64_t entry_at(uint64_t pml4, uint64_t address)
{
    uint64_t entry;

    assert_int_equal(paging_lookup(pml4, address, &entry), 0);
    return entry;
}

static void test_map_lookup_unmap(void **state)
{
    (void)state;
    uint64_t pml4 = new_pml4();
    /* Addresses straddling PT, PD and PDPT boundaries and the top user page. */
    const uint64_t addresses[] = {0x1000,     0x1ff000,   0x200000,
                                  0x3ffff000, 0x40000000, 0x7ffffffff000};
    uint64_t frames[6];

    for (int i = 0; i < 6; i++) {
        frames[i] = alloc_frame();
        assert_int_equal(paging_map(pml4, addresses[i], frames[i], RW_FLAGS), 0);
    }
    for (int i = 0; i < 6; i++) {
        uint64_t entry = entry_at(pml4, addresses[i]);

        assert_int_equal(entry & PTE_ADDRESS_MASK, frames[i]);
        assert_int_equal(entry & ~PTE_ADDRESS_MASK, RW_FLAGS);
        assert_int_equal(paging_frame_refcount(frames[i]), 1);
    }
    assert_int_equal(entry_at(pml4, 0x2000), 0);
    assert_int_equal(entry_at(pml4, 0x500000000), 0); /* no tables at all there */

    /* The whole user half at once: sparse, must skip missing tables quickly. */
    assert_int_equal(paging_unmap_range(pml4, 0, PAGING_USER_END), 6);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(entry_at(pml4, addresses[i]), 0);
        assert_int_equal(paging_frame_refcount(frames[i]), 0); /* freed */
    }
    assert_int_equal(paging_unmap_range(pml4, 0, PAGING_USER_END), 0);
    /* Every table the six pages needed went with them: only the PML4 is left. */
    assert_int_equal(frame_free_count(&arena.zone), free_at_start - 1);
    paging_destroy_pml4(pml4);
    assert_int_equal(frame_free_count(&arena.zone), free_at_start);
}

/* A table keeps its place while any entry in it lives; the last one out frees it. */
static void test_unmap_frees_emptied_tables(void **state)
{
    (void)state;
    uint64_t pml4 = new_pml4();
    size_t with_pml4 = frame_free_count(&arena.zone);
    uint64_t a = alloc_frame(), b = alloc_frame();

    assert_int_equal(paging_map(pml4, 0x400000, a, RW_FLAGS), 0);
    assert_int_equal(paging_map(pml4, 0x401000, b, RW_FLAGS), 0);
    size_t mapped = frame_free_count(&arena.zone);
    assert_int_equal(paging_unmap_range(pml4, 0x400000, 0x401000), 1);
    assert_int_equal(frame_free_count(&arena.zone), mapped + 1); /* a only */
    assert_int_equal(entry_at(pml4, 0x401000) & PTE_ADDRESS_MASK, b);
    assert_int_equal(paging_unmap_range(pml4, 0x401000, 0x402000), 1);
    assert_int_equal(frame_free_count(&arena.zone), with_pml4); /* b and three tables */
    /* The same addresses again: tables are made anew. */
    a = alloc_frame();
    assert_int_equal(paging_map(pml4, 0x400000, a, RW_FLAGS), 0);
    assert_int_equal(entry_at(pml4, 0x400000) & PTE_ADDRESS_MASK, a);
    paging_destroy_pml4(pml4);
}

static void test_map_rejects_hostile_input(void **state)
{
    (void)state;
    uint64_t pml4 = new_pml4();
    uint64_t frame = alloc_frame();
    uint64_t freed = alloc_frame();
    uint64_t *entry;

    assert_int_equal(paging_frame_put(freed), 0);
    assert_int_equal(paging_frame_put(freed), -EINVAL); /* double put */
    assert_int_equal(paging_frame_get(freed), -EINVAL);

    assert_int_equal(paging_map(pml4, PAGING_USER_END, frame, RW_FLAGS), -EINVAL);
    assert_int_equal(paging_map(pml4, 0xffff800000000000ull, frame, RW_FLAGS), -EINVAL);
    assert_int_equal(paging_map(pml4, 0xffffffff80000000ull, frame, RW_FLAGS), -EINVAL);
    assert_int_equal(paging_map(pml4, 0x8000000000000000ull, frame, RW_FLAGS), -EINVAL);
    assert_int_equal(paging_map(pml4, 0x1001, frame, RW_FLAGS), -EINVAL);
    assert_int_equal(paging_map(pml4, 0x1000, frame + 8, RW_FLAGS), -EINVAL);
    assert_int_equal(paging_map(pml4, 0x1000, frame, RW_FLAGS | 0x5000), -EINVAL);
    assert_int_equal(paging_map(pml4, 0x1000, frame, PTE_USER | PTE_WRITE), -EINVAL);
    assert_int_equal(paging_map(pml4, 0x1000, frame, RW_FLAGS | PTE_LARGE), -EINVAL);
    /* Not an allocated frame of the zone: outside it, or free. */
    assert_int_equal(paging_map(pml4, 0x1000, 0x1000, RW_FLAGS), -EINVAL);
    assert_int_equal(paging_map(pml4, 0x1000, freed, RW_FLAGS), -EINVAL);
    assert_int_equal(paging_walk(pml4, PAGING_USER_END, true, &entry), -EINVAL);
    assert_int_equal(paging_walk(pml4, 0x1000, false, &entry), -ENOENT);
    assert_int_equal(paging_lookup(pml4, 0xffff800000001000ull, &(uint64_t){0}), -EINVAL);

    assert_int_equal(paging_map(pml4, 0x1000, frame, RW_FLAGS), 0);
    assert_int_equal(paging_frame_get(frame), 0);
    assert_int_equal(paging_map(pml4, 0x1000, frame, RW_FLAGS), -EEXIST);
    assert_int_equal(paging_frame_put(frame), 0);
    assert_int_equal(paging_frame_refcount(frame), 1);

    assert_int_equal(paging_unmap_range(pml4, 0x1000, 0x1800), -EINVAL);
    assert_int_equal(paging_unmap_range(pml4, 0x2000, 0x1000), -EINVAL);
    assert_int_equal(paging_unmap_range(pml4, 0, PAGING_USER_END + PAGE), -EINVAL);
    assert_int_equal(paging_protect_range(pml4, 0x1000, 0x2000, PTE_COW), -EINVAL);
    assert_int_equal(paging_clone_range(pml4, pml4, 0x1000, 0xffff800000000000ull), -EINVAL);
    assert_int_equal(paging_frame_get(0x1000), -EINVAL);
    assert_int_equal(paging_frame_put(0x1000), -EINVAL);

    paging_destroy_pml4(pml4);
    assert_int_equal(frame_free_count(&arena.zone), free_at_start);
}

static void test_protect_keeps_frame_and_cow(void **state)
{
    (void)state;
    uint64_t pml4 = new_pml4();
    uint64_t private_frame = alloc_frame(), cow_frame = alloc_frame();

    assert_int_equal(paging_map(pml4, 0x10000, private_frame, RW_FLAGS | PTE_DIRTY), 0);
    assert_int_equal(paging_map(pml4, 0x11000, cow_frame, PTE_PRESENT | PTE_USER | PTE_COW), 0);

    uint64_t read_only = paging_flags_for_prot(VM_PROT_READ);

    assert_int_equal(read_only, PTE_PRESENT | PTE_USER | PTE_NX);
    assert_int_equal(paging_protect_range(pml4, 0x10000, 0x12000, read_only), 2);
    assert_int_equal(entry_at(pml4, 0x10000), private_frame | read_only | PTE_DIRTY);
    assert_int_equal(entry_at(pml4, 0x11000), cow_frame | read_only | PTE_COW);
    assert_int_equal(paging_protect_range(pml4, 0x10000, 0x12000, read_only), 0);

    uint64_t rwx = paging_flags_for_prot(VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXEC);

    assert_int_equal(paging_protect_range(pml4, 0x10000, 0x12000, rwx), 2);
    assert_int_equal(entry_at(pml4, 0x10000), private_frame | rwx | PTE_DIRTY);
    /* A COW page never becomes writable by mprotect. */
    assert_int_equal(entry_at(pml4, 0x11000), cow_frame | PTE_PRESENT | PTE_USER | PTE_COW);

    /* PROT_NONE: not present, the frame kept. */
    assert_int_equal(paging_flags_for_prot(0), PTE_INACCESSIBLE);
    assert_int_equal(paging_protect_range(pml4, 0x10000, 0x11000, PTE_INACCESSIBLE), 1);
    assert_int_equal(entry_at(pml4, 0x10000), private_frame | PTE_INACCESSIBLE | PTE_DIRTY);
    assert_int_equal(paging_frame_refcount(private_frame), 1);

    assert_int_equal(paging_unmap_range(pml4, 0x10000, 0x12000), 2);
    paging_destroy_pml4(pml4);
    assert_int_equal(frame_free_count(&arena.zone), free_at_start);
}

static void test_clone_marks_cow_and_counts_references(void **state)
{
    (void)state;
    uint64_t parent = new_pml4(), child = new_pml4();
    uint64_t private_frame = alloc_frame(), shared_frame = alloc_frame(),
             none_frame = alloc_frame();

    assert_int_equal(paging_map(parent, 0x400000, private_frame, RW_FLAGS), 0);
    assert_int_equal(paging_map(parent, 0x401000, shared_frame, RW_FLAGS | PTE_SHARED), 0);
    assert_int_equal(paging_map(parent, 0x7fffffe00000, none_frame, PTE_INACCESSIBLE), 0);
    assert_int_equal(paging_clone_range(child, parent, 0, PAGING_USER_END), 0);

    uint64_t cow = (RW_FLAGS & ~PTE_WRITE) | PTE_COW;

    assert_int_equal(entry_at(parent, 0x400000), private_frame | cow);
    assert_int_equal(entry_at(child, 0x400000), private_frame | cow);
    assert_int_equal(entry_at(parent, 0x401000), shared_frame | RW_FLAGS | PTE_SHARED);
    assert_int_equal(entry_at(child, 0x401000), shared_frame | RW_FLAGS | PTE_SHARED);
    assert_int_equal(entry_at(child, 0x7fffffe00000), none_frame | PTE_INACCESSIBLE | PTE_COW);
    assert_int_equal(paging_frame_refcount(private_frame), 2);
    assert_int_equal(paging_frame_refcount(shared_frame), 2);
    assert_int_equal(paging_frame_refcount(none_frame), 2);
    /* A range clone copies only inside the range. */
    uint64_t partial = new_pml4();

    assert_int_equal(paging_clone_range(partial, parent, 0x401000, 0x402000), 0);
    assert_int_equal(entry_at(partial, 0x400000), 0);
    assert_int_equal(entry_at(partial, 0x401000) & PTE_ADDRESS_MASK, shared_frame);
    assert_int_equal(paging_frame_refcount(shared_frame), 3);
    paging_destroy_pml4(partial);

    paging_destroy_pml4(parent);
    assert_int_equal(paging_frame_refcount(private_frame), 1);
    paging_destroy_pml4(child);
    assert_int_equal(frame_free_count(&arena.zone), free_at_start);
}

/* The accessors kern/ uses (mmu_entry.h) read what paging_map and paging_clone_range wrote. */
static void test_entry_accessors(void **state)
{
    (void)state;
    uint64_t parent = new_pml4(), child = new_pml4();
    uint64_t private_frame = alloc_frame(), shared_frame = alloc_frame(),
             none_frame = alloc_frame();
    uint64_t rw = paging_flags_for_prot(VM_PROT_READ | VM_PROT_WRITE);

    assert_int_equal(paging_map(parent, 0x400000, private_frame, mmu_entry_make(0, rw)), 0);
    assert_int_equal(paging_map(parent, 0x401000, shared_frame, mmu_flags_shared(rw)), 0);
    assert_int_equal(paging_map(parent, 0x402000, none_frame, paging_flags_for_prot(0)), 0);
    uint64_t private_entry = entry_at(parent, 0x400000);
    assert_int_equal(private_entry, mmu_entry_make(private_frame, rw));
    assert_true(mmu_entry_present(private_entry) && mmu_entry_writable(private_entry));
    assert_true(mmu_entry_holds_frame(private_entry));
    assert_false(mmu_entry_copy_on_write(private_entry));
    assert_int_equal(mmu_entry_frame(private_entry), private_frame);
    /* PROT_NONE: holds its frame, not present. */
    uint64_t none_entry = entry_at(parent, 0x402000);
    assert_false(mmu_entry_present(none_entry));
    assert_true(mmu_entry_holds_frame(none_entry));
    assert_int_equal(mmu_entry_frame(none_entry), none_frame);
    assert_false(mmu_entry_holds_frame(entry_at(parent, 0x403000)));

    /* A clone: the private page turns copy-on-write (read-only), the shared one stays writable. */
    assert_int_equal(paging_clone_range(child, parent, 0, PAGING_USER_END), 0);
    uint64_t cow_entry = entry_at(child, 0x400000);
    assert_true(mmu_entry_present(cow_entry) && mmu_entry_copy_on_write(cow_entry));
    assert_false(mmu_entry_writable(cow_entry));
    assert_int_equal(mmu_entry_frame(cow_entry), private_frame);
    uint64_t shared_entry = entry_at(child, 0x401000);
    assert_true(mmu_entry_writable(shared_entry));
    assert_false(mmu_entry_copy_on_write(shared_entry));
    /* Permissions from a region never make a copy-on-write entry writable, and keep its frame. */
    uint64_t repermitted = mmu_entry_with_permissions(cow_entry, rw);
    assert_false(mmu_entry_writable(repermitted));
    assert_true(mmu_entry_copy_on_write(repermitted));
    assert_int_equal(mmu_entry_frame(repermitted), private_frame);
    uint64_t read_only = paging_flags_for_prot(VM_PROT_READ);
    assert_false(mmu_entry_writable(mmu_entry_with_permissions(private_entry, read_only)));
    uint64_t hidden = mmu_entry_with_permissions(private_entry, paging_flags_for_prot(0));
    assert_false(mmu_entry_present(hidden));
    assert_true(mmu_entry_holds_frame(hidden));
    assert_int_equal(mmu_entry_frame(hidden), private_frame);
    /* The last sharer takes the frame over: writable, no longer copy-on-write, the MMU's
     * accessed and dirty bits kept. */
    uint64_t taken = mmu_entry_take_over(cow_entry | PTE_ACCESSED | PTE_DIRTY, rw);
    assert_int_equal(taken, mmu_entry_make(private_frame, rw) | PTE_ACCESSED | PTE_DIRTY);
    assert_true(mmu_entry_writable(taken));
    assert_false(mmu_entry_copy_on_write(taken));

    paging_destroy_pml4(child);
    paging_destroy_pml4(parent);
    assert_int_equal(frame_free_count(&arena.zone), free_at_start);
}

static void test_clone_out_of_memory_leaves_consistent_state(void **state)
{
    (void)state;
    uint64_t parent = new_pml4(), child = new_pml4();
    uint64_t frame_low = alloc_frame(), frame_high = alloc_frame();
    uint64_t hoard[ARENA_FRAMES];
    size_t hoarded = 0;

    assert_int_equal(paging_map(parent, 0x1000, frame_low, RW_FLAGS), 0);
    assert_int_equal(paging_map(parent, 0x40000000, frame_high, RW_FLAGS), 0);
    /* Leave exactly the three tables the first chunk needs in the child. */
    while (frame_free_count(&arena.zone) > 3)
        assert_int_equal(paging_frame_alloc(&hoard[hoarded++]), 0);
    assert_int_equal(paging_clone_range(child, parent, 0, PAGING_USER_END), -ENOMEM);
    assert_int_equal(entry_at(child, 0x1000) & PTE_ADDRESS_MASK, frame_low);
    assert_int_equal(paging_frame_refcount(frame_low), 2);
    assert_int_equal(paging_frame_refcount(frame_high), 1);
    while (hoarded > 0)
        assert_int_equal(paging_frame_put(hoard[--hoarded]), 0);
    paging_destroy_pml4(child);
    paging_destroy_pml4(parent);
    assert_int_equal(frame_free_count(&arena.zone), free_at_start);
}

static void test_map_out_of_memory(void **state)
{
    (void)state;
    uint64_t pml4 = new_pml4();
    uint64_t frame = alloc_frame();
    uint64_t hoard[ARENA_FRAMES];
    size_t hoarded = 0;

    while (frame_free_count(&arena.zone) > 0)
        assert_int_equal(paging_frame_alloc(&hoard[hoarded++]), 0);
    assert_int_equal(paging_map(pml4, 0x1000, frame, RW_FLAGS), -ENOMEM);
    assert_int_equal(paging_create_pml4(&(uint64_t){0}), -ENOMEM);
    assert_int_equal(paging_frame_refcount(frame), 1);
    while (hoarded > 0)
        assert_int_equal(paging_frame_put(hoard[--hoarded]), 0);
    assert_int_equal(paging_frame_put(frame), 0);
    paging_destroy_pml4(pml4);
    assert_int_equal(frame_free_count(&arena.zone), free_at_start);
}

static void test_kernel_half(void **state)
{
    (void)state;
    uint64_t kernel = new_pml4();
    const uint64_t direct = 0xffff800000000000ull, image = 0xffffffff80100000ull;
    uint64_t global_rw = PTE_PRESENT | PTE_WRITE | PTE_GLOBAL | PTE_NX;
    uint64_t *table;

    assert_int_equal(
        paging_map_kernel(kernel, direct, 0, 2 * PAGING_LARGE_1G, PAGING_LARGE_1G, global_rw), 0);
    assert_int_equal(paging_map_kernel(kernel, direct + 2 * PAGING_LARGE_1G, 2 * PAGING_LARGE_1G,
                                       2 * PAGING_LARGE_2M, PAGING_LARGE_2M, global_rw),
                     0);
    assert_int_equal(
        paging_map_kernel(kernel, image, 0x100000, 3 * PAGE, PAGE, PTE_PRESENT | PTE_GLOBAL), 0);
    /* Hostile or overlapping requests. */
    assert_int_equal(paging_map_kernel(kernel, 0x1000, 0, PAGE, PAGE, PTE_PRESENT), -EINVAL);
    assert_int_equal(
        paging_map_kernel(kernel, direct + PAGE, 0, PAGING_LARGE_2M, PAGING_LARGE_2M, PTE_PRESENT),
        -EINVAL);
    assert_int_equal(paging_map_kernel(kernel, direct, 0, PAGE, 8192, PTE_PRESENT), -EINVAL);
    assert_int_equal(
        paging_map_kernel(kernel, 0xfffffffffffff000ull, 0, 2 * PAGE, PAGE, PTE_PRESENT), -EINVAL);
    assert_int_equal(paging_map_kernel(kernel, direct, 0, PAGE, PAGE, PTE_PRESENT), -EEXIST);
    assert_int_equal(paging_map_kernel(kernel, image, 0, PAGE, PAGE, PTE_PRESENT), -EEXIST);
    assert_int_equal(paging_map_kernel(kernel, image, 0, PAGE, PAGE, PTE_WRITE), -EINVAL);

    table = paging_phys_to_virt(kernel);
    uint64_t pdpt_entry = ((uint64_t *)paging_phys_to_virt(table[256] & PTE_ADDRESS_MASK))[1];

    assert_int_equal(pdpt_entry, PAGING_LARGE_1G | global_rw | PTE_LARGE);
    assert_int_equal(paging_fill_kernel_half(kernel), 0);
    for (int i = 256; i < 512; i++)
        assert_true(table[i] & PTE_PRESENT);

    /* User PML4s share the kernel half; destroying them leaves it alone. */
    paging_kernel_pml4 = kernel;
    uint64_t user = new_pml4();
    uint64_t *user_table = paging_phys_to_virt(user);

    for (int i = 0; i < 256; i++)
        assert_int_equal(user_table[i], 0);
    assert_memory_equal(&user_table[256], &table[256], 256 * sizeof(uint64_t));
    paging_destroy_pml4(user);
    paging_kernel_pml4 = 0;

    paging_destroy_kernel_pml4(kernel);
    assert_int_equal(frame_free_count(&arena.zone), free_at_start);
}

static void test_without_nx(void **state)
{
    (void)state;
    paging_setup(&arena.zone, (uintptr_t)arena.memory - ARENA_PHYS_BASE, false);
    uint64_t pml4 = new_pml4();
    uint64_t frame = alloc_frame();

    assert_int_equal(paging_flags_for_prot(VM_PROT_READ), PTE_PRESENT | PTE_USER);
    assert_int_equal(paging_map(pml4, 0x1000, frame, RW_FLAGS), 0);
    assert_int_equal(entry_at(pml4, 0x1000), frame | (RW_FLAGS & ~PTE_NX));
    assert_int_equal(paging_protect_range(pml4, 0x1000, 0x2000, RW_FLAGS), 0);
    paging_destroy_pml4(pml4);
    assert_int_equal(frame_free_count(&arena.zone), free_at_start);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_map_lookup_unmap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unmap_frees_emptied_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_rejects_hostile_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_protect_keeps_frame_and_cow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clone_marks_cow_and_counts_references, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_clone_out_of_memory_leaves_consistent_state, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_entry_accessors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_map_out_of_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kernel_half, setup, teardown),
        cmocka_unit_test_setup_teardown(test_without_nx, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
