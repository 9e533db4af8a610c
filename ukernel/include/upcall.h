/* Upcalls: a notification that interrupts a thread and runs a user handler on its stack, the
 * kernel half of POSIX signals (posix-shim does the rest). */
#ifndef ARAMID_UPCALL_H
#define ARAMID_UPCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "thread.h"
#include "trap.h"

struct notification;

long upcall_set(struct trap_frame *frame);
long upcall_return(struct trap_frame *frame);
/* The calling thread's upcall stack: [base, base + size), size 0 for none (syscall.h). */
long upcall_stack_set(uint64_t base, uint64_t size);
/* notification was signalled and has an upcall thread: mark it and end its interruptible wait. */
void upcall_signalled(struct notification *notification);
/* If thread has an upcall pending, pushes its frame and redirects it to the handler (the
 * thread's space need not be loaded). A stack that cannot take the frame kills the process. */
void upcall_deliver(struct thread *thread);
/* Delivers a user fault of the current thread as an upcall. Returns false when the thread has
 * no upcall registered (the caller then kills the process); may kill it if the stack is bad. */
bool upcall_deliver_fault(struct thread *thread, int signal, uint64_t address, uint64_t code);
/* Drops thread's upcall registration (thread exit). */
void upcall_clear(struct thread *thread);

static inline void upcall_deliver_if_pending(struct thread *thread)
{
    if (__builtin_expect(thread->upcall_pending, 0))
        upcall_deliver(thread);
}

#endif
