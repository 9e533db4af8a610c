/* The upcall trampoline: preserves the x87/SSE state of the interrupted code around the C
 * handler (the kernel saves only the general registers), then returns through upcall_return. */
#define SYS_UPCALL_RETURN 36

    .text
/* Entered by the kernel with rdi = struct aramid_upcall_frame *, rsi = bits, and rsp 8 below a
 * 16-byte boundary, as after a call (but with no return address: this never returns). */
    .globl aramid_upcall_trampoline
aramid_upcall_trampoline:
    subq $520, %rsp              /* 512 bytes for FXSAVE, 16-byte aligned */
    fxsave64 (%rsp)
    movq %rdi, %rbx              /* every register is restored from the frame anyway */
    call *aramid_upcall_handler(%rip)
    fxrstor64 (%rsp)
    movq %rbx, %rdi
    movl $SYS_UPCALL_RETURN, %eax
    syscall
    ud2                          /* upcall_return refused the frame: nothing to return to */
