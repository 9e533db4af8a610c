/* libsys proc client: stubs generated from ARAMID_PROC_MESSAGES and the API posix-shim calls. */
#include <aramid/proto/proc.h>
#include <aramid/sys.h>

#include "kstring.h"

struct aramid_proc_self aramid_proc_self;

/* One call to proc: request words in mr0.., buffer_bytes from the IPC buffer, reply words back. */
static long proc_client_call(unsigned label, const void *request, size_t request_size,
                             size_t buffer_bytes, long *reply, size_t reply_size)
{
    struct aramid_message message;
    long result;
    /* -EINTR: an upcall ended the call while it was still queued, before proc received it, so
     * sending it again is always safe. */
    do {
        message = (struct aramid_message){.info = ARAMID_IPC_INFO(label, buffer_bytes)};
        memcpy(message.words, request, request_size);
        result = aramid_ipc_call(aramid_proc_self.endpoint, &message);
    } while (result == -ARAMID_EINTR);
    if (result < 0)
        return result;
    memcpy(reply, message.words, reply_size);
    return reply[0]; /* every reply starts with result */
}

#define PROC_CLIENT_STUB(label, name, request, reply)                                              \
    long aramid_proc_call_##name(const struct aramid_proc_##name##_request *request_words,         \
                                 size_t buffer_bytes,                                              \
                                 struct aramid_proc_##name##_reply *reply_words)                   \
    {                                                                                              \
        return proc_client_call(label, request_words, sizeof(*request_words), buffer_bytes,        \
                                &reply_words->result, sizeof(*reply_words));                       \
    }
ARAMID_PROC_MESSAGES(PROC_CLIENT_STUB)
#undef PROC_CLIENT_STUB

long aramid_start(unsigned long argument, struct aramid_startinfo *info)
{
    long result = aramid_start_parse(argument, info);
    if (result < 0)
        return result;
    if (info->self.pid <= 0 || info->self.endpoint <= 0 || info->self.notification <= 0)
        return -ARAMID_ENOENT;
    aramid_proc_self = info->self;
    return 0;
}

/* Called by aramid_proc_fork (libsys/fork.S) with the address of the saved-register frame. */
long aramid_proc_fork_call(unsigned long frame);
/* libsys/fork.S: where the child's first thread starts, rdi = rsp = frame. */
void aramid_proc_fork_child(void);

long aramid_proc_fork_call(unsigned long frame)
{
    struct aramid_proc_fork_request request = {
        .entry = (long)aramid_proc_fork_child,
        .frame = (long)frame,
        .self = (long)&aramid_proc_self,
    };
    struct aramid_proc_fork_reply reply;
    return aramid_proc_call_fork(&request, 0, &reply);
}

/* What an execve carries besides its strings. */
struct proc_client_exec {
    unsigned long blocked, ignored, vfs_token;
    aramid_handle_t image; /* 0: path names a boot module */
    size_t image_size;
};

/* Encodes path, argv, envp into the IPC buffer and sends them as an execve (exec != NULL) or a
 * spawn. */
static long proc_client_strings(const char *path, char *const argv[], char *const envp[],
                                const struct proc_client_exec *exec)
{
    long buffer = sys_ipc_buffer();
    if (buffer <= 0)
        return buffer < 0 ? buffer : -ARAMID_EFAULT;
    struct aramid_proc_spawn_request request;
    long bytes = aramid_proc_strings_encode((char *)buffer, ARAMID_IPC_BUFFER_SIZE, path, argv,
                                            envp, &request.argc, &request.envc);
    if (bytes < 0)
        return bytes;
    struct aramid_proc_spawn_reply reply;
    if (exec == NULL)
        return aramid_proc_call_spawn(&request, (size_t)bytes, &reply);
    struct aramid_proc_execve_request words = {
        .counts = request.argc | (request.envc << 32),
        .signals_blocked = (long)exec->blocked,
        .signals_ignored = (long)exec->ignored,
        .vfs_token = (long)exec->vfs_token,
        .image_size = (long)exec->image_size,
    };
    if (exec->image <= 0) {
        struct aramid_proc_execve_reply exec_reply;
        return aramid_proc_call_execve(&words, (size_t)bytes, &exec_reply);
    }
    /* The generated stub cannot move a handle: the call by hand, the image in mr5. */
    struct aramid_message message = {
        .info = ARAMID_IPC_INFO(ARAMID_PROC_execve, (size_t)bytes) | ARAMID_IPC_GRANT};
    memcpy(message.words, &words, sizeof(words));
    message.words[5] = (unsigned long)exec->image;
    long result;
    do {
        result = aramid_ipc_call(aramid_proc_self.endpoint, &message);
    } while (result == -ARAMID_EINTR);
    return result < 0 ? result : (long)message.words[0];
}

long aramid_proc_execve(const char *path, char *const argv[], char *const envp[])
{
    struct proc_client_exec exec = {0};
    return proc_client_strings(path, argv, envp, &exec);
}

long aramid_proc_execve_signals(const char *path, char *const argv[], char *const envp[],
                                unsigned long signals_blocked, unsigned long signals_ignored,
                                unsigned long vfs_token)
{
    struct proc_client_exec exec = {signals_blocked, signals_ignored, vfs_token, 0, 0};
    return proc_client_strings(path, argv, envp, &exec);
}

long aramid_proc_execve_image(aramid_handle_t image, size_t size, char *const argv[],
                              char *const envp[], unsigned long signals_blocked,
                              unsigned long signals_ignored, unsigned long vfs_token)
{
    struct proc_client_exec exec = {signals_blocked, signals_ignored, vfs_token, image, size};
    return proc_client_strings("vfs", argv, envp, &exec);
}

long aramid_proc_spawn(const char *path, char *const argv[], char *const envp[])
{
    return proc_client_strings(path, argv, envp, NULL);
}

/* proc keeps the call until a child exits (or a signal cancels it: -EINTR). */
long aramid_proc_wait4_usage(long pid, int *status, int options, unsigned long usage[2])
{
    struct aramid_proc_wait4_request request = {.pid = pid, .options = options};
    struct aramid_proc_wait4_reply reply;
    long result = aramid_proc_call_wait4(&request, 0, &reply);
    if (result > 0 && status != NULL)
        *status = (int)reply.status;
    if (result > 0 && usage != NULL) {
        usage[0] = (unsigned long)reply.user_ns;
        usage[1] = (unsigned long)reply.system_ns;
    }
    return result;
}

long aramid_proc_wait4(long pid, int *status, int options)
{
    return aramid_proc_wait4_usage(pid, status, options, NULL);
}

void aramid_proc_exit(int status)
{
    struct aramid_proc_exit_request request = {.status = status, .signal = 0};
    struct aramid_proc_exit_reply reply;
    /* proc ends this process while handling the call; without proc, end it here. */
    aramid_proc_call_exit(&request, 0, &reply);
    for (;;)
        sys_process_exit(status & 0xff);
}

void aramid_proc_exit_signal(int signal)
{
    struct aramid_proc_exit_request request = {.status = 0, .signal = signal};
    struct aramid_proc_exit_reply reply;
    aramid_proc_call_exit(&request, 0, &reply);
    for (;;)
        sys_process_exit(128 + (signal & 0x7f)); /* the kernel's "killed by signal" code */
}

long aramid_proc_signal_register(int nocldwait, const struct aramid_proc_signal_view *view,
                                 const volatile unsigned long *mask)
{
    struct aramid_proc_signal_register_request request = {
        .nocldwait = nocldwait != 0, .view = (long)view, .mask = (long)mask};
    struct aramid_proc_signal_register_reply reply;
    return aramid_proc_call_signal_register(&request, 0, &reply);
}

long aramid_proc_module_open(const char *name, size_t *size)
{
    long buffer = sys_ipc_buffer();
    if (buffer <= 0)
        return buffer < 0 ? buffer : -ARAMID_EFAULT;
    size_t length = strlen(name);
    if (length == 0 || length >= ARAMID_BOOTINFO_NAME_MAX)
        return -ARAMID_ENOENT;
    memcpy((char *)buffer, name, length);
    struct aramid_proc_module_open_request request;
    struct aramid_proc_module_open_reply reply;
    long result = aramid_proc_call_module_open(&request, length, &reply);
    if (result >= 0)
        *size = (size_t)reply.size;
    return result;
}

long aramid_proc_getpid(void)
{
    struct aramid_proc_getpid_request request;
    struct aramid_proc_getpid_reply reply;
    return aramid_proc_call_getpid(&request, 0, &reply);
}

long aramid_proc_getppid(void)
{
    struct aramid_proc_getppid_request request;
    struct aramid_proc_getppid_reply reply;
    return aramid_proc_call_getppid(&request, 0, &reply);
}

long aramid_proc_kill(long pid, int signal)
{
    struct aramid_proc_kill_request request = {.pid = pid, .signal = signal};
    struct aramid_proc_kill_reply reply;
    return aramid_proc_call_kill(&request, 0, &reply);
}

long aramid_proc_events_subscribe(aramid_handle_t *notification)
{
    struct aramid_proc_events_subscribe_request request;
    struct aramid_proc_events_subscribe_reply reply;
    long result = aramid_proc_call_events_subscribe(&request, 0, &reply);
    if (result == 0)
        *notification = reply.notification;
    return result;
}

long aramid_proc_events_read(struct aramid_proc_event *events, size_t max, bool *lost)
{
    struct aramid_proc_events_read_request request;
    struct aramid_proc_events_read_reply reply;
    long result = aramid_proc_call_events_read(&request, 0, &reply);
    if (result < 0)
        return result;
    size_t count = (size_t)result < max ? (size_t)result : max;
    memcpy(events, (const void *)sys_ipc_buffer(), count * sizeof(*events));
    *lost = reply.lost != 0;
    return (long)count;
}

long aramid_proc_setpgid(long pid, long pgid)
{
    struct aramid_proc_setpgid_request request = {.pid = pid, .pgid = pgid};
    struct aramid_proc_setpgid_reply reply;
    return aramid_proc_call_setpgid(&request, 0, &reply);
}

long aramid_proc_getpgid(long pid)
{
    struct aramid_proc_getpgid_request request = {.pid = pid};
    struct aramid_proc_getpgid_reply reply;
    return aramid_proc_call_getpgid(&request, 0, &reply);
}

long aramid_proc_setsid(void)
{
    struct aramid_proc_setsid_request request;
    struct aramid_proc_setsid_reply reply;
    return aramid_proc_call_setsid(&request, 0, &reply);
}

long aramid_proc_getsid(long pid)
{
    struct aramid_proc_getsid_request request = {.pid = pid};
    struct aramid_proc_getsid_reply reply;
    return aramid_proc_call_getsid(&request, 0, &reply);
}

long aramid_proc_stop(int signal)
{
    struct aramid_proc_stop_request request = {.signal = signal};
    struct aramid_proc_stop_reply reply;
    return aramid_proc_call_stop(&request, 0, &reply);
}
