/* Kernel entry and exit to user mode: SYSCALL setup and resuming a thread's user frame. */
#ifndef ARAMID_ARCH_ENTRY_H
#define ARAMID_ARCH_ENTRY_H

/* The vector field of a trap frame built by the SYSCALL entry. */
#define SYSCALL_FRAME_VECTOR 0x100
/* User RIP at or above this is not returned to with SYSRET (non-canonical RCX would fault in
 * ring 0 on Intel CPUs); IRET reports such an address as a user fault instead. */
#define SYSRET_RIP_LIMIT 0x00007ffffffff000ull
#define USER_RFLAGS_DEFAULT 0x202 /* IF set */

/* The two system calls the entry stub sends to the IPC fastpath (checked against
 * aramid/syscall.h in syscall.c); they must stay adjacent. */
#define ENTRY_SYS_IPC_CALL 10
#define ENTRY_SYS_IPC_REPLY_WAIT 11

/* Offsets in struct trap_frame (trap.h), for the assembly that builds frames field by field. */
#define TRAP_FRAME_R15 0
#define TRAP_FRAME_R14 8
#define TRAP_FRAME_R13 16
#define TRAP_FRAME_R12 24
#define TRAP_FRAME_R11 32
#define TRAP_FRAME_R10 40
#define TRAP_FRAME_R9 48
#define TRAP_FRAME_R8 56
#define TRAP_FRAME_RBP 64
#define TRAP_FRAME_RDI 72
#define TRAP_FRAME_RSI 80
#define TRAP_FRAME_RDX 88
#define TRAP_FRAME_RCX 96
#define TRAP_FRAME_RBX 104
#define TRAP_FRAME_RAX 112
#define TRAP_FRAME_VECTOR 120
#define TRAP_FRAME_ERROR_CODE 128
#define TRAP_FRAME_RIP 136
#define TRAP_FRAME_CS 144
#define TRAP_FRAME_RFLAGS 152
#define TRAP_FRAME_RSP 160
#define TRAP_FRAME_SS 168
#define TRAP_FRAME_SIZE 176

#ifndef __ASSEMBLER__
#include <stdint.h>

#include <stddef.h>

#include "trap.h"

_Static_assert(offsetof(struct trap_frame, r14) == TRAP_FRAME_R14, "trap frame offsets");
_Static_assert(offsetof(struct trap_frame, r11) == TRAP_FRAME_R11, "trap frame offsets");
_Static_assert(offsetof(struct trap_frame, rbp) == TRAP_FRAME_RBP, "trap frame offsets");
_Static_assert(offsetof(struct trap_frame, rdi) == TRAP_FRAME_RDI, "trap frame offsets");
_Static_assert(offsetof(struct trap_frame, rcx) == TRAP_FRAME_RCX, "trap frame offsets");
_Static_assert(offsetof(struct trap_frame, rax) == TRAP_FRAME_RAX, "trap frame offsets");
_Static_assert(offsetof(struct trap_frame, error_code) == TRAP_FRAME_ERROR_CODE,
               "trap frame offsets");
_Static_assert(offsetof(struct trap_frame, rip) == TRAP_FRAME_RIP, "trap frame offsets");
_Static_assert(offsetof(struct trap_frame, rflags) == TRAP_FRAME_RFLAGS, "trap frame offsets");
_Static_assert(offsetof(struct trap_frame, ss) == TRAP_FRAME_SS, "trap frame offsets");
_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "trap frame offsets");

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
