/* Test program (root task): the kernel's isolation findings of issue 11, each as the good call
 * succeeding and then the hostile one getting exactly its errno: mapping ceilings under
 * vm_protect, handles of never-run processes released, exit watches a process cannot switch
 * off, killing a process that shares the caller's address space, and memory_object_resize. */
#include <aramid/infopage.h>
#include <aramid/sys.h>

#define SEC_CHILD_FLAG (1ul << 63)
#define SEC_HANDLE_MASK 0xfffffffful
#define SEC_PAGE 4096ul
#define SEC_RW (ARAMID_PROT_READ | ARAMID_PROT_WRITE)
#define SEC_RX (ARAMID_PROT_READ | ARAMID_PROT_EXEC)
#define SEC_RWX (ARAMID_PROT_READ | ARAMID_PROT_WRITE | ARAMID_PROT_EXEC)
#define SEC_LEAK_ROUNDS 48
#define SEC_BIG_OBJECT (1ul << 30) /* 1 GiB: 2 MiB of kernel heap for its page array */
#define SEC_WRITTEN_OBJECT (1ul << 20)
#define SEC_EXIT_WATCHES 4 /* the kernel's PROCESS_EXIT_WATCHES */
#define SEC_EXIT_KILLED (128 + 9)

static const struct aramid_bootinfo *sec_bootinfo;
static unsigned long sec_failures;

#define SEC_CHECK(condition, ...)                                                             \
    do {                                                                                      \
        if (!(condition)) {                                                                   \
            sec_failures++;                                                                   \
            aramid_printf("security: FAIL " __VA_ARGS__);                                     \
        }                                                                                     \
    } while (0)

/* One hostile row: result must be exactly expected (0 for the good call, -errno otherwise). */
/* Prints a check's summary line only when it added no failure since start. */
static void sec_report(unsigned long failures_at_start, const char *line)
{
    if (sec_failures == failures_at_start)
        aramid_printf("security: %s ok\n", line);
}

static void sec_expect(const char *what, long result, long expected)
{
    SEC_CHECK(result == expected, "%s returned %ld, expected %ld\n", what, result, expected);
}

/* ---- 1. a mapping never exceeds what it maps, protect included ---- */

static void sec_check_protect_ceilings(void)
{
    unsigned long failures_at_start = sec_failures;
    aramid_handle_t space = sec_bootinfo->self_space;
    const unsigned long info = ARAMID_INFO_PAGE_ADDRESS;

    /* The information page: kernel-owned, read-only for ever. */
    sec_expect("protect info page read", sys_vm_protect(space, info, SEC_PAGE, ARAMID_PROT_READ),
               0);
    sec_expect("protect info page writable",
               sys_vm_protect(space, info, SEC_PAGE, SEC_RW), -ARAMID_EACCES);
    sec_expect("protect info page executable",
               sys_vm_protect(space, info, SEC_PAGE, SEC_RX), -ARAMID_EACCES);
    const struct aramid_info_page *page = (const struct aramid_info_page *)info;
    SEC_CHECK(page->magic == ARAMID_INFO_PAGE_MAGIC, "info page unreadable after protect\n");

    /* A module image as module_open hands it out: READ|MAP, no WRITE, no EXECUTE. */
    const struct aramid_boot_module *module = aramid_module_find(sec_bootinfo, "kernel_security");
    SEC_CHECK(module != NULL, "no kernel_security module\n");
    if (module == NULL)
        return;
    long read_only = sys_handle_duplicate(module->memory_object,
                                          ARAMID_RIGHT_READ | ARAMID_RIGHT_MAP);
    SEC_CHECK(read_only > 0, "duplicate module %ld\n", read_only);
    long image = aramid_memory_map(space, SEC_PAGE, ARAMID_PROT_READ, read_only, 0);
    SEC_CHECK(image > 0, "map module read-only %ld\n", image);
    sec_expect("map READ|MAP image writable",
               aramid_memory_map(space, SEC_PAGE, SEC_RW, read_only, 0), -ARAMID_EPERM);
    sec_expect("protect image read", sys_vm_protect(space, (unsigned long)image, SEC_PAGE,
                                                    ARAMID_PROT_READ), 0);
    sec_expect("protect READ|MAP image writable",
               sys_vm_protect(space, (unsigned long)image, SEC_PAGE, SEC_RW), -ARAMID_EACCES);
    sec_expect("protect image executable without EXECUTE",
               sys_vm_protect(space, (unsigned long)image, SEC_PAGE, SEC_RX), -ARAMID_EACCES);
    SEC_CHECK(((const unsigned char *)image)[1] == 'E', "image bytes changed\n");
    sec_expect("unmap image", sys_vm_unmap(space, (unsigned long)image, SEC_PAGE), 0);

    /* With EXECUTE the same image may become executable, still not writable. */
    long executable = sys_handle_duplicate(module->memory_object, ARAMID_RIGHT_READ |
                                                                      ARAMID_RIGHT_MAP |
                                                                      ARAMID_RIGHT_EXECUTE);
    image = aramid_memory_map(space, SEC_PAGE, ARAMID_PROT_READ, executable, 0);
    SEC_CHECK(image > 0, "map module with EXECUTE %ld\n", image);
    sec_expect("protect image executable with EXECUTE",
               sys_vm_protect(space, (unsigned long)image, SEC_PAGE, SEC_RX), 0);
    sec_expect("protect executable image writable",
               sys_vm_protect(space, (unsigned long)image, SEC_PAGE, SEC_RWX), -ARAMID_EACCES);
    sec_expect("unmap image", sys_vm_unmap(space, (unsigned long)image, SEC_PAGE), 0);

    /* A range that spans an allowed and a refused region changes nothing. */
    long anonymous = aramid_memory_map(space, 2 * SEC_PAGE, SEC_RW, 0, 0);
    SEC_CHECK(anonymous > 0, "anonymous map %ld\n", anonymous);
    sec_expect("protect anonymous rwx",
               sys_vm_protect(space, (unsigned long)anonymous, 2 * SEC_PAGE, SEC_RWX), 0);
    sec_expect("unmap anonymous", sys_vm_unmap(space, (unsigned long)anonymous, 2 * SEC_PAGE), 0);

    /* A thread's IPC buffer is kernel-owned too: read-write, never executable. */
    unsigned long buffer = (unsigned long)sys_ipc_buffer();
    sec_expect("protect IPC buffer rw", sys_vm_protect(space, buffer, SEC_PAGE, SEC_RW), 0);
    sec_expect("protect IPC buffer executable",
               sys_vm_protect(space, buffer, SEC_PAGE, SEC_RWX), -ARAMID_EACCES);
    sys_handle_close(read_only);
    sys_handle_close(executable);
    sec_report(failures_at_start, "protect keeps each mapping within its object's rights");
}

/* ---- 2. handles granted into a process that never runs are released ---- */

static void sec_memory(struct aramid_memory_stats *stats)
{
    sec_expect("kernel_stats", sys_kernel_stats(ARAMID_STATS_MEMORY, stats, sizeof(*stats)),
               sizeof(*stats));
}

static _Alignas(16) unsigned char sec_fill[64 * 1024];

/* One round of the attack: a space holding a written object, a process on it that is handed
 * its own space, its own process and a 1 GiB object, then every handle of ours closed. */
static long sec_leak_round(void)
{
    long space = sys_space_create();
    long written = sys_memory_object_create(SEC_WRITTEN_OBJECT);
    long big = sys_memory_object_create(SEC_BIG_OBJECT);
    if (space < 0 || written < 0 || big < 0)
        return space < 0 ? space : written < 0 ? written : big;
    long result = sys_vm_map(space, ARAMID_MEMORY_START, SEC_WRITTEN_OBJECT, SEC_RW, written, 0);
    for (unsigned long done = 0; result == 0 && done < SEC_WRITTEN_OBJECT; done += sizeof(sec_fill))
        result = sys_vm_write(space, ARAMID_MEMORY_START + done, sec_fill,
                              sizeof(sec_fill));
    long process = result == 0 ? sys_process_create(space, 0) : result;
    if (process > 0) {
        long grants[] = {sys_handle_grant(process, space, ARAMID_RIGHTS_ALL),
                         sys_handle_grant(process, process, ARAMID_RIGHTS_ALL),
                         sys_handle_grant(process, big, ARAMID_RIGHTS_ALL)};
        for (unsigned i = 0; i < 3 && result == 0; i++)
            result = grants[i] < 0 ? grants[i] : 0;
        sys_handle_close(process);
    } else {
        result = process;
    }
    sys_handle_close(space);
    sys_handle_close(written);
    sys_handle_close(big);
    return result;
}

static void sec_check_never_run_process_leak(void)
{
    unsigned long failures_at_start = sec_failures;
    struct aramid_memory_stats before, after;
    for (unsigned long i = 0; i < sizeof(sec_fill); i++)
        sec_fill[i] = (unsigned char)i;
    sec_expect("first leak round", sec_leak_round(), 0); /* warms the heap's caches */
    sec_memory(&before);
    long failed = 0;
    for (int i = 0; i < SEC_LEAK_ROUNDS && failed == 0; i++)
        failed = sec_leak_round();
    sec_memory(&after);
    sec_expect("leak rounds", failed, 0);
    SEC_CHECK(after.free_frames + 16 >= before.free_frames,
              "free frames %lu before, %lu after %d rounds\n", before.free_frames,
              after.free_frames, SEC_LEAK_ROUNDS);
    SEC_CHECK(after.heap_pages <= before.heap_pages + 16,
              "kernel heap pages %lu before, %lu after %d rounds\n", before.heap_pages,
              after.heap_pages, SEC_LEAK_ROUNDS);
    aramid_printf("security: %lu free frames, %lu heap pages before; %lu, %lu after\n",
                  before.free_frames, before.heap_pages, after.free_frames, after.heap_pages);
    sec_report(failures_at_start, "never-run processes release their handles");
}

/* ---- 3. a process cannot switch off another's watch of its exit ---- */

#define SEC_CHILD_QUOTA (1ul << 62) /* the child that tries its memory quota */
#define SEC_QUOTA_ROOM 64ul            /* pages it may add to what it starts with */

/* Under a quota of what it started with plus SEC_QUOTA_ROOM pages: mappings and objects within
 * it work, past it get -ENOMEM, and unmapping gives the room back. */
static int sec_quota_child(aramid_handle_t space)
{
    long failures = 0;
    const unsigned long half = SEC_QUOTA_ROOM / 2 * SEC_PAGE;
    long first = aramid_memory_map(space, half, SEC_RW, 0, 0);
    failures += first <= 0;
    failures += aramid_memory_map(space, 2 * half, SEC_RW, 0, 0) != -ARAMID_ENOMEM;
    failures += sys_memory_object_create(2 * half) != -ARAMID_ENOMEM;
    long object = sys_memory_object_create(half / 2);
    failures += object <= 0;
    failures += sys_handle_close(object) != 0;
    failures += first > 0 && sys_vm_unmap(space, (unsigned long)first, half) != 0;
    /* All the room is back: more than was left while first was mapped (each mapping also
     * costs SEC_REGION_CHARGE pages, and the child's thread took some at its start). */
    long again = aramid_memory_map(space, 2 * half - 16 * SEC_PAGE, SEC_RW, 0, 0);
    failures += again <= 0;
    if (failures)
        aramid_printf("security: FAIL quota child: %ld wrong\n", failures);
    return failures == 0 ? 5 : 6;
}

#define SEC_REGION_CHARGE 3ul /* the kernel's VM_REGION_TABLE_PAGES */
#define SEC_CHILD_TABLES (1ul << 58) /* maps one object page every 2 MiB until refused */
#define SEC_CHILD_THREAD_QUOTA (1ul << 57) /* makes threads under a small quota */
#define SEC_TABLES_ROOM 200ul  /* its quota: what it starts with plus this */
#define SEC_TABLES_FAR 0x200000000000ul
#define SEC_TABLES_TRIES 20000ul /* without the charge: 20,000 page tables (80 MiB) */
#define SEC_TABLE_SPAN (2ul << 20)

/* One page of a memory object mapped (and touched) every 2 MiB, so that each mapping needs a
 * page table of its own: the kernel charges the page tables and the region to the quota, so
 * it refuses with -ENOMEM after a few dozen (not after thousands), and unmapping gives the room
 * back. */
static int sec_tables_child(aramid_handle_t space)
{
    long object = sys_memory_object_create(SEC_PAGE);
    if (object <= 0)
        return 6;
    unsigned long made = 0;
    long result = 0;
    while (made < SEC_TABLES_TRIES) {
        unsigned long address = SEC_TABLES_FAR + made * SEC_TABLE_SPAN;
        result = sys_vm_map(space, address, SEC_PAGE, ARAMID_PROT_READ, object, 0);
        if (result != 0)
            break;
        (void)*(volatile unsigned char *)address;
        made++;
    }
    long failures = 0;
    /* Each costs its region's charge plus one page table per 2 MiB it spans. */
    if (made == 0 || made > SEC_TABLES_ROOM / (SEC_REGION_CHARGE + 1) || result != -ARAMID_ENOMEM) {
        aramid_printf("security: FAIL %lu one-page object mappings 2 MiB apart, then %ld\n", made,
                      result);
        failures++;
    }
    failures += sys_vm_unmap(space, SEC_TABLES_FAR, made * SEC_TABLE_SPAN) != 0;
    for (unsigned long i = 0; i < made; i++)
        failures += sys_vm_map(space, SEC_TABLES_FAR + i * SEC_TABLE_SPAN, SEC_PAGE,
                               ARAMID_PROT_READ, object, 0) != 0;
    if (failures)
        aramid_printf("security: FAIL tables child: %ld wrong\n", failures);
    return failures == 0 ? 5 : 6;
}

#define SEC_CHILD_OBJECTS (1ul << 55) /* makes endpoints, then notifications, until refused */
#define SEC_OBJECTS_ROOM 16ul         /* its thread takes 9 of them: a few hundred objects */
#define SEC_OBJECTS_MAX 900           /* below the 1,024-slot handle table */

/* Endpoints and notifications are charged their kernel heap: under a quota of what it started
 * with plus SEC_OBJECTS_ROOM pages, each kind can be made a few hundred times (the first call
 * succeeds), then gives exactly -ENOMEM before the handle table is full; closing one gives its
 * room back. */
static int sec_objects_child(void)
{
    static long made[SEC_OBJECTS_MAX];
    long failures = 0;
    for (int kind = 0; kind < 2; kind++) {
        long count = 0, result = 0;
        while (count < SEC_OBJECTS_MAX) {
            result = kind == 0 ? sys_endpoint_create() : sys_notification_create(0, 0);
            if (result < 0)
                break;
            made[count++] = result;
        }
        if (count == 0 || count >= SEC_OBJECTS_MAX || result != -ARAMID_ENOMEM) {
            aramid_printf("security: FAIL %ld %s made under a small quota, then %ld\n", count,
                          kind == 0 ? "endpoints" : "notifications", result);
            failures++;
        }
        if (count > 0) {
            failures += sys_handle_close(made[--count]) != 0;
            result = kind == 0 ? sys_endpoint_create() : sys_notification_create(0, 0);
            failures += result <= 0; /* the room came back */
            if (result > 0)
                made[count++] = result;
        }
        while (count > 0)
            failures += sys_handle_close(made[--count]) != 0;
    }
    return failures == 0 ? 5 : 6;
}

#define SEC_CHILD_SERVER (1ul << 56) /* takes one call on the granted endpoint, then faults */

/* A server that dies holding a call: a page fault kills it (SIGSEGV). */
static volatile unsigned long *volatile sec_nowhere; /* NULL */

static int sec_server_child(aramid_handle_t endpoint)
{
    struct aramid_message message = {0};
    if (aramid_ipc_wait(endpoint, &message) != 0)
        return 6;
    sec_nowhere[1] = 1;
    return 6;
}

#define SEC_CHILD_THREADS (1ul << 59)  /* makes threads until refused */
#define SEC_THREADS_MAX 256             /* the kernel's PROCESS_THREADS_MAX */
#define SEC_THREAD_STACK 1024
#define SEC_CHILD_HOG (1ul << 61)       /* maps and touches SEC_HOG_BYTES, then sleeps */
#define SEC_CHILD_BYSTANDER (1ul << 60) /* touches SEC_BYSTANDER_BYTES, then exits 7 */
#define SEC_HOG_BYTES (200ul << 20)
#define SEC_BYSTANDER_BYTES (120ul << 20)

/* Maps bytes of anonymous memory and writes every page. */
static long sec_touch(aramid_handle_t space, unsigned long bytes)
{
    long address = aramid_memory_map(space, bytes, SEC_RW, 0, 0);
    for (unsigned long offset = 0; address > 0 && offset < bytes; offset += SEC_PAGE)
        ((volatile unsigned char *)address)[offset] = 1;
    return address;
}

static _Alignas(16) unsigned char sec_thread_stacks[SEC_THREADS_MAX][SEC_THREAD_STACK];

static void sec_thread_sleeps(unsigned long argument)
{
    (void)argument;
    for (;;)
        sys_sleep(1000ul * 1000 * 1000);
}

/* Threads of its own until the kernel refuses: exactly SEC_THREADS_MAX live ones (itself
 * included), then -EAGAIN. Its exit ends them all. */
static int sec_threads_child(aramid_handle_t self)
{
    long made = 0, result = 0;
    while (made < SEC_THREADS_MAX + 8) {
        result = aramid_thread_start(self, sec_thread_sleeps, 0, sec_thread_stacks[made],
                                     SEC_THREAD_STACK);
        if (result < 0)
            break;
        made++;
    }
    if (made != SEC_THREADS_MAX - 1 || result != -ARAMID_EAGAIN) {
        aramid_printf("security: FAIL %ld threads made, then %ld\n", made, result);
        return 6;
    }
    return 5;
}

/* Under a quota of what it started with plus SEC_QUOTA_ROOM pages: each thread is charged its
 * kernel stack, IPC buffer and state (9 pages with its region), so the kernel gives -EAGAIN
 * after a few threads, long before the 256 cap. */
static int sec_thread_quota_child(aramid_handle_t self)
{
    long made = 0, result = 0;
    while (made < SEC_THREADS_MAX) {
        result = aramid_thread_start(self, sec_thread_sleeps, 0, sec_thread_stacks[made],
                                     SEC_THREAD_STACK);
        if (result < 0)
            break;
        made++;
    }
    if (made == 0 || made > (long)(SEC_QUOTA_ROOM / 6) || result != -ARAMID_EAGAIN) {
        aramid_printf("security: FAIL %ld threads made under a small quota, then %ld\n", made,
                      result);
        return 6;
    }
    return 5;
}

static int sec_child(unsigned long argument)
{
    /* The watched child: its own process handle (all rights) in the low bits; or the quota
     * child, with its own space. */
    aramid_handle_t self = (aramid_handle_t)(argument & SEC_HANDLE_MASK);
    if (argument & SEC_CHILD_QUOTA)
        return sec_quota_child(self);
    if (argument & SEC_CHILD_THREADS)
        return sec_threads_child(self);
    if (argument & SEC_CHILD_SERVER)
        return sec_server_child(self);
    if (argument & SEC_CHILD_TABLES)
        return sec_tables_child(self);
    if (argument & SEC_CHILD_THREAD_QUOTA)
        return sec_thread_quota_child(self);
    if (argument & SEC_CHILD_OBJECTS)
        return sec_objects_child();
    if (argument & SEC_CHILD_HOG) {
        if (sec_touch(self, SEC_HOG_BYTES) <= 0)
            return 6;
        for (;;)
            sys_sleep(1000ul * 1000 * 1000);
    }
    if (argument & SEC_CHILD_BYSTANDER)
        return sec_touch(self, SEC_BYSTANDER_BYTES) > 0 ? 7 : 6;
    long own = sys_notification_create(0, 0);
    long failures = 0;
    failures += sys_process_notify_exit(self, 0, 0) != 0; /* clears only its own slot */
    for (int i = 0; i <= SEC_EXIT_WATCHES; i++)
        failures += sys_process_notify_exit(self, own, 1ul << i) != 0; /* replaces its own */
    return failures == 0 ? 5 : 6;
}

static void sec_check_exit_watch(void)
{
    unsigned long failures_at_start = sec_failures;
    struct aramid_child child;
    long exits = sys_notification_create(0, 0);
    long result = aramid_spawn_load_module(sec_bootinfo, "kernel_security", &child);
    sec_expect("spawn watched child", result, 0);
    if (result < 0)
        return;
    long readable = sys_handle_duplicate(child.process, ARAMID_RIGHT_READ);
    sec_expect("notify_exit with MANAGE", sys_process_notify_exit(child.process, exits, 0x10), 0);
    sec_expect("notify_exit with READ only", sys_process_notify_exit(readable, exits, 0x20),
               -ARAMID_EPERM);
    long self = sys_handle_grant(child.process, child.process, ARAMID_RIGHTS_ALL);
    SEC_CHECK(self > 0, "grant child its process %ld\n", self);
    sec_expect("start watched child",
               aramid_spawn_start(&child, SEC_CHILD_FLAG | ((unsigned long)self & SEC_HANDLE_MASK)),
               0);
    sec_expect("watched child exit", sys_process_wait(child.process, 0), 5);
    sec_expect("watch survived the child", sys_notify_poll(exits), 0x10);
    sys_handle_close(readable);
    sys_handle_close(exits);
    aramid_child_close(&child);
    sec_report(failures_at_start, "exit watch needs MANAGE and survives the watched process");
}

/* ---- 8. memory quotas ---- */

static void sec_check_quota(void)
{
    unsigned long failures_at_start = sec_failures;
    struct aramid_child child;
    long result = aramid_spawn_load_module(sec_bootinfo, "kernel_security", &child);
    sec_expect("spawn quota child", result, 0);
    if (result < 0)
        return;
    /* Its image and stack are charged already; it gets SEC_QUOTA_ROOM pages more. */
    long used = sys_process_set_quota(child.process, ~0ul);
    SEC_CHECK(used > 0, "quota in use %ld\n", used);
    sec_expect("set quota", sys_process_set_quota(child.process, (unsigned long)used + SEC_QUOTA_ROOM),
               used);
    sec_expect("root has no quota", sys_process_set_quota(sec_bootinfo->self_process, 1),
               -ARAMID_EINVAL);
    long space = sys_handle_grant(child.process, child.space, ARAMID_RIGHTS_ALL);
    SEC_CHECK(space > 0, "grant quota child its space %ld\n", space);
    sec_expect("start quota child",
               aramid_spawn_start(&child, SEC_CHILD_FLAG | SEC_CHILD_QUOTA |
                                              ((unsigned long)space & SEC_HANDLE_MASK)),
               0);
    sec_expect("quota child exit", sys_process_wait(child.process, 0), 5);
    aramid_child_close(&child);
    sec_report(failures_at_start, "memory quota gives -ENOMEM past its limit");
}

/* A spawned copy of this program in role, given its own space (all rights) and a quota of
 * pages (0: the default); 0 or -errno. */
static long sec_spawn_role(unsigned long role, unsigned long pages, struct aramid_child *child)
{
    long result = aramid_spawn_load_module(sec_bootinfo, "kernel_security", child);
    if (result < 0)
        return result;
    if (pages)
        (void)sys_process_set_quota(child->process, pages);
    long space = sys_handle_grant(child->process, child->space, ARAMID_RIGHTS_ALL);
    if (space < 0)
        return space;
    return aramid_spawn_start(child, SEC_CHILD_FLAG | role | ((unsigned long)space & SEC_HANDLE_MASK));
}

/* A process cannot make unbounded threads (kernel stacks). */
static void sec_check_thread_limit(void)
{
    unsigned long failures_at_start = sec_failures;
    struct aramid_child child;
    long result = aramid_spawn_load_module(sec_bootinfo, "kernel_security", &child);
    long self = result == 0 ? sys_handle_grant(child.process, child.process, ARAMID_RIGHTS_ALL)
                            : result;
    SEC_CHECK(self > 0, "threads child %ld\n", self);
    if (self <= 0)
        return;
    sec_expect("start threads child",
               aramid_spawn_start(&child, SEC_CHILD_FLAG | SEC_CHILD_THREADS |
                                              ((unsigned long)self & SEC_HANDLE_MASK)),
               0);
    sec_expect("threads child exit", sys_process_wait(child.process, 0), 5);
    aramid_child_close(&child);
    sec_report(failures_at_start, "threads per process bounded with -EAGAIN");
}

/* A spawned copy of this program in role under a quota of what it holds now plus room pages,
 * given handle (its own space or process, all rights); its exit code, or -errno. */
static long sec_run_quota_role(unsigned long role, unsigned long room, int give_process)
{
    struct aramid_child child;
    long result = aramid_spawn_load_module(sec_bootinfo, "kernel_security", &child);
    if (result < 0)
        return result;
    long used = sys_process_set_quota(child.process, ~0ul);
    (void)sys_process_set_quota(child.process, (unsigned long)used + room);
    long handle = sys_handle_grant(child.process, give_process ? child.process : child.space,
                                   ARAMID_RIGHTS_ALL);
    result = handle < 0 ? handle
                        : aramid_spawn_start(&child, SEC_CHILD_FLAG | role |
                                                         ((unsigned long)handle & SEC_HANDLE_MASK));
    if (result == 0)
        result = sys_process_wait(child.process, 0);
    aramid_child_close(&child);
    return result;
}

/* Page tables, regions and threads are charged to the quota: -ENOMEM and -EAGAIN, not memory
 * exhausted for everyone. */
static void sec_check_kernel_charges(void)
{
    unsigned long failures_at_start = sec_failures;
    struct aramid_memory_stats before, after;
    sec_memory(&before);
    sec_expect("tables child exit", sec_run_quota_role(SEC_CHILD_TABLES, SEC_TABLES_ROOM, 0), 5);
    sec_expect("thread quota child exit",
               sec_run_quota_role(SEC_CHILD_THREAD_QUOTA, SEC_QUOTA_ROOM, 1), 5);
    sec_expect("endpoint and notification quota child exit",
               sec_run_quota_role(SEC_CHILD_OBJECTS, SEC_OBJECTS_ROOM, 0), 5);
    sec_memory(&after);
    SEC_CHECK(after.free_frames + 64 >= before.free_frames,
              "free frames %lu before the charge children, %lu after\n", before.free_frames,
              after.free_frames);
    sec_report(failures_at_start,
               "page tables, regions, threads, endpoints and notifications charged to the quota");
}

/* A system process (a server) that dies: the call it held and later calls get -EPIPE, not a
 * hang; the console names it; everything else goes on. */
static void sec_check_server_crash(void)
{
    unsigned long failures_at_start = sec_failures;
    struct aramid_child child;
    long endpoint = sys_endpoint_create();
    long send = sys_handle_duplicate(endpoint, ARAMID_RIGHT_SEND);
    long result = aramid_spawn_load_module(sec_bootinfo, "kernel_security", &child);
    sec_expect("spawn server child", result, 0);
    if (result < 0 || endpoint <= 0 || send <= 0)
        return;
    sec_expect("set_system, bad name", sys_process_set_system(child.process, (const char *)8, 4),
               -ARAMID_EFAULT);
    sec_expect("set_system", sys_process_set_system(child.process, "sec-server", 10), 0);
    long granted = sys_handle_grant(child.process, endpoint, ARAMID_RIGHTS_ALL);
    SEC_CHECK(granted > 0, "grant the endpoint %ld\n", granted);
    sys_handle_close(endpoint); /* only the server receives on it now */
    sec_expect("start server child",
               aramid_spawn_start(&child, SEC_CHILD_FLAG | SEC_CHILD_SERVER |
                                              ((unsigned long)granted & SEC_HANDLE_MASK)),
               0);
    struct aramid_message call = {.info = ARAMID_IPC_INFO(1, 0)};
    sec_expect("the call the dying server held", aramid_ipc_call(send, &call), -ARAMID_EPIPE);
    sec_expect("server killed by SIGSEGV", sys_process_wait(child.process, 0), 128 + 11);
    call = (struct aramid_message){.info = ARAMID_IPC_INFO(1, 0)};
    sec_expect("a call after its death", aramid_ipc_call(send, &call), -ARAMID_EPIPE);
    sec_expect("set_system on the dead", sys_process_set_system(child.process, "x", 1),
               -ARAMID_ESRCH);
    sys_handle_close(send);
    aramid_child_close(&child);
    sec_report(failures_at_start, "a dying server's callers get -EPIPE and the console names it");
}

/* Out of frames, the process with the most memory is killed, not the one that faults. */
static void sec_check_oom_killer(void)
{
    unsigned long failures_at_start = sec_failures;
    struct aramid_child hog, bystander;
    struct aramid_memory_stats before, now;
    sec_memory(&before);
    sec_expect("start hog", sec_spawn_role(SEC_CHILD_HOG, SEC_HOG_BYTES / SEC_PAGE + 1024, &hog), 0);
    /* Wait until the hog holds its memory (or give up after about 20 s). */
    for (int i = 0; i < 2000; i++) {
        sec_memory(&now);
        if (now.free_frames + SEC_HOG_BYTES / SEC_PAGE <= before.free_frames)
            break;
        sys_sleep(10ul * 1000 * 1000);
    }
    SEC_CHECK(now.free_frames + SEC_HOG_BYTES / SEC_PAGE <= before.free_frames,
              "hog took only %lu frames\n", before.free_frames - now.free_frames);
    sec_expect("start bystander", sec_spawn_role(SEC_CHILD_BYSTANDER, 0, &bystander), 0);
    sec_expect("bystander finishes", sys_process_wait(bystander.process, 0), 7);
    sec_expect("hog killed", sys_process_wait(hog.process, 0), SEC_EXIT_KILLED);
    aramid_child_close(&bystander);
    aramid_child_close(&hog);
    sec_report(failures_at_start, "out of memory kills the largest process, not the bystander");
}

/* ---- 4. killing a process that shares the caller's space ---- */

static _Alignas(16) unsigned char sec_sharer_stack[8192];

static void sec_sharer(unsigned long argument)
{
    (void)argument;
    for (;;)
        sys_sleep(1000ul * 1000 * 1000);
}

static void sec_check_kill_sharer(void)
{
    unsigned long failures_at_start = sec_failures;
    aramid_handle_t space = sec_bootinfo->self_space;
    long process = sys_process_create(space, 0);
    SEC_CHECK(process > 0, "process on own space %ld\n", process);
    unsigned long stack = (unsigned long)(sec_sharer_stack + sizeof(sec_sharer_stack)) - 8;
    long thread = sys_thread_create(process, (unsigned long)sec_sharer, stack, 0);
    SEC_CHECK(thread > 0, "thread on own space %ld\n", thread);
    sys_yield();
    sec_expect("kill the sharer", sys_process_kill(process), 0);
    /* Touch fresh memory: the caller's space must still be loaded. */
    long fresh = aramid_memory_map(space, SEC_PAGE, SEC_RW, 0, 0);
    SEC_CHECK(fresh > 0, "map after kill %ld\n", fresh);
    if (fresh > 0) {
        *(volatile unsigned long *)fresh = 42;
        SEC_CHECK(*(volatile unsigned long *)fresh == 42, "fresh page\n");
    }
    sec_expect("sharer exit code", sys_process_wait(process, 0), SEC_EXIT_KILLED);
    sys_handle_close(thread);
    sys_handle_close(process);

    /* process_exec of a sharer onto a new space: the caller's space stays loaded too. */
    process = sys_process_create(space, 0);
    thread = sys_thread_create(process, (unsigned long)sec_sharer, stack, 0);
    SEC_CHECK(process > 0 && thread > 0, "second sharer %ld %ld\n", process, thread);
    sys_yield();
    long other = sys_space_create();
    sec_expect("exec the sharer", sys_process_exec(process, other), 0);
    fresh = aramid_memory_map(space, SEC_PAGE, SEC_RW, 0, 0);
    SEC_CHECK(fresh > 0, "map after exec %ld\n", fresh);
    if (fresh > 0)
        *(volatile unsigned long *)fresh = 43;
    sec_expect("kill the exec'd sharer", sys_process_kill(process), 0);
    sec_expect("exec'd sharer exit code", sys_process_wait(process, 0), SEC_EXIT_KILLED);
    sys_handle_close(thread);
    sys_handle_close(process);
    sys_handle_close(other);
    sec_report(failures_at_start, "killing or exec'ing a process sharing the caller's space");
}

/* ---- 5. bounded work: long calls restart, emptied page tables go ---- */

#define SEC_COPY_BYTES (1ul << 20)
#define SEC_FAR_ADDRESS 0x3f0000000000ul /* alone in its PML4 slot */

static void sec_check_bounded_work(void)
{
    unsigned long failures_at_start = sec_failures;
    aramid_handle_t space = sec_bootinfo->self_space;

    /* A 1 MiB vm_write is done in bounded pieces (the call restarts itself); every byte lands. */
    long from = aramid_memory_map(space, SEC_COPY_BYTES, SEC_RW, 0, 0);
    long to = aramid_memory_map(space, SEC_COPY_BYTES, SEC_RW, 0, 0);
    SEC_CHECK(from > 0 && to > 0, "copy maps %ld %ld\n", from, to);
    if (from > 0 && to > 0) {
        unsigned char *source = (unsigned char *)from, *target = (unsigned char *)to;
        for (unsigned long i = 0; i < SEC_COPY_BYTES; i++)
            source[i] = (unsigned char)(i * 7 + (i >> 12));
        sec_expect("vm_write 1 MiB", sys_vm_write(space, (unsigned long)to, source, SEC_COPY_BYTES),
                   0);
        unsigned long wrong = 0;
        for (unsigned long i = 0; i < SEC_COPY_BYTES; i++)
            wrong += target[i] != source[i];
        SEC_CHECK(wrong == 0, "%lu bytes differ after vm_write\n", wrong);
        sys_vm_unmap(space, (unsigned long)from, SEC_COPY_BYTES);
        sys_vm_unmap(space, (unsigned long)to, SEC_COPY_BYTES);
    }

    /* debug_write prints at most 8 KiB per call and says so (a short write). */
    static const char quiet[9000]; /* NUL bytes: nothing visible on the console */
    sec_expect("debug_write 9000 bytes", sys_debug_write(quiet, sizeof(quiet)), 8192);
    sec_expect("debug_write 1 MiB + 1", sys_debug_write(quiet, (1ul << 20) + 1), -ARAMID_EINVAL);

    /* One page alone in its PML4 slot needs three page tables; unmap gives all four back. */
    struct aramid_memory_stats before, after;
    sec_memory(&before);
    sec_expect("map far page", sys_vm_map(space, SEC_FAR_ADDRESS, SEC_PAGE, SEC_RW, 0, 0), 0);
    *(volatile unsigned char *)SEC_FAR_ADDRESS = 1;
    sec_expect("unmap far page", sys_vm_unmap(space, SEC_FAR_ADDRESS, SEC_PAGE), 0);
    sec_memory(&after);
    SEC_CHECK(after.free_frames == before.free_frames,
              "free frames %lu before a far page, %lu after its unmap\n", before.free_frames,
              after.free_frames);
    sec_report(failures_at_start, "long vm_write and debug_write bounded, page tables freed");
}

/* ---- memory_object_resize: only the creator's MANAGE; shrinking binds only the mappings
 * made with ARAMID_MAP_PAST_END (a server's mapping of a client's object never faults) ---- */
#define SEC_RESIZE_PLAIN 0x300000000000ul
#define SEC_RESIZE_SIZED 0x300000100000ul
#define SEC_RESIZE_FAR 0x300040000000ul /* 1 GiB aligned: no page table below it yet */
#define SEC_RESIZE_FAR_BYTES (16ul << 20)

/* The page tables of the caller's space (kernel_stats' first record is the caller's). */
static unsigned long sec_page_tables(void)
{
    static struct aramid_system_process_stats self[1];
    return sys_kernel_stats(ARAMID_STATS_SYSTEM, self, sizeof(self)) > 0 ? self[0].page_tables : 0;
}

static void sec_check_resize(void)
{
    unsigned long failures_at_start = sec_failures;
    aramid_handle_t space = sec_bootinfo->self_space;
    long object = sys_memory_object_create(2 * SEC_PAGE);
    SEC_CHECK(object > 0, "resize: object %ld\n", object);
    if (object <= 0)
        return;
    unsigned char byte = 0;
    sec_expect("map plain", sys_vm_map(space, SEC_RESIZE_PLAIN, 2 * SEC_PAGE, SEC_RW, object, 0),
               0);
    sec_expect("map past the end without the flag",
               sys_vm_map(space, SEC_RESIZE_SIZED, 4 * SEC_PAGE, SEC_RW, object, 0),
               -ARAMID_EINVAL);
    sec_expect("map past the end",
               sys_vm_map(space, SEC_RESIZE_SIZED, 4 * SEC_PAGE, SEC_RW | ARAMID_MAP_PAST_END,
                          object, 0),
               0);
    sec_expect("anonymous past the end",
               sys_vm_map(space, SEC_RESIZE_SIZED + 8 * SEC_PAGE, SEC_PAGE,
                          SEC_RW | ARAMID_MAP_PAST_END, 0, 0),
               -ARAMID_EINVAL);
    /* Page 1 is touched through the sized mapping (and the plain one) before the shrink: the
     * shrink takes it out of the sized mapping only. */
    sec_expect("read inside", sys_vm_read(space, SEC_RESIZE_SIZED, &byte, 1), 0);
    sec_expect("write page 1", sys_vm_write(space, SEC_RESIZE_SIZED + SEC_PAGE, "x", 1), 0);
    sec_expect("read page 1 plain", sys_vm_read(space, SEC_RESIZE_PLAIN + SEC_PAGE, &byte, 1), 0);
    sec_expect("read past the size", sys_vm_read(space, SEC_RESIZE_SIZED + 2 * SEC_PAGE, &byte, 1),
               -ARAMID_EFAULT);
    sec_expect("shrink", sys_memory_object_resize(object, SEC_PAGE), 0);
    sec_expect("plain mapping past the new size",
               sys_vm_read(space, SEC_RESIZE_PLAIN + SEC_PAGE, &byte, 1), 0);
    sec_expect("sized mapping past the new size",
               sys_vm_read(space, SEC_RESIZE_SIZED + SEC_PAGE, &byte, 1), -ARAMID_EFAULT);
    sec_expect("grow", sys_memory_object_resize(object, 3 * SEC_PAGE), 0);
    sec_expect("sized mapping grown over",
               sys_vm_read(space, SEC_RESIZE_SIZED + 2 * SEC_PAGE, &byte, 1), 0);
    byte = 0;
    sec_expect("page 1 again, its bytes kept",
               sys_vm_read(space, SEC_RESIZE_SIZED + SEC_PAGE, &byte, 1), 0);
    SEC_CHECK(byte == 'x', "resize: page 1 reads %u after growing back\n", byte);
    long passed = sys_handle_duplicate(object, ARAMID_RIGHT_READ | ARAMID_RIGHT_WRITE |
                                                   ARAMID_RIGHT_MAP | ARAMID_RIGHT_GRANT);
    SEC_CHECK(passed > 0, "resize: duplicate %ld\n", passed);
    sec_expect("resize without MANAGE", sys_memory_object_resize(passed, SEC_PAGE),
               -ARAMID_EPERM);
    sec_expect("resize past the largest object",
               sys_memory_object_resize(object, (1ul << 32) + SEC_PAGE), -ARAMID_EINVAL);
    sec_expect("resize a closed handle", sys_memory_object_resize(0x7fffffff, SEC_PAGE),
               -ARAMID_EBADF);
    sec_expect("resize a space", sys_memory_object_resize(space, SEC_PAGE), -ARAMID_EBADF);
    /* A fault past the end fails before any page table is made for it: 7 reads, each in a
     * 2 MiB range of its own, leave the space's tables as they were. */
    sec_expect("map far past the end",
               sys_vm_map(space, SEC_RESIZE_FAR, SEC_RESIZE_FAR_BYTES,
                          SEC_RW | ARAMID_MAP_PAST_END, object, 0),
               0);
    sec_expect("read far inside", sys_vm_read(space, SEC_RESIZE_FAR, &byte, 1), 0);
    unsigned long tables = sec_page_tables();
    for (unsigned long i = 1; i < 8; i++)
        sec_expect("read far past the size",
                   sys_vm_read(space, SEC_RESIZE_FAR + i * (2ul << 20), &byte, 1), -ARAMID_EFAULT);
    SEC_CHECK(sec_page_tables() == tables, "resize: %lu page tables before the failing faults, "
              "%lu after\n", tables, sec_page_tables());
    (void)sys_vm_unmap(space, SEC_RESIZE_FAR, SEC_RESIZE_FAR_BYTES);
    (void)sys_vm_unmap(space, SEC_RESIZE_PLAIN, 2 * SEC_PAGE);
    (void)sys_vm_unmap(space, SEC_RESIZE_SIZED, 4 * SEC_PAGE);
    (void)sys_handle_close(passed);
    (void)sys_handle_close(object);
    sec_report(failures_at_start, "memory_object_resize needs MANAGE and binds sized mappings");
}

/* ---- ARAMID_MAP_PRIVATE: copy-on-write of an object, writable through a read-only handle,
 * its stores never the object's; only for objects ---- */
#define SEC_PRIVATE_VIEW 0x300000200000ul
#define SEC_PRIVATE_COPY 0x300000300000ul

static void sec_check_private_map(void)
{
    unsigned long failures_at_start = sec_failures;
    aramid_handle_t space = sec_bootinfo->self_space;
    long object = sys_memory_object_create(2 * SEC_PAGE);
    long reader =
        object > 0 ? sys_handle_duplicate(object, ARAMID_RIGHT_READ | ARAMID_RIGHT_MAP) : object;
    SEC_CHECK(object > 0 && reader > 0, "private: object %ld, reader %ld\n", object, reader);
    if (object <= 0 || reader <= 0)
        return;
    unsigned char byte = 0;
    sec_expect("map shared", sys_vm_map(space, SEC_PRIVATE_VIEW, 2 * SEC_PAGE, SEC_RW, object, 0),
               0);
    sec_expect("write through a read-only handle shared",
               sys_vm_map(space, SEC_PRIVATE_COPY, 2 * SEC_PAGE, SEC_RW, reader, 0), -ARAMID_EPERM);
    sec_expect("private anonymous",
               sys_vm_map(space, SEC_PRIVATE_COPY, SEC_PAGE, SEC_RW | ARAMID_MAP_PRIVATE, 0, 0),
               -ARAMID_EINVAL);
    sec_expect(
        "private past the end without the flag",
        sys_vm_map(space, SEC_PRIVATE_COPY, 4 * SEC_PAGE, SEC_RW | ARAMID_MAP_PRIVATE, reader, 0),
        -ARAMID_EINVAL);
    sec_expect(
        "map private through a read-only handle",
        sys_vm_map(space, SEC_PRIVATE_COPY, 2 * SEC_PAGE, SEC_RW | ARAMID_MAP_PRIVATE, reader, 0),
        0);
    sec_expect("object store", sys_vm_write(space, SEC_PRIVATE_VIEW, "o", 1), 0);
    sec_expect("private read sees it", sys_vm_read(space, SEC_PRIVATE_COPY, &byte, 1), 0);
    SEC_CHECK(byte == 'o', "private: reads %u, not the object's store\n", byte);
    sec_expect("private store", sys_vm_write(space, SEC_PRIVATE_COPY, "p", 1), 0);
    sec_expect("object read", sys_vm_read(space, SEC_PRIVATE_VIEW, &byte, 1), 0);
    SEC_CHECK(byte == 'o', "private: its store reached the object (%u)\n", byte);
    sec_expect("object store after the copy", sys_vm_write(space, SEC_PRIVATE_VIEW, "q", 1), 0);
    sec_expect("private read keeps its copy", sys_vm_read(space, SEC_PRIVATE_COPY, &byte, 1), 0);
    SEC_CHECK(byte == 'p', "private: its copy reads %u\n", byte);
    sec_expect("mprotect private", sys_vm_protect(space, SEC_PRIVATE_COPY, 2 * SEC_PAGE, SEC_RWX),
               -ARAMID_EACCES);
    (void)sys_vm_unmap(space, SEC_PRIVATE_VIEW, 2 * SEC_PAGE);
    (void)sys_vm_unmap(space, SEC_PRIVATE_COPY, 2 * SEC_PAGE);
    (void)sys_handle_close(reader);
    (void)sys_handle_close(object);
    sec_report(failures_at_start, "private object mappings copy on write, never the object's");
}

int aramid_main(unsigned long argument)
{
    if (argument & SEC_CHILD_FLAG)
        return sec_child(argument);
    sec_bootinfo = (const struct aramid_bootinfo *)argument;
    if (!sec_bootinfo || sec_bootinfo->magic != ARAMID_BOOTINFO_MAGIC) {
        aramid_printf("security: bad bootinfo\n");
        return 1;
    }
    sec_check_protect_ceilings();
    sec_check_resize();
    sec_check_private_map();
    sec_check_never_run_process_leak();
    sec_check_exit_watch();
    sec_check_kill_sharer();
    sec_check_bounded_work();
    sec_check_quota();
    sec_check_oom_killer();
    sec_check_thread_limit();
    sec_check_kernel_charges();
    sec_check_server_crash();
    sec_check_thread_limit(); /* the system goes on: another child runs to its end */
    if (sec_failures) {
        aramid_printf("security: %lu failures\n", sec_failures);
        return 1;
    }
    aramid_printf("security: all checks passed\n");
    return 0;
}
