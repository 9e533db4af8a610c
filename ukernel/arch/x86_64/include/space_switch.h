/* The address-space switch of the IPC fastpath, inline and without calls: a CR3 write when the
 * space changes (the fastpath compares the spaces itself). The cases that need pcid.c are left to
 * the slow path. The CPU is reached through GS (percpu_gs). */
#ifndef ARAMID_ARCH_SPACE_SWITCH_H
#define ARAMID_ARCH_SPACE_SWITCH_H

#include <stdbool.h>

#include "address_space.h"
#include "cpu_tlb.h"
#include "percpu.h"

/* True when address_space_switch can make space (not the loaded one) current on cpu: no
 * PCIDs, or a PCID binding of the current generation that owes no flush (pcid_switch_cr3's
 * common case). A fresh binding or a pending flush goes through address_space_activate (the
 * slow switch). */
static inline __attribute__((always_inline)) bool
address_space_switch_is_fast(const percpu_gs *cpu, const struct address_space *space)
{
    return !cpu->pcid.has_pcid ||
           (space->pcid.generation == cpu->pcid.generation && !space->pcid.flush_on_load);
}

/*
 * Makes space (a user space, not NULL, not the loaded one) the one loaded on cpu, when
 * address_space_switch_is_fast.
 * This is what address_space_activate and pcid_switch_cr3 do in those cases, minus stores that
 * cannot change anything there: without PCIDs a binding's pcid stays PCID_KERNEL and its
 * flush_on_load false (only the PCID paths of pcid.c set them); with them a valid binding keeps
 * its pcid and generation, and flush_on_load is already false. cpu->pcid.loaded is the binding
 * of cpu->address_space: both move together, here and in address_space_activate.
 */
static inline __attribute__((always_inline)) void address_space_switch(percpu_gs *cpu,
                                                                       struct address_space *space)
{
    uint64_t cr3 = space->pml4;
    if (__builtin_expect(cpu->pcid.has_pcid, 0))
        cr3 |= space->pcid.pcid | CR3_NOFLUSH;
    cpu->address_space = space;
    cpu->pcid.loaded = &space->pcid;
    cpu->pcid.loaded_cr3 = cr3;
    cpu_write_cr3(cr3);
}

#endif
