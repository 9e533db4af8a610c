/* The Aramid-only IPC benchmark hooks (bench/bench_ipc.c): a server thread in this process, linked
 * only into the Aramid suite. */
#include <aramid/sys.h>
#include <aramid_posix.h>
#include <stddef.h>

/* What bench_ipc.c declares weak; here they are defined. */
int aramid_bench_ipc_server_start(void);
int aramid_bench_ipc_call(size_t payload_bytes);
const char *aramid_bench_ipc_null_step(void *state);
void aramid_bench_ipc_server_stop(void);

#define IPC_HOOKS_STACK_BYTES 16384
#define IPC_HOOKS_STOP_BIT 1ul

/*
 * The server's endpoint, the notification bound to it that tells it to stop, and the one it
 * signals when it has stopped. 0 while no server runs.
 */
static struct {
    aramid_handle_t endpoint;
    aramid_handle_t stop;
    aramid_handle_t stopped;
    aramid_handle_t thread;
} ipc_hooks;

static _Alignas(16) unsigned char ipc_hooks_stack[IPC_HOOKS_STACK_BYTES];

/*
 * Signals stopped and ends the thread in one piece of assembly: after the signal this thread
 * never touches its stack again, so the next server may reuse it as soon as the signal arrives.
 */
__attribute__((noreturn)) static void ipc_hooks_signal_and_exit(aramid_handle_t stopped)
{
    __asm__ volatile("syscall\n\t"
                     "mov %[exit], %%eax\n\t"
                     "syscall\n\t"
                     :
                     : "a"((long)SYS_notify_signal), "D"(stopped),
                       "S"(IPC_HOOKS_STOP_BIT), [exit] "i"(SYS_thread_exit)
                     : "rcx", "r11", "memory");
    __builtin_unreachable();
}

/*
 * The server: answers every call with label 0 and as many IPC-buffer bytes as came in (its own
 * buffer's bytes go back unread), until the stop notification ends its wait.
 */
static void ipc_hooks_serve(unsigned long argument)
{
    (void)argument;
    struct aramid_message message = {0};
    aramid_handle_t endpoint = ipc_hooks.endpoint;
    long result = sys_notify_bind(ipc_hooks.stop);
    if (result == 0)
        result = aramid_ipc_wait(endpoint, &message);
    /* The answer carries the request's own words back, so they never leave the registers. */
    while (result == 0 && !(message.info & ARAMID_IPC_NOTIFIED)) {
        message.info = ARAMID_IPC_INFO(0, ARAMID_IPC_BUFFER_BYTES(message.info));
        result = aramid_ipc_reply_wait(endpoint, &message);
    }
    if (result < 0)
        aramid_printf("bench: IPC server stopped with %ld\n", result);
    ipc_hooks_signal_and_exit(ipc_hooks.stopped);
}

static void ipc_hooks_close(void)
{
    aramid_handle_t *handles[] = {&ipc_hooks.endpoint, &ipc_hooks.stop, &ipc_hooks.stopped,
                                  &ipc_hooks.thread};
    for (size_t i = 0; i < sizeof(handles) / sizeof(handles[0]); i++) {
        if (*handles[i] > 0 && sys_handle_close(*handles[i]) < 0)
            aramid_printf("bench: closing IPC handle %ld failed\n", (long)*handles[i]);
        *handles[i] = 0;
    }
}

int aramid_bench_ipc_server_start(void)
{
    if (ipc_hooks.endpoint != 0)
        return (int)aramid_posix_error(-ARAMID_EEXIST);
    long endpoint = sys_endpoint_create();
    long stop = endpoint > 0 ? sys_notification_create(0, 0) : endpoint;
    long stopped = stop > 0 ? sys_notification_create(0, 0) : stop;
    ipc_hooks.endpoint = endpoint > 0 ? endpoint : 0;
    ipc_hooks.stop = stop > 0 ? stop : 0;
    ipc_hooks.stopped = stopped > 0 ? stopped : 0;
    if (stopped <= 0) {
        ipc_hooks_close();
        return (int)aramid_posix_error(stopped < 0 ? stopped : -ARAMID_EINVAL);
    }
    long thread = aramid_thread_start(aramid_posix_bootinfo()->self_process, ipc_hooks_serve, 0,
                                      ipc_hooks_stack, sizeof(ipc_hooks_stack));
    if (thread <= 0) {
        ipc_hooks_close();
        return (int)aramid_posix_error(thread < 0 ? thread : -ARAMID_EINVAL);
    }
    ipc_hooks.thread = thread;
    return 0;
}

/* One round trip: payload_bytes from this thread's IPC buffer to the server's, as many back. */
int aramid_bench_ipc_call(size_t payload_bytes)
{
    if (payload_bytes > ARAMID_IPC_BUFFER_SIZE)
        return (int)aramid_posix_error(-ARAMID_EMSGSIZE);
    unsigned long info = ARAMID_IPC_INFO(0, payload_bytes);
    struct aramid_message message = {.info = info};
    long result = aramid_ipc_call(ipc_hooks.endpoint, &message);
    if (result < 0)
        return (int)aramid_posix_error(result);
    return message.info == info ? 0 : (int)aramid_posix_error(-ARAMID_EINVAL);
}

/*
 * The step of aramid_ipc_null, called straight from the suite's loop: one call with info 0 and
 * six zero words through the endpoint to the server thread, which answers with info 0. What a
 * client with nothing to send costs and nothing more: the message is a local, so it lives in
 * the registers, and no deadline register is bound (info is a constant without one).
 */
__attribute__((noinline, cold)) static const char *ipc_hooks_null_failed(void)
{
    return "aramid_ipc_call failed or the answer's info was not 0";
}

const char *aramid_bench_ipc_null_step(void *state)
{
    (void)state;
    struct aramid_message message = {0};
    long result = aramid_ipc_call(ipc_hooks.endpoint, &message);
    if (__builtin_expect(result != 0 || message.info != 0, 0))
        return ipc_hooks_null_failed();
    return NULL;
}

/* Stops the server (its wait ends by the stop notification), waits until it is off its stack. */
void aramid_bench_ipc_server_stop(void)
{
    if (ipc_hooks.thread != 0) {
        long result = sys_notify_signal(ipc_hooks.stop, IPC_HOOKS_STOP_BIT);
        if (result >= 0)
            result = sys_notify_wait(ipc_hooks.stopped);
        if (result < 0)
            aramid_printf("bench: stopping the IPC server failed with %ld\n", result);
    }
    ipc_hooks_close();
}
