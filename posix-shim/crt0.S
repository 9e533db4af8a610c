/* crt0 of programs built with aramid-cc: _start, and the switch to the program's own stack. */
    .text

/* rdi: the bootinfo address (root task). The kernel's stack may have any alignment. */
    .globl _start
    .type _start, @function
_start:
    xor %ebp, %ebp              /* outermost frame: frame-pointer walks stop here */
    and $-16, %rsp
    call shim_start
    ud2                         /* shim_start never returns */
    .size _start, . - _start

/* shim_stack_switch(top, function): calls function() on the stack ending at top (16-byte
 * aligned); function must not return. */
    .globl shim_stack_switch
    .type shim_stack_switch, @function
shim_stack_switch:
    mov %rdi, %rsp
    xor %ebp, %ebp
    call *%rsi
    ud2
    .size shim_stack_switch, . - shim_stack_switch

    .section .note.GNU-stack, "", @progbits
