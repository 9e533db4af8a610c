/* crt0 of Aramid programs: _start, and the entry of threads made by aramid_thread_start. */
    .text

/* rdi: the argument thread_create passed (the bootinfo address for the root task). The stack
 * pointer may have any alignment; calls need it 16-byte aligned. */
    .globl _start
    .type _start, @function
_start:
    xor %ebp, %ebp              /* outermost frame: frame-pointer walks stop here */
    and $-16, %rsp
    call aramid_main
    mov %eax, %edi
    call sys_process_exit
    ud2                         /* process_exit never returns */
    .size _start, . - _start

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
