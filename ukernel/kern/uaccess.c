/* User-memory access for system calls: the current thread's address space, through vm.c. */
#include <stdbool.h>
#include <stdint.h>

#include "kerrno.h"
#include "process.h"
#include "sched.h"
#include "thread.h"
#include "uaccess.h"
#include "vm.h"

bool uaccess_range_ok(uint64_t address, size_t length)
{
    return address >= VM_USER_BASE && address <= VM_USER_TOP && length <= VM_USER_TOP - address;
}

static struct address_space *current_space(void)
{
    struct thread *current = sched_current();
    return current && current->process ? current->process->space : NULL;
}

int copy_from_user(void *destination, uint64_t user_source, size_t length)
{
    struct address_space *space = current_space();
    if (!space || !uaccess_range_ok(user_source, length))
        return -EFAULT;
    return length ? vm_read(space, user_source, destination, length) : 0;
}

int copy_to_user(uint64_t user_destination, const void *source, size_t length)
{
    struct address_space *space = current_space();
    if (!space || !uaccess_range_ok(user_destination, length))
        return -EFAULT;
    return length ? vm_write(space, user_destination, source, length) : 0;
}
