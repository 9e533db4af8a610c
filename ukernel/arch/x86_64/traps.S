/* Interrupt and exception entry stubs: one per vector, all funnelled into trap_dispatch. */

/* Vectors where the CPU pushes an error code (Intel SDM vol. 3, table 6-1). */
#define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

#include "trap_frame.inc"

    .text
.macro trap_stub vector
    .balign 16
trap_stub_\vector:
    .if HAS_ERROR_CODE(\vector) == 0
    pushq $0
    .endif
    pushq $\vector
    jmp trap_common
.endm

/* Builds a struct trap_frame on the stack. GS is swapped only when the trap came from user
 * mode (the saved CS has RPL 3), so kernel code always runs with the per-CPU GS base. */
trap_common:
    testb $3, 24(%rsp)   /* saved CS, above vector and error code */
    jz 1f
    swapgs
1:  push_general_registers
    cld
    movq %rsp, %rdi
    /* Frame-pointer chain for backtraces: the interrupted RIP and RBP look like a call. */
    pushq 136(%rsp)      /* rip */
    pushq %rbp
    movq %rsp, %rbp
    call trap_dispatch
    addq $16, %rsp
    testb $3, 144(%rsp)  /* saved CS: back to user mode through the common exit */
    jz 3f
    movq %rsp, %rdi
    jmp entry_return_to_user
3:  pop_general_registers
    addq $16, %rsp       /* vector and error code */
    iretq

    .altmacro
.macro trap_stubs from, to
    trap_stub \from
    .if \to-\from
    trap_stubs %(\from+1), \to
    .endif
.endm
    trap_stubs 0, 63
    trap_stubs 64, 127
    trap_stubs 128, 191
    trap_stubs 192, 255

.macro trap_stub_address vector
    .quad trap_stub_\vector
.endm
.macro trap_stub_addresses from, to
    trap_stub_address \from
    .if \to-\from
    trap_stub_addresses %(\from+1), \to
    .endif
.endm
    .section .rodata
    .balign 8
    .globl trap_stub_table
trap_stub_table:
    trap_stub_addresses 0, 63
    trap_stub_addresses 64, 127
    trap_stub_addresses 128, 191
    trap_stub_addresses 192, 255
