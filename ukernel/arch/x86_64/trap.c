/* IDT setup and trap dispatch: interrupts go to registered handlers; a kernel-mode exception
 * prints a register dump and a symbolized backtrace, then stops the machine with a failing code. */
#include <stdint.h>

#include "backtrace.h"
#include "console.h"
#include "cpu.h"
#include "gdt.h"
#include "kerrno.h"
#include "machine.h"
#include "process.h"
#include "quota.h"
#include "sched.h"
#include "thread.h"
#include "trap.h"
#include "upcall.h"
#include "vm.h"

struct idt_entry {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attributes;
    uint16_t offset_middle;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_entry) == 16, "IDT gate layout");

#define GATE_INTERRUPT 0x8e /* present, DPL 0, 64-bit interrupt gate */

extern const uint64_t trap_stub_table[256];
static struct idt_entry idt[256] __attribute__((aligned(16)));
static trap_handler_fn handlers[256];

static const char *const exception_names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range", "invalid opcode",
    "device not available", "double fault", "coprocessor overrun", "invalid TSS",
    "segment not present", "stack fault", "general protection", "page fault", "reserved",
    "x87 floating point", "alignment check", "machine check", "SIMD floating point",
    "virtualization", "control protection", "reserved", "reserved", "reserved", "reserved",
    "reserved", "reserved", "hypervisor injection", "VMM communication", "security", "reserved",
};

static void idt_set_gate(uint8_t vector, uint64_t handler, uint8_t ist)
{
    idt[vector] = (struct idt_entry){
        .offset_low = (uint16_t)handler,
        .selector = GDT_KERNEL_CODE,
        .ist = ist,
        .type_attributes = GATE_INTERRUPT,
        .offset_middle = (uint16_t)(handler >> 16),
        .offset_high = (uint32_t)(handler >> 32),
    };
}

void idt_init(void)
{
    for (int v = 0; v < 256; v++)
        idt_set_gate((uint8_t)v, trap_stub_table[v], 0);
    idt[TRAP_DOUBLE_FAULT].ist = IST_DOUBLE_FAULT;
    idt[TRAP_NMI].ist = IST_NMI;
    idt[TRAP_MACHINE_CHECK].ist = IST_MACHINE_CHECK;
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) pointer = { sizeof(idt) - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" : : "m"(pointer));
}

void trap_set_handler(uint8_t vector, trap_handler_fn handler)
{
    if (vector >= TRAP_FIRST_IRQ)
        handlers[vector] = handler;
}

static void print_registers(const struct trap_frame *f)
{
    kprintf("  rip %016lx  cs %04lx  rflags %016lx\n", f->rip, f->cs, f->rflags);
    kprintf("  rsp %016lx  ss %04lx  cr2 %016lx  cr3 %016lx\n", f->rsp, f->ss, cpu_read_cr2(),
            cpu_read_cr3());
    kprintf("  rax %016lx  rbx %016lx  rcx %016lx  rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
    kprintf("  rsi %016lx  rdi %016lx  rbp %016lx  r8  %016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
    kprintf("  r9  %016lx  r10 %016lx  r11 %016lx  r12 %016lx\n", f->r9, f->r10, f->r11, f->r12);
    kprintf("  r13 %016lx  r14 %016lx  r15 %016lx\n", f->r13, f->r14, f->r15);
}

/* A kernel-mode exception is a kernel bug: report it and stop with KERNEL_EXIT_FAULT. */
static __attribute__((noreturn)) void trap_kernel_fault(const struct trap_frame *f)
{
    static int reporting;
    if (reporting++) {
        kprintf("\nkernel fault: vector %lu while reporting a fault; stopping\n", f->vector);
        machine_exit(KERNEL_EXIT_FAULT);
    }
    kprintf("\nkernel fault: vector %lu (%s), error code %#lx\n", f->vector,
            exception_names[f->vector], f->error_code);
    print_registers(f);
    backtrace_print(f->rip, f->rbp);
    machine_exit(KERNEL_EXIT_FAULT);
}

/* The POSIX signal a user-mode exception stands for (as Linux maps them); 0: not the user's. */
static int signal_for_exception(uint64_t vector)
{
    switch (vector) {
    case TRAP_DIVIDE_ERROR:
    case 16: /* x87 floating point */
    case 19: /* SIMD floating point */
        return 8; /* SIGFPE */
    case TRAP_DEBUG:
    case TRAP_BREAKPOINT:
        return 5; /* SIGTRAP */
    case TRAP_INVALID_OPCODE:
        return 4; /* SIGILL */
    case 12: /* stack fault */
    case 17: /* alignment check */
        return 7; /* SIGBUS */
    case TRAP_NMI:
    case TRAP_DOUBLE_FAULT:
    case TRAP_MACHINE_CHECK:
        return 0;
    default:
        return 11; /* SIGSEGV */
    }
}

/* A page fault from user mode: demand-zero, copy-on-write and memory-object pages are
 * resolved here. True when the access can be retried. (The kernel reaches user memory only
 * through vm_read/vm_write, so a kernel-mode fault is never resolved.)
 * Out of frames, as Linux's OOM killer: the process with the most memory charged is killed
 * with SIGKILL, not the one that happened to fault, which then retries; each retry that fails
 * again ends one more, so it ends with the faulting process itself if it is the largest. The
 * root task and proc have no quota and are never chosen. A touch past a memory object's size
 * sets *past_end (SIGBUS, as Linux past a file's end). */
static bool trap_resolve_user_page_fault(struct trap_frame *frame, bool *past_end)
{
    uint64_t address = cpu_read_cr2();
    struct thread *current = sched_current();
    if (!trap_from_user(frame) || !current || !current->process || !current->process->space)
        return false;
    int error = vm_handle_page_fault(current->process->space, address, frame->error_code);
    *past_end = error == -ENXIO;
    if (error != -ENOMEM)
        return error == 0;
    struct process *victim = process_oom_victim();
    if (victim == NULL || victim == current->process) {
        kprintf("oom: process %u killed: no free frame for its page fault\n",
                current->process->id);
        process_exit_current(PROCESS_EXIT_FAULT_BASE + 9);
    }
    kprintf("oom: no free frame for process %u; killed process %u (%lu pages charged)\n",
            current->process->id, victim->id, victim->quota->used);
    process_oom_kill(victim);
    return true;
}

void trap_dispatch(struct trap_frame *frame)
{
    bool past_end = false;
    if (frame->vector == TRAP_PAGE_FAULT && trap_resolve_user_page_fault(frame, &past_end))
        return;
    if (frame->vector < TRAP_FIRST_IRQ) {
        int signal = past_end ? 7 /* SIGBUS */ : signal_for_exception(frame->vector);
        if (trap_from_user(frame) && signal) {
            uint64_t address = frame->vector == TRAP_PAGE_FAULT ? cpu_read_cr2() : frame->rip;
            if (upcall_deliver_fault(sched_current(), signal, address, frame->error_code))
                return;
            kprintf("process %u killed: %s at rip %#lx (cr2 %#lx)\n",
                    sched_current()->process->id, exception_names[frame->vector], frame->rip,
                    frame->vector == TRAP_PAGE_FAULT ? address : 0);
            process_exit_current(PROCESS_EXIT_FAULT_BASE + signal);
        }
        trap_kernel_fault(frame);
    }
    trap_handler_fn handler = handlers[frame->vector];
    if (handler)
        handler(frame);
    else if (frame->vector != TRAP_SPURIOUS)
        kprintf("trap: unexpected interrupt vector %lu ignored\n", frame->vector);
    if (trap_from_user(frame)) {
        sched_preempt_point();
        upcall_deliver_if_pending(sched_current());
    }
}
