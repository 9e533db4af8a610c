/* Host tests for the PCID allocator and the CR3/flush decisions of ukernel/arch/x86_64/pcid.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>

#include "kerrno.h"
#include "pcid.h"

#define PML4_A 0x100000ull
#define PML4_B 0x200000ull
#define PML4_C 0x300000ull
#define PML4_KERNEL 0x1000ull

static uint16_t cr3_pcid(uint64_t cr3)
{
    return (uint16_t)(cr3 & CR3_PCID_MASK);
}

static void test_first_switch_flushes_then_noflush(void **state)
{
    (void)state;
    struct pcid_cpu cpu;
    struct pcid_binding a, b;
    pcid_cpu_init(&cpu, true, true);
    pcid_binding_init(&a, false);
    pcid_binding_init(&b, false);

    struct pcid_switch s = pcid_switch_cr3(&cpu, &a, PML4_A);
    assert_int_equal(s.action, PCID_SWITCH_LOAD);
    assert_int_equal(s.cr3 & CR3_NOFLUSH, 0);
    uint16_t pcid_a = cr3_pcid(s.cr3);
    assert_true(pcid_a >= PCID_FIRST && pcid_a <= PCID_LAST);
    assert_int_equal(s.cr3 & ~(CR3_PCID_MASK | CR3_NOFLUSH), PML4_A);

    s = pcid_switch_cr3(&cpu, &b, PML4_B);
    assert_int_equal(s.action, PCID_SWITCH_LOAD);
    assert_int_equal(s.cr3 & CR3_NOFLUSH, 0);
    assert_int_not_equal(cr3_pcid(s.cr3), pcid_a);

    s = pcid_switch_cr3(&cpu, &a, PML4_A);
    assert_int_equal(s.action, PCID_SWITCH_LOAD);
    assert_int_equal(s.cr3, PML4_A | pcid_a | CR3_NOFLUSH);
}

static void test_same_address_space_skips_cr3_write(void **state)
{
    (void)state;
    struct pcid_cpu cpu;
    struct pcid_binding a;
    pcid_cpu_init(&cpu, true, false);
    pcid_binding_init(&a, false);

    struct pcid_switch first = pcid_switch_cr3(&cpu, &a, PML4_A);
    assert_int_equal(first.action, PCID_SWITCH_LOAD);
    struct pcid_switch again = pcid_switch_cr3(&cpu, &a, PML4_A);
    assert_int_equal(again.action, PCID_SWITCH_SKIP);
    assert_int_equal(again.cr3, first.cr3);
}

static void test_exhaustion_rolls_generation_over(void **state)
{
    (void)state;
    static struct pcid_binding bindings[PCID_LAST + 1];
    static struct pcid_cpu cpu;
    static bool seen[PCID_COUNT];
    pcid_cpu_init(&cpu, true, true);

    for (size_t i = 0; i < PCID_LAST; i++) {
        pcid_binding_init(&bindings[i], false);
        struct pcid_switch s = pcid_switch_cr3(&cpu, &bindings[i], PML4_A + i * 0x1000);
        assert_int_equal(s.action, PCID_SWITCH_LOAD);
        assert_int_equal(s.cr3 & CR3_NOFLUSH, 0);
        uint16_t pcid = cr3_pcid(s.cr3);
        assert_int_not_equal(pcid, PCID_KERNEL);
        assert_false(seen[pcid]);
        seen[pcid] = true;
    }

    /* Binding 0 is still valid: loads with NOFLUSH and its old PCID. */
    uint16_t pcid_0 = bindings[0].pcid;
    struct pcid_switch s = pcid_switch_cr3(&cpu, &bindings[0], PML4_A);
    assert_int_equal(s.action, PCID_SWITCH_LOAD);
    assert_int_equal(s.cr3, PML4_A | pcid_0 | CR3_NOFLUSH);

    /* The 4096th address space finds no free PCID. */
    pcid_binding_init(&bindings[PCID_LAST], false);
    uint64_t generation = cpu.generation;
    s = pcid_switch_cr3(&cpu, &bindings[PCID_LAST], PML4_C);
    assert_int_equal(s.action, PCID_SWITCH_LOAD_THEN_FLUSH_ALL);
    assert_int_equal(s.cr3 & CR3_NOFLUSH, 0);
    assert_int_equal(cpu.generation, generation + 1);
    uint16_t pcid_new = cr3_pcid(s.cr3);
    assert_int_not_equal(pcid_new, PCID_KERNEL);

    /* Old bindings are stale: they get fresh PCIDs with a flushing load, no further rollover. */
    s = pcid_switch_cr3(&cpu, &bindings[0], PML4_A);
    assert_int_equal(s.action, PCID_SWITCH_LOAD);
    assert_int_equal(s.cr3 & CR3_NOFLUSH, 0);
    assert_int_not_equal(cr3_pcid(s.cr3), pcid_new);
    assert_int_not_equal(cr3_pcid(s.cr3), PCID_KERNEL);
    assert_int_equal(bindings[0].generation, cpu.generation);

    /* The other 4093 PCIDs of the new generation are handed out before the next rollover. */
    for (size_t i = 1; i < PCID_LAST - 1; i++) {
        s = pcid_switch_cr3(&cpu, &bindings[i], PML4_A + i * 0x1000);
        assert_int_equal(s.action, PCID_SWITCH_LOAD);
        assert_int_equal(s.cr3 & CR3_NOFLUSH, 0);
    }
    s = pcid_switch_cr3(&cpu, &bindings[PCID_LAST - 1], PML4_B);
    assert_int_equal(s.action, PCID_SWITCH_LOAD_THEN_FLUSH_ALL);
}

static void test_release_then_reuse_flushes(void **state)
{
    (void)state;
    struct pcid_cpu cpu;
    struct pcid_binding a, b, c;
    struct pcid_flush flush;
    pcid_cpu_init(&cpu, true, true);
    pcid_binding_init(&a, false);
    pcid_binding_init(&b, false);
    pcid_binding_init(&c, false);

    uint16_t pcid_a = cr3_pcid(pcid_switch_cr3(&cpu, &a, PML4_A).cr3);
    assert_int_equal(pcid_release(&cpu, &a, &flush), -EBUSY);

    pcid_switch_cr3(&cpu, &b, PML4_B);
    assert_int_equal(pcid_release(&cpu, &a, &flush), 0);
    assert_int_equal(flush.kind, PCID_FLUSH_INVPCID_CONTEXT);
    assert_int_equal(flush.pcid, pcid_a);
    assert_int_equal(a.generation, 0);

    /* The freed PCID goes to the next address space, loaded with a flush. */
    struct pcid_switch s = pcid_switch_cr3(&cpu, &c, PML4_C);
    assert_int_equal(cr3_pcid(s.cr3), pcid_a);
    assert_int_equal(s.cr3 & CR3_NOFLUSH, 0);
}

static void test_release_without_invpcid_defers_to_next_load(void **state)
{
    (void)state;
    struct pcid_cpu cpu;
    struct pcid_binding a, b, c;
    struct pcid_flush flush;
    pcid_cpu_init(&cpu, true, false);
    pcid_binding_init(&a, false);
    pcid_binding_init(&b, false);
    pcid_binding_init(&c, false);

    uint16_t pcid_a = cr3_pcid(pcid_switch_cr3(&cpu, &a, PML4_A).cr3);
    pcid_switch_cr3(&cpu, &b, PML4_B);
    assert_int_equal(pcid_release(&cpu, &a, &flush), 0);
    assert_int_equal(flush.kind, PCID_FLUSH_NONE);

    struct pcid_switch s = pcid_switch_cr3(&cpu, &c, PML4_C);
    assert_int_equal(cr3_pcid(s.cr3), pcid_a);
    assert_int_equal(s.cr3 & CR3_NOFLUSH, 0);
}

static void test_release_kernel_binding_rejected(void **state)
{
    (void)state;
    struct pcid_cpu cpu;
    struct pcid_binding kernel;
    struct pcid_flush flush;
    pcid_cpu_init(&cpu, true, true);
    pcid_binding_init(&kernel, true);
    assert_int_equal(pcid_release(&cpu, &kernel, &flush), -EINVAL);
}

static void test_kernel_binding_uses_pcid_zero(void **state)
{
    (void)state;
    struct pcid_cpu cpu;
    struct pcid_binding kernel, a;
    pcid_cpu_init(&cpu, true, true);
    pcid_binding_init(&kernel, true);
    pcid_binding_init(&a, false);

    struct pcid_switch s = pcid_switch_cr3(&cpu, &kernel, PML4_KERNEL);
    assert_int_equal(s.cr3, PML4_KERNEL);
    pcid_switch_cr3(&cpu, &a, PML4_A);
    s = pcid_switch_cr3(&cpu, &kernel, PML4_KERNEL);
    assert_int_equal(s.cr3, PML4_KERNEL | CR3_NOFLUSH);
}

static void test_flush_page_current_and_other(void **state)
{
    (void)state;
    struct pcid_cpu cpu;
    struct pcid_binding a, b, never;
    pcid_cpu_init(&cpu, true, true);
    pcid_binding_init(&a, false);
    pcid_binding_init(&b, false);
    pcid_binding_init(&never, false);

    pcid_switch_cr3(&cpu, &a, PML4_A);
    pcid_switch_cr3(&cpu, &b, PML4_B);

    struct pcid_flush f = pcid_flush_page(&cpu, &b);
    assert_int_equal(f.kind, PCID_FLUSH_INVLPG);
    f = pcid_flush_page(&cpu, &a);
    assert_int_equal(f.kind, PCID_FLUSH_INVPCID_ADDRESS);
    assert_int_equal(f.pcid, a.pcid);
    f = pcid_flush_page(&cpu, &never);
    assert_int_equal(f.kind, PCID_FLUSH_NONE);

    f = pcid_flush_context(&cpu, &a);
    assert_int_equal(f.kind, PCID_FLUSH_INVPCID_CONTEXT);
    assert_int_equal(f.pcid, a.pcid);
    f = pcid_flush_context(&cpu, &b);
    assert_int_equal(f.kind, PCID_FLUSH_INVPCID_CONTEXT);
    assert_int_equal(f.pcid, b.pcid);
}

static void test_flush_without_invpcid_defers(void **state)
{
    (void)state;
    struct pcid_cpu cpu;
    struct pcid_binding a, b;
    pcid_cpu_init(&cpu, true, false);
    pcid_binding_init(&a, false);
    pcid_binding_init(&b, false);

    uint64_t cr3_a = pcid_switch_cr3(&cpu, &a, PML4_A).cr3;
    uint64_t cr3_b = pcid_switch_cr3(&cpu, &b, PML4_B).cr3;

    struct pcid_flush f = pcid_flush_page(&cpu, &a);
    assert_int_equal(f.kind, PCID_FLUSH_NONE);
    assert_true(a.flush_on_load);

    f = pcid_flush_context(&cpu, &b);
    assert_int_equal(f.kind, PCID_FLUSH_RELOAD_CR3);
    assert_int_equal(f.cr3, cr3_b);

    /* Same PCID, but this load flushes; the one after keeps entries again. */
    struct pcid_switch s = pcid_switch_cr3(&cpu, &a, PML4_A);
    assert_int_equal(s.cr3, cr3_a);
    assert_false(a.flush_on_load);
    pcid_switch_cr3(&cpu, &b, PML4_B);
    s = pcid_switch_cr3(&cpu, &a, PML4_A);
    assert_int_equal(s.cr3, cr3_a | CR3_NOFLUSH);
}

static void test_without_pcid(void **state)
{
    (void)state;
    struct pcid_cpu cpu;
    struct pcid_binding a, b;
    struct pcid_flush flush;
    pcid_cpu_init(&cpu, false, true);
    assert_false(cpu.has_invpcid);
    pcid_binding_init(&a, false);
    pcid_binding_init(&b, false);

    for (int round = 0; round < 3; round++) {
        struct pcid_switch s = pcid_switch_cr3(&cpu, &a, PML4_A);
        assert_int_equal(s.action, PCID_SWITCH_LOAD);
        assert_int_equal(s.cr3, PML4_A);
        s = pcid_switch_cr3(&cpu, &a, PML4_A);
        assert_int_equal(s.action, PCID_SWITCH_SKIP);
        s = pcid_switch_cr3(&cpu, &b, PML4_B);
        assert_int_equal(s.action, PCID_SWITCH_LOAD);
        assert_int_equal(s.cr3, PML4_B);
        assert_int_equal(b.pcid, PCID_KERNEL);
    }

    assert_int_equal(pcid_flush_page(&cpu, &b).kind, PCID_FLUSH_INVLPG);
    assert_int_equal(pcid_flush_page(&cpu, &a).kind, PCID_FLUSH_NONE);
    struct pcid_flush f = pcid_flush_context(&cpu, &b);
    assert_int_equal(f.kind, PCID_FLUSH_RELOAD_CR3);
    assert_int_equal(f.cr3, PML4_B);
    assert_int_equal(pcid_flush_context(&cpu, &a).kind, PCID_FLUSH_NONE);
    assert_false(a.flush_on_load);

    assert_int_equal(pcid_release(&cpu, &b, &flush), -EBUSY);
    assert_int_equal(pcid_release(&cpu, &a, &flush), 0);
    assert_int_equal(flush.kind, PCID_FLUSH_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_switch_flushes_then_noflush),
        cmocka_unit_test(test_same_address_space_skips_cr3_write),
        cmocka_unit_test(test_exhaustion_rolls_generation_over),
        cmocka_unit_test(test_release_then_reuse_flushes),
        cmocka_unit_test(test_release_without_invpcid_defers_to_next_load),
        cmocka_unit_test(test_release_kernel_binding_rejected),
        cmocka_unit_test(test_kernel_binding_uses_pcid_zero),
        cmocka_unit_test(test_flush_page_current_and_other),
        cmocka_unit_test(test_flush_without_invpcid_defers),
        cmocka_unit_test(test_without_pcid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
