/* The inside of an address space, shared by kern/vm.c and the x86-64 switch and TLB code. */
#ifndef ARAMID_ADDRESS_SPACE_H
#define ARAMID_ADDRESS_SPACE_H

#include <stdint.h>

#include "avl_tree.h"
#include "list.h"
#include "pcid.h"

struct address_space {
    uint64_t pml4; /* physical; entries 256..511 are the kernel's */
    uint32_t refcount;
    struct list_node regions;     /* struct vm_region, sorted by start, never overlapping */
    struct avl_tree region_tree;  /* the same regions keyed by start: O(log n) lookups */
    struct pcid_binding pcid; /* this space's PCID on the boot CPU (one per CPU with SMP) */
    struct quota *quota;      /* charged for its anonymous pages (NULL: nobody's, unlimited) */
    /* Pages charged to quota: those of anonymous regions plus every region's charge (its page
     * tables and kernel heap, vm_region.h). */
    uint64_t charged;
};

/*
 * TLB maintenance after page-table changes of space (arch/x86_64/vm_arch.c; host tests stub
 * them). The caller has already changed the entries. Adding a mapping where none was needs no
 * flush; changing or removing one does.
 */
void vm_tlb_flush_page(struct address_space *space, uint64_t address);
void vm_tlb_flush_all(struct address_space *space);
/* Called by the last address_space_put before the page tables are freed: makes sure no CPU
 * has space loaded or cached and gives its PCID back. */
void vm_tlb_release(struct address_space *space);

#endif
