/* Test program (root task): kernel-core behaviour seen from user space — preemption between
 * processes, IPC when a peer dies, notifications alone and bound to an IPC wait, copy-on-write
 * after a space clone, protection faults, the kernel stack cache, demand-zero accounting, and
 * process_stop with vm_read. */
#include <stdbool.h>

#include <aramid/sys.h>

#define CORE_CHILD_FLAG (1ul << 63)
#define CORE_ROLE_SHIFT 56
#define CORE_ROLE_SPIN 1ul
#define CORE_ROLE_SERVER_DIES 2ul
#define CORE_ROLE_OWNER_DIES 3ul
#define CORE_ROLE_CALLER 4ul
#define CORE_ROLE_WAITER 5ul
#define CORE_KILLED_WAITERS 30
#define CORE_HANDLE_MASK 0xfffffffful
#define CORE_SHARED_ADDRESS 0x600000000000ul
#define CORE_PAGE 4096ul
#define CORE_SPIN_CHANGES 10
#define CORE_SPIN_LIMIT (1ul << 34)
#define CORE_THREADS 20
#define CORE_PAGES 64
#define CORE_EPIPE 32
#define CORE_EXIT_KILLED (128 + 9)
#define CORE_EXIT_SEGV (128 + 11)

static const struct aramid_bootinfo *core_bootinfo;
static unsigned long core_failures;

#define CORE_CHECK(condition, ...)                                                            \
    do {                                                                                      \
        if (!(condition)) {                                                                   \
            core_failures++;                                                                  \
            aramid_printf("core: FAIL " __VA_ARGS__);                                         \
        }                                                                                     \
    } while (0)

/* ---- children (copies of this module) ---- */

static int core_child(unsigned long argument)
{
    unsigned long role = (argument >> CORE_ROLE_SHIFT) & 0x7f;
    aramid_handle_t handle = (aramid_handle_t)(argument & CORE_HANDLE_MASK);
    struct aramid_message message = { 0 };
    switch (role) {
    case CORE_ROLE_SPIN:
        for (;;)
            (*(volatile unsigned long *)CORE_SHARED_ADDRESS)++;
    case CORE_ROLE_SERVER_DIES:
        /* Takes one call and exits without replying. */
        aramid_ipc_wait(handle, &message);
        return 3;
    case CORE_ROLE_OWNER_DIES: {
        /* Hands the parent an endpoint of its own, then exits without ever receiving on it. */
        long own = sys_endpoint_create();
        message.info = ARAMID_IPC_INFO(1, 0) | ARAMID_IPC_GRANT;
        message.words[5] = (unsigned long)own;
        long result = aramid_ipc_call(handle, &message);
        sys_sleep(20 * 1000 * 1000);
        return result == 0 ? 4 : 5;
    }
    case CORE_ROLE_CALLER:
        aramid_ipc_call(handle, &message);
        return 6;
    case CORE_ROLE_WAITER:
        sys_process_wait(handle, 0); /* blocks until it is killed */
        return 7;
    default:
        return 99;
    }
}

static long core_spawn(unsigned long role, aramid_handle_t grant, struct aramid_child *child)
{
    long result = aramid_spawn_load_module(core_bootinfo, "kernel_core", child);
    if (result < 0)
        return result;
    long granted = 0;
    if (grant) {
        granted = sys_handle_grant(child->process, grant, ARAMID_RIGHTS_ALL);
        if (granted < 0)
            return granted;
    }
    return aramid_spawn_start(child, CORE_CHILD_FLAG | role << CORE_ROLE_SHIFT |
                                         ((unsigned long)granted & CORE_HANDLE_MASK));
}

/* ---- checks ---- */

/* Starts a child that spins incrementing a counter in a page it shares with us (*object, mapped
 * here at *mine). False (a failure counted) if it cannot be started. */
static bool core_spinner_start(struct aramid_child *child, long *object, long *mine)
{
    *object = sys_memory_object_create(CORE_PAGE);
    *mine = aramid_memory_map(core_bootinfo->self_space, CORE_PAGE,
                              ARAMID_PROT_READ | ARAMID_PROT_WRITE, *object, 0);
    long result = aramid_spawn_load_module(core_bootinfo, "kernel_core", child);
    if (*object < 0 || *mine < 0 || result < 0) {
        CORE_CHECK(0, "spinner setup: %ld %ld %ld\n", *object, *mine, result);
        return false;
    }
    result = sys_vm_map(child->space, CORE_SHARED_ADDRESS, CORE_PAGE,
                        ARAMID_PROT_READ | ARAMID_PROT_WRITE, *object, 0);
    if (result == 0)
        result = aramid_spawn_start(child, CORE_CHILD_FLAG | CORE_ROLE_SPIN << CORE_ROLE_SHIFT);
    CORE_CHECK(result == 0, "starting the spinning child: %ld\n", result);
    return result == 0;
}

/* Two CPU-bound processes: the parent never makes a system call while it watches the child's
 * counter advance, so the timer must preempt both ways. */
static void core_check_preemption(void)
{
    struct aramid_child child;
    long object, mine;
    if (!core_spinner_start(&child, &object, &mine))
        return;
    volatile unsigned long *counter = (volatile unsigned long *)mine;
    unsigned long seen = *counter, changes = 0;
    for (unsigned long i = 0; i < CORE_SPIN_LIMIT && changes < CORE_SPIN_CHANGES; i++) {
        if (*counter != seen) {
            seen = *counter;
            changes++;
        }
    }
    CORE_CHECK(changes == CORE_SPIN_CHANGES, "the other process ran only %lu times\n", changes);
    long exited = sys_notification_create(0, 0);
    CORE_CHECK(sys_process_notify_exit(child.process, exited, 0x4) == 0, "process_notify_exit\n");
    CORE_CHECK(sys_process_notify_exit(child.process, exited, 0) < 0, "notify_exit with no bits\n");
    CORE_CHECK(sys_process_kill(child.process) == 0, "process_kill\n");
    CORE_CHECK(sys_notify_wait(exited) == 0x4, "exit notification bits\n");
    long code = sys_process_wait(child.process, 0);
    CORE_CHECK(code == CORE_EXIT_KILLED, "killed child reported %ld\n", code);
    sys_handle_close(exited);
    aramid_child_close(&child);
    aramid_printf("core: preemption between processes ok (%lu changes seen)\n", changes);
}

/* A server that dies holding a reply: the caller gets -EPIPE, not a hang. */
static void core_check_server_death(void)
{
    struct aramid_child child;
    struct aramid_message message = { .info = ARAMID_IPC_INFO(7, 0) };
    long endpoint = sys_endpoint_create();
    long result = core_spawn(CORE_ROLE_SERVER_DIES, endpoint, &child);
    CORE_CHECK(result == 0, "spawning the dying server: %ld\n", result);
    /* process_id names the badge the child's calls will carry; garbage handles are refused */
    long child_id = sys_process_id(child.process);
    CORE_CHECK(child_id > 1 && child_id != sys_process_id(core_bootinfo->self_process),
               "process_id of the child %ld\n", child_id);
    CORE_CHECK(sys_process_id(endpoint) < 0 && sys_process_id(0) < 0, "process_id of garbage\n");
    result = aramid_ipc_call(endpoint, &message);
    CORE_CHECK(result == -CORE_EPIPE, "call to a server that died returned %ld\n", result);
    long code = sys_process_wait(child.process, 0);
    CORE_CHECK(code == 3, "dying server exit code %ld\n", code);
    aramid_child_close(&child);
    sys_handle_close(endpoint);
    aramid_printf("core: server death gives -EPIPE ok\n");
}

/* An endpoint whose creator dies while a caller is queued on it: -EPIPE. Also moves a handle
 * by IPC (the child grants its endpoint to the parent). */
static void core_check_owner_death(void)
{
    struct aramid_child child;
    struct aramid_message message = { 0 };
    long endpoint = sys_endpoint_create();
    long result = core_spawn(CORE_ROLE_OWNER_DIES, endpoint, &child);
    CORE_CHECK(result == 0, "spawning the endpoint owner: %ld\n", result);
    result = aramid_ipc_wait(endpoint, &message);
    CORE_CHECK(result == 0 && (message.info & ARAMID_IPC_GRANT) && (long)message.words[5] > 0,
               "receiving a granted endpoint: %ld info %#lx\n", result, message.info);
    long granted = (long)message.words[5];
    message.info = 0;
    aramid_ipc_reply_wait(0, &message); /* reply; the bad endpoint makes the wait fail at once */
    struct aramid_message call = { .info = ARAMID_IPC_INFO(1, 0) };
    result = aramid_ipc_call(granted, &call);
    CORE_CHECK(result == -CORE_EPIPE, "call queued on a dying owner's endpoint returned %ld\n",
               result);
    result = aramid_ipc_call(granted, &call);
    CORE_CHECK(result == -CORE_EPIPE, "call on a dead endpoint returned %ld\n", result);
    long code = sys_process_wait(child.process, 0);
    CORE_CHECK(code == 4, "endpoint owner exit code %ld\n", code);
    aramid_child_close(&child);
    sys_handle_close(granted);
    sys_handle_close(endpoint);
    aramid_printf("core: endpoint owner death gives -EPIPE ok\n");
}

static aramid_handle_t core_signal_target;

static void core_signal_later(unsigned long bits)
{
    sys_sleep(10 * 1000 * 1000);
    sys_notify_signal(core_signal_target, bits);
}

/* Notifications: poll/wait semantics, then bound to the thread so an IPC wait returns the bits;
 * and a caller killed while the server holds its reply (the reply is dropped). */
static void core_check_notifications(void)
{
    static _Alignas(16) unsigned char stack[16384];
    long notification = sys_notification_create(0, 0);
    long endpoint = sys_endpoint_create();
    core_signal_target = notification;
    CORE_CHECK(sys_notify_signal(notification, 0x5) == 0, "signal\n");
    CORE_CHECK(sys_notify_poll(notification) == 0x5, "poll after signal\n");
    CORE_CHECK(sys_notify_poll(notification) == 0, "poll clears\n");
    sys_notify_signal(notification, 0x2);
    CORE_CHECK(sys_notify_wait(notification) == 0x2, "wait with bits pending\n");

    long thread = aramid_thread_start(core_bootinfo->self_process, core_signal_later, 0x40, stack,
                                      sizeof(stack));
    CORE_CHECK(thread > 0, "thread start %ld\n", thread);
    CORE_CHECK(sys_notify_wait(notification) == 0x40, "wait woken by another thread\n");
    sys_handle_close(thread);

    CORE_CHECK(sys_notify_bind(notification) == 0, "bind\n");
    struct aramid_message message = { 0 };
    sys_notify_signal(notification, 0x8);
    long result = aramid_ipc_wait(endpoint, &message);
    CORE_CHECK(result == 0 && message.info == ARAMID_IPC_NOTIFIED && message.words[0] == 0x8,
               "pending bits end an IPC wait: %ld info %#lx mr0 %#lx\n", result, message.info,
               message.words[0]);
    thread = aramid_thread_start(core_bootinfo->self_process, core_signal_later, 0x10, stack,
                                 sizeof(stack));
    result = aramid_ipc_wait(endpoint, &message);
    CORE_CHECK(result == 0 && message.info == ARAMID_IPC_NOTIFIED && message.words[0] == 0x10,
               "a signal wakes an IPC wait: %ld info %#lx mr0 %#lx\n", result, message.info,
               message.words[0]);
    sys_handle_close(thread);

    /* A caller killed while this thread owes it a reply. */
    struct aramid_child child;
    result = core_spawn(CORE_ROLE_CALLER, endpoint, &child);
    result = aramid_ipc_wait(endpoint, &message);
    CORE_CHECK(result == 0 && message.info != ARAMID_IPC_NOTIFIED, "receiving the caller %ld\n",
               result);
    sys_process_kill(child.process);
    CORE_CHECK(sys_process_wait(child.process, 0) == CORE_EXIT_KILLED, "caller killed\n");
    sys_notify_signal(notification, 0x1); /* so the wait after the dropped reply ends */
    message.info = ARAMID_IPC_INFO(2, 0);
    result = aramid_ipc_reply_wait(endpoint, &message);
    CORE_CHECK(result == 0 && message.info == ARAMID_IPC_NOTIFIED,
               "reply to a dead caller, then wait: %ld info %#lx\n", result, message.info);
    aramid_child_close(&child);
    CORE_CHECK(sys_notify_bind(0) == 0, "unbind\n");
    sys_handle_close(endpoint);
    sys_handle_close(notification);
    aramid_printf("core: notifications (alone and bound) and dropped replies ok\n");
}

/* Globals the cloned child reads: their values at clone time are what the clone sees. */
static volatile char *core_cow_page;
static volatile char *core_readonly_page;
static _Alignas(16) unsigned char core_clone_stack[16384];

/* Runs in a process on the clone: reports what it sees, then writes; or writes read-only
 * memory when asked. */
static void core_clone_child(unsigned long argument)
{
    aramid_handle_t endpoint = (aramid_handle_t)(argument & CORE_HANDLE_MASK);
    if (argument & CORE_CHILD_FLAG)
        *core_readonly_page = 'X'; /* must kill this process */
    struct aramid_message message = { .info = ARAMID_IPC_INFO(1, 0) };
    message.words[0] = (unsigned long)core_cow_page[0];
    core_cow_page[0] = 'C';
    message.words[1] = (unsigned long)core_cow_page[0];
    aramid_ipc_call(endpoint, &message);
    sys_process_exit(0);
}

static long core_start_on_clone(aramid_handle_t clone, aramid_handle_t endpoint,
                                unsigned long flags, aramid_handle_t *process)
{
    *process = sys_process_create(clone, 0);
    if (*process < 0)
        return *process;
    long granted = sys_handle_grant(*process, endpoint, ARAMID_RIGHTS_ALL);
    if (granted < 0)
        return granted;
    /* rsp as after a call: 8 below a 16-byte boundary */
    unsigned long stack = (unsigned long)(core_clone_stack + sizeof(core_clone_stack)) - 8;
    return sys_thread_create(*process, (unsigned long)core_clone_child, stack,
                             flags | (unsigned long)granted);
}

static void core_check_copy_on_write(void)
{
    aramid_handle_t space = core_bootinfo->self_space;
    long page = aramid_memory_map(space, CORE_PAGE, ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
    long readonly = aramid_memory_map(space, CORE_PAGE, ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
    long endpoint = sys_endpoint_create();
    if (page < 0 || readonly < 0 || endpoint < 0) {
        CORE_CHECK(0, "copy-on-write setup %ld %ld %ld\n", page, readonly, endpoint);
        return;
    }
    core_cow_page = (volatile char *)page;
    core_readonly_page = (volatile char *)readonly;
    core_cow_page[0] = 'A';
    core_readonly_page[0] = 'R';
    CORE_CHECK(sys_vm_protect(space, (unsigned long)readonly, CORE_PAGE, ARAMID_PROT_READ) == 0,
               "protect read-only\n");
    long clone = sys_space_clone(space);
    CORE_CHECK(clone > 0, "space_clone %ld\n", clone);
    core_cow_page[0] = 'B'; /* after the clone: the clone must still see 'A' */

    aramid_handle_t process;
    long thread = core_start_on_clone(clone, endpoint, 0, &process);
    CORE_CHECK(thread > 0, "thread on the clone %ld\n", thread);
    struct aramid_message message = { 0 };
    long result = aramid_ipc_wait(endpoint, &message);
    CORE_CHECK(result == 0 && message.words[0] == 'A' && message.words[1] == 'C',
               "clone saw %c then %c\n", (char)message.words[0], (char)message.words[1]);
    message.info = 0;
    aramid_ipc_reply_wait(0, &message);
    CORE_CHECK(sys_process_wait(process, 0) == 0, "clone process exit\n");
    CORE_CHECK(core_cow_page[0] == 'B', "parent page changed to %c by the clone\n",
               core_cow_page[0]);
    sys_handle_close(thread);
    sys_handle_close(process);

    /* A second process on the same clone writes the read-only page and is killed. */
    thread = core_start_on_clone(clone, endpoint, CORE_CHILD_FLAG, &process);
    CORE_CHECK(thread > 0, "second thread on the clone %ld\n", thread);
    long code = thread > 0 ? sys_process_wait(process, 0) : 0;
    CORE_CHECK(code == CORE_EXIT_SEGV, "write to read-only memory: exit %ld\n", code);
    CORE_CHECK(core_readonly_page[0] == 'R', "read-only page changed\n");
    sys_handle_close(thread);
    sys_handle_close(process);
    sys_handle_close(clone);
    sys_handle_close(endpoint);
    aramid_printf("core: copy-on-write isolation and read-only faults ok\n");
}

static void core_thread_exits(unsigned long argument)
{
    (void)argument;
}

/* Killing a process blocked in process_wait drops the reference its wait held on the waited-for
 * process: many rounds leave the free-frame count where it was (a leak would keep each waited-for
 * process's handle table, several frames, allocated). */
static void core_check_killed_waiters(void)
{
    struct aramid_memory_stats before, after;
    sys_kernel_stats(ARAMID_STATS_MEMORY, &before, sizeof(before));
    long idle = sys_endpoint_create(); /* nobody receives: a call on it blocks for ever */
    for (int round = 0; round < CORE_KILLED_WAITERS; round++) {
        struct aramid_child target, waiter;
        long result = core_spawn(CORE_ROLE_CALLER, idle, &target);
        if (result == 0)
            result = core_spawn(CORE_ROLE_WAITER, target.process, &waiter);
        if (result != 0) {
            CORE_CHECK(0, "killed waiters: spawn %ld\n", result);
            return;
        }
        sys_yield(); /* let the waiter block in process_wait */
        sys_process_kill(waiter.process);
        long code = sys_process_wait(waiter.process, 0);
        CORE_CHECK(code == CORE_EXIT_KILLED, "waiter exit code %ld\n", code);
        sys_process_kill(target.process);
        sys_process_wait(target.process, 0);
        aramid_child_close(&waiter);
        aramid_child_close(&target);
    }
    sys_handle_close(idle);
    sys_kernel_stats(ARAMID_STATS_MEMORY, &after, sizeof(after));
    CORE_CHECK(after.free_frames + 16 >= before.free_frames,
               "killed waiters leaked frames: %lu before, %lu after\n", before.free_frames,
               after.free_frames);
    aramid_printf("core: killed process waiters release what they waited on\n");
}

/* Threads that exit give their kernel stacks back to the per-CPU cache, and new ones reuse them. */
static void core_check_stack_cache(void)
{
    static _Alignas(16) unsigned char stack[8192];
    struct aramid_stack_cache_stats before, after;
    long result = sys_kernel_stats(ARAMID_STATS_STACK_CACHE, &before, sizeof(before));
    CORE_CHECK(result == sizeof(before), "kernel_stats %ld\n", result);
    for (int i = 0; i < CORE_THREADS; i++) {
        long thread = aramid_thread_start(core_bootinfo->self_process, core_thread_exits, 0, stack,
                                          sizeof(stack));
        CORE_CHECK(thread > 0, "thread %d: %ld\n", i, thread);
        sys_handle_close(thread);
        sys_yield(); /* it runs, exits, and is reaped at the next switch */
        sys_yield();
    }
    sys_kernel_stats(ARAMID_STATS_STACK_CACHE, &after, sizeof(after));
    unsigned long hits = after.hits - before.hits;
    CORE_CHECK(hits >= CORE_THREADS - 2, "only %lu of %d thread stacks came from the cache\n",
               hits, CORE_THREADS);
    aramid_printf("core: kernel stack cache ok (%lu hits, %lu misses)\n", hits,
                  after.misses - before.misses);
}

/* Demand-zero pages: zero on first touch, frames taken on write, all back after unmap. */
static void core_check_demand_zero(void)
{
    aramid_handle_t space = core_bootinfo->self_space;
    struct aramid_memory_stats before, touched, after;
    sys_kernel_stats(ARAMID_STATS_MEMORY, &before, sizeof(before));
    long address = aramid_memory_map(space, CORE_PAGES * CORE_PAGE,
                                     ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
    CORE_CHECK(address > 0, "map %ld\n", address);
    volatile unsigned char *bytes = (volatile unsigned char *)address;
    unsigned long nonzero = 0;
    for (unsigned long i = 0; i < CORE_PAGES * CORE_PAGE; i += 512)
        nonzero += bytes[i] != 0;
    for (unsigned long page = 0; page < CORE_PAGES; page++)
        bytes[page * CORE_PAGE] = 1;
    sys_kernel_stats(ARAMID_STATS_MEMORY, &touched, sizeof(touched));
    CORE_CHECK(nonzero == 0, "%lu non-zero bytes in fresh memory\n", nonzero);
    CORE_CHECK(before.free_frames - touched.free_frames >= CORE_PAGES,
               "touching %d pages took only %lu frames\n", CORE_PAGES,
               before.free_frames - touched.free_frames);
    CORE_CHECK(sys_vm_unmap(space, (unsigned long)address, CORE_PAGES * CORE_PAGE) == 0, "unmap\n");
    sys_kernel_stats(ARAMID_STATS_MEMORY, &after, sizeof(after));
    CORE_CHECK(after.free_frames + 4 >= before.free_frames,
               "unmap gave back frames: before %lu after %lu\n", before.free_frames,
               after.free_frames);
    aramid_printf("core: demand-zero pages ok (%lu frames taken, returned on unmap)\n",
                  before.free_frames - touched.free_frames);
}

/* Does the spinning child's counter move within 30 ms of sleeping (the child gets the CPU)? */
static bool core_counter_moves(volatile unsigned long *counter)
{
    unsigned long before = *counter;
    for (int i = 0; i < 3 && *counter == before; i++)
        sys_sleep(10 * 1000 * 1000);
    return *counter != before;
}

/* process_stop parks every thread of a process until process_stop(0); vm_read copies out of
 * its space. Bad calls get their errors. */
static void core_check_process_stop(void)
{
    aramid_handle_t space = core_bootinfo->self_space;
    struct aramid_child child;
    long object, mine;
    if (!core_spinner_start(&child, &object, &mine))
        return;
    volatile unsigned long *counter = (volatile unsigned long *)mine;
    CORE_CHECK(core_counter_moves(counter), "the child does not run\n");
    CORE_CHECK(sys_process_stop(child.process, 1) == 0, "process_stop\n");
    unsigned long stopped_at = *counter;
    CORE_CHECK(!core_counter_moves(counter), "a stopped child ran\n");
    CORE_CHECK(sys_process_stop(child.process, 1) == 0, "process_stop twice\n");
    unsigned long read = 0;
    CORE_CHECK(sys_vm_read(child.space, CORE_SHARED_ADDRESS, &read, sizeof(read)) == 0 &&
                   read == stopped_at,
               "vm_read of the child's counter: %lu, %lu\n", read, stopped_at);
    CORE_CHECK(sys_process_stop(child.process, 0) == 0, "process_stop(0)\n");
    CORE_CHECK(core_counter_moves(counter), "a continued child does not run\n");
    /* Errors, each after the good call above. */
    static char big[1024];
    CORE_CHECK(sys_process_stop(core_bootinfo->self_process, 1) == -ARAMID_EINVAL,
               "process_stop of itself\n");
    CORE_CHECK(sys_process_stop(child.process, 2) == -ARAMID_EINVAL, "process_stop(2)\n");
    CORE_CHECK(sys_process_stop(object, 1) < 0 && sys_process_stop(0, 1) < 0,
               "process_stop of garbage\n");
    CORE_CHECK(sys_vm_read(child.space, CORE_SHARED_ADDRESS, big, 513) == -ARAMID_EINVAL,
               "vm_read beyond 512 bytes\n");
    CORE_CHECK(sys_vm_read(child.space, CORE_SHARED_ADDRESS + CORE_PAGE, &read, 8) ==
                   -ARAMID_EFAULT,
               "vm_read of unmapped memory\n");
    CORE_CHECK(sys_vm_read(child.space, CORE_SHARED_ADDRESS, (void *)0xffff800000000000ul, 8) ==
                   -ARAMID_EFAULT,
               "vm_read into the kernel\n");
    CORE_CHECK(sys_vm_read(object, 0, &read, 8) < 0, "vm_read of garbage\n");
    /* A stopped process dies of process_kill; then it cannot be stopped. */
    CORE_CHECK(sys_process_stop(child.process, 1) == 0, "process_stop again\n");
    CORE_CHECK(sys_process_kill(child.process) == 0, "process_kill of a stopped child\n");
    long code = sys_process_wait(child.process, 0);
    CORE_CHECK(code == CORE_EXIT_KILLED, "killed stopped child reported %ld\n", code);
    CORE_CHECK(sys_process_stop(child.process, 0) == -ARAMID_ESRCH, "process_stop of the dead\n");
    aramid_child_close(&child);
    sys_vm_unmap(space, (unsigned long)mine, CORE_PAGE);
    sys_handle_close(object);
    aramid_printf("core: process_stop and vm_read ok\n");
}

int aramid_main(unsigned long argument)
{
    if (argument & CORE_CHILD_FLAG)
        return core_child(argument);
    core_bootinfo = (const struct aramid_bootinfo *)argument;
    if (!core_bootinfo || core_bootinfo->magic != ARAMID_BOOTINFO_MAGIC) {
        aramid_printf("core: bad bootinfo\n");
        return 1;
    }
    core_check_preemption();
    core_check_server_death();
    core_check_owner_death();
    core_check_notifications();
    core_check_copy_on_write();
    core_check_killed_waiters();
    core_check_stack_cache();
    core_check_demand_zero();
    core_check_process_stop();
    if (core_failures) {
        aramid_printf("core: %lu failures\n", core_failures);
        return 1;
    }
    aramid_printf("core: all checks passed\n");
    return 0;
}
