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

/* True when the fastpath may switch to next with sched_switch_fast: no thread to reap, no upcall
 * to deliver (only the slow switch does those); the address space is checked apart. */
static inline __attribute__((always_inline)) bool sched_switch_fast_ok(const percpu_gs *cpu,
                                                                       const struct thread *next)
{
    return cpu->dead == NULL && !next->upcall_pending && !next->process->stopped;
}

/* True when cpu has a ready thread of higher priority (lower number) than thread's. */
static inline __attribute__((always_inline)) bool
sched_better_thread_ready(const percpu_gs *cpu, const struct thread *thread)
{
    return (cpu->runqueue.nonempty & thread->better_priorities) != 0;
}

/*
 * Makes next (a user thread blocked in IPC, resumable through its system-call frame) this CPU's
 * running thread in place of self, the running user thread, which has just entered the kernel
 * (so it is the FPU owner: a user thread reaches user mode only through
 * sched_load_user_context or this, which make it the owner, and nothing else changes the owner
 * while it runs): its kernel stack for the next entry, its FPU registers and FS base, and space
 * (next's), unless space is NULL (the loaded space is next's already). It inherits the rest of
 * the time slice, as in a donation. The caller has already set self's state and checked
 * sched_switch_fast_ok and address_space_switch_is_fast. next's process is live (its threads
 * leave IPC waits before its space goes). The caller returns to user mode in next without
 * touching anything of self again (it still runs on self's kernel stack, which is safe on one
 * CPU with interrupts off; with SMP another CPU must not resume self before this one has left
 * its stack).
 */
static inline __attribute__((always_inline)) void
sched_switch_fast(percpu_gs *cpu, const struct thread *self, struct thread *next,
                  struct address_space *space)
{
    next->state = THREAD_RUNNING;
    next->wait = WAIT_NONE;
    cpu->current = next;
    if (space)
        address_space_switch(cpu, space);
    uint64_t stack_top = thread_stack_top(next);
    cpu->kernel_stack_top = stack_top;
    cpu->tss.rsp[0] = stack_top;
    fpu_switch_owned(self->fpu, next->fpu);
    cpu_set_fs_base_from(&next->fs_base);
    cpu->fpu_owner = next;
}

#endif
