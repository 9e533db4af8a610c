/* PCID allocation with generations, and the CR3 value and TLB flush owed at each switch. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kerrno.h"
#include "pcid.h"

#define PCID_WORDS (PCID_COUNT / 64)

/* Marks every PCID free except PCID 0, which is never handed out. */
static void pcid_reset_in_use(struct pcid_cpu *cpu)
{
    for (size_t i = 0; i < PCID_WORDS; i++)
        cpu->in_use[i] = 0;
    cpu->in_use[0] = 1;
    cpu->search_word = 0;
}

void pcid_cpu_init(struct pcid_cpu *cpu, bool cpu_has_pcid, bool cpu_has_invpcid)
{
    cpu->has_pcid = cpu_has_pcid;
    cpu->has_invpcid = cpu_has_pcid && cpu_has_invpcid;
    cpu->generation = 1;
    cpu->loaded = NULL;
    cpu->loaded_cr3 = 0;
    pcid_reset_in_use(cpu);
}

void pcid_binding_init(struct pcid_binding *binding, bool kernel_only)
{
    binding->pcid = PCID_KERNEL;
    binding->generation = 0;
    binding->flush_on_load = false;
    binding->kernel_only = kernel_only;
}

static bool pcid_binding_valid(const struct pcid_cpu *cpu, const struct pcid_binding *binding)
{
    return binding->generation == cpu->generation;
}

/* Returns a free PCID of the current generation, or 0 when all 4095 are taken. */
static uint16_t pcid_allocate(struct pcid_cpu *cpu)
{
    for (size_t n = 0; n < PCID_WORDS; n++) {
        size_t word = (cpu->search_word + n) % PCID_WORDS;
        uint64_t free_bits = ~cpu->in_use[word];
        if (free_bits == 0)
            continue;
        unsigned bit = (unsigned)__builtin_ctzll(free_bits);
        cpu->in_use[word] |= 1ull << bit;
        cpu->search_word = word;
        return (uint16_t)(word * 64 + bit);
    }
    return 0;
}

struct pcid_switch pcid_switch_cr3(struct pcid_cpu *cpu, struct pcid_binding *binding,
                                   uint64_t pml4_phys)
{
    struct pcid_switch result = {.action = PCID_SWITCH_LOAD, .cr3 = pml4_phys};

    if (!cpu->has_pcid) {
        if (!pcid_switch_without_pcid(cpu, binding, pml4_phys)) {
            result.action = PCID_SWITCH_SKIP;
            result.cr3 = cpu->loaded_cr3;
        }
        return result;
    }

    /* The loaded binding is always valid: only a switch can roll the generation over, and that
     * switch loads the binding it was made for. */
    if (cpu->loaded == binding) {
        result.action = PCID_SWITCH_SKIP;
        result.cr3 = cpu->loaded_cr3;
        return result;
    }

    bool fresh = !pcid_binding_valid(cpu, binding);
    if (fresh) {
        uint16_t pcid = PCID_KERNEL;
        if (!binding->kernel_only) {
            pcid = pcid_allocate(cpu);
            if (pcid == 0) {
                cpu->generation++;
                pcid_reset_in_use(cpu);
                pcid = pcid_allocate(cpu);
                result.action = PCID_SWITCH_LOAD_THEN_FLUSH_ALL;
            }
        }
        binding->pcid = pcid;
        binding->generation = cpu->generation;
    }

    result.cr3 = pml4_phys | binding->pcid;
    if (!fresh && !binding->flush_on_load)
        result.cr3 |= CR3_NOFLUSH;
    binding->flush_on_load = false;
    cpu->loaded = binding;
    cpu->loaded_cr3 = result.cr3;
    return result;
}

struct pcid_flush pcid_flush_page(const struct pcid_cpu *cpu, struct pcid_binding *binding)
{
    struct pcid_flush flush = {.kind = PCID_FLUSH_NONE, .pcid = binding->pcid, .cr3 = 0};

    if (cpu->loaded == binding) {
        flush.kind = PCID_FLUSH_INVLPG;
        return flush;
    }
    /* Without PCIDs every CR3 write flushes; with them a stale binding has no entries here. */
    if (!cpu->has_pcid || !pcid_binding_valid(cpu, binding))
        return flush;
    if (cpu->has_invpcid)
        flush.kind = PCID_FLUSH_INVPCID_ADDRESS;
    else
        binding->flush_on_load = true;
    return flush;
}

struct pcid_flush pcid_flush_context(const struct pcid_cpu *cpu, struct pcid_binding *binding)
{
    struct pcid_flush flush = {.kind = PCID_FLUSH_NONE, .pcid = binding->pcid, .cr3 = 0};

    if (cpu->loaded == binding) {
        if (cpu->has_invpcid) {
            flush.kind = PCID_FLUSH_INVPCID_CONTEXT;
        } else {
            flush.kind = PCID_FLUSH_RELOAD_CR3;
            flush.cr3 = cpu->loaded_cr3 & ~CR3_NOFLUSH;
        }
        return flush;
    }
    if (!cpu->has_pcid || !pcid_binding_valid(cpu, binding))
        return flush;
    if (cpu->has_invpcid)
        flush.kind = PCID_FLUSH_INVPCID_CONTEXT;
    else
        binding->flush_on_load = true;
    return flush;
}

int pcid_release(struct pcid_cpu *cpu, struct pcid_binding *binding, struct pcid_flush *flush)
{
    if (binding->kernel_only)
        return -EINVAL;
    if (cpu->loaded == binding)
        return -EBUSY;

    flush->kind = PCID_FLUSH_NONE;
    flush->pcid = binding->pcid;
    flush->cr3 = 0;
    if (cpu->has_pcid && pcid_binding_valid(cpu, binding)) {
        cpu->in_use[binding->pcid / 64] &= ~(1ull << (binding->pcid % 64));
        if (cpu->has_invpcid)
            flush->kind = PCID_FLUSH_INVPCID_CONTEXT;
    }
    binding->generation = 0;
    binding->flush_on_load = false;
    return 0;
}
