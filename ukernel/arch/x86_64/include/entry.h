/* Kernel entry and exit to user mode: SYSCALL setup and resuming a thread's user frame. */
#ifndef ARAMID_ARCH_ENTRY_H
#define ARAMID_ARCH_ENTRY_H

/* The vector field of a trap frame built by the SYSCALL entry. */
#define SYSCALL_FRAME_VECTOR 0x100
/* User RIP at or above this is not returned to with SYSRET (non-canonical RCX would fault in
 * ring 0 on Intel CPUs); IRET reports such an address as a user fault instead. */
#define SYSRET_RIP_LIMIT 0x00007ffffffff000ull
#define USER_RFLAGS_DEFAULT 0x202 /* IF set */

#ifndef __ASSEMBLER__
#include <stdint.h>

#include "trap.h"

/* Programs STAR/LSTAR/FMASK and turns on EFER.SCE. */
void syscall_arch_init(void);
/* Loads frame's registers and returns to user mode (SYSRET for system-call frames with a safe
 * RIP, IRET otherwise). rsp becomes frame; nothing below it on the stack survives. */
__attribute__((noreturn)) void entry_return_to_user(struct trap_frame *frame);
/* Starts entry on a fresh stack whose top is stack_top. */
__attribute__((noreturn)) void entry_start_kernel_thread(void (*entry)(void), uint64_t stack_top);
/* Called by the SYSCALL entry with the saved frame; returns through entry_return_to_user. */
void syscall_dispatch(struct trap_frame *frame);

#endif /* __ASSEMBLER__ */

#endif
