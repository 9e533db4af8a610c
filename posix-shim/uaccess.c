/* Copies to and from memory a caller handed to a POSIX call, as a kernel would: through the
 * kernel's vm_write on the process's own space, so an unmapped or read-only pointer gives
 * -EFAULT instead of a fault inside posix-shim. A system call each: only for calls where Linux
 * promises EFAULT and that are not hot paths. */
#include <errno.h>
#include <stddef.h>

#include "shim.h"

long shim_copy_in(void *destination, const void *user_source, size_t length)
{
    long result = sys_vm_write(shim_self_space, (unsigned long)destination, user_source, length);
    return result < 0 ? -EFAULT : 0;
}

long shim_copy_out(void *user_destination, const void *source, size_t length)
{
    long result = sys_vm_write(shim_self_space, (unsigned long)user_destination, source, length);
    return result < 0 ? -EFAULT : 0;
}
