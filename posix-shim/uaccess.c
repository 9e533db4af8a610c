/* Copies to and from memory a caller handed to a POSIX call, as a kernel would, so an unmapped
 * or read-only pointer gives -EFAULT instead of a fault inside posix-shim: a string move the
 * fault upcall abandons (usercopy.S, signal.c) once this image has its upcall, else through the
 * kernel's vm_write on the process's own space. */
#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "shim.h"

bool shim_fault_recovery;

long shim_user_move(void *destination, const void *source, size_t length);

long shim_copy_in(void *destination, const void *user_source, size_t length)
{
    long result = shim_fault_recovery
                      ? shim_user_move(destination, user_source, length)
                      : sys_vm_write(shim_self_space, (unsigned long)destination, user_source, length);
    return result < 0 ? -EFAULT : 0;
}

long shim_copy_out(void *user_destination, const void *source, size_t length)
{
    long result = shim_fault_recovery
                      ? shim_user_move(user_destination, source, length)
                      : sys_vm_write(shim_self_space, (unsigned long)user_destination, source, length);
    return result < 0 ? -EFAULT : 0;
}

/* Bytes copied per system call by the checks below (a stack buffer). */
#define UACCESS_SCRATCH 512

long shim_check_readable(const void *user, size_t length)
{
    char scratch[UACCESS_SCRATCH];
    const char *bytes = user;
    for (size_t done = 0; done < length;) {
        size_t chunk = length - done < sizeof(scratch) ? length - done : sizeof(scratch);
        if (shim_copy_in(scratch, bytes + done, chunk) != 0)
            return -EFAULT;
        done += chunk;
    }
    return 0;
}

long shim_check_string(const char *user)
{
    char scratch[UACCESS_SCRATCH];
    uintptr_t address = (uintptr_t)user;
    for (size_t done = 0; done < PATH_MAX;) {
        /* Never past the page end in one copy: the next page may be unmapped after the NUL. */
        size_t to_page_end = SHIM_PAGE_SIZE - ((address + done) & (SHIM_PAGE_SIZE - 1));
        size_t chunk = to_page_end < sizeof(scratch) ? to_page_end : sizeof(scratch);
        if (shim_copy_in(scratch, user + done, chunk) != 0)
            return -EFAULT;
        for (size_t i = 0; i < chunk; i++)
            if (scratch[i] == '\0')
                return 0;
        done += chunk;
    }
    return -ENAMETOOLONG;
}
