/* SYSCALL/SYSRET configuration: segment selectors in STAR, the entry in LSTAR, and the RFLAGS
 * bits cleared on entry (interrupts stay off for the whole system call). */
#include <stdint.h>

#include "cpu.h"
#include "entry.h"
#include "fpu.h"
#include "gdt.h"

#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_FMASK 0xc0000084
#define EFER_SCE (1ull << 0)
/* TF, IF, DF, IOPL, NT, AC */
#define SYSCALL_RFLAGS_MASK 0x47700ull

void syscall_entry(void);
void syscall_entry_without_fastpath(void);

void syscall_arch_init(void)
{
    /* SYSRET: CS = STAR[63:48] + 16, SS = STAR[63:48] + 8; SYSCALL: CS = STAR[47:32], SS = +8 */
    uint64_t user_base = (uint64_t)(GDT_USER_DATA - 8);
    cpu_write_msr(MSR_STAR, user_base << 48 | (uint64_t)GDT_KERNEL_CODE << 32);
    /* The IPC fastpath switches the FPU with XSAVEOPT only (fpu_switch_owned): without it, every
     * call takes the slow path, and the fastpath's entry is not used at all. */
    cpu_write_msr(MSR_LSTAR, fpu_mode == FPU_MODE_XSAVEOPT ? (uint64_t)syscall_entry
                                                           : (uint64_t)syscall_entry_without_fastpath);
    cpu_write_msr(MSR_FMASK, SYSCALL_RFLAGS_MASK);
    cpu_write_msr(MSR_EFER, cpu_read_msr(MSR_EFER) | EFER_SCE);
}
