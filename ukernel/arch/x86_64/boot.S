/* Multiboot2 entry: from GRUB's 32-bit protected mode into 64-bit long mode in the higher half. */
#include "layout.h"

#define MB2_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0
#define PTE_PRESENT 0x1
#define PTE_WRITE 0x2
#define PTE_LARGE 0x80
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define EFER_MSR 0xc0000080
#define EFER_LME (1 << 8)
#define BOOT_STACK_SIZE 16384

    .section .multiboot2, "a"
    .balign 8
mb2_header:
    .long MB2_MAGIC
    .long MB2_ARCH_I386
    .long mb2_header_end - mb2_header
    .long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
    /* end tag */
    .word 0
    .word 0
    .long 8
mb2_header_end:

    .section .boot.text, "ax"
    .code32
    .globl _start
/* GRUB enters here: EAX = multiboot2 magic, EBX = physical address of the boot information,
 * paging off, interrupts off. Nothing in the higher half is reachable until paging is on. */
_start:
    cli
    cld
    movl $(boot_stack_top - KERNEL_VIRT_BASE), %esp
    movl %eax, %edi
    movl %ebx, %esi

    /* Page tables: PML4[0] and PML4[256] -> identity/direct map of 0..4 GiB with 2 MiB pages;
     * PML4[511] -> PDPT whose entry 510 maps the first GiB at KERNEL_VIRT_BASE. */
    movl $(boot_pdpt_low - KERNEL_VIRT_BASE + PTE_PRESENT + PTE_WRITE), %eax
    movl %eax, (boot_pml4 - KERNEL_VIRT_BASE)
    movl %eax, (boot_pml4 - KERNEL_VIRT_BASE + 256 * 8)
    movl $(boot_pdpt_high - KERNEL_VIRT_BASE + PTE_PRESENT + PTE_WRITE), %eax
    movl %eax, (boot_pml4 - KERNEL_VIRT_BASE + 511 * 8)
    movl $(boot_pd - KERNEL_VIRT_BASE + PTE_PRESENT + PTE_WRITE), %eax
    movl %eax, (boot_pdpt_high - KERNEL_VIRT_BASE + 510 * 8)

    /* boot_pdpt_low[i] -> boot_pd + i * 4096, for the 4 GiB */
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $12, %eax
    addl $(boot_pd - KERNEL_VIRT_BASE + PTE_PRESENT + PTE_WRITE), %eax
    movl %eax, (boot_pdpt_low - KERNEL_VIRT_BASE)(,%ecx,8)
    incl %ecx
    cmpl $4, %ecx
    jne 1b

    /* 2048 PD entries of 2 MiB: entry i maps physical i * 2 MiB (high half of the entry at +4) */
    xorl %ecx, %ecx
2:  movl %ecx, %eax
    shll $21, %eax
    orl $(PTE_PRESENT + PTE_WRITE + PTE_LARGE), %eax
    movl %eax, (boot_pd - KERNEL_VIRT_BASE)(,%ecx,8)
    movl %ecx, %eax
    shrl $11, %eax
    movl %eax, (boot_pd - KERNEL_VIRT_BASE + 4)(,%ecx,8)
    incl %ecx
    cmpl $2048, %ecx
    jne 2b

    movl $(boot_pml4 - KERNEL_VIRT_BASE), %eax
    movl %eax, %cr3
    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl $EFER_MSR, %ecx
    rdmsr
    orl $EFER_LME, %eax
    wrmsr
    movl %cr0, %eax
    orl $CR0_PG, %eax
    movl %eax, %cr0

    lgdt (boot_gdt_pointer - KERNEL_VIRT_BASE)
    ljmp $0x08, $long_mode_entry

    .code64
long_mode_entry:
    movabs $higher_half_entry, %rax
    jmp *%rax

    .text
higher_half_entry:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movabs $boot_stack_top, %rsp
    xorl %ebp, %ebp
    /* EDI = magic, ESI = boot information (physical); zero-extended by the 32-bit moves above */
    movl %edi, %edi
    movl %esi, %esi
    call kernel_main
3:  cli
    hlt
    jmp 3b

    .section .rodata
    .balign 16
/* Boot GDT: null, 64-bit kernel code (0x08), kernel data (0x10). Replaced by gdt.c. */
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff
    .quad 0x00cf92000000ffff
boot_gdt_end:
boot_gdt_pointer:
    .word boot_gdt_end - boot_gdt - 1
    .quad boot_gdt - KERNEL_VIRT_BASE

    .section .bss
    .balign 4096
    .globl boot_pml4
boot_pml4:
    .skip 4096
boot_pdpt_low:
    .skip 4096
boot_pdpt_high:
    .skip 4096
boot_pd:
    .skip 4096 * 4
    .globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:
    .skip BOOT_STACK_SIZE
boot_stack_top:
