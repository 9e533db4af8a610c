/* The entry of threads made by aramid_thread_start (in libsys.a, so SDK programs have it too). */
    .text

/* rdi: the thread's argument; [rsp]: the function aramid_thread_start stored there. */
    .globl aramid_thread_entry
    .type aramid_thread_entry, @function
aramid_thread_entry:
    pop %rax
    xor %ebp, %ebp
    and $-16, %rsp
    call *%rax
    call sys_thread_exit
    ud2                         /* thread_exit never returns */
    .size aramid_thread_entry, . - aramid_thread_entry

    .section .note.GNU-stack, "", @progbits
