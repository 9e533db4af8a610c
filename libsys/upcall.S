/* The upcall trampoline: preserves the x87/SSE state of the interrupted code around the C
 * handler (the kernel saves only the general registers), moves an upcall the kernel put on an
 * upcall stack back to the interrupted stack when the program says so (sigaltstack without
 * SA_ONSTACK), then returns through upcall_return. */
#define SYS_UPCALL_RETURN 36
/* The frame (21 words) and, just below it, the return-address slot and the FXSAVE area. */
#define UPCALL_FRAME_BYTES 168
#define UPCALL_FXSAVE_OFFSET 528

    .text
/* Entered by the kernel with rdi = struct aramid_upcall_frame *, rsi = bits, and rsp 8 below a
 * 16-byte boundary, as after a call (but with no return address: this never returns).
 * Layout below the frame F: [F - 528, F - 16) FXSAVE image, then 8 unused bytes, 8 more (the
 * slot a call's return address would take). rbx = frame and r12 = bits survive every call. */
    .globl aramid_upcall_trampoline
aramid_upcall_trampoline:
    cld                          /* the ABI's direction flag for C; upcall_return restores it */
    subq $520, %rsp              /* 512 bytes for FXSAVE, 16-byte aligned: rsp = F - 528 */
    fxsave64 (%rsp)
    movq %rdi, %rbx              /* every register is restored from the frame anyway */
    movq %rsi, %r12
    movq aramid_upcall_relocate(%rip), %rax
    testq %rax, %rax
    jz 1f
    call *%rax                   /* (frame, bits) -> new frame address (16-aligned) or 0 */
    testq %rax, %rax
    jz 1f
    /* Copy FXSAVE area, gap and frame to below the new frame, then run there. */
    leaq -UPCALL_FXSAVE_OFFSET(%rax), %rdi
    movq %rsp, %rsi
    movl $((UPCALL_FXSAVE_OFFSET + UPCALL_FRAME_BYTES) / 8), %ecx
    rep movsq
    movq %rax, %rbx
    leaq -UPCALL_FXSAVE_OFFSET(%rax), %rsp
1:  movq %rbx, %rdi
    movq %r12, %rsi
    call *aramid_upcall_handler(%rip)
    fxrstor64 (%rsp)
    movq %rbx, %rdi
    movl $SYS_UPCALL_RETURN, %eax
    syscall
    ud2                          /* upcall_return refused the frame: nothing to return to */
