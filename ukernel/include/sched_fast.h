/* The IPC fastpath's thread switch, inlined into it (the scheduler's own is in sched.c). */
#ifndef ARAMID_SCHED_FAST_H
#define ARAMID_SCHED_FAST_H

#include "cpu.h"
#include "fpu.h"
#include "percpu.h"
#include "process.h"
#include "space_switch.h"
#include "thread.h"

/* What every switch to a user thread loads besides its address space: its kernel stack top
 * for the next entry (per-CPU and TSS), its FPU registers (see fpu_switch) and its FS base.
 * fpu_owner is the thread whose FPU registers and FS base the CPU holds (thread_tls_set changes
 * only the running thread's, which is the owner). */
static inline __attribute__((always_inline)) void sched_load_user_context(struct percpu *cpu,
                                                                          struct thread *next)
{
    uint64_t stack_top = thread_stack_top(next);
    cpu->kernel_stack_top = stack_top;
    cpu->tss.rsp[0] = stack_top;
    struct thread *owner = cpu->fpu_owner;
    if (owner != next) {
        fpu_switch(owner ? owner->fpu : NULL, next->fpu);
        cpu_set_fs_base(next->fs_base); /* with the FPU: both are the owner's while it runs */
        cpu->fpu_owner = next;
    }
}

/*
 * Makes next (a user thread blocked in IPC, resumable through its system-call frame) this CPU's
 * running thread: its kernel stack for the next entry, its FPU registers, its address space.
 * It inherits the rest of the time slice, as in a donation. The caller has already set the
 * current thread's state and checked sched_switch_fast_ok, which rules out what only the slow
 * switch does: reaping a dead thread, delivering an upcall, allocating a PCID. next's process is live (its threads leave IPC waits before its space goes), so
 * its space is not NULL. The caller returns to user mode in next without touching anything of
 * the previous thread again (it still runs on that thread's kernel stack, which is safe on one
 * CPU with interrupts off; with SMP another CPU must not resume that thread before this one has
 * left its stack).
 */
static inline __attribute__((always_inline)) bool sched_switch_fast_ok(const struct percpu *cpu,
                                                                       const struct thread *next)
{
    return cpu->dead == NULL && !next->upcall_pending && !next->process->stopped &&
           address_space_switch_is_fast(cpu, next->process->space);
}

static inline __attribute__((always_inline)) void sched_switch_fast(struct percpu *cpu,
                                                                    struct thread *next)
{
    next->state = THREAD_RUNNING;
    next->wait = WAIT_NONE;
    cpu->current = next;
    sched_load_user_context(cpu, next);
    address_space_switch(cpu, next->process->space);
}

#endif
