/* libsys threads: a new thread in the caller's own process, running a C function on its stack. */
#include <aramid/sys.h>

#include <stdint.h>

/* libsys/start.S: pops the function from the stack, calls it with rdi, then exits the thread. */
void aramid_thread_entry(void);

long aramid_thread_start(aramid_handle_t process, void (*function)(unsigned long argument),
                         unsigned long argument, void *stack, size_t stack_size)
{
    uintptr_t top = ((uintptr_t)stack + stack_size) & ~(uintptr_t)15;
    if (stack == NULL || function == NULL || stack_size < 64 || top < (uintptr_t)stack + 16)
        return -ARAMID_EINVAL;
    /* The stack is this process's memory, so the new thread finds the function at its rsp. */
    uintptr_t stack_pointer = top - 16;
    *(void (**)(unsigned long))stack_pointer = function;
    return sys_thread_create(process, (unsigned long)aramid_thread_entry, stack_pointer, argument);
}
