/* posix-shim alternate signal stacks: sigaltstack per thread over the kernel's upcall stack,
 * and the upcall hook that moves an upcall off it when no handler it runs asked for SA_ONSTACK. */
#include <errno.h>
#include <signal.h>

#include <aramid/sys.h>

#include "pthread_internal.h"
#include "shim.h"

#define SIGALTSTACK_RED_ZONE 128

/*
 * The kernel puts every upcall of a thread with an upcall stack on that stack unless the thread
 * already runs on it (syscall.h, upcall_stack_set). Linux uses the alternate stack only for
 * handlers with SA_ONSTACK, so the trampoline asks sigaltstack_relocate first: an upcall that
 * runs no such handler moves to the interrupted stack, below its red zone, and the alternate
 * stack is free again. Which stack a whole upcall uses is decided once, for the signals
 * deliverable at its start.
 * Invariant: thread->altstack_size is 0 (none) or >= MINSIGSTKSZ, as the kernel was told.
 */
static bool sigaltstack_contains(const struct shim_thread *thread, unsigned long sp)
{
    return thread->altstack_size != 0 && sp > thread->altstack_base &&
           sp - thread->altstack_base <= thread->altstack_size;
}

static struct aramid_upcall_frame *sigaltstack_relocate(struct aramid_upcall_frame *frame,
                                                        unsigned long bits)
{
    struct shim_thread *self = shim_thread_self();
    if (!sigaltstack_contains(self, (unsigned long)frame) ||
        sigaltstack_contains(self, frame->rsp) || signal_upcall_wants_altstack(frame, bits))
        return NULL; /* not moved there by the kernel, or it belongs there */
    unsigned long target =
        (frame->rsp - SIGALTSTACK_RED_ZONE - sizeof(*frame)) & ~15ul;
    /* A fault of the interrupted stack itself (an overflow) whose handler does not want the
     * alternate stack: Linux cannot set up the frame either and kills with SIGSEGV. */
    unsigned long low = target - ARAMID_UPCALL_FXSAVE_OFFSET - SHIM_PAGE_SIZE;
    if (frame->fault_signal != 0 && frame->fault_address >= low &&
        frame->fault_address < frame->rsp + SHIM_PAGE_SIZE)
        shim_exit_signal(SIGSEGV);
    return (struct aramid_upcall_frame *)target;
}

void sigaltstack_describe(const struct shim_thread *thread, unsigned long sp, stack_t *out)
{
    out->ss_sp = (void *)thread->altstack_base;
    out->ss_size = thread->altstack_size;
    out->ss_flags = thread->altstack_size == 0             ? SS_DISABLE
                    : sigaltstack_contains(thread, sp) ? SS_ONSTACK
                                                         : 0;
}

void sigaltstack_fork_child(void)
{
    struct shim_thread *self = shim_thread_self();
    if (self->altstack_size != 0 &&
        sys_upcall_stack_set(self->altstack_base, self->altstack_size) < 0)
        self->altstack_size = 0; /* the kernel took it before the fork: cannot fail now */
}

/* Linux's checks and order: EFAULT for the new one, EPERM while running on the current one,
 * EINVAL for flags, ENOMEM below MINSIGSTKSZ; the old one is reported as it was. */
int sigaltstack(const stack_t *stack, stack_t *old)
{
    struct shim_thread *self = shim_thread_self();
    unsigned long sp = (unsigned long)__builtin_frame_address(0);
    stack_t new, previous;
    if (stack != NULL && shim_copy_in(&new, stack, sizeof(new)) < 0)
        return (int)shim_return(-EFAULT);
    sigaltstack_describe(self, sp, &previous);
    if (stack != NULL) {
        if (sigaltstack_contains(self, sp))
            return (int)shim_return(-EPERM);
        if (new.ss_flags != 0 && new.ss_flags != SS_DISABLE && new.ss_flags != SS_ONSTACK)
            return (int)shim_return(-EINVAL);
        unsigned long base = 0, size = 0;
        if (new.ss_flags != SS_DISABLE) {
            if (new.ss_size < MINSIGSTKSZ)
                return (int)shim_return(-ENOMEM);
            base = (unsigned long)new.ss_sp;
            size = new.ss_size;
        }
        aramid_upcall_relocate = sigaltstack_relocate;
        long result = shim_error_from_sys(sys_upcall_stack_set(base, size));
        if (result < 0) /* a range outside user space */
            return (int)shim_return(result == -EINVAL ? -EFAULT : result);
        self->altstack_base = base;
        self->altstack_size = size;
    }
    if (old != NULL && shim_copy_out(old, &previous, sizeof(previous)) < 0)
        return (int)shim_return(-EFAULT);
    return 0;
}
