/* Upcalls: registration, delivery on the user stack, and the validated return.
 *
 * Invariant: thread->upcall_notification and notification->upcall_thread point at each other or
 * are both NULL; the thread holds a reference to the notification while they do. */
#include <stdbool.h>
#include <stdint.h>

#include "aramid/syscall.h"
#include "console.h"
#include "entry.h"
#include "gdt.h"
#include "handle.h"
#include "ipc.h"
#include "kerrno.h"
#include "process.h"
#include "sched.h"
#include "thread.h"
#include "uaccess.h"
#include "upcall.h"
#include "vm.h"

#define UPCALL_RED_ZONE 128
/* RFLAGS bits user code may set: CF PF AF ZF SF TF DF OF, AC, ID (IF is always set). */
#define UPCALL_USER_RFLAGS 0x254dd5ull
#define RFLAGS_IF 0x200ull
#define RFLAGS_TF 0x100ull
#define RFLAGS_DF 0x400ull
#define SIGSEGV_EXIT (PROCESS_EXIT_FAULT_BASE + 11)
#define UPCALL_STACK_MIN 256 /* a frame and room to run: smaller is certainly a mistake */

_Static_assert(sizeof(struct aramid_upcall_frame) == 21 * 8, "upcall frame layout");

void upcall_clear(struct thread *thread)
{
    struct notification *notification = thread->upcall_notification;
    if (!notification)
        return;
    notification->upcall_thread = NULL;
    thread->upcall_notification = NULL;
    thread->upcall_pending = false;
    notification_put(notification);
}

long upcall_set(struct trap_frame *frame)
{
    struct thread *self = sched_current();
    uint64_t entry = frame->rdi;
    struct notification *notification = NULL;
    if (entry) {
        if (!uaccess_range_ok(entry, 1))
            return -EFAULT;
        int err = handle_lookup(&self->process->handles, (handle_t)frame->rsi,
                                HANDLE_TYPE_NOTIFICATION, HANDLE_RIGHT_WAIT,
                                (void **)&notification);
        if (err)
            return err;
        if (notification->upcall_thread && notification->upcall_thread != self)
            return -EBUSY;
    }
    upcall_clear(self);
    if (!notification)
        return 0;
    notification_get(notification);
    notification->upcall_thread = self;
    self->upcall_notification = notification;
    self->upcall_entry = entry;
    if (notification->bits)
        self->upcall_pending = true;
    return 0;
}

void upcall_signalled(struct notification *notification)
{
    struct thread *thread = notification->upcall_thread;
    thread->upcall_pending = true;
    ipc_interrupt_wait(thread);
}

/* Pushes the frame and points the thread at its handler with bits. Returns false after killing
 * the process when the stack cannot take the frame. */
static bool upcall_push(struct thread *thread, uint64_t bits, int signal, uint64_t address,
                        uint64_t code)
{
    struct trap_frame *f = thread_user_frame(thread);
    struct aramid_upcall_frame saved = {
        f->r15, f->r14, f->r13, f->r12, f->r11, f->r10, f->r9, f->r8, f->rbp,
        f->rdi, f->rsi, f->rdx, f->rcx, f->rbx, f->rax, f->rip, f->rflags, f->rsp,
        (uint64_t)signal, address, code,
    };
    /* Below the red zone, 16-byte aligned, then 8 more: the handler sees a call's alignment.
     * With an upcall stack that rsp is not on, at its top instead (sigaltstack). */
    uint64_t top = f->rsp - UPCALL_RED_ZONE;
    uint64_t base = thread->upcall_stack_base, size = thread->upcall_stack_size;
    if (size != 0 && !(f->rsp > base && f->rsp - base <= size))
        top = base + size;
    else if (f->rsp < UPCALL_RED_ZONE)
        top = 0;
    uint64_t sp = ((top - sizeof(saved)) & ~15ull) - 8;
    if (top < sizeof(saved) + 24 || !uaccess_range_ok(sp, sizeof(saved) + 8) ||
        vm_write(thread->process->space, sp + 8, &saved, sizeof(saved)) != 0) {
        kprintf("process %u killed: no room for an upcall frame at rsp %#lx\n",
                thread->process->id, f->rsp);
        process_terminate(thread->process, SIGSEGV_EXIT);
        if (thread == sched_current())
            process_exit_current_thread();
        return false;
    }
    f->rip = thread->upcall_entry;
    f->rsp = sp;
    f->rdi = sp + 8;
    f->rsi = bits;
    f->vector = 0; /* not a system-call frame: leave by IRET, every register as set here */
    /* The handler runs without single-stepping (else each of its instructions would trap
     * again: a single-step SIGTRAP would never reach its handler) and with DF clear, as the
     * ABI and Linux's signal frames have it; upcall_return puts back the saved flags. */
    f->rflags &= ~(RFLAGS_TF | RFLAGS_DF);
    return true;
}

void upcall_deliver(struct thread *thread)
{
    struct notification *notification = thread->upcall_notification;
    thread->upcall_pending = false;
    if (!notification || !notification->bits)
        return;
    uint64_t bits = notification->bits;
    notification->bits = 0;
    upcall_push(thread, bits, 0, 0, 0);
}

bool upcall_deliver_fault(struct thread *thread, int signal, uint64_t address, uint64_t code)
{
    struct notification *notification = thread->upcall_notification;
    if (!notification)
        return false;
    uint64_t bits = notification->bits;
    notification->bits = 0;
    thread->upcall_pending = false;
    upcall_push(thread, bits, signal, address, code);
    return true;
}

long upcall_stack_set(uint64_t base, uint64_t size)
{
    struct thread *self = sched_current();
    if (size != 0 && (size < UPCALL_STACK_MIN || !uaccess_range_ok(base, size)))
        return -EINVAL;
    self->upcall_stack_base = size != 0 ? base : 0;
    self->upcall_stack_size = size;
    return 0;
}

long upcall_return(struct trap_frame *f)
{
    struct aramid_upcall_frame saved;
    int err = copy_from_user(&saved, f->rdi, sizeof(saved));
    if (err)
        return err;
    /* The saved RIP and RSP become the user's again: both must be user addresses, or IRET
     * would fault in the kernel. */
    if (!uaccess_range_ok(saved.rip, 1) || !uaccess_range_ok(saved.rsp, 0))
        return -EFAULT;
    f->r15 = saved.r15;
    f->r14 = saved.r14;
    f->r13 = saved.r13;
    f->r12 = saved.r12;
    f->r11 = saved.r11;
    f->r10 = saved.r10;
    f->r9 = saved.r9;
    f->r8 = saved.r8;
    f->rbp = saved.rbp;
    f->rdi = saved.rdi;
    f->rsi = saved.rsi;
    f->rdx = saved.rdx;
    f->rcx = saved.rcx;
    f->rbx = saved.rbx;
    f->rip = saved.rip;
    f->rsp = saved.rsp;
    f->rflags = (saved.rflags & UPCALL_USER_RFLAGS) | RFLAGS_IF;
    f->cs = GDT_USER_CODE;
    f->ss = GDT_USER_DATA;
    f->vector = 0;
    /* syscall_dispatch stores the result in rax: the result is the interrupted code's rax. */
    return (long)saved.rax;
}
