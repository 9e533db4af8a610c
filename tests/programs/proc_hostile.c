/* Test program (run by proc): garbage messages to proc's endpoint — unknown labels, lying
 * buffer lengths, malformed strings, bad addresses, stray handles, random words — must all get
 * errors, and proc must keep serving. */
#include <aramid/proto/proc.h>
#include <aramid/sys.h>

#define HOSTILE_RANDOM_CALLS 3000

static unsigned long hostile_failures, hostile_rejected;
static struct aramid_startinfo hostile_info;

/* One raw call; returns proc's result word (or the IPC error). */
static long hostile_call(unsigned long info, unsigned long w0, unsigned long w1, unsigned long w2,
                         unsigned long w5)
{
    struct aramid_message message = {.info = info, .words = {w0, w1, w2, 0, 0, w5}};
    long result = aramid_ipc_call(hostile_info.self.endpoint, &message);
    result = result < 0 ? result : (long)message.words[0];
    if (result < 0)
        hostile_rejected++;
    return result;
}

/* A prlimit call: every word of it (pid, resource, set, soft, hard). */
static long hostile_prlimit(unsigned long pid, unsigned long resource, unsigned long set,
                            unsigned long soft, unsigned long hard)
{
    struct aramid_message message = {.info = ARAMID_IPC_INFO(ARAMID_PROC_prlimit, 0),
                                     .words = {pid, resource, set, soft, hard, 0}};
    long result = aramid_ipc_call(hostile_info.self.endpoint, &message);
    return result < 0 ? result : (long)message.words[0];
}

#define HOSTILE_EXPECT(call, expected)                                                             \
    do {                                                                                           \
        long got_ = (call);                                                                        \
        if (got_ != (expected)) {                                                                  \
            hostile_failures++;                                                                    \
            aramid_printf("hostile: FAIL %s gave %ld, expected %ld\n", #call, got_,                \
                          (long)(expected));                                                       \
        }                                                                                          \
    } while (0)

static unsigned long hostile_state = 0x9e3779b97f4a7c15ul;
static unsigned long hostile_random(void)
{
    hostile_state ^= hostile_state << 13;
    hostile_state ^= hostile_state >> 7;
    hostile_state ^= hostile_state << 17;
    return hostile_state;
}

static _Alignas(16) unsigned char hostile_thread_stack[4096];

static void hostile_thread_exits(unsigned long argument)
{
    (void)argument;
}

static void hostile_fill_buffer(unsigned char value)
{
    unsigned char *buffer = (unsigned char *)sys_ipc_buffer();
    for (unsigned i = 0; i < ARAMID_IPC_BUFFER_SIZE; i++)
        buffer[i] = value;
}

static void hostile_fixed(void)
{
    const long enosys = -ARAMID_ENOSYS, einval = -ARAMID_EINVAL;
    /* proc knows us from our first call: it recorded our badge when it made us. */
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_getpid, 0), 0, 0, 0, 0),
                   hostile_info.self.pid);
    /* Without the creation authority (only proc has it) a process makes no process, space or
     * thread elsewhere that proc would not know (issue 11); threads of its own are fine. */
    const long eperm = -ARAMID_EPERM;
    HOSTILE_EXPECT(sys_process_id(hostile_info.self.process) > 0, 1);
    HOSTILE_EXPECT(sys_process_create(hostile_info.self.space, 0), eperm);
    HOSTILE_EXPECT(sys_process_create(hostile_info.self.space, hostile_info.self.process), eperm);
    HOSTILE_EXPECT(sys_space_create(), eperm);
    HOSTILE_EXPECT(sys_space_clone(hostile_info.self.space), eperm);
    HOSTILE_EXPECT(sys_process_exec(hostile_info.self.process, hostile_info.self.space), eperm);
    HOSTILE_EXPECT(sys_process_allow_create(hostile_info.self.process), eperm);
    long thread = aramid_thread_start(hostile_info.self.process, hostile_thread_exits, 0,
                                      hostile_thread_stack, sizeof(hostile_thread_stack));
    HOSTILE_EXPECT(thread > 0, 1);
    (void)sys_handle_close(thread);
    /* Unknown labels, the retired 9 (hello) among them. */
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(0, 0), 0, 0, 0, 0), enosys);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(9, 0), 0, 0, 0, 0), enosys);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_LABEL_END, 0), 0, 0, 0, 0), enosys);
    /* module_open with no name, a name with a NUL inside, an unknown name. */
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_module_open, 0), 0, 0, 0, 0), einval);
    hostile_fill_buffer(0);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_module_open, 8), 0, 0, 0, 0), einval);
    hostile_fill_buffer('x');
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_module_open, 40), 0, 0, 0, 0),
                   -ARAMID_ENOENT);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(0xffffffffu, 0), 1, 2, 3, 0), enosys);
    /* More than 4096 buffer bytes: the kernel refuses to send it. */
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_execve, 4097), 1, 0, 0, 0), einval);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_execve, 0x1fff), 1, 0, 0, 0), einval);
    /* execve and spawn with no NUL anywhere, wrong counts, no buffer, negative counts. */
    hostile_fill_buffer(0xff);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_execve, 4096), 1, 0, 0, 0), einval);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_spawn, 4096), 0, 0, 0, 0), einval);
    hostile_fill_buffer(0);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_execve, 4096), 1, 0, 0, 0), einval);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_execve, 0), 0, 0, 0, 0), einval);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_spawn, 16), -1ul, 0, 0, 0), einval);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_spawn, 16), 1ul << 40, 0, 0, 0),
                   einval);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_spawn, 16), 0, 1ul << 62, 0, 0),
                   einval);
    /* fork with bad addresses: nothing is left behind. */
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_fork, 0), 0, 0, 0, 0) < 0, 1);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_fork, 0), 0x401000, 0x1000,
                                0xffff800000000000ul, 0) < 0,
                   1);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_fork, 0), 0xffffffff80000000ul, 0x1000,
                                (unsigned long)&aramid_proc_self, 0) < 0,
                   1);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_fork, 0), 0x401000, -16ul,
                                (unsigned long)&aramid_proc_self, 0) < 0,
                   1);
    int status;
    HOSTILE_EXPECT(aramid_proc_wait4(-1, &status, ARAMID_WNOHANG), -ARAMID_ECHILD);
    /* wait4 and kill with bad arguments. */
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_wait4, 0), -1ul, 0xffff, 0, 0), einval);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_wait4, 0), -5ul, 0, 0, 0),
                   -ARAMID_ECHILD); /* no child in group 5 */
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_kill, 0), 1, 1ul << 40, 0, 0), einval);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_kill, 0), 1, -1ul, 0, 0), einval);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_kill, 0), 0, 0, 0, 0), 0); /* own group */
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_kill, 0), -32000ul, 9, 0, 0),
                   -ARAMID_ESRCH);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_kill, 0), -(1ul << 40), 9, 0, 0),
                   -ARAMID_ESRCH);
    /* Groups and sessions: init's child leads its own; bad pids and groups get their errors. */
    long self = hostile_info.self.pid;
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_getpgid, 0), 0, 0, 0, 0), self);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_getsid, 0), (unsigned long)self, 0, 0,
                                0),
                   self);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_getpgid, 0), 1ul << 40, 0, 0, 0),
                   -ARAMID_ESRCH);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_getsid, 0), -1ul, 0, 0, 0),
                   -ARAMID_ESRCH);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_setpgid, 0), 0, -1ul, 0, 0), einval);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_setpgid, 0), 1, 0, 0, 0),
                   -ARAMID_ESRCH);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_setpgid, 0), 0, 0, 0, 0),
                   -ARAMID_EPERM); /* a session leader */
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_setsid, 0), 0, 0, 0, 0),
                   -ARAMID_EPERM);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_kill, 0), 1, 9, 0, 0), -ARAMID_EPERM);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_kill, 0), 1ul << 62, 9, 0, 0),
                   -ARAMID_ESRCH);
    /* Stop signals: init refuses them; stop is for stop signals only (and init has none). */
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_kill, 0), 1, ARAMID_SIGSTOP, 0, 0),
                   -ARAMID_EPERM);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_kill, 0), 1, ARAMID_SIGTSTP, 0, 0),
                   -ARAMID_EPERM);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_kill, 0), 1ul << 40, ARAMID_SIGSTOP,
                                0, 0),
                   -ARAMID_ESRCH);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_stop, 0), ARAMID_SIGTERM, 0, 0, 0),
                   einval);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_stop, 0), -1ul, 0, 0, 0), einval);
    /* A stray handle with a message that takes none: refused and closed by proc. */
    long endpoint = sys_endpoint_create();
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_getpid, 0) | ARAMID_IPC_GRANT, 0, 0, 0,
                                (unsigned long)endpoint),
                   einval);
    /* The same with the retired label 9: still a stray handle, refused before dispatch. */
    long copy = sys_endpoint_create();
    HOSTILE_EXPECT(
        hostile_call(ARAMID_IPC_INFO(9, 0) | ARAMID_IPC_GRANT, 0, 0, 0, (unsigned long)copy),
        einval);
    /* prlimit: the good call first, then each bad value gets its own errno. */
    HOSTILE_EXPECT(hostile_prlimit(0, ARAMID_RLIMIT_NOFILE, 0, 0, 0), 0);
    HOSTILE_EXPECT(hostile_prlimit(0, ARAMID_RLIMIT_COUNT, 0, 0, 0), einval);
    HOSTILE_EXPECT(hostile_prlimit(0, -1ul, 1, 1, 1), einval);
    HOSTILE_EXPECT(hostile_prlimit(0, ARAMID_RLIMIT_NOFILE, 1, 10, 5), einval);
    HOSTILE_EXPECT(hostile_prlimit(0, ARAMID_RLIMIT_NOFILE, 1, 10, 1ul << 40), -ARAMID_EPERM);
    HOSTILE_EXPECT(hostile_prlimit(1ul << 40, ARAMID_RLIMIT_NOFILE, 0, 0, 0), -ARAMID_ESRCH);
    HOSTILE_EXPECT(hostile_prlimit(-3ul, ARAMID_RLIMIT_NOFILE, 0, 0, 0), -ARAMID_ESRCH);
    HOSTILE_EXPECT(hostile_prlimit(1, ARAMID_RLIMIT_CORE, 1, 0, 0), -ARAMID_EPERM);
    /* hostname: a read gives the boot name; a name longer than 64 bytes is refused. */
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_hostname, 0), 0, 0, 0, 0), 6);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_hostname, 65), 1, 0, 0, 0), einval);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_hostname, 4096), 1, 0, 0, 0), einval);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_hostname, 4097), 1, 0, 0, 0), einval);
    HOSTILE_EXPECT(hostile_call(ARAMID_IPC_INFO(ARAMID_PROC_hostname, 0), 0, 0, 0, 0), 6);
    aramid_printf("hostile: fixed cases ok\n");
}

/* Random words with every label proc knows, except exit, and kill of ourselves, our group or
 * of all. */
static void hostile_random_calls(void)
{
    long self = hostile_info.self.pid;
    for (int i = 0; i < HOSTILE_RANDOM_CALLS; i++) {
        unsigned long label = hostile_random() % (ARAMID_PROC_stop + 1);
        unsigned long w0 = hostile_random(), w1 = hostile_random(), w2 = hostile_random();
        unsigned long bytes = hostile_random() % (ARAMID_IPC_BUFFER_SIZE + 1);
        if (label == ARAMID_PROC_exit || label == ARAMID_PROC_stop)
            continue; /* stop with a stop signal would stop us for good */
        if (label == ARAMID_PROC_kill &&
            ((long)w0 == self || (long)w0 == 0 || (long)w0 == -self || (long)w0 == -1 || (w1 & 1)))
            w0 = 1ul << 40; /* a pid that does not exist */
        if (label == ARAMID_PROC_fork && (w0 & 1))
            w0 = 0; /* mostly refused, sometimes a child that faults at once */
        if (i % 4 == 0)
            hostile_fill_buffer((unsigned char)w2);
        hostile_call(ARAMID_IPC_INFO(label, bytes), w0, w1, w2, 0);
    }
    /* Children that fork let through crashed at once: reap them. */
    int status;
    long reaped = 0;
    while (aramid_proc_wait4(-1, &status, 0) > 0)
        reaped++;
    aramid_printf("hostile: %d random calls done, %ld stray children reaped\n",
                  HOSTILE_RANDOM_CALLS, reaped);
}

int aramid_main(unsigned long argument)
{
    long result = aramid_start(argument, &hostile_info);
    if (result < 0) {
        aramid_printf("hostile: bad start block: %ld\n", result);
        return 100;
    }
    hostile_fixed();
    hostile_random_calls();
    long pid = aramid_proc_getpid();
    if (pid != hostile_info.self.pid) {
        aramid_printf("hostile: FAIL proc no longer answers: getpid %ld\n", pid);
        return 1;
    }
    aramid_printf("hostile: %lu calls rejected, proc still serving\n", hostile_rejected);
    if (hostile_failures) {
        aramid_printf("hostile: %lu failures\n", hostile_failures);
        return 1;
    }
    aramid_printf("hostile: all checks passed\n");
    return 0;
}
