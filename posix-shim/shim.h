/* posix-shim internals: process state from the boot information, and error conversion. */
#ifndef POSIX_SHIM_H
#define POSIX_SHIM_H

#include <stddef.h>

#include <aramid/sys.h>

/* Set once by shim_start before anything else runs; never changes afterwards. */
extern const struct aramid_bootinfo *shim_bootinfo;
/* Handle to the process's own address space (bootinfo->self_space). */
extern aramid_handle_t shim_self_space;

/* The pid every process reports until the process server assigns real ones (root task: 1). */
#define SHIM_PID 1

#define SHIM_PAGE_SIZE 0x1000ul
#define SHIM_PAGE_ROUND_UP(value) (((value) + SHIM_PAGE_SIZE - 1) & ~(SHIM_PAGE_SIZE - 1))

/*
 * Errors: inside the shim functions return -errno in newlib's numbering (<errno.h>); libsys and
 * the kernel return -errno in Linux's numbering (ARAMID_E*), so every libsys result passes through
 * shim_error_from_sys before it is compared with an E* constant or returned.
 */
long shim_error_from_sys(long result);
/* The POSIX boundary: result >= 0 is returned as is; -errno sets errno and gives -1. */
long shim_return(long result);

/* Writes text to the console, in as many debug_write calls as needed. Returns length or -errno. */
long shim_console_write(const void *text, size_t length);

/* Ends the process with status & 0xff after printing the end marker (see docs/sdk.md). */
__attribute__((noreturn)) void shim_exit_process(int status);

/* Exit status of a process ended by signal number signal, as aramid-run reports it. */
#define SHIM_SIGNAL_STATUS(signal) (128 + (signal))

/* Starts the clock of times() (time.c); shim_start calls it first. */
void time_init(void);

/* Default action of signal for this process (no handlers exist below newlib's signal()). */
void shim_signal_default(int signal);

#endif
