/* libsys system calls: one wrapper per call, generated from the ABI's X-macro, and the IPC calls.
 */
#include <aramid/sys.h>

/*
 * SYSCALL: number in rax, arguments in rdi rsi rdx r10 r8 r9, result in rax. The CPU clobbers rcx
 * and r11; for non-IPC calls the kernel keeps every other register, so the arguments are plain
 * inputs. "memory": the kernel reads and writes user buffers.
 */
static inline long syscall_0(long number)
{
    long result;
    __asm__ volatile("syscall" : "=a"(result) : "a"(number) : "rcx", "r11", "memory");
    return result;
}

static inline long syscall_1(long number, long a0)
{
    long result;
    __asm__ volatile("syscall" : "=a"(result) : "a"(number), "D"(a0) : "rcx", "r11", "memory");
    return result;
}

static inline long syscall_2(long number, long a0, long a1)
{
    long result;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a0), "S"(a1)
                     : "rcx", "r11", "memory");
    return result;
}

static inline long syscall_3(long number, long a0, long a1, long a2)
{
    long result;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a0), "S"(a1), "d"(a2)
                     : "rcx", "r11", "memory");
    return result;
}

static inline long syscall_4(long number, long a0, long a1, long a2, long a3)
{
    long result;
    register long r10 __asm__("r10") = a3;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a0), "S"(a1), "d"(a2), "r"(r10)
                     : "rcx", "r11", "memory");
    return result;
}

static inline long syscall_6(long number, long a0, long a1, long a2, long a3, long a4, long a5)
{
    long result;
    register long r10 __asm__("r10") = a3;
    register long r8 __asm__("r8") = a4;
    register long r9 __asm__("r9") = a5;
    __asm__ volatile("syscall"
                     : "=a"(result)
                     : "a"(number), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return result;
}

/* Casts each argument to long and calls syscall_COUNT; a count without a syscall_COUNT above,
 * or an argument list of another length, does not compile. */
#define SYS_CALL_0(number) syscall_0(number)
#define SYS_CALL_1(number, a) syscall_1(number, (long)(a))
#define SYS_CALL_2(number, a, b) syscall_2(number, (long)(a), (long)(b))
#define SYS_CALL_3(number, a, b, c) syscall_3(number, (long)(a), (long)(b), (long)(c))
#define SYS_CALL_4(number, a, b, c, d) syscall_4(number, (long)(a), (long)(b), (long)(c), (long)(d))
#define SYS_CALL_6(number, a, b, c, d, e, f)                                                       \
    syscall_6(number, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* ", a, b" from "(a, b)", nothing from "()". SYS_EXPAND is not ARAMID_SYS_APPLY because it is used
 * inside an expansion of that macro, where the preprocessor would not expand it again. */
#define SYS_EXPAND(macro, ...) macro(__VA_ARGS__)
#define SYS_COMMA_ARGUMENTS(...) , ##__VA_ARGS__

#define SYS_DEFINE(number, name, count) ARAMID_SYS_FOR(SYS_DEFINE_FORM, number, name, count)
#define SYS_DEFINE_FORM(number, name, count, form, params, args)                                   \
    SYS_DEFINE_##form(number, name, count, params, args)
#define SYS_DEFINE_PLAIN(number, name, count, params, args)                                        \
    long sys_##name params                                                                         \
    {                                                                                              \
        return SYS_EXPAND(SYS_CALL_##count, number SYS_COMMA_ARGUMENTS args);                      \
    }
#define SYS_DEFINE_IPC(number, name, count, params, args)

ARAMID_SYSCALLS(SYS_DEFINE)

long aramid_syscall(long number, long a0, long a1, long a2, long a3, long a4, long a5)
{
    long result = number;
    register long r10 __asm__("r10") = a3;
    register long r8 __asm__("r8") = a4;
    register long r9 __asm__("r9") = a5;
    register long r12 __asm__("r12");
    register long r13 __asm__("r13");
    __asm__ volatile("syscall"
                     : "+a"(result), "+D"(a0), "+S"(a1), "+d"(a2), "+r"(r10), "+r"(r8), "+r"(r9),
                       "=r"(r12), "=r"(r13)
                     :
                     : "rcx", "r11", "memory");
    return result;
}

long aramid_notify_wait(aramid_handle_t notification, unsigned long deadline, unsigned long *key)
{
    long result;
    register unsigned long rdx __asm__("rdx") = 0;
    __asm__ volatile("syscall"
                     : "=a"(result), "+d"(rdx)
                     : "a"((long)SYS_notify_wait), "D"(notification), "S"(deadline)
                     : "rcx", "r11", "memory");
    if (key)
        *key = rdx;
    return result;
}

long aramid_notify_poll(aramid_handle_t notification, unsigned long *key)
{
    long result;
    register unsigned long rdx __asm__("rdx") = 0;
    __asm__ volatile("syscall"
                     : "=a"(result), "+d"(rdx)
                     : "a"((long)SYS_notify_poll), "D"(notification)
                     : "rcx", "r11", "memory");
    if (key)
        *key = rdx;
    return result;
}
