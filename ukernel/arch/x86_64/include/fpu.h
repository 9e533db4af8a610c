/* Per-thread x87/SSE/AVX state: XSAVE where the CPU has it, else FXSAVE. The kernel itself never
 * touches these registers (-mgeneral-regs-only), so they are saved and restored only when the
 * CPU switches between user threads. */
#ifndef ARAMID_ARCH_FPU_H
#define ARAMID_ARCH_FPU_H

#include <stdbool.h>
#include <stddef.h>

struct fpu_state;

/* How the registers are saved, chosen by fpu_init from what the CPU has. */
enum fpu_mode {
    FPU_MODE_FXSAVE,
    FPU_MODE_XSAVE,
    FPU_MODE_XSAVEOPT,
};
extern enum fpu_mode fpu_mode;

/* Enables FXSR/XSAVE in CR4 (and XCR0 = every user state the CPU supports) and sizes the save
 * area. Call once per CPU before the first user thread. */
void fpu_init(void);
/* A save area holding the initial state (FCW 0x37f, MXCSR 0x1f80); NULL when out of memory. */
struct fpu_state *fpu_state_create(void);
void fpu_state_destroy(struct fpu_state *state);
size_t fpu_state_size(void);

/*
 * Saves the registers into save (NULL: they belong to nobody, e.g. their thread exited) and
 * loads load: the eager switch, every time the CPU changes user thread, so a thread never runs
 * with another thread's registers in the FPU, not even speculatively (no CR0.TS games: LazyFP).
 * With XSAVEOPT (EDX:EAX = all ones = every component enabled in XCR0) the processor itself
 * skips writing components that were not modified since the XRSTOR from the same area (the
 * last one it executed), and XRSTOR of a component in its initial configuration (XSTATE_BV bit
 * clear) only initializes it: a thread that never touched AVX never moves AVX state. That
 * tracking is valid only while nothing but XSAVEOPT writes an area whose state may be live in
 * the registers; fpu_state_create writes fresh areas only, and an exited owner's area is
 * dropped (fpu_owner = NULL) before it can be reused.
 */
static inline __attribute__((always_inline)) void fpu_switch(struct fpu_state *save,
                                                             const struct fpu_state *load)
{
    /* The requested-feature bitmap is XCR0 & EDX:EAX. EAX = all ones asks for every component
     * fpu_init enabled; EDX is left as it is (the IPC fastpath keeps mr0 there) because XCR0's
     * upper half is 0 (XCR0_USER_MASK in fpu.c), so EDX cannot matter. */
    if (__builtin_expect(fpu_mode == FPU_MODE_XSAVEOPT, 1)) {
        if (__builtin_expect(save != NULL, 1))
            __asm__ volatile("xsaveopt64 (%0)\n\txrstor64 (%1)"
                             : : "r"(save), "r"(load), "a"(-1) : "memory");
        else
            __asm__ volatile("xrstor64 (%0)" : : "r"(load), "a"(-1) : "memory");
    } else if (fpu_mode == FPU_MODE_XSAVE) {
        if (save)
            __asm__ volatile("xsave64 (%0)" : : "r"(save), "a"(-1) : "memory");
        __asm__ volatile("xrstor64 (%0)" : : "r"(load), "a"(-1) : "memory");
    } else {
        if (save)
            __asm__ volatile("fxsave64 (%0)" : : "r"(save) : "memory");
        __asm__ volatile("fxrstor64 (%0)" : : "r"(load) : "memory");
    }
}

/* fpu_switch from the registers' owner (save is never NULL) in FPU_MODE_XSAVEOPT, tested by
 * nobody: the IPC fastpath's (it switches away from the running thread, which owns them). On a
 * CPU without XSAVEOPT, syscall_arch_init installs an entry without the fastpath. */
static inline __attribute__((always_inline)) void fpu_switch_owned(struct fpu_state *save,
                                                                   const struct fpu_state *load)
{
    __asm__ volatile("xsaveopt64 (%0)\n\txrstor64 (%1)"
                     : : "r"(save), "r"(load), "a"(-1) : "memory");
}

#endif
