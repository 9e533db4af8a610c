/* The start convention of processes created by the process server: stack layout, auxv entries. */
#ifndef ARAMID_STARTINFO_H
#define ARAMID_STARTINFO_H

#include <stddef.h>

#include <aramid/syscall.h>

/*
 * A program that proc starts (spawn or execve) enters at its ELF entry point with
 *   rsp = rdi = the address of argc, 16-byte aligned,
 * and this block at that address (System V x86-64 layout, every slot 8 bytes):
 *   argc; argv[0] .. argv[argc-1]; NULL; envp[0] .. envp[n-1]; NULL;
 *   auxv pairs (type, value) ... (ARAMID_AT_NULL, 0);
 *   then the strings the pointers point at, ending below ARAMID_SPAWN_STACK_TOP.
 * Every other register is zero. rdi is what libsys's crt0 passes to aramid_main, so a libsys
 * program calls aramid_start(argument, &info); posix-shim's crt0 does the same before main().
 *
 * auxv carries Linux's AT_PAGESZ and AT_ENTRY and Aramid's entries below; the handles are the
 * process's own. A forked child gets no new stack block: it returns from aramid_proc_fork with
 * its libsys `aramid_proc_self` rewritten by proc (see aramid/proto/proc.h).
 */
#define ARAMID_AT_NULL 0
#define ARAMID_AT_PAGESZ 6
#define ARAMID_AT_ENTRY 9
#define ARAMID_AT_ARAMID_PID 0x41520001           /* the process id */
#define ARAMID_AT_ARAMID_SPACE 0x41520002         /* handle: its own address space (all rights) */
#define ARAMID_AT_ARAMID_PROCESS 0x41520003       /* handle: its own kernel process (threads) */
#define ARAMID_AT_ARAMID_PROC_ENDPOINT 0x41520004 /* handle: proc's endpoint (send) */
#define ARAMID_AT_ARAMID_PROC_NOTIFICATION 0x41520005 /* handle: its wake-up notification (wait)   \
                                                       */
#define ARAMID_AT_ARAMID_STACK_LOW 0x41520006         /* lowest address of its initial stack */
#define ARAMID_AT_ARAMID_SIGNAL_NOTIFICATION 0x41520007 /* handle: its signal notification */
#define ARAMID_AT_ARAMID_SIGNALS_BLOCKED 0x41520008     /* signal mask kept by execve */
#define ARAMID_AT_ARAMID_SIGNALS_IGNORED 0x41520009     /* ignored signals kept by execve */
#define ARAMID_AT_ARAMID_CONSOLE_TOKEN 0x4152000a /* aramid-run's token, 0: none (docs/sdk.md) */
#define ARAMID_AT_ARAMID_CHILDREN 0x4152000b /* children (alive or zombie) it has at start */
#define ARAMID_AT_ARAMID_EVENT_ENDPOINT 0x41520010 /* handle: the event server (send, grant) */
#define ARAMID_AT_ARAMID_SOCK_ENDPOINT 0x41520011  /* handle: the sock server (send, grant) */
#define ARAMID_AT_ARAMID_CONSOLE 0x4152000c  /* handle: console input (read), 0: none */
#define ARAMID_AT_ARAMID_VFS_ENDPOINT 0x4152000d /* handle: the vfs server's endpoint (send) */
#define ARAMID_AT_ARAMID_VFS_TOKEN 0x4152000e /* vfs handoff token of an execve (0: none) */
#define ARAMID_AT_ARAMID_IPC_ENDPOINT 0x41520020 /* handle: the ipc server (send, grant) */
#define ARAMID_AT_ARAMID_RLIMIT_STACK 0x41520030  /* RLIMIT_STACK's soft limit (bytes or ~0) */
#define ARAMID_AT_ARAMID_RLIMIT_NOFILE 0x41520031 /* RLIMIT_NOFILE's soft limit */
#define ARAMID_AT_ARAMID_RLIMIT_CPU 0x41520032      /* RLIMIT_CPU's soft limit (seconds or ~0) */
#define ARAMID_AT_ARAMID_RLIMIT_CPU_HARD 0x41520033 /* and its hard limit */

/* Bounds aramid_start_parse enforces on a block (it reads the caller's own memory). */
#define ARAMID_START_ARGS_MAX 65536
#define ARAMID_START_AUXV_MAX 64

/* What a process needs to talk to proc: kept in libsys's global aramid_proc_self. */
struct aramid_proc_self {
    long pid;
    aramid_handle_t space;
    aramid_handle_t process;
    aramid_handle_t endpoint;
    aramid_handle_t notification;
    aramid_handle_t signals; /* signal notification (wait, signal): bit N-1 = signal N */
    aramid_handle_t event;   /* the event server's endpoint (send, grant); 0: none */
    aramid_handle_t sock;    /* the sock server's endpoint (send, grant); 0: none */
    aramid_handle_t console; /* console input (read; SYS_console_read), 0: none */
    aramid_handle_t vfs;     /* the vfs server's endpoint (send); 0: no vfs */
    aramid_handle_t ipc;     /* the ipc server's endpoint (send, grant); 0: none */
};

struct aramid_auxv {
    unsigned long type;
    unsigned long value;
};

/* A start block, read back. */
struct aramid_startinfo {
    long argc;
    char **argv;
    char **envp;
    const struct aramid_auxv *auxv; /* ends with ARAMID_AT_NULL */
    struct aramid_proc_self self;
    unsigned long page_size;
    unsigned long entry;
    unsigned long stack_low;
    unsigned long signals_blocked; /* bit N-1 = signal N; from the execve that started it */
    unsigned long signals_ignored;
    unsigned long console_token; /* aramid-run's run token (stderr frames); 0: none */
    unsigned long children;      /* children it has at start (an execve keeps them) */
    unsigned long vfs_token;     /* the execve's vfs handoff (aramid/proto/vfs.h), 0: none */
};

/*
 * Builds a start block for a process whose stack ends at stack_top, into the end of buffer
 * (buffer[size - n .. size) is what belongs at [stack_top - n, stack_top)). strings holds argc
 * then envc NUL-terminated strings, back to back, strings_length bytes in all. auxv (auxc
 * entries, without the terminator) is copied and terminated. Stores the stack pointer (the
 * address of argc) in *stack_pointer and returns n, or -E2BIG if the block does not fit.
 * Pure: no system calls, host-tested.
 */
long aramid_start_build(unsigned char *buffer, size_t size, unsigned long stack_top,
                        const char *strings, size_t strings_length, long argc, long envc,
                        const struct aramid_auxv *auxv, size_t auxc, unsigned long *stack_pointer);

/* Reads the block at stack (the caller's own memory). Returns 0, or -EINVAL if argc, the NULL
 * terminators or the auxv terminator are not where the bounds above allow. Pure. */
long aramid_start_parse(unsigned long stack, struct aramid_startinfo *info);

/* aramid_start_parse, then installs info->self as aramid_proc_self for the proc client calls.
 * Returns 0, -EINVAL for a bad block, or -ENOENT if auxv lacks the proc entries. */
long aramid_start(unsigned long argument, struct aramid_startinfo *info);

#endif
