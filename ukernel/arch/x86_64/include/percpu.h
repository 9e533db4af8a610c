/* Per-CPU data, reached through the GS base from day one so a second CPU is an extension. */
#ifndef ARAMID_ARCH_PERCPU_H
#define ARAMID_ARCH_PERCPU_H

/* Offsets used by assembly, checked against the structure below. */
#define PERCPU_SELF_OFFSET 0
#define PERCPU_USER_RSP_OFFSET 8
#define PERCPU_KERNEL_STACK_OFFSET 16

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdt.h"
#include "pcid.h"
#include "runqueue.h"
#include "stack_cache.h"

struct address_space;
struct thread;

/* Invariant: while the CPU runs kernel code, GS.base points at this CPU's struct percpu and
 * percpu.self == &percpu. Assembly uses the offsets asserted below. */
struct percpu {
    struct percpu *self;
    uint64_t user_rsp_scratch;  /* system-call entry parks the user RSP here */
    uint64_t kernel_stack_top;  /* RSP loaded on entry from user mode */
    uint32_t cpu_id;
    uint32_t interrupt_nesting;
    volatile uint64_t ticks;    /* timer interrupts taken on this CPU */
    struct thread *current;     /* the thread running here (the idle thread when none) */
    struct thread *idle;
    struct thread *dead;        /* exited thread whose stack is freed at the next switch */
    struct thread *fpu_owner;   /* the thread whose FPU state the registers hold */
    uint32_t slice_left;        /* timer ticks left in current's time slice */
    bool need_resched;          /* a better thread woke or the slice ended */
    struct runqueue runqueue;
    struct stack_cache stack_cache;
    struct tss tss;
    struct address_space *address_space; /* loaded on this CPU; NULL: the kernel-only space */
    struct pcid_cpu pcid;                /* this CPU's PCIDs and the CR3 it has loaded */
    uint64_t cputime_stamp;              /* monotonic ns of the last CPU-time measurement */
} __attribute__((aligned(64)));

_Static_assert(offsetof(struct percpu, self) == PERCPU_SELF_OFFSET, "percpu layout");
_Static_assert(offsetof(struct percpu, user_rsp_scratch) == PERCPU_USER_RSP_OFFSET, "percpu layout");
_Static_assert(offsetof(struct percpu, kernel_stack_top) == PERCPU_KERNEL_STACK_OFFSET,
               "percpu layout");

/* Sets up the boot CPU's per-CPU area, GDT and TSS, and loads GS.base. */
void percpu_init_boot_cpu(void);

static inline struct percpu *this_cpu(void)
{
    struct percpu *p;
    __asm__("mov %%gs:0, %0" : "=r"(p));
    return p;
}

/* This CPU's struct percpu in the GS segment: each access is one %gs-relative instruction and
 * holds no register (the IPC fastpath, short of registers, reaches it so). Same invariant. */
typedef __seg_gs struct percpu percpu_gs;
#define THIS_CPU_GS ((percpu_gs *)0)

#endif /* __ASSEMBLER__ */

#endif
