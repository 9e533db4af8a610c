/* PCID assignment for x86-64 address-space switches: the CR3 value to load and the flush owed. */
#ifndef ARAMID_ARCH_PCID_H
#define ARAMID_ARCH_PCID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Model (Intel SDM vol. 3, 4.10.1 and 4.10.4):
 * - With CR4.PCIDE=1, CR3[11:0] is the PCID tagging every TLB entry created while it is loaded, and
 *   a CR3 write with bit 63 set keeps the entries of the new PCID; with bit 63 clear it flushes the
 *   new PCID's non-global entries. PCID 0 belongs to the kernel-only address space, and is the
 *   only PCID in use when the CPU lacks PCID support (CR4.PCIDE=0, every CR3 write flushes).
 * - Each CPU hands out PCIDs 1..4095 from its own struct pcid_cpu; each address space keeps one
 *   struct pcid_binding per CPU. A binding is valid while its generation equals the CPU's.
 * - When no PCID is free the CPU's generation is bumped: every binding becomes stale at once and
 *   the caller writes the new CR3 and then flushes the non-global entries of all PCIDs.
 *
 * Invariants this file maintains (the caller performs the flushes it is told to):
 * - A PCID newly given to a binding is always loaded without CR3_NOFLUSH, so entries left behind
 *   by a previous owner of that PCID never reach the new owner.
 * - A stale binding has no TLB entries on this CPU (rollover flushed them all), so flushing a
 *   stale address space costs nothing.
 *
 * Hardware coverage: neither QEMU TCG nor the PVM /dev/kvm of the build machines expose PCID, so
 * on them only the cpu_has_pcid=false paths run. The PCID paths (NOFLUSH loads, INVPCID kinds,
 * generation rollover, release of a PCID) are exercised by tests/unit/test_pcid.c and by real
 * hardware with CPUID.01H:ECX.PCID[bit 17] (and CPUID.(EAX=07H,ECX=0):EBX.INVPCID[bit 10]).
 *
 * Locking: a struct pcid_cpu and the bindings for that CPU are touched only by their CPU with
 * interrupts disabled.
 */

#define PCID_KERNEL 0u
#define PCID_FIRST 1u
#define PCID_LAST 4095u
#define PCID_COUNT 4096u
#define CR3_PCID_MASK 0xfffull
#define CR3_NOFLUSH (1ull << 63)

/* INVPCID types (SDM vol. 2, INVPCID). */
enum invpcid_type {
    INVPCID_TYPE_ADDRESS = 0,
    INVPCID_TYPE_SINGLE_CONTEXT = 1,
    INVPCID_TYPE_ALL_INCLUDING_GLOBAL = 2,
    INVPCID_TYPE_ALL_NON_GLOBAL = 3,
};

struct pcid_cpu {
    bool has_pcid;
    bool has_invpcid;
    /* Starts at 1; a binding with generation 0 has never been valid. */
    uint64_t generation;
    /* The binding whose CR3 is loaded, or NULL before the first switch. */
    const struct pcid_binding *loaded;
    uint64_t loaded_cr3;
    /* Bit n set: PCID n is held by a binding of the current generation. Bit 0 is always set. */
    uint64_t in_use[PCID_COUNT / 64];
    /* Word of in_use where the next search starts. */
    size_t search_word;
};

struct pcid_binding {
    uint16_t pcid;
    /* Equal to pcid_cpu.generation while pcid is this address space's. */
    uint64_t generation;
    /* Set when a flush of this address space was deferred to its next CR3 load. */
    bool flush_on_load;
    /* Kernel-only address space: always PCID 0, never allocated or released. */
    bool kernel_only;
};

enum pcid_switch_action {
    /* The binding is already loaded: do not write CR3. */
    PCID_SWITCH_SKIP,
    /* Write cr3. */
    PCID_SWITCH_LOAD,
    /* Generation rolled over: write cr3, then invalidate the non-global entries of every PCID
     * (INVPCID type 3, or without INVPCID toggle CR4.PGE). Flushing after the write means no
     * stale PCID is loaded once the flush is done, so none can gather entries again. */
    PCID_SWITCH_LOAD_THEN_FLUSH_ALL,
};

struct pcid_switch {
    enum pcid_switch_action action;
    /* Exact value to load into CR3 (unused for PCID_SWITCH_SKIP). */
    uint64_t cr3;
};

enum pcid_flush_kind {
    /* Nothing to do now (no entries exist, or the flush happens at the next CR3 load). */
    PCID_FLUSH_NONE,
    /* invlpg(address): the address space is loaded. */
    PCID_FLUSH_INVLPG,
    /* invpcid(INVPCID_TYPE_ADDRESS, pcid, address). */
    PCID_FLUSH_INVPCID_ADDRESS,
    /* invpcid(INVPCID_TYPE_SINGLE_CONTEXT, pcid, 0). */
    PCID_FLUSH_INVPCID_CONTEXT,
    /* Write cr3 (bit 63 clear): flushes the loaded context on a CPU without INVPCID. */
    PCID_FLUSH_RELOAD_CR3,
};

struct pcid_flush {
    enum pcid_flush_kind kind;
    uint16_t pcid;
    uint64_t cr3;
};

/* Sets up a CPU's state. cpu_has_invpcid is ignored when cpu_has_pcid is false. */
void pcid_cpu_init(struct pcid_cpu *cpu, bool cpu_has_pcid, bool cpu_has_invpcid);

/* Sets up a binding of a new address space; it is stale until its first switch. */
void pcid_binding_init(struct pcid_binding *binding, bool kernel_only);

/* The whole decision on a CPU without PCID: CR3 holds only the PML4 and every load flushes the
 * non-global entries. Returns true when pml4_phys must be loaded. Inline because it runs on every
 * switch between address spaces on such CPUs (all the emulated ones). */
static inline bool pcid_switch_without_pcid(struct pcid_cpu *cpu, struct pcid_binding *binding,
                                            uint64_t pml4_phys)
{
    if (cpu->loaded == binding)
        return false;
    binding->pcid = PCID_KERNEL;
    binding->flush_on_load = false;
    cpu->loaded = binding;
    cpu->loaded_cr3 = pml4_phys;
    return true;
}

/* Decides how to make pml4_phys (4 KiB aligned) with binding the current address space. The
 * caller performs the returned action. A binding belongs to one PML4 for its whole life. */
struct pcid_switch pcid_switch_cr3(struct pcid_cpu *cpu, struct pcid_binding *binding,
                                   uint64_t pml4_phys);

/* Flush owed after one page mapping of binding's address space changed. */
struct pcid_flush pcid_flush_page(const struct pcid_cpu *cpu, struct pcid_binding *binding);

/* Flush owed after many mappings of binding's address space changed. */
struct pcid_flush pcid_flush_context(const struct pcid_cpu *cpu, struct pcid_binding *binding);

/* Gives back the binding's PCID when its address space dies. Returns 0 and the flush owed now
 * in *flush; -EBUSY if the binding is loaded (switch to another address space first); -EINVAL
 * for a kernel-only binding. With INVPCID the dead entries are dropped at once (they would
 * only take TLB room); without it nothing is owed, because the PCID's next owner loads it
 * with a flushing CR3 write. The binding is stale afterwards. */
int pcid_release(struct pcid_cpu *cpu, struct pcid_binding *binding, struct pcid_flush *flush);

#endif /* ARAMID_ARCH_PCID_H */
