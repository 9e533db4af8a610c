/* Non-local exits: setjmp, _setjmp and sigsetjmp, and the register half of the jumps, replacing
 * newlib's (which returns 0 from longjmp(env, 0) and has no sigsetjmp). Layout of a jmp_buf
 * (setjmp.h): rbx rbp r12 r13 r14 r15 rsp rip at 0..56, savemask at 64, the signal mask at 72,
 * the upcall in progress at 80. The mask lives in posix-shim (no system call), so saving and
 * restoring it is cheap. */

    .text
    .globl setjmp, _setjmp, sigsetjmp, __sigsetjmp
    .type setjmp, @function
    .type _setjmp, @function
    .type sigsetjmp, @function
    .type __sigsetjmp, @function
/* sigsetjmp(env, savemask): the registers here, the mask in C (which returns the 0). */
sigsetjmp:
__sigsetjmp:
    movq %rbx, 0(%rdi)
    movq %rbp, 8(%rdi)
    movq %r12, 16(%rdi)
    movq %r13, 24(%rdi)
    movq %r14, 32(%rdi)
    movq %r15, 40(%rdi)
    leaq 8(%rsp), %rax
    movq %rax, 48(%rdi)
    movq (%rsp), %rax
    movq %rax, 56(%rdi)
    jmp signal_jump_save          /* (env, savemask) -> 0, from sigsetjmp's caller's view */
    .size sigsetjmp, . - sigsetjmp

/* setjmp and _setjmp never save the mask (glibc's setjmp neither). */
setjmp:
_setjmp:
    xorl %esi, %esi
    jmp sigsetjmp
    .size setjmp, . - setjmp

    .globl signal_jump_registers
    .type signal_jump_registers, @function
/* The registers of env; value 0 returns 1, as POSIX says. longjmp, _longjmp and siglongjmp
 * (signal_context.c) put posix-shim's state back first. */
signal_jump_registers:
    movl %esi, %eax
    testl %eax, %eax
    jnz 1f
    movl $1, %eax
1:  movq 0(%rdi), %rbx
    movq 8(%rdi), %rbp
    movq 16(%rdi), %r12
    movq 24(%rdi), %r13
    movq 32(%rdi), %r14
    movq 40(%rdi), %r15
    movq 48(%rdi), %rsp
    jmp *56(%rdi)
    .size signal_jump_registers, . - signal_jump_registers

    .globl signal_context_capture
    .type signal_context_capture, @function
/* signal_context_capture(greg_t gregs[23]): the callee-saved registers, rsp and rip as the
 * caller will see them after the call (a ucontext_t for a signal delivered without an upcall). */
signal_context_capture:
    movq %rbx, 88(%rdi)           /* REG_RBX = 11 */
    movq %rbp, 80(%rdi)           /* REG_RBP = 10 */
    movq %r12, 32(%rdi)
    movq %r13, 40(%rdi)
    movq %r14, 48(%rdi)
    movq %r15, 56(%rdi)
    leaq 8(%rsp), %rax
    movq %rax, 120(%rdi)          /* REG_RSP = 15 */
    movq (%rsp), %rax
    movq %rax, 128(%rdi)          /* REG_RIP = 16 */
    ret
    .size signal_context_capture, . - signal_context_capture

    .section .note.GNU-stack, "", @progbits
