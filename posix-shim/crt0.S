/* crt0 of programs built with aramid-cc: _start, and the switch to the program's own stack. */
    .text

/* rdi: the bootinfo address (root task) or proc's start block, never 0 on Aramid. The kernel's
 * stack may have any alignment. */
    .globl _start
    .type _start, @function
_start:
    test %rdi, %rdi
    jz start_not_aramid
    xor %ebp, %ebp              /* outermost frame: frame-pointer walks stop here */
    and $-16, %rsp
    call shim_start
    ud2                         /* shim_start never returns */
    .size _start, . - _start

/* Linux (an Aramid program run on the build machine, as autoconf's cross check does) starts a
 * program with every register but rsp zero. Say what this is on stderr through Linux's write
 * (1) and leave through Linux's exit_group (231) with 126, "cannot execute". Aramid's call 1 is
 * process_exit, so even there these instructions end the program. */
start_not_aramid:
    mov $1, %eax
    mov $2, %edi
    lea start_not_aramid_message(%rip), %rsi
    mov $start_not_aramid_length, %edx
    syscall
    mov $231, %eax
    mov $126, %edi
    syscall
    ud2

    .section .rodata
start_not_aramid_message:
    .ascii "this is an Aramid program: run it with aramid-run (see docs/sdk.md in Aramid)\n"
    .set start_not_aramid_length, . - start_not_aramid_message
    .text

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
