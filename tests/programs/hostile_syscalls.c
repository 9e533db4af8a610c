/* Test program (root task): every system call with hostile arguments must fail with -errno, and
 * unknown numbers with -ENOSYS; the exits run in children. */
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

/* What each argument is, which decides its valid value and the invalid ones to try. */
enum role {
    ROLE_NONE,    /* unused argument */
    ROLE_FREE,    /* any value is valid (bits, rights masks, labels): only the valid one */
    ROLE_HANDLE,  /* a handle of any type */
    ROLE_PROCESS, /* handles of one type: */
    ROLE_SPACE,
    ROLE_ENDPOINT,
    ROLE_NOTIFICATION,
    ROLE_CONSOLE, /* the console input handle from bootinfo */
    ROLE_OBJECT, /* memory object for vm_map: 0 is valid (anonymous) */
    ROLE_BUFFER, /* user memory the kernel reads or writes */
    ROLE_LENGTH, /* that buffer's length */
    ROLE_PAGE,   /* a page-aligned address in a space */
    ROLE_TARGET, /* any mapped address in a space (vm_write's destination) */
    ROLE_SIZE,   /* a mapping's length */
    ROLE_PROT,
    ROLE_OFFSET, /* offset into a memory object */
    ROLE_ENTRY,  /* a new thread's instruction pointer */
    ROLE_STACK,  /* a new thread's stack pointer */
    ROLE_WHICH,  /* kernel_stats selector */
};

#define HOSTILE_ARGUMENTS 6
#define HOSTILE_BAD_MAX 12

struct hostile_call {
    long number;
    const char *name;
    enum role roles[HOSTILE_ARGUMENTS];
};

/* Calls whose every variant below must fail: one argument invalid, the others valid. The calls
 * that would block (ipc_*, notify_wait, process_wait) only get invalid handles, which must be
 * refused before blocking. */
static const struct hostile_call hostile_calls[] = {
    {SYS_debug_write, "debug_write", {ROLE_BUFFER, ROLE_LENGTH}},
    {SYS_handle_close, "handle_close", {ROLE_HANDLE}},
    {SYS_handle_duplicate, "handle_duplicate", {ROLE_HANDLE, ROLE_FREE}},
    {SYS_ipc_call, "ipc_call", {ROLE_ENDPOINT, ROLE_FREE}},
    {SYS_ipc_reply_wait, "ipc_reply_wait", {ROLE_ENDPOINT, ROLE_FREE}},
    {SYS_ipc_wait, "ipc_wait", {ROLE_ENDPOINT}},
    {SYS_notify_signal, "notify_signal", {ROLE_NOTIFICATION, ROLE_FREE}},
    {SYS_notify_wait, "notify_wait", {ROLE_NOTIFICATION}},
    {SYS_notify_poll, "notify_poll", {ROLE_NOTIFICATION}},
    {SYS_vm_map, "vm_map", {ROLE_SPACE, ROLE_PAGE, ROLE_SIZE, ROLE_PROT, ROLE_OBJECT, ROLE_OFFSET}},
    {SYS_vm_unmap, "vm_unmap", {ROLE_SPACE, ROLE_PAGE, ROLE_SIZE}},
    {SYS_vm_protect, "vm_protect", {ROLE_SPACE, ROLE_PAGE, ROLE_SIZE, ROLE_PROT}},
    {SYS_memory_object_create, "memory_object_create", {ROLE_SIZE}},
    {SYS_space_clone, "space_clone", {ROLE_SPACE}},
    {SYS_process_create, "process_create", {ROLE_SPACE}},
    {SYS_thread_create, "thread_create", {ROLE_PROCESS, ROLE_ENTRY, ROLE_STACK, ROLE_FREE}},
    {SYS_process_kill, "process_kill", {ROLE_PROCESS}},
    {SYS_process_wait, "process_wait", {ROLE_PROCESS}},
    {SYS_kernel_stats, "kernel_stats", {ROLE_WHICH, ROLE_BUFFER, ROLE_FREE}},
    {SYS_vm_write, "vm_write", {ROLE_SPACE, ROLE_TARGET, ROLE_BUFFER, ROLE_LENGTH}},
    {SYS_fault_handler_set, "fault_handler_set", {ROLE_PROCESS, ROLE_ENDPOINT}},
    {SYS_handle_grant, "handle_grant", {ROLE_PROCESS, ROLE_HANDLE, ROLE_FREE}},
    {SYS_console_bind, "console_bind", {ROLE_CONSOLE, ROLE_NOTIFICATION, ROLE_FREE}},
    {SYS_console_read, "console_read", {ROLE_CONSOLE, ROLE_BUFFER, ROLE_LENGTH}},
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
    long endpoint;
    long notification;
    long memory_object;
    long closed;        /* a handle value that was live and is now closed */
    unsigned long page; /* one mapped read-write page, an unmapped guard page after it */
    unsigned long free; /* a page-aligned unmapped address (inside a reserved region) */
    unsigned long stack_top;
    unsigned long calls;
    unsigned long failures;
};

static _Alignas(16) unsigned char hostile_stack[4096];

/* Entry of a thread that should never be created; if it is, it just ends. */
static void hostile_thread_park(void)
{
    sys_thread_exit();
}

static unsigned long hostile_random_state = 0x2545f4914f6cdd1dul;

static unsigned long hostile_random(void)
{
    hostile_random_state ^= hostile_random_state << 13;
    hostile_random_state ^= hostile_random_state >> 7;
    hostile_random_state ^= hostile_random_state << 17;
    return hostile_random_state & ~(1ul << 63);
}

static unsigned long hostile_valid(const struct hostile_context *c, enum role role)
{
    switch (role) {
    case ROLE_HANDLE:
    case ROLE_ENDPOINT:
        return (unsigned long)c->endpoint;
    case ROLE_PROCESS:
        return (unsigned long)c->bootinfo->self_process;
    case ROLE_SPACE:
        return (unsigned long)c->bootinfo->self_space;
    case ROLE_NOTIFICATION:
        return (unsigned long)c->notification;
    case ROLE_CONSOLE:
        return (unsigned long)c->bootinfo->console;
    case ROLE_OBJECT:
        return (unsigned long)c->memory_object;
    case ROLE_BUFFER:
        return c->page + PAGE_SIZE / 2;
    case ROLE_LENGTH:
        return 16;
    case ROLE_PAGE:
        return c->free;
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
    case ROLE_FREE:
        return 1;
    default:
        return 0;
    }
}

/* Stores the invalid values of role in bad[]; returns how many. */
static unsigned hostile_invalid(const struct hostile_context *c, enum role role, unsigned long *bad)
{
    unsigned n = 0;
    switch (role) {
    case ROLE_HANDLE:
    case ROLE_PROCESS:
    case ROLE_SPACE:
    case ROLE_ENDPOINT:
    case ROLE_NOTIFICATION:
    case ROLE_CONSOLE:
    case ROLE_OBJECT:
        if (role != ROLE_OBJECT)
            bad[n++] = 0;
        bad[n++] = ~0ul;
        bad[n++] = 1ul << 40;
        bad[n++] = 0x7fffffff;
        bad[n++] = hostile_random();
        bad[n++] = hostile_random() & 0x7fffffff;
        bad[n++] = (unsigned long)c->closed;
        /* A live handle of another type. */
        if (role == ROLE_ENDPOINT)
            bad[n++] = (unsigned long)c->notification;
        else if (role != ROLE_HANDLE)
            bad[n++] = (unsigned long)c->endpoint;
        break;
    case ROLE_BUFFER:
        bad[n++] = 0;
        bad[n++] = KERNEL_DIRECT_MAP;
        bad[n++] = KERNEL_IMAGE;
        bad[n++] = NON_CANONICAL;
        bad[n++] = c->page + PAGE_SIZE; /* the guard page */
        bad[n++] = ~0ul;
        break;
    case ROLE_LENGTH:
        bad[n++] = HUGE_LENGTH;
        bad[n++] = ~0ul;
        bad[n++] = NON_CANONICAL;
        break;
    case ROLE_PAGE:
        bad[n++] = KERNEL_DIRECT_MAP;
        bad[n++] = KERNEL_IMAGE;
        bad[n++] = NON_CANONICAL;
        bad[n++] = c->free + 1; /* unaligned */
        bad[n++] = ARAMID_USER_TOP;
        bad[n++] = ~0ul & ~(PAGE_SIZE - 1);
        break;
    case ROLE_TARGET:
        bad[n++] = 0;
        bad[n++] = KERNEL_DIRECT_MAP;
        bad[n++] = KERNEL_IMAGE;
        bad[n++] = NON_CANONICAL;
        bad[n++] = c->page + PAGE_SIZE;
        break;
    case ROLE_SIZE:
        bad[n++] = HUGE_LENGTH;
        bad[n++] = ~0ul;
        bad[n++] = -PAGE_SIZE;
        break;
    case ROLE_PROT:
        bad[n++] = 8;
        bad[n++] = 0xff;
        bad[n++] = ~0ul;
        break;
    case ROLE_OFFSET:
        bad[n++] = 1;           /* unaligned */
        bad[n++] = OBJECT_SIZE; /* the mapping would lie past the object's end */
        bad[n++] = HUGE_LENGTH;
        bad[n++] = -PAGE_SIZE;
        break;
    case ROLE_ENTRY:
        bad[n++] = 0;
        bad[n++] = KERNEL_DIRECT_MAP;
        bad[n++] = KERNEL_IMAGE;
        bad[n++] = NON_CANONICAL;
        bad[n++] = ARAMID_USER_TOP;
        break;
    case ROLE_STACK:
        bad[n++] = KERNEL_DIRECT_MAP;
        bad[n++] = KERNEL_IMAGE;
        bad[n++] = NON_CANONICAL;
        break;
    case ROLE_WHICH:
        bad[n++] = 0;
        bad[n++] = 3;
        bad[n++] = 0xffff;
        bad[n++] = ~0ul;
        break;
    default:
        break;
    }
    return n;
}

static int hostile_is_error(long result)
{
    return result < 0 && result >= -ARAMID_ERRNO_MAX;
}

/* Makes one call that must fail and records the outcome. */
static void hostile_expect_error(struct hostile_context *c, const char *name, long number,
                                 const unsigned long *a)
{
    long result = aramid_syscall(number, (long)a[0], (long)a[1], (long)a[2], (long)a[3], (long)a[4],
                                 (long)a[5]);
    c->calls++;
    if (!hostile_is_error(result)) {
        c->failures++;
        aramid_printf("hostile: FAIL %s(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx) returned %ld\n", name,
                      a[0], a[1], a[2], a[3], a[4], a[5], result);
    }
}

static void hostile_run_table(struct hostile_context *c)
{
    for (size_t i = 0; i < sizeof(hostile_calls) / sizeof(hostile_calls[0]); i++) {
        const struct hostile_call *call = &hostile_calls[i];
        unsigned long valid[HOSTILE_ARGUMENTS];
        for (unsigned k = 0; k < HOSTILE_ARGUMENTS; k++)
            valid[k] = hostile_valid(c, call->roles[k]);
        for (unsigned k = 0; k < HOSTILE_ARGUMENTS; k++) {
            unsigned long bad[HOSTILE_BAD_MAX];
            unsigned count = hostile_invalid(c, call->roles[k], bad);
            for (unsigned b = 0; b < count; b++) {
                unsigned long arguments[HOSTILE_ARGUMENTS];
                for (unsigned j = 0; j < HOSTILE_ARGUMENTS; j++)
                    arguments[j] = valid[j];
                arguments[k] = bad[b];
                hostile_expect_error(c, call->name, call->number, arguments);
            }
        }
    }
}

/* Ranges that straddle the end of valid memory, and messages invalid before any wait. */
static void hostile_run_edges(struct hostile_context *c)
{
    const unsigned long space = (unsigned long)c->bootinfo->self_space;
    const unsigned long rw = ARAMID_PROT_READ | ARAMID_PROT_WRITE;
    const unsigned long edges[][HOSTILE_ARGUMENTS + 1] = {
        /* reads and writes running from the mapped page into the guard page */
        {SYS_debug_write, c->page + PAGE_SIZE - 1, 2},
        {SYS_kernel_stats, ARAMID_STATS_MEMORY, c->page + PAGE_SIZE - 8, 16},
        {SYS_vm_write, space, c->page + PAGE_SIZE - 1, c->page, 2},
        {SYS_vm_write, space, c->page, c->page + PAGE_SIZE - 1, 2},
        /* mappings crossing the top of the user range, or wrapping around */
        {SYS_vm_map, space, ARAMID_USER_TOP - PAGE_SIZE, 2 * PAGE_SIZE, rw, 0, 0},
        {SYS_vm_map, space, c->free, -c->free, rw, 0, 0},
        {SYS_vm_protect, space, ARAMID_USER_TOP - PAGE_SIZE, 2 * PAGE_SIZE, rw},
        {SYS_vm_unmap, space, ARAMID_USER_TOP - PAGE_SIZE, 2 * PAGE_SIZE},
        /* a user buffer at the top of the user range running past it */
        {SYS_debug_write, ARAMID_USER_TOP - 1, 2},
    };
    for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
        hostile_expect_error(c, "edge", (long)edges[i][0], &edges[i][1]);

    /* ipc_call on a live endpoint nobody receives on: the bad message must be refused before
     * the caller would block. */
    struct aramid_message message = {0};
    message.info = ARAMID_IPC_INFO(1, ARAMID_IPC_BUFFER_SIZE + 1);
    long result = aramid_ipc_call(c->endpoint, &message);
    c->calls++;
    if (!hostile_is_error(result)) {
        c->failures++;
        aramid_printf("hostile: FAIL ipc_call with %d buffer bytes returned %ld\n",
                      ARAMID_IPC_BUFFER_SIZE + 1, result);
    }
    message.info = ARAMID_IPC_INFO(1, 0) | ARAMID_IPC_GRANT;
    message.words[5] = (unsigned long)c->closed;
    result = aramid_ipc_call(c->endpoint, &message);
    c->calls++;
    if (!hostile_is_error(result)) {
        c->failures++;
        aramid_printf("hostile: FAIL ipc_call granting a closed handle returned %ld\n", result);
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
        long code = sys_process_wait(child.process);
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
        return hostile_is_error(result) ? HOSTILE_CHILD_EXIT_CODE : 1;
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
    c->notification = sys_notification_create(0, 0);
    c->memory_object = sys_memory_object_create(OBJECT_SIZE);
    c->closed = sys_endpoint_create();
    long page = aramid_memory_map(space, PAGE_SIZE, ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
    /* Reserve four pages of addresses, then unmap them: c->free is unmapped and nothing else
     * will be put there. */
    long free = aramid_memory_map(space, 4 * PAGE_SIZE, ARAMID_PROT_READ, 0, 0);
    if (c->endpoint <= 0 || c->notification <= 0 || c->memory_object <= 0 || c->closed <= 0 ||
        page <= 0 || free <= 0) {
        aramid_printf("hostile: setup failed: %ld %ld %ld %ld %ld %ld\n", c->endpoint,
                      c->notification, c->memory_object, c->closed, page, free);
        return -1;
    }
    long unmapped = sys_vm_unmap(space, (unsigned long)free, 4 * PAGE_SIZE);
    long closed = sys_handle_close(c->closed);
    if (unmapped != 0 || closed != 0) {
        aramid_printf("hostile: setup failed: unmap %ld, close %ld\n", unmapped, closed);
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
    aramid_printf("hostile: %lu calls, all rejected\n", context.calls);
    return 0;
}
