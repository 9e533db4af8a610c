/* Upcall registration: the C handler behind libsys/upcall.S's trampoline. */
#include <aramid/sys.h>

void aramid_upcall_trampoline(void);

aramid_upcall_handler_fn aramid_upcall_handler;
aramid_upcall_relocate_fn aramid_upcall_relocate;

_Static_assert(sizeof(struct aramid_upcall_frame) == 168, "upcall.S copies 168 bytes");

long aramid_upcall_register(aramid_handle_t notification, aramid_upcall_handler_fn handler)
{
    aramid_upcall_handler = handler;
    return sys_upcall_set((unsigned long)aramid_upcall_trampoline, notification);
}
