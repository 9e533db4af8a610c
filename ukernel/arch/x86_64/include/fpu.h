/* Per-thread x87/SSE/AVX state: XSAVE where the CPU has it, else FXSAVE. The kernel itself never
 * touches these registers (-mgeneral-regs-only), so they are saved and restored only when the
 * CPU switches between user threads. */
#ifndef ARAMID_ARCH_FPU_H
#define ARAMID_ARCH_FPU_H

#include <stddef.h>

struct fpu_state;

/* Enables FXSR/XSAVE in CR4 (and XCR0 = every user state the CPU supports) and sizes the save
 * area. Call once per CPU before the first user thread. */
void fpu_init(void);
/* A save area holding the initial state (FCW 0x37f, MXCSR 0x1f80); NULL when out of memory. */
struct fpu_state *fpu_state_create(void);
void fpu_state_destroy(struct fpu_state *state);
void fpu_save(struct fpu_state *state);
void fpu_restore(const struct fpu_state *state);
size_t fpu_state_size(void);

#endif
