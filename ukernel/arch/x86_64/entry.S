/* SYSCALL entry and the one path back to user mode. */
#include "entry.h"
#include "gdt.h"
#include "percpu.h"

#include "trap_frame.inc"

    .text
/* The first instructions of every SYSCALL entry: kernel GS, user RSP parked, kernel stack. */
.macro syscall_kernel_stack
    swapgs
    movq %rsp, %gs:PERCPU_USER_RSP_OFFSET
    movq %gs:PERCPU_KERNEL_STACK_OFFSET, %rsp
.endm

/* SYSCALL: RCX = user RIP, R11 = user RFLAGS, IF already cleared by FMASK. Builds a struct
 * trap_frame at the top of the current thread's kernel stack, exactly where an interrupt from
 * user mode would have built it. ipc_call and ipc_reply_wait go to the IPC fastpath below
 * first; every other call pays one compare for that (a second one below 12). */
    .globl syscall_entry
    .balign 16
syscall_entry:
    syscall_kernel_stack
    cmpq $ENTRY_SYS_IPC_REPLY_WAIT, %rax
    jbe syscall_low_number
syscall_full_frame:
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

/* The entry on a CPU without XSAVEOPT (syscall_arch_init): no IPC fastpath, whose FPU switch
 * needs it. */
    .globl syscall_entry_without_fastpath
    .balign 16
syscall_entry_without_fastpath:
    syscall_kernel_stack
    jmp syscall_full_frame

/*
 * The IPC fastpath entry, one copy per call (number = ENTRY_SYS_IPC_*, fastpath = its C half,
 * arch/x86_64/ipc_fastpath.c, called as fastpath(handle = rdi)). Its first guard is here: an
 * info word with bits above 31 (buffer bytes, a grant, a deadline, unknown bits) goes to the
 * slow path.
 *
 * The message stays in the registers throughout: the C half is compiled so that it never
 * touches rsi, rdx, r8, r9 and r10 (info, mr0..mr3) and preserves r12 and r13 (mr4, mr5), and
 * it may clobber rbx, r14 and r15, which are saved here first (see ipc_fastpath.c).
 *
 * The partial frame: only what a thread blocked in IPC needs to be resumed. Stored: rip,
 * rflags, rsp, rbx, rbp, r14, r15 (the thread's own registers) and rdi (the handle). Not
 * stored: the message (rsi, rdx, r10, r8, r9, r12, r13), rax, rcx, r11, error_code and vector.
 * cs and ss are not stored because every writer of a user frame (thread creation, both
 * entries, interrupts from user mode) puts the same selectors there. Whoever resumes a thread
 * blocked with a partial frame by the ordinary exit writes rax (the result) and, for a message,
 * rsi and mr0..mr5 (a notification writes rsi, mr0 and mr1; the other slots keep earlier values
 * of the same thread, as after any system call that does not set them); rcx and r11 are
 * clobbered by SYSCALL anyway, error_code is read only for fault frames, and a stale vector (an
 * interrupt's, or an upcall's 0) only makes entry_return_to_user leave by IRET, which restores
 * the same registers.
 *
 * When the C half declines (NULL, nothing changed) the frame is completed from the registers,
 * which still hold the message, and the call goes to syscall_dispatch as any other. When it
 * switched, rax is the next thread's frame: r14 and r15 are what the C half wrote there (token,
 * sender; or the next thread's own r14 and r15), and so is rdi after a call (the badge; after a
 * reply the stub sets rdi = 0 itself), rbx, rbp, rip, rflags and rsp
 * that thread's own, and SYSRET goes straight to it. Its frame came from a system call (it
 * blocked in IPC); the RIP limit is still checked, and the rest leave by entry_return_to_user
 * after the message is stored in the frame.
 */
.macro ipc_fast_entry number, fastpath, zero_rdi
    subq $TRAP_FRAME_SIZE, %rsp
    movq %rcx, TRAP_FRAME_RIP(%rsp)
    movq %r11, TRAP_FRAME_RFLAGS(%rsp)
    movq %gs:PERCPU_USER_RSP_OFFSET, %rcx
    movq %rcx, TRAP_FRAME_RSP(%rsp)
    movq %rbx, TRAP_FRAME_RBX(%rsp)
    movq %rbp, TRAP_FRAME_RBP(%rsp)
    movq %r14, TRAP_FRAME_R14(%rsp)
    movq %r15, TRAP_FRAME_R15(%rsp)
    movq %rdi, TRAP_FRAME_RDI(%rsp)
    cmpq ipc_fast_info_limit(%rip), %rsi
    ja 1f
    call \fastpath
    testq %rax, %rax
    jz 1f
.if \zero_rdi
    xorl %edi, %edi
.else
    movq TRAP_FRAME_RDI(%rax), %rdi
.endif
    movq TRAP_FRAME_RBX(%rax), %rbx
    movq TRAP_FRAME_RBP(%rax), %rbp
    movq TRAP_FRAME_R14(%rax), %r14
    movq TRAP_FRAME_R15(%rax), %r15
    movq TRAP_FRAME_RIP(%rax), %rcx
    movq TRAP_FRAME_RFLAGS(%rax), %r11
    cmpq sysret_rip_limit(%rip), %rcx
    jae ipc_fast_exit_by_frame
    movq TRAP_FRAME_RSP(%rax), %rsp
    xorl %eax, %eax
    swapgs
    sysretq
1:  movq $\number, TRAP_FRAME_RAX(%rsp)
    jmp ipc_fast_declined
.endm

syscall_low_number:
    cmpq $ENTRY_SYS_IPC_CALL, %rax
    jb syscall_full_frame
    jne ipc_fast_reply_wait
    /* The server gets the badge the C half wrote into its frame; the caller of an answered call
     * gets rdi = 0 (ipc_fast_exit_by_frame stores that too). */
    ipc_fast_entry ENTRY_SYS_IPC_CALL, ipc_fastpath_call, 0
ipc_fast_reply_wait:
    ipc_fast_entry ENTRY_SYS_IPC_REPLY_WAIT, ipc_fastpath_reply_wait, 1

/* The C half declined: complete the partial frame (rax is stored; the message is still in the
 * registers) and dispatch. */
ipc_fast_declined:
    movq %rsi, TRAP_FRAME_RSI(%rsp)
    movq %rdx, TRAP_FRAME_RDX(%rsp)
    movq %r10, TRAP_FRAME_R10(%rsp)
    movq %r8, TRAP_FRAME_R8(%rsp)
    movq %r9, TRAP_FRAME_R9(%rsp)
    movq %r12, TRAP_FRAME_R12(%rsp)
    movq %r13, TRAP_FRAME_R13(%rsp)
    movq $SYSCALL_FRAME_VECTOR, TRAP_FRAME_VECTOR(%rsp)
    movq TRAP_FRAME_RIP(%rsp), %rcx
    movq %rcx, TRAP_FRAME_RCX(%rsp)
    movq TRAP_FRAME_RFLAGS(%rsp), %r11
    movq %r11, TRAP_FRAME_R11(%rsp)
    movq $0, TRAP_FRAME_ERROR_CODE(%rsp)
    movq $GDT_USER_CODE, TRAP_FRAME_CS(%rsp)
    movq $GDT_USER_DATA, TRAP_FRAME_SS(%rsp)
    movq %rsp, %rdi
    xorl %ebp, %ebp              /* backtraces stop here */
    call syscall_dispatch
    movq %rsp, %rdi
    jmp entry_return_to_user

/* rax = the next thread's frame, whose RIP SYSRET must not take: store the message there and
 * leave by its frame. */
ipc_fast_exit_by_frame:
    movq $0, TRAP_FRAME_RAX(%rax)
    movq %rdi, TRAP_FRAME_RDI(%rax)
    movq %rsi, TRAP_FRAME_RSI(%rax)
    movq %rdx, TRAP_FRAME_RDX(%rax)
    movq %r10, TRAP_FRAME_R10(%rax)
    movq %r8, TRAP_FRAME_R8(%rax)
    movq %r9, TRAP_FRAME_R9(%rax)
    movq %r12, TRAP_FRAME_R12(%rax)
    movq %r13, TRAP_FRAME_R13(%rax)
    movq %rax, %rdi
    jmp entry_return_to_user

    .section .rodata
    .balign 8
sysret_rip_limit:
    .quad SYSRET_RIP_LIMIT
ipc_fast_info_limit:             /* the largest info word the fastpath takes */
    .quad 0xffffffff

    .text
/* rdi = entry, rsi = stack top. */
    .globl entry_start_kernel_thread
entry_start_kernel_thread:
    movq %rsi, %rsp
    xorl %ebp, %ebp
    pushq $0                     /* a zero return address ends backtraces */
    jmp *%rdi
