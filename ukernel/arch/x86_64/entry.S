/* SYSCALL entry and the one path back to user mode. */
#include "entry.h"
#include "gdt.h"
#include "percpu.h"

#include "trap_frame.inc"

    .text
/* SYSCALL: RCX = user RIP, R11 = user RFLAGS, IF already cleared by FMASK. Builds a struct
 * trap_frame at the top of the current thread's kernel stack, exactly where an interrupt from
 * user mode would have built it. */
    .globl syscall_entry
    .balign 16
syscall_entry:
    swapgs
    movq %rsp, %gs:PERCPU_USER_RSP_OFFSET
    movq %gs:PERCPU_KERNEL_STACK_OFFSET, %rsp
    pushq $GDT_USER_DATA
    pushq %gs:PERCPU_USER_RSP_OFFSET
    pushq %r11
    pushq $GDT_USER_CODE
    pushq %rcx
    pushq $0                     /* error code */
    pushq $SYSCALL_FRAME_VECTOR
    push_general_registers
    movq %rsp, %rdi
    xorl %ebp, %ebp              /* backtraces stop here */
    call syscall_dispatch
    movq %rsp, %rdi
    /* fall through: return with the (possibly changed) frame */

/* rdi = frame. */
    .globl entry_return_to_user
entry_return_to_user:
    movq %rdi, %rsp
    pop_general_registers
    /* rsp -> vector, error, rip, cs, rflags, rsp, ss */
    cmpq $SYSCALL_FRAME_VECTOR, (%rsp)
    jne 1f
    movq 16(%rsp), %rcx          /* SYSRET takes RIP from RCX and RFLAGS from R11 */
    movq 32(%rsp), %r11
    cmpq sysret_rip_limit(%rip), %rcx
    jae 1f
    movq 40(%rsp), %rsp
    swapgs
    sysretq
1:  addq $16, %rsp
    swapgs
    iretq

    .section .rodata
    .balign 8
sysret_rip_limit:
    .quad SYSRET_RIP_LIMIT

    .text
/* rdi = entry, rsi = stack top. */
    .globl entry_start_kernel_thread
entry_start_kernel_thread:
    movq %rsi, %rsp
    xorl %ebp, %ebp
    pushq $0                     /* a zero return address ends backtraces */
    jmp *%rdi
