/* libsys: the C API over Aramid's system calls, IPC, console output, threads and spawning. */
#ifndef ARAMID_SYS_H
#define ARAMID_SYS_H

#include <stdarg.h>
#include <stddef.h>

#include <aramid/bootinfo.h>
#include <aramid/errno.h>
#include <aramid/syscall.h>

/*
 * Every function returns a value >= 0 on success or -errno (aramid/errno.h) on failure, as the
 * kernel does. Handles are aramid_handle_t; addresses in other address spaces are unsigned long.
 */

/* Handle rights, for the masks of handle_duplicate and handle_grant (the kernel's
 * HANDLE_RIGHT_*; libsys/abi.c checks they match). A mask only ever removes rights. */
#define ARAMID_RIGHT_READ (1ul << 0)
#define ARAMID_RIGHT_WRITE (1ul << 1)
#define ARAMID_RIGHT_EXECUTE (1ul << 2)
#define ARAMID_RIGHT_MAP (1ul << 3)
#define ARAMID_RIGHT_SEND (1ul << 4)
#define ARAMID_RIGHT_RECEIVE (1ul << 5)
#define ARAMID_RIGHT_SIGNAL (1ul << 6)
#define ARAMID_RIGHT_WAIT (1ul << 7)
#define ARAMID_RIGHT_GRANT (1ul << 8)
#define ARAMID_RIGHT_DUPLICATE (1ul << 9)
#define ARAMID_RIGHT_MANAGE (1ul << 10)
#define ARAMID_RIGHTS_ALL ((1ul << 11) - 1)
/* A mark, not a right: a handle with it is copied into a forked child (process_create's source)
 * and kept across process_exec. sys_handle_duplicate may set it on the new handle. */
#define ARAMID_RIGHT_INHERIT (1ul << 11)

/*
 * The C signature of each system call, looked up by name from ARAMID_SYSCALLS:
 * (form, parameter list, argument list). Form PLAIN gets a generated `long sys_NAME(...)`;
 * form IPC calls carry message registers and are wrapped by aramid_ipc_* below. A system call
 * added to the ABI without a line here, or with a different argument count, fails to compile.
 */
#define ARAMID_SYS_debug_write PLAIN, (const char *text, size_t length), (text, length)
#define ARAMID_SYS_process_exit PLAIN, (int code), (code)
#define ARAMID_SYS_thread_exit PLAIN, (void), ()
#define ARAMID_SYS_yield PLAIN, (void), ()
#define ARAMID_SYS_sleep PLAIN, (unsigned long nanoseconds), (nanoseconds)
#define ARAMID_SYS_clock_monotonic PLAIN, (void), ()
#define ARAMID_SYS_handle_close PLAIN, (aramid_handle_t handle), (handle)
#define ARAMID_SYS_handle_duplicate                                                                \
    PLAIN, (aramid_handle_t handle, unsigned long rights), (handle, rights)
#define ARAMID_SYS_endpoint_create PLAIN, (void), ()
#define ARAMID_SYS_notification_create                                                             \
    PLAIN, (aramid_handle_t parent, unsigned long key), (parent, key)
#define ARAMID_SYS_ipc_call IPC, (), ()
#define ARAMID_SYS_ipc_reply_wait IPC, (), ()
#define ARAMID_SYS_ipc_wait IPC, (), ()
#define ARAMID_SYS_notify_signal                                                                   \
    PLAIN, (aramid_handle_t notification, unsigned long bits), (notification, bits)
/* notify_wait and notify_poll also return a key in rdx: written by hand below. */
#define ARAMID_SYS_notify_wait IPC, (), ()
#define ARAMID_SYS_notify_poll IPC, (), ()
#define ARAMID_SYS_vm_map                                                                          \
    PLAIN,                                                                                         \
        (aramid_handle_t space, unsigned long address, size_t length, unsigned long prot,          \
         aramid_handle_t memory_object, unsigned long offset),                                     \
        (space, address, length, prot, memory_object, offset)
#define ARAMID_SYS_vm_unmap                                                                        \
    PLAIN, (aramid_handle_t space, unsigned long address, size_t length), (space, address, length)
#define ARAMID_SYS_vm_discard                                                                      \
    PLAIN, (aramid_handle_t space, unsigned long address, size_t length), (space, address, length)
#define ARAMID_SYS_vm_protect                                                                      \
    PLAIN, (aramid_handle_t space, unsigned long address, size_t length, unsigned long prot),      \
        (space, address, length, prot)
#define ARAMID_SYS_memory_object_create PLAIN, (size_t size), (size)
#define ARAMID_SYS_space_create PLAIN, (void), ()
#define ARAMID_SYS_space_clone PLAIN, (aramid_handle_t space), (space)
#define ARAMID_SYS_process_create                                                                  \
    PLAIN, (aramid_handle_t space, aramid_handle_t source), (space, source)
#define ARAMID_SYS_thread_create                                                                   \
    PLAIN,                                                                                         \
        (aramid_handle_t process, unsigned long entry, unsigned long stack_pointer,                \
         unsigned long argument),                                                                  \
        (process, entry, stack_pointer, argument)
#define ARAMID_SYS_process_kill PLAIN, (aramid_handle_t process), (process)
#define ARAMID_SYS_process_wait                                                                    \
    PLAIN, (aramid_handle_t process, unsigned long deadline), (process, deadline)
#define ARAMID_SYS_kernel_stats                                                                    \
    PLAIN, (unsigned long which, void *buffer, size_t length), (which, buffer, length)
#define ARAMID_SYS_machine_exit PLAIN, (int code), (code)
#define ARAMID_SYS_vm_write                                                                        \
    PLAIN, (aramid_handle_t space, unsigned long address, const void *buffer, size_t length),      \
        (space, address, buffer, length)
#define ARAMID_SYS_ipc_buffer PLAIN, (void), ()
#define ARAMID_SYS_fault_handler_set                                                               \
    PLAIN, (aramid_handle_t process, aramid_handle_t endpoint), (process, endpoint)
#define ARAMID_SYS_handle_grant                                                                    \
    PLAIN, (aramid_handle_t process, aramid_handle_t handle, unsigned long rights),                \
        (process, handle, rights)
#define ARAMID_SYS_thread_self PLAIN, (void), ()
#define ARAMID_SYS_notify_bind PLAIN, (aramid_handle_t notification), (notification)
#define ARAMID_SYS_upcall_set                                                                     \
    PLAIN, (unsigned long entry, aramid_handle_t notification), (entry, notification)
#define ARAMID_SYS_upcall_return PLAIN, (const struct aramid_upcall_frame *frame), (frame)
#define ARAMID_SYS_upcall_stack_set PLAIN, (unsigned long base, unsigned long size), (base, size)
#define ARAMID_SYS_process_id PLAIN, (aramid_handle_t process), (process)
#define ARAMID_SYS_process_notify_exit                                                            \
    PLAIN, (aramid_handle_t process, aramid_handle_t notification, unsigned long bits),            \
        (process, notification, bits)

#define ARAMID_SYS_ipc_reply IPC, (), ()
#define ARAMID_SYS_timer_set                                                                       \
    PLAIN,                                                                                         \
        (aramid_handle_t notification, unsigned long deadline, unsigned long period,               \
         unsigned long bits),                                                                      \
        (notification, deadline, period, bits)
#define ARAMID_SYS_endpoint_mint                                                                   \
    PLAIN, (aramid_handle_t endpoint, unsigned long badge, unsigned long rights),                  \
        (endpoint, badge, rights)
#define ARAMID_SYS_process_exec                                                                    \
    PLAIN, (aramid_handle_t process, aramid_handle_t space), (process, space)
#define ARAMID_SYS_process_allow_create PLAIN, (aramid_handle_t process), (process)
#define ARAMID_SYS_process_set_quota                                                               \
    PLAIN, (aramid_handle_t process, unsigned long pages), (process, pages)
#define ARAMID_SYS_process_set_system                                                              \
    PLAIN, (aramid_handle_t process, const char *name, size_t length), (process, name, length)
#define ARAMID_SYS_futex_wait                                                                      \
    PLAIN, (const volatile unsigned *address, unsigned long value, unsigned long deadline),     \
        (address, value, deadline)
#define ARAMID_SYS_futex_wake                                                                      \
    PLAIN, (const volatile unsigned *address, unsigned long count), (address, count)
#define ARAMID_SYS_thread_tls_set PLAIN, (unsigned long base), (base)
#define ARAMID_SYS_robust_list_set PLAIN, (struct aramid_robust_head *head), (head)
#define ARAMID_SYS_thread_exit_wake                                                                \
    PLAIN, (volatile unsigned *address, unsigned long value), (address, value)
#define ARAMID_SYS_cpu_time                                                                       \
    PLAIN, (aramid_handle_t process, struct aramid_cpu_time *out), (process, out)
#define ARAMID_SYS_cpu_timer_set                                                                  \
    PLAIN,                                                                                         \
        (aramid_handle_t notification, unsigned long kind, unsigned long threshold,                \
         unsigned long bits),                                                                      \
        (notification, kind, threshold, bits)
#define ARAMID_SYS_console_bind                                                                   \
    PLAIN, (aramid_handle_t console, aramid_handle_t notification, unsigned long bits),           \
        (console, notification, bits)
#define ARAMID_SYS_console_read                                                                   \
    PLAIN, (aramid_handle_t console, void *buffer, size_t length), (console, buffer, length)
#define ARAMID_SYS_process_stop PLAIN, (aramid_handle_t process, unsigned long stop), (process, stop)
#define ARAMID_SYS_memory_object_resize                                                            \
    PLAIN, (aramid_handle_t memory, unsigned long size), (memory, size)
#define ARAMID_SYS_vm_read                                                                         \
    PLAIN, (aramid_handle_t space, unsigned long address, void *buffer, size_t length),            \
        (space, address, buffer, length)
#define ARAMID_SYS_memory_object_discard                                                           \
    PLAIN, (aramid_handle_t memory_object, size_t offset, size_t length),                          \
        (memory_object, offset, length)

/* Helpers that apply a macro to a signature (libsys/syscall.c uses them for the definitions). */
#define ARAMID_SYS_APPLY(macro, ...) macro(__VA_ARGS__)
#define ARAMID_SYS_FOR(macro, number, name, count)                                                 \
    ARAMID_SYS_APPLY(macro, number, name, count, ARAMID_SYS_##name)
#define ARAMID_SYS_DECLARE(number, name, count)                                                    \
    ARAMID_SYS_FOR(ARAMID_SYS_DECLARE_FORM, number, name, count)
#define ARAMID_SYS_DECLARE_FORM(number, name, count, form, params, args)                           \
    ARAMID_SYS_DECLARE_##form(name, params)
#define ARAMID_SYS_DECLARE_PLAIN(name, params) long sys_##name params;
#define ARAMID_SYS_DECLARE_IPC(name, params)

/* long sys_debug_write(const char *text, size_t length); ... one per PLAIN line above. */
ARAMID_SYSCALLS(ARAMID_SYS_DECLARE)

/* notify_wait(notification, deadline): the bits (waiting while there are none; deadline 0
 * waits forever, else -ETIMEDOUT once it passes), and in *key the ready child's key (0 for the
 * notification's own bits; key may be NULL). notify_poll never waits. */
long aramid_notify_wait(aramid_handle_t notification, unsigned long deadline, unsigned long *key);
long aramid_notify_poll(aramid_handle_t notification, unsigned long *key);
static inline long sys_notify_wait(aramid_handle_t notification)
{
    return aramid_notify_wait(notification, 0, 0);
}
static inline long sys_notify_poll(aramid_handle_t notification)
{
    return aramid_notify_poll(notification, 0);
}

/* Any system call by number, with every message register treated as clobbered: for calls the
 * typed wrappers cannot express (unknown numbers, hostile-input tests). */
long aramid_syscall(long number, long a0, long a1, long a2, long a3, long a4, long a5);

/*
 * IPC (see syscall.h). words[] travel in mr0..mr5; bytes beyond them go through the calling
 * thread's IPC buffer (sys_ipc_buffer()), their count in ARAMID_IPC_BUFFER_BYTES(info).
 * aramid_ipc_call sends *message and, on success, overwrites info and words with the reply
 * (badge, reply and sender are left as they were). aramid_ipc_wait and aramid_ipc_reply_wait
 * (which first answers the call this thread received last, with *message) store the next
 * request with its badge (of the handle the caller used), its reply token and its sender (the
 * caller's process id). aramid_ipc_reply answers a kept call by token from any thread. With
 * ARAMID_IPC_DEADLINE in info (aramid_ipc_wait: in flags) the deadline is message->deadline.
 * On failure *message is left as it was.
 */
struct aramid_message {
    unsigned long info;
    unsigned long badge;
    unsigned long words[ARAMID_IPC_REGISTERS];
    unsigned long reply;    /* receive: the call's reply token (0 for notifications) */
    unsigned long sender;   /* receive: the caller's process id */
    unsigned long deadline; /* send: with ARAMID_IPC_DEADLINE, clock_monotonic nanoseconds */
};

/* A server's answer in message: label's info with buffer_bytes of the IPC buffer, the reply
 * words, and grant (a handle moved to the caller in mr5; 0: none). */
static inline void aramid_message_answer(struct aramid_message *message, unsigned label,
                                         const unsigned long words[ARAMID_IPC_REGISTERS],
                                         unsigned long buffer_bytes, aramid_handle_t grant)
{
    message->info = ARAMID_IPC_INFO(label, buffer_bytes);
    for (unsigned i = 0; i < ARAMID_IPC_REGISTERS; i++)
        message->words[i] = words[i];
    if (grant > 0) {
        message->info |= ARAMID_IPC_GRANT;
        message->words[5] = (unsigned long)grant;
    }
}

/*
 * The IPC calls are inline, register-only stubs. They bind the message registers mr0..mr5 =
 * rdx r10 r8 r9 r12 r13 explicitly; rdi carries the endpoint (or token) in and the badge out,
 * rsi the info word (or flags) in and the info out, r15 the deadline in and (receives) the
 * sender out, r14 (receives) the reply token out; the kernel leaves r14 and r15 alone for a
 * call or a reply. r12-r15 are callee-saved: naming them as operands makes the compiler save
 * and restore them (once per calling function). Inlined into the caller, a message that
 * is a local variable lives in those registers: no struct is copied in or out, and a server
 * loop that answers with the request's own words moves nothing at all.
 */
static inline __attribute__((always_inline)) long
aramid_ipc_exchange(long number, unsigned long target, unsigned long info_in,
                    struct aramid_message *message, int receives)
{
    long result = number;
    unsigned long badge = target;
    unsigned long info = info_in;
    unsigned long mr0 = message->words[0];
    register unsigned long mr1 __asm__("r10") = message->words[1];
    register unsigned long mr2 __asm__("r8") = message->words[2];
    register unsigned long mr3 __asm__("r9") = message->words[3];
    register unsigned long mr4 __asm__("r12") = message->words[4];
    register unsigned long mr5 __asm__("r13") = message->words[5];
    register unsigned long sender __asm__("r15") = message->deadline;
    unsigned long reply = 0;
    if (receives) {
        register unsigned long token __asm__("r14");
        __asm__ volatile("syscall"
                         : "+a"(result), "+D"(badge), "+S"(info), "+d"(mr0), "+r"(mr1), "+r"(mr2),
                           "+r"(mr3), "+r"(mr4), "+r"(mr5), "=r"(token), "+r"(sender)
                         :
                         : "rcx", "r11", "memory");
        reply = token;
    } else if (__builtin_constant_p(info_in & ARAMID_IPC_DEADLINE) &&
               !(info_in & ARAMID_IPC_DEADLINE)) {
        /* A call (or a reply) whose info is known to carry no deadline: r15 is not read. */
        __asm__ volatile("syscall"
                         : "+a"(result), "+D"(badge), "+S"(info), "+d"(mr0), "+r"(mr1), "+r"(mr2),
                           "+r"(mr3), "+r"(mr4), "+r"(mr5)
                         :
                         : "rcx", "r11", "memory");
    } else {
        /* A call (or a reply) leaves r14 and r15 as they were: only receives set them. */
        __asm__ volatile("syscall"
                         : "+a"(result), "+D"(badge), "+S"(info), "+d"(mr0), "+r"(mr1), "+r"(mr2),
                           "+r"(mr3), "+r"(mr4), "+r"(mr5)
                         : "r"(sender)
                         : "rcx", "r11", "memory");
    }
    if (result == 0) {
        message->info = info;
        if (receives) {
            message->badge = badge;
            message->reply = reply;
            message->sender = sender;
        }
        message->words[0] = mr0;
        message->words[1] = mr1;
        message->words[2] = mr2;
        message->words[3] = mr3;
        message->words[4] = mr4;
        message->words[5] = mr5;
    }
    return result;
}

static inline __attribute__((always_inline)) long
aramid_ipc_call(aramid_handle_t endpoint, struct aramid_message *message)
{
    return aramid_ipc_exchange(SYS_ipc_call, (unsigned long)endpoint, message->info, message, 0);
}

static inline __attribute__((always_inline)) long
aramid_ipc_reply_wait(aramid_handle_t endpoint, struct aramid_message *message)
{
    return aramid_ipc_exchange(SYS_ipc_reply_wait, (unsigned long)endpoint, message->info,
                               message, 1);
}

static inline __attribute__((always_inline)) long
aramid_ipc_wait(aramid_handle_t endpoint, struct aramid_message *message)
{
    return aramid_ipc_exchange(SYS_ipc_wait, (unsigned long)endpoint, 0, message, 1);
}

static inline __attribute__((always_inline)) long
aramid_ipc_wait_flags(aramid_handle_t endpoint, unsigned long flags, struct aramid_message *message)
{
    return aramid_ipc_exchange(SYS_ipc_wait, (unsigned long)endpoint, flags, message, 1);
}

static inline __attribute__((always_inline)) long
aramid_ipc_reply(unsigned long reply, struct aramid_message *message)
{
    struct aramid_message copy = *message; /* a reply returns nothing but its result */
    return aramid_ipc_exchange(SYS_ipc_reply, reply, message->info, &copy, 0);
}

/* Console output through sys_debug_write, formatted by the kernel's printf engine
 * (ukernel/lib/format.c: %d %i %u %x %X %o %p %s %c %%, flags, width, precision, hh h l ll z).
 * Up to 256 characters go out in one debug_write, so short lines from threads do not mix.
 * Return the number of characters, or -errno if a write failed. */
__attribute__((format(printf, 1, 2))) int aramid_printf(const char *format, ...);
int aramid_vprintf(const char *format, va_list arguments);

/*
 * Maps length bytes (rounded up to pages) of memory_object at offset (0: anonymous zeroed
 * memory) into space at an address libsys picks from [ARAMID_MEMORY_START, ARAMID_MEMORY_END),
 * followed by an unmapped guard page. Returns the address or -errno. The region is this
 * process's own bookkeeping: use it for one space per process (normally the caller's own).
 */
#define ARAMID_MEMORY_START 0x100000000000ul
#define ARAMID_MEMORY_END 0x700000000000ul
long aramid_memory_map(aramid_handle_t space, size_t length, unsigned long prot,
                       aramid_handle_t memory_object, unsigned long offset);
/* A new memory object of length bytes mapped read-write into space (as aramid_memory_map):
 * its handle in *memory_object, the address returned; -errno with nothing left behind. */
long aramid_memory_create_mapped(aramid_handle_t space, size_t length,
                                 aramid_handle_t *memory_object);

/* The boot module named name, or NULL. */
const struct aramid_boot_module *aramid_module_find(const struct aramid_bootinfo *bootinfo,
                                                    const char *name);
/* Maps a boot module read-only into space (the caller's own); stores its bytes' address. */
long aramid_module_map(aramid_handle_t space, const struct aramid_boot_module *module,
                       const void **bytes);

/*
 * Starts a thread in the caller's own process (process must be a handle to it) running
 * function(argument) on [stack, stack + stack_size); when function returns, the thread exits.
 * Returns the thread handle or -errno.
 */
long aramid_thread_start(aramid_handle_t process, void (*function)(unsigned long argument),
                         unsigned long argument, void *stack, size_t stack_size);

/*
 * Spawning a process from a static ELF64 executable held in memory. Its stack is
 * ARAMID_SPAWN_STACK_SIZE bytes ending at ARAMID_SPAWN_STACK_TOP; its first thread starts at
 * the ELF entry with rdi = argument and rsp = ARAMID_SPAWN_STACK_TOP.
 */
#define ARAMID_SPAWN_STACK_TOP 0x7ff000000000ul
#define ARAMID_SPAWN_STACK_SIZE 0x10000ul

/* Handles of a spawned process (0 where there is none). */
struct aramid_child {
    aramid_handle_t space;
    aramid_handle_t process;
    aramid_handle_t thread;
    unsigned long entry;
};

/* Validates the image (ukernel/lib/elf.c), creates a space with its segments and a stack, and a
 * process on it, with no thread yet (so handles can be granted to it first). On failure nothing
 * is left behind. Returns 0, -ENOEXEC for a bad image, or the failing call's -errno. */
long aramid_spawn_load(const void *image, size_t size, struct aramid_child *child);
/* Starts the loaded child's first thread with rdi = argument. Returns 0 or -errno. */
long aramid_spawn_start(struct aramid_child *child, unsigned long argument);
/* aramid_spawn_load, then aramid_spawn_start; on a failed start the child is killed and closed. */
long aramid_spawn(const void *image, size_t size, unsigned long argument,
                  struct aramid_child *child);
/* Finds the boot module name, maps it into the caller's space (bootinfo->self_space; the
 * mapping stays) and aramid_spawn_load()s it. Returns 0, -ENOENT if there is no such module,
 * or the failing step's -errno. */
long aramid_spawn_load_module(const struct aramid_bootinfo *bootinfo, const char *name,
                              struct aramid_child *child);
/* Closes the child's handles (the process keeps running). Returns 0 or the first -errno. */
long aramid_child_close(struct aramid_child *child);

/*
 * Upcalls (see syscall.h): aramid_upcall_register makes the calling thread run handler(frame,
 * bits) when notification is signalled, through a trampoline that keeps the interrupted code's
 * x87/SSE state (not AVX's upper halves) and returns with upcall_return. The handler may change
 * *frame (e.g. rax, to turn -EINTR into a retry) and returns normally, or leaves for good
 * (a longjmp out of a signal handler). One handler per program (threads share it). Returns 0
 * or -errno.
 */
typedef void (*aramid_upcall_handler_fn)(struct aramid_upcall_frame *frame, unsigned long bits);
extern aramid_upcall_handler_fn aramid_upcall_handler;
long aramid_upcall_register(aramid_handle_t notification, aramid_upcall_handler_fn handler);
/* The interrupted code's FXSAVE image (512 bytes) sits at (char *)frame - this while the
 * handler runs; the trampoline restores it from there, changes included. */
#define ARAMID_UPCALL_FXSAVE_OFFSET 528
/* Optional, called first with the frame where the kernel put it (FPU state already saved; the
 * hook may use SSE): a 16-byte aligned address to move the frame to (the FXSAVE image goes
 * below it, so the caller leaves ARAMID_UPCALL_FXSAVE_OFFSET bytes of room there), or NULL to
 * stay. posix-shim's sigaltstack moves upcalls off the upcall stack that need not be on it. */
typedef struct aramid_upcall_frame *(*aramid_upcall_relocate_fn)(
    struct aramid_upcall_frame *frame, unsigned long bits);
extern aramid_upcall_relocate_fn aramid_upcall_relocate;

/* Clocks read from the kernel information page (aramid/infopage.h), without a system call:
 * nanoseconds since boot (the same clock as sys_clock_monotonic), and since the Unix epoch. */
unsigned long aramid_clock_monotonic_ns(void);
unsigned long aramid_clock_realtime_ns(void);

/* The entry point of every Aramid program (libsys/start.S calls it): argument is the bootinfo
 * address for the root task, else what the spawner passed. Its result is the exit code. */
int aramid_main(unsigned long argument);

#endif /* ARAMID_SYS_H */
