/* libsys fork: the parent saves its callee-saved registers in a frame on its stack before
 * asking proc to fork; the child, on the copy of that stack, restores them and returns 0. */
    .text

/* long aramid_proc_fork(void). Frame, from rsp up: padding, r15, r14, r13, r12, rbx, rbp, the
 * return address. The space is cloned while the parent waits in the call, so the child's
 * stack holds the same frame at the same address. */
    .globl aramid_proc_fork
    .type aramid_proc_fork, @function
aramid_proc_fork:
    push %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    sub $8, %rsp                /* 16-byte aligned for the call */
    mov %rsp, %rdi
    call aramid_proc_fork_call  /* the child pid or -errno */
    add $8, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret
    .size aramid_proc_fork, . - aramid_proc_fork

/* The child's first instruction: rdi = the frame (proc also set rsp to it). */
    .globl aramid_proc_fork_child
    .type aramid_proc_fork_child, @function
aramid_proc_fork_child:
    mov %rdi, %rsp
    add $8, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    xor %eax, %eax
    ret
    .size aramid_proc_fork_child, . - aramid_proc_fork_child

    .section .note.GNU-stack, "", @progbits
