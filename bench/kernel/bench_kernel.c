/* Kernel-core benchmarks (root task), each loop timed whole (docs/benchmarks-kernel.md). */
#include <aramid/sys.h>

/* The module name the benchmark spawns its partner processes from (tools/bench-kernel and the
 * test load the program under this name). */
#define BENCH_MODULE "bench_kernel"

/* A spawned copy's argument: bit 63 marks it (user addresses, such as the bootinfo address, are
 * below 2^47), bit 62 picks the role, and two 31-bit handles follow (handles are positive ints
 * of 31 bits, ukernel/kern/handle.c). */
#define BENCH_CHILD_FLAG (1ul << 63)
#define BENCH_CHILD_NOTIFY (1ul << 62) /* notify partner; otherwise IPC server */
#define BENCH_HANDLE_BITS 31
#define BENCH_HANDLE_MASK ((1ul << BENCH_HANDLE_BITS) - 1)

/* Notification bits of the switch benchmarks. */
#define BENCH_NOTIFY_PING 1ul
#define BENCH_NOTIFY_STOP 2ul

#define BENCH_PAGE_SIZE 4096ul
/* What an operation returns when a partner's answer is not the expected one. */
#define BENCH_BAD_REPLY (-ARAMID_EINVAL)

/* Iteration counts per benchmark: full mode, and quick mode for the test suite. */
struct bench_counts {
    unsigned long null_syscall;
    unsigned long ipc_null;
    unsigned long ipc_64b;
    unsigned long ipc_4k;
    unsigned long thread_switch;
    unsigned long space_switch;
    unsigned long clone_base;
    unsigned long clone_1m;
    unsigned long clone_64m;
    unsigned long fault_rounds; /* demand_zero_fault: rounds of BENCH_FAULT_PAGES pages */
    unsigned long map_among;    /* vm_map_among_*: timed one-page maps */
    unsigned long map_existing; /* vm_map_among_many: mappings already there */
};

#define BENCH_FAULT_PAGES 256ul

static const struct bench_counts bench_full = {
    .null_syscall = 1000000,
    .ipc_null = 200000,
    .ipc_64b = 100000,
    .ipc_4k = 20000,
    .thread_switch = 100000,
    .space_switch = 100000,
    .clone_base = 2000,
    .clone_1m = 1000,
    .clone_64m = 40,
    .fault_rounds = 200,
    .map_among = 2000,
    .map_existing = 100000,
};

static const struct bench_counts bench_quick = {
    .null_syscall = 20000,
    .ipc_null = 5000,
    .ipc_64b = 2000,
    .ipc_4k = 500,
    .thread_switch = 2000,
    .space_switch = 2000,
    .clone_base = 50,
    .clone_1m = 20,
    .clone_64m = 2,
    .fault_rounds = 4,
    .map_among = 200,
    .map_existing = 5000,
};

/* One benchmark run: the timed operation is called iterations times after a short warm-up. */
struct bench_case {
    const char *name;
    unsigned long iterations;
    long (*operation)(void *state); /* >= 0, or -errno to abort the benchmark */
    void *state;
};

static unsigned long bench_warmup_count(unsigned long iterations)
{
    unsigned long warmup = iterations / 16;
    return warmup ? warmup : 1;
}

/* Prints "BENCH name iterations total_ns ns_per_iteration" (two decimals, as bench/ does). */
static void bench_report(const char *name, unsigned long iterations, unsigned long total_ns)
{
    unsigned long hundredths = total_ns * 100 / iterations;
    aramid_printf("BENCH %s %lu %lu %lu.%02lu\n", name, iterations, total_ns, hundredths / 100,
                  hundredths % 100);
}

/* Times the whole loop; the per-iteration figure includes the loop and the libsys wrapper. */
static int bench_run(const struct bench_case *c)
{
    unsigned long warmup = bench_warmup_count(c->iterations);
    for (unsigned long i = 0; i < warmup; i++) {
        long result = c->operation(c->state);
        if (result < 0) {
            aramid_printf("bench-kernel: %s: warm-up failed with %ld\n", c->name, result);
            return -1;
        }
    }
    long start = sys_clock_monotonic();
    for (unsigned long i = 0; i < c->iterations; i++) {
        long result = c->operation(c->state);
        if (result < 0) {
            aramid_printf("bench-kernel: %s: iteration %lu failed with %ld\n", c->name, i, result);
            return -1;
        }
    }
    long end = sys_clock_monotonic();
    if (start < 0 || end < start) {
        aramid_printf("bench-kernel: %s: clock_monotonic gave %ld then %ld\n", c->name, start, end);
        return -1;
    }
    bench_report(c->name, c->iterations, (unsigned long)(end - start));
    return 0;
}

/* ---- null system call ---- */

static long bench_null_syscall(void *state)
{
    (void)state;
    return sys_thread_self();
}

/* ---- IPC round trips to a server process ---- */

/* The server: replies to every request with an empty label and the request's buffer byte count
 * (the bytes in its own IPC buffer go back unread), registers as they came. */
static int bench_ipc_serve(aramid_handle_t endpoint)
{
    struct aramid_message message = {0};
    long result = aramid_ipc_wait(endpoint, &message);
    while (result == 0) {
        message.info = ARAMID_IPC_INFO(0, ARAMID_IPC_BUFFER_BYTES(message.info));
        result = aramid_ipc_reply_wait(endpoint, &message);
    }
    aramid_printf("bench-kernel server: receive failed with %ld\n", result);
    return 2;
}

struct bench_ipc_state {
    aramid_handle_t endpoint;
    unsigned long info;
};

/* The message is a local: the inline libsys stub keeps it in registers, as a real client's
 * request built on the spot would be (six zero words). */
static long bench_ipc_round_trip(void *opaque)
{
    struct bench_ipc_state *state = opaque;
    struct aramid_message message = {.info = state->info};
    long result = aramid_ipc_call(state->endpoint, &message);
    if (result < 0)
        return result;
    if (message.info != ARAMID_IPC_INFO(0, ARAMID_IPC_BUFFER_BYTES(state->info)))
        return BENCH_BAD_REPLY;
    return 0;
}

/* Spawns a copy of this program in role with handles granted to it; child gets the handles. */
static long bench_spawn(const struct aramid_bootinfo *bootinfo, unsigned long role,
                        aramid_handle_t first, aramid_handle_t second, struct aramid_child *child)
{
    long result = aramid_spawn_load_module(bootinfo, BENCH_MODULE, child);
    if (result < 0)
        return result;
    long granted_first = sys_handle_grant(child->process, first, ARAMID_RIGHTS_ALL);
    long granted_second = second ? sys_handle_grant(child->process, second, ARAMID_RIGHTS_ALL) : 0;
    if (granted_first <= 0 || granted_second < 0) {
        (void)sys_process_kill(child->process);
        (void)aramid_child_close(child);
        return granted_first <= 0 ? granted_first : granted_second;
    }
    unsigned long argument = BENCH_CHILD_FLAG | role | (unsigned long)granted_first |
                             ((unsigned long)granted_second << BENCH_HANDLE_BITS);
    return aramid_spawn_start(child, argument);
}

/* Ends a child that serves forever (or has finished) and closes its handles. */
static int bench_child_finish(struct aramid_child *child, int kill)
{
    long result = kill ? sys_process_kill(child->process) : 0;
    if (result >= 0)
        result = sys_process_wait(child->process, 0);
    long closed = aramid_child_close(child);
    if (result < 0 || closed < 0 || (!kill && result != 0)) {
        aramid_printf("bench-kernel: child ended with %ld, close %ld\n", result, closed);
        return -1;
    }
    return 0;
}

static int bench_ipc(const struct aramid_bootinfo *bootinfo, const struct bench_counts *counts)
{
    struct aramid_child server;
    long endpoint = sys_endpoint_create();
    if (endpoint <= 0) {
        aramid_printf("bench-kernel: endpoint_create returned %ld\n", endpoint);
        return -1;
    }
    long result = bench_spawn(bootinfo, 0, endpoint, 0, &server);
    if (result < 0) {
        aramid_printf("bench-kernel: spawning the IPC server failed with %ld\n", result);
        return -1;
    }
    struct bench_ipc_state state = {.endpoint = endpoint};
    struct bench_case cases[] = {
        {"ipc_null_roundtrip", counts->ipc_null, bench_ipc_round_trip, &state},
        {"ipc_64b_roundtrip", counts->ipc_64b, bench_ipc_round_trip, &state},
        {"ipc_4k_roundtrip", counts->ipc_4k, bench_ipc_round_trip, &state},
    };
    const unsigned long buffer_bytes[] = {0, 64, ARAMID_IPC_BUFFER_SIZE};
    int failed = 0;
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]) && !failed; i++) {
        state.info = ARAMID_IPC_INFO(0, buffer_bytes[i]);
        failed = bench_run(&cases[i]);
    }
    if (bench_child_finish(&server, 1) != 0)
        failed = -1;
    if (sys_handle_close(endpoint) < 0)
        failed = -1;
    return failed;
}

/* ---- switches: notification ping-pong between two threads ---- */

/* The partner: waits for a ping and answers it, until told to stop; then acknowledges. */
static long bench_notify_partner(aramid_handle_t mine, aramid_handle_t theirs)
{
    for (;;) {
        long bits = sys_notify_wait(mine);
        if (bits < 0)
            return bits;
        if (bits & BENCH_NOTIFY_STOP)
            return sys_notify_signal(theirs, BENCH_NOTIFY_STOP);
        long result = sys_notify_signal(theirs, BENCH_NOTIFY_PING);
        if (result < 0)
            return result;
    }
}

/* The measuring side's handles: it signals partner_wakes and waits on self_wakes. */
struct bench_notify_pair {
    aramid_handle_t self_wakes;
    aramid_handle_t partner_wakes;
    long partner_result;
};

/* One round: ping the partner, wait for its answer (two switches, four system calls). */
static long bench_notify_round(void *opaque)
{
    struct bench_notify_pair *pair = opaque;
    long result = sys_notify_signal(pair->partner_wakes, BENCH_NOTIFY_PING);
    if (result < 0)
        return result;
    result = sys_notify_wait(pair->self_wakes);
    if (result < 0)
        return result;
    return result == (long)BENCH_NOTIFY_PING ? 0 : BENCH_BAD_REPLY;
}

/* Stops the partner and waits for its acknowledgement. */
static int bench_notify_stop(struct bench_notify_pair *pair)
{
    long result = sys_notify_signal(pair->partner_wakes, BENCH_NOTIFY_STOP);
    if (result >= 0)
        result = sys_notify_wait(pair->self_wakes);
    if (result != (long)BENCH_NOTIFY_STOP) {
        aramid_printf("bench-kernel: partner stop gave %ld\n", result);
        return -1;
    }
    return 0;
}

static int bench_notify_pair_create(struct bench_notify_pair *pair)
{
    pair->self_wakes = sys_notification_create(0, 0);
    pair->partner_wakes = sys_notification_create(0, 0);
    pair->partner_result = 0;
    if (pair->self_wakes <= 0 || pair->partner_wakes <= 0) {
        aramid_printf("bench-kernel: notification_create returned %ld, %ld\n", pair->self_wakes,
                      pair->partner_wakes);
        return -1;
    }
    return 0;
}

static int bench_notify_pair_close(struct bench_notify_pair *pair)
{
    long first = sys_handle_close(pair->self_wakes);
    long second = sys_handle_close(pair->partner_wakes);
    return first < 0 || second < 0 ? -1 : 0;
}

static _Alignas(16) unsigned char bench_partner_stack[16384];

static void bench_partner_thread(unsigned long argument)
{
    struct bench_notify_pair *pair = (struct bench_notify_pair *)argument;
    pair->partner_result = bench_notify_partner(pair->partner_wakes, pair->self_wakes);
}

static int bench_thread_switch(const struct aramid_bootinfo *bootinfo,
                               const struct bench_counts *counts)
{
    struct bench_notify_pair pair;
    if (bench_notify_pair_create(&pair) != 0)
        return -1;
    long thread =
        aramid_thread_start(bootinfo->self_process, bench_partner_thread, (unsigned long)&pair,
                            bench_partner_stack, sizeof(bench_partner_stack));
    if (thread <= 0) {
        aramid_printf("bench-kernel: thread_start returned %ld\n", thread);
        return -1;
    }
    struct bench_case c = {"thread_switch_same_space", counts->thread_switch, bench_notify_round,
                           &pair};
    int failed = bench_run(&c);
    if (bench_notify_stop(&pair) != 0 || pair.partner_result < 0)
        failed = -1;
    if (sys_handle_close(thread) < 0 || bench_notify_pair_close(&pair) != 0)
        failed = -1;
    return failed;
}

static int bench_space_switch(const struct aramid_bootinfo *bootinfo,
                              const struct bench_counts *counts)
{
    struct bench_notify_pair pair;
    struct aramid_child partner;
    if (bench_notify_pair_create(&pair) != 0)
        return -1;
    /* The child's first handle is the one it waits on, the second the one it signals. */
    long result =
        bench_spawn(bootinfo, BENCH_CHILD_NOTIFY, pair.partner_wakes, pair.self_wakes, &partner);
    if (result < 0) {
        aramid_printf("bench-kernel: spawning the switch partner failed with %ld\n", result);
        return -1;
    }
    struct bench_case c = {"switch_between_spaces", counts->space_switch, bench_notify_round,
                           &pair};
    int failed = bench_run(&c);
    if (failed) {
        (void)bench_child_finish(&partner, 1);
    } else if (bench_notify_stop(&pair) != 0 || bench_child_finish(&partner, 0) != 0) {
        failed = -1;
    }
    if (bench_notify_pair_close(&pair) != 0)
        failed = -1;
    return failed;
}

/* ---- memory: space clones and demand-zero faults ---- */

static void bench_touch_pages(unsigned long address, unsigned long bytes)
{
    for (unsigned long offset = 0; offset < bytes; offset += BENCH_PAGE_SIZE)
        *(volatile unsigned char *)(address + offset) = 1;
}

struct bench_clone_state {
    aramid_handle_t space;
};

/* Clones the caller's space and closes the clone (which frees it). */
static long bench_clone_once(void *opaque)
{
    struct bench_clone_state *state = opaque;
    long clone = sys_space_clone(state->space);
    if (clone <= 0)
        return clone ? clone : BENCH_BAD_REPLY;
    return sys_handle_close(clone);
}

/* Clones the root task's space with bytes of touched private anonymous memory added (0: the
 * program as it is: text, data, stack, bootinfo and the mapped module). */
static int bench_space_clone(const struct aramid_bootinfo *bootinfo, const char *name,
                             unsigned long bytes, unsigned long iterations)
{
    struct bench_clone_state state = {.space = bootinfo->self_space};
    long address = 0;
    if (bytes) {
        address = aramid_memory_map(bootinfo->self_space, bytes,
                                    ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
        if (address < 0) {
            aramid_printf("bench-kernel: %s: mapping %lu bytes failed with %ld\n", name, bytes,
                          address);
            return -1;
        }
        bench_touch_pages((unsigned long)address, bytes);
    }
    struct bench_case c = {name, iterations, bench_clone_once, &state};
    int failed = bench_run(&c);
    if (bytes && sys_vm_unmap(bootinfo->self_space, (unsigned long)address, bytes) < 0)
        failed = -1;
    return failed;
}

struct bench_fault_state {
    aramid_handle_t space;
    unsigned long address;
};

/* One round: map BENCH_FAULT_PAGES pages, write to each (one demand-zero fault per page),
 * unmap them all. */
static long bench_fault_round(void *opaque)
{
    struct bench_fault_state *state = opaque;
    unsigned long bytes = BENCH_FAULT_PAGES * BENCH_PAGE_SIZE;
    long result =
        sys_vm_map(state->space, state->address, bytes, ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
    if (result < 0)
        return result;
    bench_touch_pages(state->address, bytes);
    return sys_vm_unmap(state->space, state->address, bytes);
}

/* Reports per page: the round count times BENCH_FAULT_PAGES. */
static int bench_demand_zero(const struct aramid_bootinfo *bootinfo,
                             const struct bench_counts *counts)
{
    unsigned long bytes = BENCH_FAULT_PAGES * BENCH_PAGE_SIZE;
    /* Reserve an address range in libsys's allocator, then leave it unmapped. */
    long address = aramid_memory_map(bootinfo->self_space, bytes, ARAMID_PROT_READ, 0, 0);
    if (address < 0 || sys_vm_unmap(bootinfo->self_space, (unsigned long)address, bytes) < 0) {
        aramid_printf("bench-kernel: demand_zero_fault: reserving failed (%ld)\n", address);
        return -1;
    }
    struct bench_fault_state state = {bootinfo->self_space, (unsigned long)address};
    for (unsigned long i = 0; i < bench_warmup_count(counts->fault_rounds); i++) {
        long result = bench_fault_round(&state);
        if (result < 0) {
            aramid_printf("bench-kernel: demand_zero_fault: warm-up failed with %ld\n", result);
            return -1;
        }
    }
    long start = sys_clock_monotonic();
    for (unsigned long i = 0; i < counts->fault_rounds; i++) {
        long result = bench_fault_round(&state);
        if (result < 0) {
            aramid_printf("bench-kernel: demand_zero_fault: round %lu failed with %ld\n", i,
                          result);
            return -1;
        }
    }
    long end = sys_clock_monotonic();
    if (start < 0 || end < start)
        return -1;
    bench_report("demand_zero_fault", counts->fault_rounds * BENCH_FAULT_PAGES,
                 (unsigned long)(end - start));
    return 0;
}

/* Where vm_map_among_* puts its mappings: one page every BENCH_MAP_STRIDE, so none merge, and
 * the timed maps go in the middle of the gaps. */
#define BENCH_MAP_BASE 0x200000000000ul
#define BENCH_MAP_STRIDE (4 * BENCH_PAGE_SIZE)

struct bench_map_state {
    aramid_handle_t space;
    unsigned long existing;
    unsigned long next;
};

/* One timed map: a page in the gap after existing mapping (next * 7919) % existing, so the
 * inserts land all over the region list. */
static long bench_map_among_one(void *opaque)
{
    struct bench_map_state *state = opaque;
    unsigned long slot = (state->next++ * 7919) % state->existing;
    return sys_vm_map(state->space, BENCH_MAP_BASE + slot * BENCH_MAP_STRIDE + 2 * BENCH_PAGE_SIZE,
                      BENCH_PAGE_SIZE, ARAMID_PROT_READ, 0, 0);
}

/* The cost of one vm_map with existing mappings already in the space (issue 11: it grew with
 * their number; 2,000 maps took 180 times longer after 100,000 existed). */
static int bench_map_among(const struct aramid_bootinfo *bootinfo, const char *name,
                           unsigned long existing, unsigned long iterations)
{
    struct bench_map_state state = {bootinfo->self_space, existing, 0};
    for (unsigned long i = 0; i < existing; i++) {
        long result = sys_vm_map(state.space, BENCH_MAP_BASE + i * BENCH_MAP_STRIDE,
                                 BENCH_PAGE_SIZE, ARAMID_PROT_READ, 0, 0);
        if (result < 0) {
            aramid_printf("bench-kernel: %s: mapping %lu failed with %ld\n", name, i, result);
            return -1;
        }
    }
    /* No warm-up: every map is at a new slot, and the timed ones must not repeat a slot. */
    long start = sys_clock_monotonic();
    for (unsigned long i = 0; i < iterations; i++) {
        long result = bench_map_among_one(&state);
        if (result < 0) {
            aramid_printf("bench-kernel: %s: map %lu failed with %ld\n", name, i, result);
            return -1;
        }
    }
    long end = sys_clock_monotonic();
    long unmapped = sys_vm_unmap(state.space, BENCH_MAP_BASE, existing * BENCH_MAP_STRIDE);
    if (start < 0 || end < start || unmapped < 0)
        return -1;
    bench_report(name, iterations, (unsigned long)(end - start));
    return 0;
}

/* ---- command line and main ---- */

/* Whether the whitespace-separated cmdline has the word token (compared up to its end). */
static int bench_cmdline_has(const char *cmdline, const char *token)
{
    const char *p = cmdline;
    const char *end = cmdline + ARAMID_BOOTINFO_CMDLINE_MAX;
    while (p < end && *p) {
        while (p < end && *p == ' ')
            p++;
        const char *word = p;
        while (p < end && *p && *p != ' ')
            p++;
        unsigned long length = (unsigned long)(p - word), i = 0;
        while (i < length && token[i] && token[i] == word[i])
            i++;
        if (i == length && token[i] == '\0' && length > 0)
            return 1;
    }
    return 0;
}

static int bench_main(const struct aramid_bootinfo *bootinfo)
{
    int quick = bench_cmdline_has(bootinfo->cmdline, "bench=quick");
    const struct bench_counts *counts = quick ? &bench_quick : &bench_full;
    aramid_printf("bench-kernel: mode %s\n", quick ? "quick" : "full");

    struct bench_case null_syscall = {"null_syscall", counts->null_syscall, bench_null_syscall,
                                      NULL};
    if (bench_run(&null_syscall) != 0 || bench_ipc(bootinfo, counts) != 0 ||
        bench_thread_switch(bootinfo, counts) != 0 || bench_space_switch(bootinfo, counts) != 0 ||
        bench_space_clone(bootinfo, "space_clone_base", 0, counts->clone_base) != 0 ||
        bench_space_clone(bootinfo, "space_clone_1m", 1ul << 20, counts->clone_1m) != 0 ||
        bench_space_clone(bootinfo, "space_clone_64m", 64ul << 20, counts->clone_64m) != 0 ||
        bench_demand_zero(bootinfo, counts) != 0 ||
        bench_map_among(bootinfo, "vm_map_among_few", counts->map_among, counts->map_among) != 0 ||
        bench_map_among(bootinfo, "vm_map_among_many", counts->map_existing, counts->map_among) !=
            0) {
        aramid_printf("bench-kernel: FAILED\n");
        return 1;
    }
    aramid_printf("bench-kernel: done\n");
    return 0;
}

int aramid_main(unsigned long argument)
{
    if (argument & BENCH_CHILD_FLAG) {
        aramid_handle_t first = (aramid_handle_t)(argument & BENCH_HANDLE_MASK);
        aramid_handle_t second =
            (aramid_handle_t)((argument >> BENCH_HANDLE_BITS) & BENCH_HANDLE_MASK);
        if (argument & BENCH_CHILD_NOTIFY)
            return bench_notify_partner(first, second) < 0 ? 2 : 0;
        return bench_ipc_serve(first);
    }
    const struct aramid_bootinfo *bootinfo = (const struct aramid_bootinfo *)argument;
    if (bootinfo == NULL || bootinfo->magic != ARAMID_BOOTINFO_MAGIC) {
        aramid_printf("bench-kernel: bad bootinfo\n");
        return 1;
    }
    return bench_main(bootinfo);
}
