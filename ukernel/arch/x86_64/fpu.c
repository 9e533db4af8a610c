/* FPU/SIMD state management with XSAVE (all supported user components) or FXSAVE. */
#include <stdbool.h>
#include <stdint.h>

#include "console.h"
#include "cpu.h"
#include "fpu.h"
#include "kstring.h"
#include "memory.h"
#include "slab.h"

#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_OSXSAVE (1ull << 18)
/* x87, SSE, AVX: the components the kernel manages; their area (<= 832 bytes) fits a slab. */
#define XCR0_USER_MASK 0x7ull /* upper half 0: fpu_switch relies on it (fpu.h) */
#define CPUID_D1_EAX_XSAVEOPT (1u << 0)
#define FXSAVE_SIZE 512
#define FPU_ALIGN 64
#define FCW_OFFSET 0
#define MXCSR_OFFSET 24

/* The area is opaque bytes; its size is known only at run time. */
struct fpu_state {
    uint8_t bytes[FXSAVE_SIZE];
};

enum fpu_mode fpu_mode = FPU_MODE_FXSAVE;
static uint64_t xsave_mask;
static size_t state_size = FXSAVE_SIZE;
static struct slab_cache state_cache;

static inline void xsetbv(uint32_t index, uint64_t value)
{
    __asm__ volatile("xsetbv" : : "c"(index), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)));
}

void fpu_init(void)
{
    uint64_t cr0 = cpu_read_cr0();
    cr0 = (cr0 & ~(CR0_EM | CR0_TS)) | CR0_MP;
    __asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
    uint64_t cr4 = cpu_read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
    if (cpu_features.xsave)
        cr4 |= CR4_OSXSAVE;
    cpu_write_cr4(cr4);

    if (cpu_features.xsave) {
        uint32_t a, b, c, d;
        cpuid(0xd, 0, &a, &b, &c, &d);
        xsave_mask = ((uint64_t)d << 32 | a) & XCR0_USER_MASK;
        xsetbv(0, xsave_mask);
        cpuid(0xd, 0, &a, &b, &c, &d); /* EBX: size for the components now enabled */
        state_size = b;
        cpuid(0xd, 1, &a, &b, &c, &d);
        fpu_mode = (a & CPUID_D1_EAX_XSAVEOPT) ? FPU_MODE_XSAVEOPT : FPU_MODE_XSAVE;
    }
    if (slab_cache_init(&state_cache, "fpu_state", state_size, FPU_ALIGN, &memory_page_source) != 0)
        kernel_panic("fpu: cannot make a cache of %zu-byte save areas", state_size);
    kprintf("fpu: %s, %zu-byte save area\n",
            fpu_mode == FPU_MODE_XSAVEOPT ? "xsaveopt" : fpu_mode == FPU_MODE_XSAVE ? "xsave" : "fxsave",
            state_size);
}

size_t fpu_state_size(void)
{
    return state_size;
}

struct fpu_state *fpu_state_create(void)
{
    struct fpu_state *state = slab_alloc(&state_cache);
    if (!state)
        return NULL;
    /* Zero XSTATE_BV means "initial configuration" for every XSAVE component; the legacy fields
     * below are what FXRSTOR and XRSTOR read for x87 control and MXCSR. */
    memset(state, 0, state_size);
    *(uint16_t *)(state->bytes + FCW_OFFSET) = 0x37f;
    *(uint32_t *)(state->bytes + MXCSR_OFFSET) = 0x1f80;
    return state;
}

void fpu_state_destroy(struct fpu_state *state)
{
    if (state && slab_free(&state_cache, state) != 0)
        kernel_panic("fpu: bad save area %p", (void *)state);
}
