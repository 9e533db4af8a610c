/* crt0 of Aramid programs: _start (threads made by aramid_thread_start enter in thread_entry.S). */
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

    .section .note.GNU-stack, "", @progbits
