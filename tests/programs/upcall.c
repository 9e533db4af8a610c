/* Test program (root task): upcalls — delivery at the next return to user mode, -EINTR for
 * interrupted waits, registers and SSE state of interrupted code kept, faults delivered as
 * upcalls, validated returns, and a process without stack room for the frame killed. */
#include <aramid/sys.h>

#define UPCALL_CHILD_FLAG (1ul << 63)
#define UPCALL_EINTR 4
#define UPCALL_EFAULT 14
#define UPCALL_SPIN_LIMIT (1ul << 34)

static const struct aramid_bootinfo *upcall_bootinfo;
static aramid_handle_t upcall_notification;
static volatile unsigned long upcall_count;
static volatile unsigned long upcall_last_bits;
static volatile unsigned long upcall_fault_signal, upcall_fault_address;
static volatile unsigned long upcall_fault_resume; /* where a fault's upcall continues */
static unsigned long upcall_failures;

#define UPCALL_CHECK(condition, ...)                                                          \
    do {                                                                                      \
        if (!(condition)) {                                                                   \
            upcall_failures++;                                                                \
            aramid_printf("upcall: FAIL " __VA_ARGS__);                                       \
        }                                                                                     \
    } while (0)

static void upcall_handler(struct aramid_upcall_frame *frame, unsigned long bits)
{
    if (frame->fault_signal) {
        upcall_fault_signal = frame->fault_signal;
        upcall_fault_address = frame->fault_address;
        frame->rip = upcall_fault_resume; /* skip the faulting instruction */
        return;
    }
    upcall_count++;
    upcall_last_bits = bits;
    /* Clobber SSE registers: the trampoline must restore the interrupted code's. */
    __asm__ volatile("pxor %%xmm0, %%xmm0; pxor %%xmm1, %%xmm1; pxor %%xmm7, %%xmm7" ::: "xmm0",
                     "xmm1", "xmm7");
}

static void upcall_signal_later(unsigned long bits)
{
    sys_sleep(20 * 1000 * 1000);
    sys_notify_signal(upcall_notification, bits);
}

static long upcall_start_signaller(unsigned long bits)
{
    static _Alignas(16) unsigned char stack[16384];
    return aramid_thread_start(upcall_bootinfo->self_process, upcall_signal_later, bits, stack,
                               sizeof(stack));
}

/* A child whose stack pointer is garbage when the upcall comes: it must be killed. */
static int upcall_child(void)
{
    long notification = sys_notification_create(0, 0);
    aramid_upcall_register(notification, upcall_handler);
    __asm__ volatile("movq %%rsp, %%rbx\n\t"
                     "movq $0x10, %%rsp\n\t" /* no room below 16 for a frame */
                     "movq %0, %%rdi\n\t"
                     "movq $4, %%rsi\n\t"
                     "movq %1, %%rax\n\t"
                     "syscall\n\t"
                     "movq %%rbx, %%rsp"
                     :
                     : "r"(notification), "i"(SYS_notify_signal)
                     : "rax", "rbx", "rcx", "rdi", "rsi", "r11", "memory");
    return 0; /* not reached if the kernel killed this process */
}

int aramid_main(unsigned long argument)
{
    if (argument & UPCALL_CHILD_FLAG)
        return upcall_child();
    upcall_bootinfo = (const struct aramid_bootinfo *)argument;
    upcall_notification = sys_notification_create(0, 0);
    UPCALL_CHECK(aramid_upcall_register(upcall_notification, upcall_handler) == 0, "register\n");

    /* 1: signalling itself: the upcall runs as that system call returns; its result survives. */
    long result = sys_notify_signal(upcall_notification, 0x2);
    UPCALL_CHECK(result == 0 && upcall_count == 1 && upcall_last_bits == 0x2,
                 "self signal: result %ld count %lu bits %#lx\n", result, upcall_count,
                 upcall_last_bits);

    /* 2: a sleep interrupted by a signal from another thread returns -EINTR. */
    long thread = upcall_start_signaller(0x4);
    result = sys_sleep(5ul * 1000 * 1000 * 1000);
    UPCALL_CHECK(result == -UPCALL_EINTR && upcall_count == 2 && upcall_last_bits == 0x4,
                 "interrupted sleep: %ld count %lu\n", result, upcall_count);
    sys_handle_close(thread);

    /* 3: so does an IPC wait with no caller. */
    long endpoint = sys_endpoint_create();
    struct aramid_message message = { 0 };
    thread = upcall_start_signaller(0x8);
    result = aramid_ipc_wait(endpoint, &message);
    UPCALL_CHECK(result == -UPCALL_EINTR && upcall_count == 3, "interrupted ipc_wait: %ld\n",
                 result);
    sys_handle_close(thread);

    /* 4: CPU-bound code interrupted by the timer-driven switch keeps every register. */
    thread = upcall_start_signaller(0x10);
    unsigned long sum = 0, i = 0;
    double scaled = 1.0;
    for (; i < UPCALL_SPIN_LIMIT && upcall_count == 3; i++) {
        sum += i ^ (i >> 3);
        scaled = scaled * 1.0000001;
    }
    unsigned long expected = 0;
    double expected_scaled = 1.0;
    for (unsigned long j = 0; j < i; j++) {
        expected += j ^ (j >> 3);
        expected_scaled = expected_scaled * 1.0000001;
    }
    UPCALL_CHECK(upcall_count == 4, "no upcall during a busy loop\n");
    UPCALL_CHECK(sum == expected && scaled == expected_scaled,
                 "registers changed across an upcall (%lu iterations)\n", i);
    sys_handle_close(thread);

    /* 5: faults become upcalls with the signal and address: a read of address 0x10 (SIGSEGV),
     * then ud2 (SIGILL); the handler resumes after the instruction. */
    __asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
                     "movq %%rax, %0\n\t"
                     "movq $0x10, %%rcx\n\t"
                     "movq (%%rcx), %%rdx\n"
                     "1:"
                     : "=m"(upcall_fault_resume)
                     :
                     : "rax", "rcx", "rdx", "memory");
    UPCALL_CHECK(upcall_fault_signal == 11 && upcall_fault_address == 0x10,
                 "page fault upcall: signal %lu address %#lx\n", upcall_fault_signal,
                 upcall_fault_address);
    __asm__ volatile("leaq 1f(%%rip), %%rax\n\t"
                     "movq %%rax, %0\n\t"
                     "ud2\n"
                     "1:"
                     : "=m"(upcall_fault_resume)
                     :
                     : "rax", "memory");
    UPCALL_CHECK(upcall_fault_signal == 4, "invalid opcode upcall: signal %lu\n",
                 upcall_fault_signal);

    /* 6: upcall_return refuses frames it cannot honour. */
    struct aramid_upcall_frame bad = { 0 };
    bad.rip = 0xffffffff80100000ul;
    bad.rsp = 0x7fff0000;
    UPCALL_CHECK(sys_upcall_return(&bad) == -UPCALL_EFAULT, "kernel rip accepted\n");
    UPCALL_CHECK(sys_upcall_return((void *)0xffff800000000000ul) == -UPCALL_EFAULT,
                 "kernel frame pointer accepted\n");
    UPCALL_CHECK(sys_upcall_set(0xffffffff80100000ul, upcall_notification) == -UPCALL_EFAULT,
                 "kernel entry accepted\n");

    /* The calls added with upcalls refuse wrong-type, stale and forged handles. */
    long wrong_type = sys_endpoint_create();
    long stale = sys_notification_create(0, 0);
    sys_handle_close(stale);
    const long bad_handles[] = { wrong_type, stale, -1, 0x7fffffff, 1l << 40 };
    for (unsigned i = 0; i < sizeof(bad_handles) / sizeof(bad_handles[0]); i++) {
        long h = bad_handles[i];
        UPCALL_CHECK(sys_upcall_set((unsigned long)upcall_handler, h) < 0,
                     "upcall_set with handle %#lx\n", h);
        UPCALL_CHECK(sys_notify_bind(h) < 0, "notify_bind with handle %#lx\n", h);
        UPCALL_CHECK(sys_process_notify_exit(h, upcall_notification, 1) < 0,
                     "process_notify_exit on handle %#lx\n", h);
        UPCALL_CHECK(sys_process_notify_exit(upcall_bootinfo->self_process, h, 1) < 0,
                     "process_notify_exit with notification %#lx\n", h);
        UPCALL_CHECK(sys_process_id(h) < 0, "process_id of handle %#lx\n", h);
    }
    sys_handle_close(wrong_type);
    /* A failed upcall_set left the registration alone: a signal still upcalls. */
    unsigned long before = upcall_count;
    sys_notify_signal(upcall_notification, 0x20);
    UPCALL_CHECK(upcall_count == before + 1, "registration lost after refused calls\n");

    /* 7: no stack room for the frame kills the process (128 + SIGSEGV). */
    struct aramid_child child;
    result = aramid_spawn_load_module(upcall_bootinfo, "upcall", &child);
    if (result == 0)
        result = aramid_spawn_start(&child, UPCALL_CHILD_FLAG);
    long code = result == 0 ? sys_process_wait(child.process, 0) : result;
    UPCALL_CHECK(code == 139, "child without stack room: %ld\n", code);

    if (upcall_failures) {
        aramid_printf("upcall: %lu failures\n", upcall_failures);
        return 1;
    }
    aramid_printf("upcall: all checks passed (%lu upcalls)\n", upcall_count);
    return 0;
}
