/* The x86-64 MMU: the kernel's own page tables, control-register setup, CR3 switches, TLB flushes.
 */
#include <stdbool.h>
#include <stdint.h>

#include "address_space.h"
#include "console.h"
#include "cpu.h"
#include "cpu_tlb.h"
#include "layout.h"
#include "memory.h"
#include "paging.h"
#include "pcid.h"
#include "percpu.h"
#include "vm.h"

#define MSR_EFER 0xc0000080
#define EFER_NXE (1ull << 11)
#define CR0_WP (1ull << 16)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)
#define RFLAGS_IF (1ull << 9)

extern char kernel_text_start[], kernel_text_end[], kernel_rodata_start[], kernel_rodata_end[],
    kernel_data_start[], kernel_image_end[];

/* The kernel-only address space: its PML4 is paging_kernel_pml4, its PCID always 0. */
static struct pcid_binding kernel_binding;

/* Interrupts off around the per-CPU PCID state (pcid.h's locking rule); returns RFLAGS.IF. */
/* Maps [start, end) of the kernel image (linked at KERNEL_VIRT_BASE + phys) with flags. */
static void mmu_map_image_part(uint64_t pml4, const char *start, const char *end, uint64_t flags,
                               const char *what)
{
    uint64_t virt = (uint64_t)start;
    int error = paging_map_kernel(pml4, virt, kernel_virt_to_phys(start), (uint64_t)(end - start),
                                  PAGING_PAGE_SIZE, flags);

    if (error)
        kernel_panic("vm: cannot map kernel %s (error %d)", what, error);
}

static void mmu_perform_flush(struct pcid_flush flush, uint64_t address)
{
    switch (flush.kind) {
    case PCID_FLUSH_NONE:
        break;
    case PCID_FLUSH_INVLPG:
        cpu_invlpg(address);
        break;
    case PCID_FLUSH_INVPCID_ADDRESS:
        cpu_invpcid(INVPCID_TYPE_ADDRESS, flush.pcid, address);
        break;
    case PCID_FLUSH_INVPCID_CONTEXT:
        cpu_invpcid(INVPCID_TYPE_SINGLE_CONTEXT, flush.pcid, 0);
        break;
    case PCID_FLUSH_RELOAD_CR3:
        cpu_write_cr3(flush.cr3);
        break;
    }
}

void vm_init(void)
{
    const struct cpu_features *features = &cpu_features;
    struct percpu *cpu = this_cpu();
    uint64_t pml4;
    int error;

    paging_setup(&memory_frames, PHYS_MAP_BASE, features->nx);
    if (paging_frame_alloc_zeroed(&pml4) != 0)
        kernel_panic("vm: no frame for the kernel PML4");

    /* Direct map: the whole frame zone, and at least 4 GiB so the local APIC and other MMIO
     * below 4 GiB stay reachable. Page tables come from memory below 4 GiB (the only memory
     * free yet), which the boot tables still reach. */
    uint64_t zone_end = memory_frames.base + (uint64_t)memory_frames.nframes * FRAME_SIZE;
    uint64_t page_size = features->page_1gb ? PAGING_LARGE_1G : PAGING_LARGE_2M;
    uint64_t map_end = zone_end > BOOT_PHYS_MAP_SIZE ? zone_end : BOOT_PHYS_MAP_SIZE;

    map_end = (map_end + page_size - 1) & ~(page_size - 1);
    error = paging_map_kernel(pml4, PHYS_MAP_BASE, 0, map_end, page_size,
                              PTE_PRESENT | PTE_WRITE | PTE_GLOBAL | PTE_NX);
    if (error)
        kernel_panic("vm: cannot build the direct map (error %d)", error);

    mmu_map_image_part(pml4, kernel_text_start, kernel_text_end, PTE_PRESENT | PTE_GLOBAL, "text");
    mmu_map_image_part(pml4, kernel_rodata_start, kernel_rodata_end,
                       PTE_PRESENT | PTE_GLOBAL | PTE_NX, "rodata");
    mmu_map_image_part(pml4, kernel_data_start, kernel_image_end,
                       PTE_PRESENT | PTE_WRITE | PTE_GLOBAL | PTE_NX, "data");
    if (paging_fill_kernel_half(pml4) != 0)
        kernel_panic("vm: no frames for the kernel half");
    paging_kernel_pml4 = pml4;

    /* NXE before the switch (NX would be a reserved bit without it); the new tables drop the
     * identity map of low memory. PCIDE needs CR3[11:0] == 0, true for the first load. */
    if (features->nx)
        cpu_write_msr(MSR_EFER, cpu_read_msr(MSR_EFER) | EFER_NXE);
    cpu_write_cr0(cpu_read_cr0() | CR0_WP);
    cpu_write_cr3(pml4);
    uint64_t cr4 = cpu_read_cr4() | CR4_PGE;

    if (features->smep)
        cr4 |= CR4_SMEP;
    if (features->smap)
        cr4 |= CR4_SMAP;
    if (features->pcid)
        cr4 |= CR4_PCIDE;
    cpu_write_cr4(cr4);

    pcid_cpu_init(&cpu->pcid, features->pcid, features->invpcid);
    pcid_binding_init(&kernel_binding, true);
    cpu->address_space = NULL;
    struct pcid_switch first = pcid_switch_cr3(&cpu->pcid, &kernel_binding, pml4);

    cpu_write_cr3(first.cr3);

    uint64_t high = memory_add_high_memory();

    kprintf("vm: direct map of %lu MiB with %s pages, kernel text rx, rodata r, data rw; "
            "nx=%s smep=%s smap=%s pcid=%s",
            map_end >> 20, features->page_1gb ? "1 GiB" : "2 MiB", features->nx ? "on" : "off",
            features->smep ? "on" : "off", features->smap ? "on" : "off",
            features->pcid ? "on" : "off");
    if (high)
        kprintf("; %lu KiB above 4 GiB added, %zu frames free", high / 1024,
                frame_free_count(&memory_frames));
    kprintf("\n");
}

/* Interrupts are off: the kernel always runs so (docs/kernel.md). */
void address_space_activate(struct address_space *space)
{
    struct percpu *cpu = this_cpu();
    struct pcid_binding *binding = space != NULL ? &space->pcid : &kernel_binding;
    uint64_t pml4 = space != NULL ? space->pml4 : paging_kernel_pml4;
    if (!cpu->pcid.has_pcid) {
        if (pcid_switch_without_pcid(&cpu->pcid, binding, pml4))
            cpu_write_cr3(pml4);
        cpu->address_space = space;
        return;
    }
    struct pcid_switch next = pcid_switch_cr3(&cpu->pcid, binding, pml4);

    if (next.action != PCID_SWITCH_SKIP) {
        cpu_write_cr3(next.cr3);
        if (next.action == PCID_SWITCH_LOAD_THEN_FLUSH_ALL) {
            if (cpu->pcid.has_invpcid)
                cpu_invpcid(INVPCID_TYPE_ALL_NON_GLOBAL, 0, 0);
            else
                cpu_flush_tlb_all_by_pge();
        }
        cpu->address_space = space;
    }
}

struct address_space *address_space_current(void)
{
    return this_cpu()->address_space;
}

void vm_tlb_flush_page(struct address_space *space, uint64_t address)
{
    mmu_perform_flush(pcid_flush_page(&this_cpu()->pcid, &space->pcid), address);
}

void vm_tlb_flush_all(struct address_space *space)
{
    mmu_perform_flush(pcid_flush_context(&this_cpu()->pcid, &space->pcid), 0);
}

void vm_tlb_release(struct address_space *space)
{
    struct pcid_flush flush;

    if (this_cpu()->address_space == space)
        address_space_activate(NULL);
    int error = pcid_release(&this_cpu()->pcid, &space->pcid, &flush);

    if (error)
        kernel_panic("vm: PCID release of a dying space failed (error %d)", error);
    mmu_perform_flush(flush, 0);
}
