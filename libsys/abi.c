/* Compile-time checks that libsys's copies of kernel constants match the kernel's headers. */
#include <aramid/sys.h>

#include "elf.h"
#include "handle.h"
#include "kerrno.h"

_Static_assert(ELF_USER_BASE == ARAMID_USER_BASE && ELF_USER_TOP == ARAMID_USER_TOP,
               "elf.c must validate against the ABI's user range");
_Static_assert(ELF_PROT_READ == ARAMID_PROT_READ && ELF_PROT_WRITE == ARAMID_PROT_WRITE &&
                   ELF_PROT_EXEC == ARAMID_PROT_EXEC,
               "segment protections are passed to vm_map unchanged");
_Static_assert(ARAMID_SPAWN_STACK_TOP < ARAMID_USER_TOP &&
                   ARAMID_MEMORY_END <= ARAMID_SPAWN_STACK_TOP - ARAMID_SPAWN_STACK_SIZE,
               "spawn stack and libsys mappings lie in the user range, apart");

_Static_assert(ARAMID_RIGHT_READ == HANDLE_RIGHT_READ && ARAMID_RIGHT_WRITE == HANDLE_RIGHT_WRITE &&
                   ARAMID_RIGHT_EXECUTE == HANDLE_RIGHT_EXECUTE &&
                   ARAMID_RIGHT_MAP == HANDLE_RIGHT_MAP && ARAMID_RIGHT_SEND == HANDLE_RIGHT_SEND &&
                   ARAMID_RIGHT_RECEIVE == HANDLE_RIGHT_RECEIVE &&
                   ARAMID_RIGHT_SIGNAL == HANDLE_RIGHT_SIGNAL &&
                   ARAMID_RIGHT_WAIT == HANDLE_RIGHT_WAIT &&
                   ARAMID_RIGHT_GRANT == HANDLE_RIGHT_GRANT &&
                   ARAMID_RIGHT_DUPLICATE == HANDLE_RIGHT_DUPLICATE &&
                   ARAMID_RIGHT_MANAGE == HANDLE_RIGHT_MANAGE &&
                   ARAMID_RIGHTS_ALL == HANDLE_RIGHTS_ALL && ARAMID_RIGHT_INHERIT == HANDLE_RIGHT_INHERIT,
               "handle rights must match the kernel's");

_Static_assert(ARAMID_EPERM == EPERM && ARAMID_ENOENT == ENOENT && ARAMID_ESRCH == ESRCH &&
                   ARAMID_E2BIG == E2BIG &&
                   ARAMID_ENOEXEC == ENOEXEC && ARAMID_EBADF == EBADF && ARAMID_ECHILD == ECHILD &&
                   ARAMID_EAGAIN == EAGAIN && ARAMID_ENOMEM == ENOMEM && ARAMID_EACCES == EACCES &&
                   ARAMID_EFAULT == EFAULT && ARAMID_ENOSPC == ENOSPC &&
                   ARAMID_EEXIST == EEXIST && ARAMID_EINVAL == EINVAL && ARAMID_EMFILE == EMFILE &&
                   ARAMID_ENOTTY == ENOTTY && ARAMID_ENOSPC == ENOSPC &&
                   ARAMID_EPIPE == EPIPE && ARAMID_ERANGE == ERANGE && ARAMID_ENOSYS == ENOSYS &&
                   ARAMID_EMSGSIZE == EMSGSIZE && ARAMID_ENOSPC == ENOSPC && ARAMID_ETIMEDOUT == ETIMEDOUT,
               "libsys error numbers must match the kernel's");
