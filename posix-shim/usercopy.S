/* posix-shim's copies to and from memory a caller handed to a POSIX call: one string move that
 * the fault upcall can abandon (as a kernel's exception table does), so a bad pointer gives
 * EFAULT without a system call per copy. */
    .text

/* long shim_user_move(void *destination, const void *source, size_t length): 0, or -1 when
 * either side faulted (signal.c moves a fault at one of the two moves to the fault label). */
    .globl shim_user_move
    .globl shim_user_move_words
    .globl shim_user_move_bytes
    .globl shim_user_move_fault
    .type shim_user_move, @function
shim_user_move:
    mov %rdx, %rcx
    shr $3, %rcx
shim_user_move_words:
    rep movsq
    mov %rdx, %rcx
    and $7, %rcx
shim_user_move_bytes:
    rep movsb
    xor %eax, %eax
    ret
shim_user_move_fault:
    mov $-1, %rax
    ret
    .size shim_user_move, . - shim_user_move

    .section .note.GNU-stack, "", @progbits
