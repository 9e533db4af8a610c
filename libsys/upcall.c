/* Upcall registration: the C handler behind libsys/upcall.S's trampoline. */
#include <aramid/sys.h>

void aramid_upcall_trampoline(void);

aramid_upcall_handler_fn aramid_upcall_handler;

long aramid_upcall_register(aramid_handle_t notification, aramid_upcall_handler_fn handler)
{
    aramid_upcall_handler = handler;
    return sys_upcall_set((unsigned long)aramid_upcall_trampoline, notification);
}
