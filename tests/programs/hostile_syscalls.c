/* Test program (root task): every system call first succeeds with valid arguments, then fails
 * with exactly its errno for each hostile one; unknown numbers give -ENOSYS; the exits run in
 * children. */
#include <aramid/sys.h>

#define HOSTILE_CHILD_FLAG (1ul << 63)
#define HOSTILE_CHILD_MACHINE_EXIT 1 /* machine_exit from a non-root process, then exit 42 */
#define HOSTILE_CHILD_THREAD_EXIT 2  /* thread_exit of the only thread ends the process */
#define HOSTILE_CHILD_EXIT_CODE 42

#define KERNEL_DIRECT_MAP 0xffff800000000000ul
#define KERNEL_IMAGE 0xffffffff80000000ul
#define NON_CANONICAL 0x0000800000000000ul
#define HUGE_LENGTH (1ul << 62)
#define PAGE_SIZE 0x1000ul
#define OBJECT_SIZE 0x4000ul
#define HOSTILE_WORD_OFFSET 1024 /* a word of the mapped page no other row writes */

/* What each argument is, which decides its valid value and the invalid ones to try. */
enum role {
    ROLE_NONE,         /* unused argument */
    ROLE_FREE,         /* any value is valid (bits, rights masks, labels): only the valid one */
    ROLE_HANDLE,       /* a handle of any type */
    ROLE_FRESH_HANDLE, /* a handle the call may consume (handle_close): a new one each call */
    ROLE_PROCESS,      /* handles of one type: */
    ROLE_VICTIM,       /* a process made (on a new space) and killed for this call */
    ROLE_SPACE,
    ROLE_ENDPOINT,     /* an endpoint a thread of ours serves: calls return */
    ROLE_CALLED,       /* an endpoint a thread of ours keeps calling: waits return */
    ROLE_NOTIFICATION, /* a notification with bits pending: waits return */
    ROLE_OBJECT,       /* memory object for vm_map: 0 is valid (anonymous) */
    ROLE_BUFFER,       /* user memory the kernel reads or writes */
    ROLE_LENGTH,       /* that buffer's length */
    ROLE_PAGE,         /* a page-aligned unmapped address in a space */
    ROLE_MAPPED,       /* a page-aligned mapped address (vm_protect) */
    ROLE_TARGET,       /* any mapped address in a space (vm_write's destination) */
    ROLE_SIZE,         /* a mapping's length */
    ROLE_PROT,
    ROLE_OFFSET,       /* offset into a memory object */
    ROLE_ENTRY,        /* a new thread's instruction pointer */
    ROLE_STACK,        /* a new thread's stack pointer */
    ROLE_WHICH,        /* kernel_stats selector */
    ROLE_STATS_LENGTH, /* kernel_stats buffer length */
    ROLE_BITS,         /* notification bits: 0 is refused */
    ROLE_RECEIVER,     /* an endpoint handle with RECEIVE (endpoint_mint) */
    ROLE_MINT_RIGHTS,  /* rights of a minted handle */
    ROLE_TOKEN,        /* the reply token of a call we hold (from the calling thread) */
    ROLE_DEADLINE,     /* a timer deadline, far in the future */
    ROLE_WORD,         /* a 4-byte aligned word in a writable page (futex calls) */
    ROLE_WORD_VALUE,   /* the value that word holds */
    ROLE_PASSED,       /* a deadline that has passed */
    ROLE_TLS_BASE,     /* a user address for the FS base */
};

#define HOSTILE_ARGUMENTS 6
#define HOSTILE_BAD_MAX 12

/* How a call's good variant is checked and undone. */
enum outcome {
    OUTCOME_ZERO,     /* returns 0 */
    OUTCOME_HANDLE,   /* returns a new handle, closed afterwards */
    OUTCOME_POSITIVE, /* returns a value > 0 */
    OUTCOME_NOTIFY,   /* returns 0 and is undone by the same call with 0 (bind, notify_exit) */
    OUTCOME_TIMEDOUT, /* a wait whose deadline has passed: returns -ETIMEDOUT */
};

struct hostile_call {
    long number;
    const char *name;
    enum role roles[HOSTILE_ARGUMENTS];
    enum outcome outcome;
    /* errno a bad LENGTH gives when it is not -EFAULT (debug_write's cap is -EINVAL) */
    long length_errno;
};

/* Every call: its good variant must succeed, then each variant with one argument invalid (the
 * others valid) must fail with exactly the errno that value earns. The calls that would block
 * get partners: a thread serving ROLE_ENDPOINT, one calling ROLE_CALLED, pending notification
 * bits, a dead process to wait for. */
static const struct hostile_call hostile_calls[] = {
    {SYS_debug_write, "debug_write", {ROLE_BUFFER, ROLE_LENGTH}, OUTCOME_POSITIVE, -ARAMID_EINVAL},
    {SYS_handle_close, "handle_close", {ROLE_FRESH_HANDLE}, OUTCOME_ZERO, 0},
    {SYS_handle_duplicate, "handle_duplicate", {ROLE_HANDLE, ROLE_FREE}, OUTCOME_HANDLE, 0},
    {SYS_ipc_call, "ipc_call", {ROLE_ENDPOINT, ROLE_FREE}, OUTCOME_ZERO, 0},
    {SYS_ipc_reply_wait, "ipc_reply_wait", {ROLE_CALLED, ROLE_FREE}, OUTCOME_ZERO, 0},
    {SYS_ipc_wait, "ipc_wait", {ROLE_CALLED}, OUTCOME_ZERO, 0},
    {SYS_notify_signal, "notify_signal", {ROLE_NOTIFICATION, ROLE_FREE}, OUTCOME_ZERO, 0},
    {SYS_notify_wait, "notify_wait", {ROLE_NOTIFICATION}, OUTCOME_POSITIVE, 0},
    {SYS_notify_poll, "notify_poll", {ROLE_NOTIFICATION}, OUTCOME_POSITIVE, 0},
    {SYS_vm_map, "vm_map", {ROLE_SPACE, ROLE_PAGE, ROLE_SIZE, ROLE_PROT, ROLE_OBJECT, ROLE_OFFSET},
     OUTCOME_ZERO, 0},
    {SYS_vm_unmap, "vm_unmap", {ROLE_SPACE, ROLE_PAGE, ROLE_SIZE}, OUTCOME_ZERO, 0},
    {SYS_vm_protect, "vm_protect", {ROLE_SPACE, ROLE_MAPPED, ROLE_SIZE, ROLE_PROT}, OUTCOME_ZERO,
     0},
    {SYS_vm_discard, "vm_discard", {ROLE_SPACE, ROLE_MAPPED, ROLE_SIZE}, OUTCOME_ZERO, 0},
    {SYS_memory_object_create, "memory_object_create", {ROLE_SIZE}, OUTCOME_HANDLE, 0},
    {SYS_space_clone, "space_clone", {ROLE_SPACE}, OUTCOME_HANDLE, 0},
    {SYS_process_create, "process_create", {ROLE_SPACE}, OUTCOME_HANDLE, 0},
    {SYS_thread_create, "thread_create", {ROLE_PROCESS, ROLE_ENTRY, ROLE_STACK, ROLE_FREE},
     OUTCOME_HANDLE, 0},
    {SYS_process_kill, "process_kill", {ROLE_VICTIM}, OUTCOME_ZERO, 0},
    {SYS_process_wait, "process_wait", {ROLE_VICTIM}, OUTCOME_POSITIVE, 0},
    {SYS_kernel_stats, "kernel_stats", {ROLE_WHICH, ROLE_BUFFER, ROLE_STATS_LENGTH},
     OUTCOME_POSITIVE, 0},
    {SYS_vm_write, "vm_write", {ROLE_SPACE, ROLE_TARGET, ROLE_BUFFER, ROLE_LENGTH}, OUTCOME_ZERO,
     0},
    {SYS_handle_grant, "handle_grant", {ROLE_PROCESS, ROLE_HANDLE, ROLE_FREE}, OUTCOME_HANDLE, 0},
    {SYS_notify_bind, "notify_bind", {ROLE_NOTIFICATION}, OUTCOME_NOTIFY, 0},
    {SYS_process_notify_exit, "process_notify_exit", {ROLE_PROCESS, ROLE_NOTIFICATION, ROLE_BITS},
     OUTCOME_NOTIFY, 0},
    {SYS_process_id, "process_id", {ROLE_PROCESS}, OUTCOME_POSITIVE, 0},
    {SYS_notification_create, "notification_create", {ROLE_NOTIFICATION, ROLE_FREE},
     OUTCOME_HANDLE, 0},
    {SYS_ipc_reply, "ipc_reply", {ROLE_TOKEN, ROLE_FREE}, OUTCOME_ZERO, 0},
    {SYS_timer_set, "timer_set", {ROLE_NOTIFICATION, ROLE_DEADLINE, ROLE_FREE, ROLE_BITS},
     OUTCOME_NOTIFY, 0},
    {SYS_endpoint_mint, "endpoint_mint", {ROLE_RECEIVER, ROLE_FREE, ROLE_MINT_RIGHTS},
     OUTCOME_HANDLE, 0},
    {SYS_process_exec, "process_exec", {ROLE_VICTIM, ROLE_SPACE}, OUTCOME_ZERO, 0},
    {SYS_process_allow_create, "process_allow_create", {ROLE_VICTIM}, OUTCOME_ZERO, 0},
    /* Returns the pages charged: the region of the page mapped in its space (its tables). */
    {SYS_process_set_quota, "process_set_quota", {ROLE_VICTIM, ROLE_FREE}, OUTCOME_POSITIVE, 0},
    {SYS_futex_wait, "futex_wait", {ROLE_WORD, ROLE_WORD_VALUE, ROLE_PASSED}, OUTCOME_TIMEDOUT,
     0},
    {SYS_futex_wake, "futex_wake", {ROLE_WORD, ROLE_FREE}, OUTCOME_ZERO, 0}, /* none waits */
    {SYS_thread_tls_set, "thread_tls_set", {ROLE_TLS_BASE}, OUTCOME_ZERO, 0},
};

/* Calls that take no argument that could be wrong: garbage in every argument register must
 * not matter. Those returning handles get them closed. */
static const struct {
    long number;
    const char *name;
    int returns_handle;
} hostile_ignored_arguments[] = {
    {SYS_yield, "yield", 0},
    {SYS_clock_monotonic, "clock_monotonic", 0},
    {SYS_endpoint_create, "endpoint_create", 1},
    {SYS_space_create, "space_create", 1},
    {SYS_ipc_buffer, "ipc_buffer", 0},
    {SYS_thread_self, "thread_self", 0},
};

/* The valid objects every variant starts from. */
struct hostile_context {
    const struct aramid_bootinfo *bootinfo;
    long endpoint;        /* nobody receives on it */
    long served;          /* a thread of ours answers every call on it */
    long called;          /* a thread of ours keeps calling it */
    long notification;
    long memory_object;
    long closed;        /* a handle value that was live and is now closed */
    long no_grant;      /* an endpoint handle without the GRANT right */
    unsigned long page; /* one mapped read-write page, an unmapped guard page after it */
    unsigned long free; /* a page-aligned unmapped address (inside a reserved region) */
    unsigned long stack_top;
    /* made for one call by hostile_valid, released by hostile_release */
    long fresh;
    long victim;
    long victim_space;
    unsigned long token;       /* the held call's reply token (ROLE_TOKEN) */
    unsigned long stale_token; /* one already answered */
    unsigned long calls;
    unsigned long failures;
};

static _Alignas(16) unsigned char hostile_stack[4096];
static _Alignas(16) unsigned char hostile_server_stack[4096];
static _Alignas(16) unsigned char hostile_client_stack[4096];

/* Entry of the threads thread_create's good variant makes: they just end. */
static void hostile_thread_park(void)
{
    sys_thread_exit();
}

/* Answers every call on the endpoint in argument with 0. */
static void hostile_server(unsigned long endpoint)
{
    struct aramid_message message = {0};
    aramid_ipc_wait((aramid_handle_t)endpoint, &message);
    for (;;) {
        message.info = 0;
        aramid_ipc_reply_wait((aramid_handle_t)endpoint, &message);
    }
}

/* Calls the endpoint in argument for ever, so that waits on it return. */
static void hostile_client(unsigned long endpoint)
{
    for (;;) {
        struct aramid_message message = {0};
        aramid_ipc_call((aramid_handle_t)endpoint, &message);
    }
}

static unsigned long hostile_random_state = 0x2545f4914f6cdd1dul;

static unsigned long hostile_random(void)
{
    hostile_random_state ^= hostile_random_state << 13;
    hostile_random_state ^= hostile_random_state >> 7;
    hostile_random_state ^= hostile_random_state << 17;
    return hostile_random_state & ~(1ul << 63);
}

/* The valid value of role; may make an object for this one call (see hostile_release). */
static unsigned long hostile_valid(struct hostile_context *c, enum role role)
{
    aramid_handle_t self = c->bootinfo->self_space;
    switch (role) {
    case ROLE_HANDLE:
        return (unsigned long)c->endpoint;
    case ROLE_FRESH_HANDLE:
        c->fresh = sys_handle_duplicate(c->endpoint, ARAMID_RIGHTS_ALL);
        return (unsigned long)c->fresh;
    case ROLE_ENDPOINT:
        return (unsigned long)c->served;
    case ROLE_CALLED:
        return (unsigned long)c->called;
    case ROLE_PROCESS:
        return (unsigned long)c->bootinfo->self_process;
    case ROLE_VICTIM:
        c->victim_space = sys_space_create();
        c->victim = sys_process_create(c->victim_space, 0);
        (void)self;
        return (unsigned long)c->victim;
    case ROLE_SPACE:
        return (unsigned long)c->bootinfo->self_space;
    case ROLE_NOTIFICATION:
        (void)sys_notify_signal(c->notification, 1);
        return (unsigned long)c->notification;
    case ROLE_OBJECT:
        return (unsigned long)c->memory_object;
    case ROLE_BUFFER:
        return c->page + PAGE_SIZE / 2;
    case ROLE_LENGTH:
        return 16;
    case ROLE_STATS_LENGTH:
        return 64;
    case ROLE_PAGE:
        return c->free;
    case ROLE_MAPPED:
        return c->page;
    case ROLE_TARGET:
        return c->page;
    case ROLE_SIZE:
        return PAGE_SIZE;
    case ROLE_PROT:
        return ARAMID_PROT_READ | ARAMID_PROT_WRITE;
    case ROLE_ENTRY:
        return (unsigned long)hostile_thread_park;
    case ROLE_STACK:
        return c->stack_top;
    case ROLE_WHICH:
        return ARAMID_STATS_MEMORY;
    case ROLE_RECEIVER:
        return (unsigned long)c->endpoint;
    case ROLE_MINT_RIGHTS:
        return ARAMID_RIGHT_SEND;
    case ROLE_TOKEN: {
        /* Answers the call held before (if any) and takes the next one. */
        struct aramid_message message = {0};
        c->token = aramid_ipc_reply_wait(c->called, &message) == 0 ? message.reply : 0;
        return c->token;
    }
    case ROLE_DEADLINE:
        return 1ul << 62;
    case ROLE_WORD:
        return c->page + HOSTILE_WORD_OFFSET;
    case ROLE_WORD_VALUE:
        return *(volatile unsigned *)(c->page + HOSTILE_WORD_OFFSET);
    case ROLE_PASSED:
        return 1;
    case ROLE_TLS_BASE:
        return c->page;
    case ROLE_FREE:
    case ROLE_BITS:
        return 1;
    default:
        return 0;
    }
}

/* Undoes what hostile_valid made and what the call's good variant did. */
static void hostile_release(struct hostile_context *c, const struct hostile_call *call,
                            const unsigned long *arguments, long result)
{
    if (c->fresh > 0)
        (void)sys_handle_close(c->fresh); /* -EBADF when the call closed it */
    if (c->victim > 0)
        (void)sys_handle_close(c->victim);
    if (c->victim_space > 0)
        (void)sys_handle_close(c->victim_space);
    c->fresh = c->victim = c->victim_space = 0;
    (void)sys_notify_poll(c->notification);
    if (result < 0)
        return;
    if (call->outcome == OUTCOME_HANDLE)
        (void)sys_handle_close(result);
    else if (call->number == SYS_vm_map)
        (void)sys_vm_unmap(c->bootinfo->self_space, arguments[1], arguments[2]);
    else if (call->number == SYS_notify_bind)
        (void)sys_notify_bind(0);
    else if (call->number == SYS_process_notify_exit)
        (void)sys_process_notify_exit(arguments[0], 0, 0);
    else if (call->number == SYS_timer_set)
        (void)sys_timer_set(arguments[0], 0, 0, 0);
    else if (call->number == SYS_ipc_reply)
        c->stale_token = arguments[0];
    else if (call->number == SYS_thread_tls_set)
        (void)sys_thread_tls_set(0);
}

/* An invalid value and the errno it must get. */
struct hostile_bad {
    unsigned long value;
    long error;
};

/* Stores the invalid values of role (for call) in bad[]; returns how many. */
static unsigned hostile_invalid(const struct hostile_context *c, const struct hostile_call *call,
                                enum role role, struct hostile_bad *bad)
{
    unsigned n = 0;
#define BAD(v, e) (bad[n++] = (struct hostile_bad){(unsigned long)(v), (e)})
    switch (role) {
    case ROLE_HANDLE:
    case ROLE_FRESH_HANDLE:
    case ROLE_PROCESS:
    case ROLE_VICTIM:
    case ROLE_SPACE:
    case ROLE_ENDPOINT:
    case ROLE_CALLED:
    case ROLE_NOTIFICATION:
    case ROLE_OBJECT:
        /* 0 is valid where it means "none": vm_map's object, unbinding, clearing a watch */
        if (role != ROLE_OBJECT && !(role == ROLE_NOTIFICATION &&
                                     (call->number == SYS_notify_bind ||
                                      call->number == SYS_process_notify_exit)))
            BAD(0, call->number == SYS_notification_create ? -ARAMID_EINVAL /* key, no parent */
                                                            : -ARAMID_EBADF);
        BAD(~0ul, -ARAMID_EBADF);
        BAD(1ul << 40, -ARAMID_EBADF);
        BAD(0x7fffffff, -ARAMID_EBADF);
        BAD(hostile_random() | 1ul << 40, -ARAMID_EBADF);
        BAD(c->closed, -ARAMID_EBADF);
        /* A live handle of another type. */
        if (role == ROLE_ENDPOINT || role == ROLE_CALLED)
            BAD(c->notification, -ARAMID_EBADF);
        else if (role != ROLE_HANDLE && role != ROLE_FRESH_HANDLE)
            BAD(c->endpoint, -ARAMID_EBADF);
        if (call->number == SYS_handle_grant && role == ROLE_HANDLE)
            BAD(c->no_grant, -ARAMID_EPERM);
        break;
    case ROLE_BUFFER:
        BAD(0, -ARAMID_EFAULT);
        BAD(KERNEL_DIRECT_MAP, -ARAMID_EFAULT);
        BAD(KERNEL_IMAGE, -ARAMID_EFAULT);
        BAD(NON_CANONICAL, -ARAMID_EFAULT);
        BAD(c->page + PAGE_SIZE, -ARAMID_EFAULT); /* the guard page */
        BAD(~0ul, -ARAMID_EFAULT);
        break;
    case ROLE_LENGTH: {
        long error = call->length_errno ? call->length_errno : -ARAMID_EFAULT;
        BAD(HUGE_LENGTH, error);
        BAD(~0ul, error);
        BAD(NON_CANONICAL, error);
        break;
    }
    case ROLE_STATS_LENGTH:
        BAD(0, -ARAMID_EINVAL);
        BAD(1, -ARAMID_EINVAL);
        break;
    case ROLE_PAGE:
    case ROLE_MAPPED:
        BAD(KERNEL_DIRECT_MAP, -ARAMID_EINVAL);
        BAD(KERNEL_IMAGE, -ARAMID_EINVAL);
        BAD(NON_CANONICAL, -ARAMID_EINVAL);
        BAD((role == ROLE_PAGE ? c->free : c->page) + 1, -ARAMID_EINVAL); /* unaligned */
        BAD(ARAMID_USER_TOP, -ARAMID_EINVAL);
        BAD(~0ul & ~(PAGE_SIZE - 1), -ARAMID_EINVAL);
        if (role == ROLE_MAPPED)
            BAD(c->free, -ARAMID_ENOMEM); /* not mapped, as Linux's mprotect */
        if (call->number == SYS_vm_map)
            BAD(c->page, -ARAMID_EINVAL); /* already mapped */
        break;
    case ROLE_TARGET:
        BAD(0, -ARAMID_EFAULT);
        BAD(KERNEL_DIRECT_MAP, -ARAMID_EFAULT);
        BAD(KERNEL_IMAGE, -ARAMID_EFAULT);
        BAD(NON_CANONICAL, -ARAMID_EFAULT);
        BAD(c->page + PAGE_SIZE, -ARAMID_EFAULT);
        break;
    case ROLE_SIZE:
        BAD(HUGE_LENGTH, -ARAMID_EINVAL);
        BAD(~0ul, -ARAMID_EINVAL);
        BAD(-PAGE_SIZE, -ARAMID_EINVAL);
        BAD(0, -ARAMID_EINVAL);
        break;
    case ROLE_PROT:
        BAD(8, -ARAMID_EINVAL);
        BAD(0xff, -ARAMID_EINVAL);
        BAD(~0ul, -ARAMID_EINVAL);
        break;
    case ROLE_OFFSET:
        BAD(1, -ARAMID_EINVAL);           /* unaligned */
        BAD(OBJECT_SIZE, -ARAMID_EINVAL); /* the mapping would lie past the object's end */
        BAD(HUGE_LENGTH, -ARAMID_EINVAL);
        BAD(-PAGE_SIZE, -ARAMID_EINVAL);
        break;
    case ROLE_ENTRY:
        BAD(0, -ARAMID_EINVAL);
        BAD(KERNEL_DIRECT_MAP, -ARAMID_EINVAL);
        BAD(KERNEL_IMAGE, -ARAMID_EINVAL);
        BAD(NON_CANONICAL, -ARAMID_EINVAL);
        BAD(ARAMID_USER_TOP, -ARAMID_EINVAL);
        break;
    case ROLE_STACK:
        BAD(KERNEL_DIRECT_MAP, -ARAMID_EINVAL);
        BAD(KERNEL_IMAGE, -ARAMID_EINVAL);
        BAD(NON_CANONICAL, -ARAMID_EINVAL);
        break;
    case ROLE_WHICH:
        BAD(0, -ARAMID_EINVAL);
        BAD(64, -ARAMID_EINVAL); /* past every ARAMID_STATS_ selector */
        BAD(0xffff, -ARAMID_EINVAL);
        BAD(~0ul, -ARAMID_EINVAL);
        break;
    case ROLE_BITS:
        BAD(0, -ARAMID_EINVAL);
        break;
    case ROLE_RECEIVER:
        BAD(0, -ARAMID_EBADF);
        BAD(~0ul, -ARAMID_EBADF);
        BAD(c->closed, -ARAMID_EBADF);
        BAD(c->notification, -ARAMID_EBADF);
        BAD(c->no_grant, -ARAMID_EPERM); /* SEND only */
        break;
    case ROLE_MINT_RIGHTS:
        BAD(ARAMID_RIGHT_RECEIVE, -ARAMID_EINVAL);
        BAD(ARAMID_RIGHT_MANAGE, -ARAMID_EINVAL);
        BAD(~0ul, -ARAMID_EINVAL);
        break;
    case ROLE_WORD:
        BAD(0, -ARAMID_EFAULT);
        BAD(KERNEL_DIRECT_MAP, -ARAMID_EFAULT);
        BAD(KERNEL_IMAGE, -ARAMID_EFAULT);
        BAD(NON_CANONICAL, -ARAMID_EFAULT);
        BAD(ARAMID_USER_TOP - 4, -ARAMID_EFAULT);
        BAD(c->page + PAGE_SIZE, -ARAMID_EFAULT);                          /* the guard page */
        BAD((unsigned long)&hostile_calls[1] & ~3ul, -ARAMID_EFAULT);      /* read-only */
        BAD(c->page + HOSTILE_WORD_OFFSET + 2, -ARAMID_EINVAL);            /* misaligned */
        BAD(c->page + HOSTILE_WORD_OFFSET + 1, -ARAMID_EINVAL);
        break;
    case ROLE_WORD_VALUE: {
        unsigned word = *(volatile unsigned *)(c->page + HOSTILE_WORD_OFFSET);
        BAD(word + 1u, -ARAMID_EAGAIN);        /* the word holds something else */
        BAD(1ul << 32 | word, -ARAMID_EINVAL); /* not a 32-bit value */
        break;
    }
    case ROLE_TLS_BASE:
        BAD(KERNEL_DIRECT_MAP, -ARAMID_EINVAL);
        BAD(KERNEL_IMAGE, -ARAMID_EINVAL);
        BAD(NON_CANONICAL, -ARAMID_EINVAL);
        BAD(~0ul, -ARAMID_EINVAL);
        break;
    case ROLE_TOKEN:
        BAD(0, -ARAMID_EINVAL);
        BAD(~0ul, -ARAMID_EINVAL);
        BAD(c->stale_token, -ARAMID_ESRCH); /* answered by the good call */
        break;
    default:
        break;
    }
#undef BAD
    return n;
}

/* Makes one call and checks it got exactly expected (0: the good variant's outcome). */
static void hostile_expect(struct hostile_context *c, const struct hostile_call *call,
                           const unsigned long *a, int good, long expected)
{
    long result = aramid_syscall(call->number, (long)a[0], (long)a[1], (long)a[2], (long)a[3],
                                 (long)a[4], (long)a[5]);
    c->calls++;
    int ok;
    if (!good)
        ok = result == expected;
    else if (call->outcome == OUTCOME_HANDLE || call->outcome == OUTCOME_POSITIVE)
        ok = result > 0;
    else if (call->outcome == OUTCOME_TIMEDOUT)
        ok = result == -ARAMID_ETIMEDOUT;
    else
        ok = result == 0;
    if (!ok) {
        c->failures++;
        aramid_printf("hostile: FAIL %s %s(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx) returned %ld, "
                      "expected %s%ld\n",
                      good ? "good" : "bad", call->name, a[0], a[1], a[2], a[3], a[4], a[5],
                      result, good ? "success, not " : "", good ? 0l : expected);
    }
    hostile_release(c, call, a, result);
}

/* The valid arguments of call, some made fresh for this one call. */
static void hostile_valid_arguments(struct hostile_context *c, const struct hostile_call *call,
                                    unsigned long *arguments)
{
    for (unsigned k = 0; k < HOSTILE_ARGUMENTS; k++)
        arguments[k] = hostile_valid(c, call->roles[k]);
    if (call->roles[0] == ROLE_VICTIM && call->number == SYS_process_wait)
        (void)sys_process_kill(c->victim); /* waiting for it returns at once */
}

static void hostile_run_table(struct hostile_context *c)
{
    for (size_t i = 0; i < sizeof(hostile_calls) / sizeof(hostile_calls[0]); i++) {
        const struct hostile_call *call = &hostile_calls[i];
        unsigned long arguments[HOSTILE_ARGUMENTS];
        hostile_valid_arguments(c, call, arguments);
        hostile_expect(c, call, arguments, 1, 0);
        for (unsigned k = 0; k < HOSTILE_ARGUMENTS; k++) {
            struct hostile_bad bad[HOSTILE_BAD_MAX];
            unsigned count = hostile_invalid(c, call, call->roles[k], bad);
            for (unsigned b = 0; b < count; b++) {
                hostile_valid_arguments(c, call, arguments);
                arguments[k] = bad[b].value;
                hostile_expect(c, call, arguments, 0, bad[b].error);
            }
        }
    }
}

/* One raw call that must return exactly expected. */
static void hostile_expect_raw(struct hostile_context *c, const char *name, long number,
                               const unsigned long *a, long expected)
{
    long result = aramid_syscall(number, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4],
                                 (long)a[5]);
    c->calls++;
    if (result != expected) {
        c->failures++;
        aramid_printf("hostile: FAIL %s(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx) returned %ld, expected "
                      "%ld\n",
                      name, a[0], a[1], a[2], a[3], a[4], a[5], result, expected);
    }
}

/* Ranges that straddle the end of valid memory, each after the same call just inside it, and
 * messages invalid before any wait. */
static void hostile_run_edges(struct hostile_context *c)
{
    const unsigned long space = (unsigned long)c->bootinfo->self_space;
    const unsigned long rw = ARAMID_PROT_READ | ARAMID_PROT_WRITE;
    const unsigned long last = c->page + PAGE_SIZE - 1;
    const unsigned long stats = sizeof(struct aramid_memory_stats);
    /* A hostile robust list, walked when this thread ends: a cycle through one "mutex" whose
     * word this thread holds, and a pending entry in the kernel. The walk is bounded, changes
     * only that word, and never faults. */
    unsigned long robust = c->page + 2048, robust_mutex = c->page + 2112;
    ((unsigned long *)robust)[0] = robust_mutex;
    ((unsigned long *)robust)[1] = 0;
    ((unsigned long *)robust)[2] = 8;
    ((unsigned long *)robust)[3] = KERNEL_IMAGE;
    *(unsigned long *)robust_mutex = robust_mutex;
    *(volatile unsigned *)(robust_mutex + 8) = (unsigned)sys_thread_self();
    const struct {
        const char *name;
        long expected;
        unsigned long call[HOSTILE_ARGUMENTS + 1];
    } edges[] = {
        {"robust_list_set of a hostile list", 0, {SYS_robust_list_set, robust}},
        {"robust_list_set misaligned", -ARAMID_EINVAL, {SYS_robust_list_set, robust + 4}},
        {"robust_list_set past the top", -ARAMID_EFAULT,
         {SYS_robust_list_set, ARAMID_USER_TOP - 8}},
        {"robust_list_set kernel", -ARAMID_EFAULT, {SYS_robust_list_set, KERNEL_IMAGE}},
        /* reads and writes ending at the mapped page's last byte, then one byte further */
        {"debug_write last byte", 1, {SYS_debug_write, last, 1}},
        {"debug_write into the guard", -ARAMID_EFAULT, {SYS_debug_write, last, 2}},
        {"kernel_stats at the end", (long)stats,
         {SYS_kernel_stats, ARAMID_STATS_MEMORY, c->page + PAGE_SIZE - stats, stats}},
        {"kernel_stats into the guard", -ARAMID_EFAULT,
         {SYS_kernel_stats, ARAMID_STATS_MEMORY, c->page + PAGE_SIZE - 8, stats}},
        {"vm_write to the last byte", 0, {SYS_vm_write, space, last, c->page, 1}},
        {"vm_write into the guard", -ARAMID_EFAULT, {SYS_vm_write, space, last, c->page, 2}},
        {"vm_write from the last byte", 0, {SYS_vm_write, space, c->page, last, 1}},
        {"vm_write from the guard", -ARAMID_EFAULT, {SYS_vm_write, space, c->page, last, 2}},
        /* mappings crossing the top of the user range, or wrapping around */
        {"vm_map across the top", -ARAMID_EINVAL,
         {SYS_vm_map, space, ARAMID_USER_TOP - PAGE_SIZE, 2 * PAGE_SIZE, rw, 0, 0}},
        {"vm_map wrapping", -ARAMID_EINVAL, {SYS_vm_map, space, c->free, -c->free, rw, 0, 0}},
        {"vm_protect across the top", -ARAMID_EINVAL,
         {SYS_vm_protect, space, ARAMID_USER_TOP - PAGE_SIZE, 2 * PAGE_SIZE, rw}},
        {"vm_unmap across the top", -ARAMID_EINVAL,
         {SYS_vm_unmap, space, ARAMID_USER_TOP - PAGE_SIZE, 2 * PAGE_SIZE}},
        {"vm_discard across the top", -ARAMID_EINVAL,
         {SYS_vm_discard, space, ARAMID_USER_TOP - PAGE_SIZE, 2 * PAGE_SIZE}},
        /* the mapped page, then it and the guard page after it (a hole: nothing changes) */
        {"vm_discard the mapped page", 0, {SYS_vm_discard, space, c->page, PAGE_SIZE}},
        {"vm_discard into the guard", -ARAMID_ENOMEM,
         {SYS_vm_discard, space, c->page, 2 * PAGE_SIZE}},
        /* a kernel-owned page has nothing to come back from */
        {"vm_discard the IPC buffer", -ARAMID_EINVAL,
         {SYS_vm_discard, space, (unsigned long)sys_ipc_buffer(), PAGE_SIZE}},
        /* a user buffer at the top of the user range running past it */
        {"debug_write past the top", -ARAMID_EFAULT, {SYS_debug_write, ARAMID_USER_TOP - 1, 2}},
        /* thread_exit_wake refuses a bad word before it ends anything (its good call ends
         * every joined pthread: tests/contract/thread_*) */
        {"thread_exit_wake misaligned", -ARAMID_EINVAL,
         {SYS_thread_exit_wake, c->page + HOSTILE_WORD_OFFSET + 2, 0}},
        {"thread_exit_wake unmapped", -ARAMID_EFAULT, {SYS_thread_exit_wake, c->page + PAGE_SIZE, 0}},
        {"thread_exit_wake read-only", -ARAMID_EFAULT,
         {SYS_thread_exit_wake, (unsigned long)&hostile_calls[1] & ~3ul, 0}},
        {"thread_exit_wake kernel", -ARAMID_EFAULT, {SYS_thread_exit_wake, KERNEL_IMAGE, 0}},
        {"thread_exit_wake wide value", -ARAMID_EINVAL,
         {SYS_thread_exit_wake, c->page + HOSTILE_WORD_OFFSET, 1ul << 32}},
        {"futex_wait past the top", -ARAMID_EFAULT, {SYS_futex_wait, ARAMID_USER_TOP, 0, 1}},
        /* not implemented: listed in docs/status.md */
        {"fault_handler_set", -ARAMID_ENOSYS,
         {SYS_fault_handler_set, (unsigned long)c->bootinfo->self_process,
          (unsigned long)c->endpoint}},
    };
    for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
        hostile_expect_raw(c, edges[i].name, (long)edges[i].call[0], &edges[i].call[1],
                           edges[i].expected);

    /* ipc_call on a live endpoint nobody receives on: the bad message must be refused before
     * the caller would block (the good message is shown on the served endpoint). */
    const struct {
        const char *name;
        long endpoint;
        unsigned long info;
        unsigned long grant;
        long expected;
    } messages[] = {
        {"ipc_call with a full buffer", c->served, ARAMID_IPC_INFO(1, ARAMID_IPC_BUFFER_SIZE), 0, 0},
        {"ipc_call with an oversized buffer", c->endpoint,
         ARAMID_IPC_INFO(1, ARAMID_IPC_BUFFER_SIZE + 1), 0, -ARAMID_EINVAL},
        {"ipc_call with unknown info bits", c->endpoint, 1ul << 62, 0, -ARAMID_EINVAL},
        {"ipc_call granting a live handle", c->served, ARAMID_IPC_INFO(1, 0) | ARAMID_IPC_GRANT,
         (unsigned long)sys_handle_duplicate(c->endpoint, ARAMID_RIGHTS_ALL), 0},
        {"ipc_call granting a closed handle", c->endpoint, ARAMID_IPC_INFO(1, 0) | ARAMID_IPC_GRANT,
         (unsigned long)c->closed, -ARAMID_EBADF},
        {"ipc_call granting without GRANT", c->endpoint, ARAMID_IPC_INFO(1, 0) | ARAMID_IPC_GRANT,
         (unsigned long)c->no_grant, -ARAMID_EPERM},
    };
    /* A discarded page reads as zero again; its mapping stays. */
    volatile unsigned char *byte = (volatile unsigned char *)c->page + 100;
    *byte = 0x5a;
    c->calls++;
    if (sys_vm_discard(space, c->page, PAGE_SIZE) != 0 || *byte != 0) {
        c->failures++;
        aramid_printf("hostile: FAIL a discarded page does not read as zero\n");
    }
    for (size_t i = 0; i < sizeof(messages) / sizeof(messages[0]); i++) {
        struct aramid_message message = {0};
        message.info = messages[i].info;
        message.words[5] = messages[i].grant;
        long result = aramid_ipc_call(messages[i].endpoint, &message);
        c->calls++;
        if (result != messages[i].expected) {
            c->failures++;
            aramid_printf("hostile: FAIL %s returned %ld, expected %ld\n", messages[i].name,
                          result, messages[i].expected);
        }
    }
}

static void hostile_run_unknown_numbers(struct hostile_context *c)
{
    const long numbers[] = {-1, 1l << 32, (1l << 32) | SYS_debug_write, 1l << 62, ~0ul >> 1};
    unsigned long count = 0, wrong = 0;
    for (long number = SYS_COUNT; number <= SYS_COUNT + 10; number++) {
        long result = aramid_syscall(number, 1, 2, 3, 4, 5, 6);
        count++;
        if (result != -ARAMID_ENOSYS) {
            wrong++;
            aramid_printf("hostile: FAIL unknown system call %ld returned %ld\n", number, result);
        }
    }
    for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
        long result = aramid_syscall(numbers[i], c->page, 1, 3, 4, 5, 6);
        count++;
        if (result != -ARAMID_ENOSYS) {
            wrong++;
            aramid_printf("hostile: FAIL unknown system call %#lx returned %ld\n",
                          (unsigned long)numbers[i], result);
        }
    }
    c->calls += count;
    c->failures += wrong;
    aramid_printf("hostile: %lu unknown numbers, %lu not -ENOSYS\n", count, wrong);
}

static void hostile_run_ignored_arguments(struct hostile_context *c)
{
    for (size_t i = 0; i < sizeof(hostile_ignored_arguments) / sizeof(hostile_ignored_arguments[0]);
         i++) {
        long result = aramid_syscall(hostile_ignored_arguments[i].number, (long)KERNEL_IMAGE, -1,
                                     (long)NON_CANONICAL, 0, (long)HUGE_LENGTH, 7);
        if (result < 0) {
            c->failures++;
            aramid_printf("hostile: FAIL %s with garbage arguments returned %ld\n",
                          hostile_ignored_arguments[i].name, result);
        } else if (hostile_ignored_arguments[i].returns_handle) {
            long closed = sys_handle_close(result);
            if (closed != 0) {
                c->failures++;
                aramid_printf("hostile: FAIL closing the handle %s made returned %ld\n",
                              hostile_ignored_arguments[i].name, closed);
            }
        }
    }
}

/* process_exit, thread_exit and machine_exit, each in a child. */
static void hostile_run_exits(struct hostile_context *c)
{
    static const unsigned long kinds[] = {HOSTILE_CHILD_MACHINE_EXIT, HOSTILE_CHILD_THREAD_EXIT};
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        struct aramid_child child;
        long result = aramid_spawn_load_module(c->bootinfo, "hostile_syscalls", &child);
        if (result == 0)
            result = aramid_spawn_start(&child, HOSTILE_CHILD_FLAG | kinds[i]);
        if (result < 0) {
            c->failures++;
            aramid_printf("hostile: FAIL spawning child %lu: %ld\n", kinds[i], result);
            continue;
        }
        long code = sys_process_wait(child.process, 0);
        int ok =
            kinds[i] == HOSTILE_CHILD_MACHINE_EXIT ? code == HOSTILE_CHILD_EXIT_CODE : code >= 0;
        aramid_printf("hostile: child %lu exited with code %ld\n", kinds[i], code);
        if (!ok)
            c->failures++;
        result = aramid_child_close(&child);
        if (result < 0) {
            c->failures++;
            aramid_printf("hostile: FAIL closing child %lu: %ld\n", kinds[i], result);
        }
    }
}

static int hostile_child(unsigned long kind)
{
    if (kind == HOSTILE_CHILD_MACHINE_EXIT) {
        long result = sys_machine_exit(0);
        aramid_printf("hostile child: machine_exit from a non-root process returned %ld\n", result);
        return result == -ARAMID_EPERM ? HOSTILE_CHILD_EXIT_CODE : 1;
    }
    if (kind == HOSTILE_CHILD_THREAD_EXIT) {
        long result = sys_thread_exit();
        aramid_printf("hostile child: thread_exit returned %ld\n", result);
        return 1;
    }
    return 1;
}

static int hostile_prepare(struct hostile_context *c)
{
    long space = c->bootinfo->self_space;
    c->endpoint = sys_endpoint_create();
    c->served = sys_endpoint_create();
    c->called = sys_endpoint_create();
    c->notification = sys_notification_create(0, 0);
    c->memory_object = sys_memory_object_create(OBJECT_SIZE);
    c->closed = sys_endpoint_create();
    c->no_grant = sys_handle_duplicate(c->endpoint, ARAMID_RIGHT_SEND);
    long page = aramid_memory_map(space, PAGE_SIZE, ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
    /* Reserve four pages of addresses, then unmap them: c->free is unmapped and nothing else
     * will be put there. */
    long free = aramid_memory_map(space, 4 * PAGE_SIZE, ARAMID_PROT_READ, 0, 0);
    if (c->endpoint <= 0 || c->served <= 0 || c->called <= 0 || c->notification <= 0 ||
        c->memory_object <= 0 || c->closed <= 0 || c->no_grant <= 0 || page <= 0 || free <= 0) {
        aramid_printf("hostile: setup failed: %ld %ld %ld %ld %ld %ld %ld %ld %ld\n", c->endpoint,
                      c->served, c->called, c->notification, c->memory_object, c->closed,
                      c->no_grant, page, free);
        return -1;
    }
    long unmapped = sys_vm_unmap(space, (unsigned long)free, 4 * PAGE_SIZE);
    long closed = sys_handle_close(c->closed);
    /* The partners that keep ipc_call and the waits from blocking. */
    long server = sys_thread_create(c->bootinfo->self_process, (unsigned long)hostile_server,
                                    (unsigned long)(hostile_server_stack +
                                                    sizeof(hostile_server_stack)) - 8,
                                    (unsigned long)c->served);
    long client = sys_thread_create(c->bootinfo->self_process, (unsigned long)hostile_client,
                                    (unsigned long)(hostile_client_stack +
                                                    sizeof(hostile_client_stack)) - 8,
                                    (unsigned long)c->called);
    if (unmapped != 0 || closed != 0 || server <= 0 || client <= 0) {
        aramid_printf("hostile: setup failed: unmap %ld, close %ld, threads %ld %ld\n", unmapped,
                      closed, server, client);
        return -1;
    }
    c->page = (unsigned long)page;
    c->free = (unsigned long)free + PAGE_SIZE;
    c->stack_top = (unsigned long)(hostile_stack + sizeof(hostile_stack));
    return 0;
}

int aramid_main(unsigned long argument)
{
    if (argument & HOSTILE_CHILD_FLAG)
        return hostile_child(argument & ~HOSTILE_CHILD_FLAG);
    struct hostile_context context = {.bootinfo = (const struct aramid_bootinfo *)argument};
    if (context.bootinfo == NULL || context.bootinfo->magic != ARAMID_BOOTINFO_MAGIC) {
        aramid_printf("hostile: bad bootinfo\n");
        return 1;
    }
    if (hostile_prepare(&context) != 0)
        return 1;

    hostile_run_table(&context);
    hostile_run_edges(&context);
    hostile_run_unknown_numbers(&context);
    hostile_run_ignored_arguments(&context);
    hostile_run_exits(&context);
    if (context.failures) {
        aramid_printf("hostile: %lu calls, %lu failures\n", context.calls, context.failures);
        return 1;
    }
    aramid_printf("hostile: %lu calls, each good call succeeded and each bad one got its errno\n",
                  context.calls);
    return 0;
}
