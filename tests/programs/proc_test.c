/* Test program (run by init and proc): fork, exit, wait, exec and kill seen from a process;
 * argv[1] picks a group of checks: fork, wait, exec or bomb (segv: die by SIGSEGV). */
#include <aramid/proto/proc.h>
#include <aramid/sys.h>

#include "kstring.h"

#define TEST_FORK_LOOPS 1000
#define TEST_TREE_DEPTH 4
#define TEST_MILLISECOND 1000000ul
#define TEST_PAGE 4096ul
#define TEST_NOT_A_PID 30000

static unsigned long test_failures;
static struct aramid_startinfo test_info;

#define TEST_CHECK(condition, ...)                                                                 \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            test_failures++;                                                                       \
            aramid_printf("proc_test: FAIL " __VA_ARGS__);                                         \
        }                                                                                          \
    } while (0)

/* Forks; the child runs body(argument) and exits with its result. Returns the child's pid. */
static long test_fork_run(int (*body)(long), long argument)
{
    long pid = aramid_proc_fork();
    if (pid == 0)
        aramid_proc_exit(body(argument));
    return pid;
}

/* Waits for pid; returns its status, or -1 (and a failure) if wait4 did not reap it. */
static int test_wait(long pid)
{
    int status = -1;
    long result = aramid_proc_wait4(pid, &status, 0);
    TEST_CHECK(result == pid, "wait4(%ld) returned %ld\n", pid, result);
    return result == pid ? status : -1;
}

static int test_exit_with(long code)
{
    return (int)code;
}

/* ---- fork ---- */

static void test_fork_loop(void)
{
    long failures = 0;
    for (long i = 0; i < TEST_FORK_LOOPS; i++) {
        long pid = test_fork_run(test_exit_with, i & 0xff);
        int status = -1;
        long reaped = aramid_proc_wait4(pid, &status, 0);
        if (pid <= 0 || reaped != pid || status != (int)((i & 0xff) << 8)) {
            if (failures++ < 5)
                aramid_printf("proc_test: FAIL round %ld: fork %ld, wait %ld, status %#x\n", i, pid,
                              reaped, status);
        }
    }
    TEST_CHECK(failures == 0, "%ld of %d fork/exit/wait rounds failed\n", failures,
               TEST_FORK_LOOPS);
    if (failures == 0)
        aramid_printf("proc_test: %d fork+exit+wait ok\n", TEST_FORK_LOOPS);
}

/* A node of a binary fork tree: a leaf exits 1, a node the number of leaves below it. */
static int test_tree_node(long depth)
{
    if (depth == TEST_TREE_DEPTH)
        return 1;
    long left = test_fork_run(test_tree_node, depth + 1);
    long right = test_fork_run(test_tree_node, depth + 1);
    if (left <= 0 || right <= 0)
        return 0;
    int a = test_wait(left), b = test_wait(right);
    if (a < 0 || b < 0 || !ARAMID_WAIT_EXITED(a) || !ARAMID_WAIT_EXITED(b))
        return 0;
    return ARAMID_WAIT_EXIT_CODE(a) + ARAMID_WAIT_EXIT_CODE(b);
}

static void test_fork_tree(void)
{
    long pid = test_fork_run(test_tree_node, 1);
    int status = test_wait(pid);
    int leaves = 1 << (TEST_TREE_DEPTH - 1);
    TEST_CHECK(status == leaves << 8, "fork tree: status %#x, expected %d leaves\n", status,
               leaves);
    if (status == leaves << 8)
        aramid_printf("proc_test: fork tree %d deep ok (%d leaves)\n", TEST_TREE_DEPTH, leaves);
}

static volatile long test_cow_global = 1;

/* The child: sees the values of fork time, not the parent's later writes; its writes stay. */
static int test_cow_child(long heap_address)
{
    volatile long *heap = (volatile long *)heap_address;
    sys_sleep(20 * TEST_MILLISECOND); /* the parent writes meanwhile */
    int bad = test_cow_global != 1 || heap[0] != 10;
    test_cow_global = 100;
    heap[0] = 1000;
    bad |= test_cow_global != 100 || heap[0] != 1000;
    return bad ? 1 : 0;
}

static void test_cow(void)
{
    long heap = aramid_memory_map(test_info.self.space, TEST_PAGE,
                                  ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
    TEST_CHECK(heap > 0, "map %ld\n", heap);
    if (heap <= 0)
        return;
    volatile long *page = (volatile long *)heap;
    page[0] = 10;
    test_cow_global = 1;
    long pid = test_fork_run(test_cow_child, heap);
    test_cow_global = 2;
    page[0] = 20;
    int status = test_wait(pid);
    TEST_CHECK(status == 0, "child saw the parent's writes (status %#x)\n", status);
    TEST_CHECK(test_cow_global == 2 && page[0] == 20, "parent sees %ld/%ld after the child\n",
               (long)test_cow_global, page[0]);
    if (status == 0 && test_cow_global == 2 && page[0] == 20)
        aramid_printf("proc_test: copy-on-write isolation ok\n");
}

/* ---- wait ---- */

static int test_segfault(long unused)
{
    (void)unused;
    *(volatile int *)0 = 1;
    return 0;
}

static __attribute__((noreturn)) int test_sleep_forever(long unused)
{
    (void)unused;
    for (;;)
        sys_sleep(1000 * TEST_MILLISECOND);
}

static int test_plain_exit(long code)
{
    sys_process_exit((int)code); /* without telling proc: the kernel's exit code is used */
    return 99;
}

/* A process trying to switch off proc's watch of its death: it clears and overwrites its own
 * exit notification, then exits with code; proc must still see it die (issue 11). */
static int test_unwatch_exit(long code)
{
    long notification = sys_notification_create(0, 0);
    long cleared = sys_process_notify_exit(aramid_proc_self.process, 0, 0);
    long replaced = sys_process_notify_exit(aramid_proc_self.process, notification, 1);
    if (cleared != 0 || replaced != 0)
        aramid_printf("proc_test: FAIL own notify_exit: clear %ld, set %ld\n", cleared, replaced);
    return (int)code;
}

static void test_wait_statuses(void)
{
    static const long codes[] = {0, 1, 42, 255};
    for (unsigned i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        int status = test_wait(test_fork_run(test_exit_with, codes[i]));
        TEST_CHECK(ARAMID_WAIT_EXITED(status) && ARAMID_WAIT_EXIT_CODE(status) == codes[i],
                   "exit %ld gave status %#x\n", codes[i], status);
    }
    int status = test_wait(test_fork_run(test_plain_exit, 42));
    TEST_CHECK(status == 42 << 8, "process_exit(42) gave status %#x\n", status);
    status = test_wait(test_fork_run(test_segfault, 0));
    TEST_CHECK(status == ARAMID_SIGSEGV, "SIGSEGV gave status %#x\n", status);
    long pid = test_fork_run(test_sleep_forever, 0);
    TEST_CHECK(aramid_proc_kill(pid, 0) == 0, "kill(%ld, 0)\n", pid);
    TEST_CHECK(aramid_proc_kill(pid, ARAMID_SIGKILL) == 0, "kill(%ld, SIGKILL)\n", pid);
    status = test_wait(pid);
    TEST_CHECK(status == ARAMID_SIGKILL, "SIGKILL gave status %#x\n", status);
    pid = test_fork_run(test_sleep_forever, 0);
    TEST_CHECK(aramid_proc_kill(pid, ARAMID_SIGCHLD) == 0, "SIGCHLD is ignored\n");
    TEST_CHECK(aramid_proc_kill(pid, ARAMID_SIGTERM) == 0, "kill(%ld, SIGTERM)\n", pid);
    status = test_wait(pid);
    TEST_CHECK(status == ARAMID_SIGTERM, "SIGTERM gave status %#x\n", status);
    status = test_wait(test_fork_run(test_unwatch_exit, 9));
    TEST_CHECK(status == 9 << 8, "a child clearing its exit watch gave status %#x\n", status);
    aramid_printf("proc_test: wait statuses ok (0 1 42 255, SIGSEGV, SIGKILL, SIGTERM)\n");
    aramid_printf("proc_test: a child cannot switch off proc's watch of its exit\n");
}

static void test_wait_errors(void)
{
    long result = aramid_proc_kill(TEST_NOT_A_PID, ARAMID_SIGTERM);
    TEST_CHECK(result == -ARAMID_ESRCH, "kill of a missing pid: %ld\n", result);
    result = aramid_proc_kill(aramid_proc_getpid(), 65);
    TEST_CHECK(result == -ARAMID_EINVAL, "signal 65: %ld\n", result);
    result = aramid_proc_kill(1, ARAMID_SIGKILL);
    TEST_CHECK(result == -ARAMID_EPERM, "kill of init: %ld\n", result);
    int status;
    result = aramid_proc_wait4(-1, &status, 0);
    TEST_CHECK(result == -ARAMID_ECHILD, "wait without children: %ld\n", result);
    result = aramid_proc_wait4(1, &status, ARAMID_WNOHANG);
    TEST_CHECK(result == -ARAMID_ECHILD, "wait for init: %ld\n", result);
    result = aramid_proc_wait4(0, &status, 0);
    TEST_CHECK(result == -ARAMID_ECHILD, "wait for our group without children: %ld\n", result);

    long pid = test_fork_run(test_sleep_forever, 0);
    result = aramid_proc_wait4(pid, &status, ARAMID_WNOHANG);
    TEST_CHECK(result == 0, "WNOHANG with a live child: %ld\n", result);
    aramid_proc_kill(pid, ARAMID_SIGKILL);
    status = test_wait(pid);
    TEST_CHECK(status == ARAMID_SIGKILL, "status after WNOHANG %#x\n", status);
    aramid_printf("proc_test: ESRCH, EINVAL, EPERM, ECHILD, WNOHANG ok\n");
}

/* Shared with the orphan's family (a memory object stays shared across fork). */
struct test_orphan_page {
    volatile long grandchild;
    volatile long reparented;
};

static int test_orphan_grandchild(long page_address)
{
    struct test_orphan_page *page = (struct test_orphan_page *)page_address;
    for (int i = 0; i < 5000 && aramid_proc_getppid() != 1; i++)
        sys_sleep(TEST_MILLISECOND);
    page->reparented = aramid_proc_getppid() == 1;
    return 7;
}

static int test_orphan_parent(long page_address)
{
    struct test_orphan_page *page = (struct test_orphan_page *)page_address;
    page->grandchild = test_fork_run(test_orphan_grandchild, page_address);
    return page->grandchild > 0 ? 0 : 1;
}

static void test_orphans(void)
{
    long object = sys_memory_object_create(TEST_PAGE);
    long address = aramid_memory_map(test_info.self.space, TEST_PAGE,
                                     ARAMID_PROT_READ | ARAMID_PROT_WRITE, object, 0);
    TEST_CHECK(object > 0 && address > 0, "shared page %ld %ld\n", object, address);
    if (address <= 0)
        return;
    struct test_orphan_page *page = (struct test_orphan_page *)address;
    int status = test_wait(test_fork_run(test_orphan_parent, address));
    long grandchild = page->grandchild;
    TEST_CHECK(status == 0 && grandchild > 0, "orphan's parent: %#x, grandchild %ld\n", status,
               grandchild);
    /* init reaps it: then it no longer exists. */
    long result = 0;
    for (int i = 0; i < 10000 && result == 0; i++) {
        result = aramid_proc_kill(grandchild, 0);
        sys_sleep(TEST_MILLISECOND);
    }
    TEST_CHECK(result == -ARAMID_ESRCH, "orphan %ld never reaped (%ld)\n", grandchild, result);
    TEST_CHECK(page->reparented == 1, "orphan not re-parented to init\n");
    if (result == -ARAMID_ESRCH && page->reparented == 1)
        aramid_printf("proc_test: orphan %ld re-parented to init and reaped\n", grandchild);
}

/* ---- exec ---- */

/* Writes value in decimal after prefix into buffer. */
static char *test_format_number(char *buffer, const char *prefix, long value)
{
    char digits[24];
    int count = 0, at = 0;
    while (*prefix)
        buffer[at++] = *prefix++;
    do {
        digits[count++] = (char)('0' + value % 10);
        value /= 10;
    } while (value > 0);
    while (count > 0)
        buffer[at++] = digits[--count];
    buffer[at] = 0;
    return buffer;
}

static int test_exec_echo(long parent)
{
    char pid_text[32], ppid_text[32];
    char *argv[] = {"proc_echo", "hello world", "second", NULL};
    char *envp[] = {"ALPHA=1", "BETA=two words",
                    test_format_number(pid_text, "PID=", aramid_proc_getpid()),
                    test_format_number(ppid_text, "PPID=", parent), NULL};
    long result = aramid_proc_execve("proc_echo", argv, envp);
    aramid_printf("proc_test: FAIL execve returned %ld\n", result);
    return 9;
}

static void test_exec(void)
{
    long pid = test_fork_run(test_exec_echo, aramid_proc_getpid());
    int status = test_wait(pid);
    TEST_CHECK(status == 0, "exec'd proc_echo: status %#x\n", status);
    if (status == 0)
        aramid_printf("proc_test: exec with argv and envp ok (pid %ld)\n", pid);

    char *argv[] = {"x", NULL};
    long result = aramid_proc_execve("no_such_module", argv, NULL);
    TEST_CHECK(result == -ARAMID_ENOENT, "execve of a missing module: %ld\n", result);
    result = aramid_proc_execve("data", argv, NULL);
    TEST_CHECK(result == -ARAMID_ENOEXEC, "execve of a data module: %ld\n", result);
    /* Broken executables the system test makes from a good one (absent in other runs). */
    static const char *const bad[] = {"bad_truncated", "bad_overlap", "bad_kernel",
                                      "bad_misaligned"};
    unsigned refused = 0;
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        result = aramid_proc_execve(bad[i], argv, NULL);
        TEST_CHECK(result == -ARAMID_ENOEXEC || result == -ARAMID_ENOENT, "execve of %s: %ld\n",
                   bad[i], result);
        refused += result == -ARAMID_ENOEXEC;
    }
    if (refused == sizeof(bad) / sizeof(bad[0]))
        aramid_printf("proc_test: bad executables refused with ENOEXEC\n");
    static char big[5000];
    for (unsigned i = 0; i < sizeof(big) - 1; i++)
        big[i] = 'b';
    char *big_argv[] = {"proc_echo", big, NULL};
    result = aramid_proc_execve("proc_echo", big_argv, NULL);
    TEST_CHECK(result == -ARAMID_E2BIG, "execve with 5000 bytes of argv: %ld\n", result);
    TEST_CHECK(aramid_proc_getpid() == test_info.self.pid, "pid changed\n");
    aramid_printf("proc_test: execve ENOENT, ENOEXEC, E2BIG ok, caller survives\n");
}

/* ---- fork bomb ---- */

/* Every process forks until proc refuses, then sleeps. */
static int test_bomb(long unused)
{
    (void)unused;
    while (aramid_proc_fork() >= 0)
        ;
    return test_sleep_forever(0);
}

#define TEST_BOMBERS 4

static void test_fork_bomb(void)
{
    long bombers = 0, probe = 0, result;
    for (int i = 0; i < TEST_BOMBERS; i++)
        bombers += test_fork_run(test_bomb, 0) > 0;
    TEST_CHECK(bombers == TEST_BOMBERS, "only %ld bombers started\n", bombers);
    /* The bomb fills the table; our own children, left as zombies, fill what it leaves. */
    long zombies = 0;
    for (int i = 0; i < 10000 && probe != -ARAMID_EAGAIN; i++) {
        probe = test_fork_run(test_exit_with, 0);
        zombies += probe > 0;
        sys_sleep(TEST_MILLISECOND);
    }
    TEST_CHECK(probe == -ARAMID_EAGAIN, "fork never refused: %ld\n", probe);
    TEST_CHECK(aramid_proc_getpid() == test_info.self.pid, "getpid when full\n");
    TEST_CHECK(aramid_proc_kill(-1, ARAMID_SIGKILL) == 0, "kill(-1, SIGKILL)\n");
    long reaped = 0, killed = 0;
    int status;
    while ((result = aramid_proc_wait4(-1, &status, 0)) > 0) {
        reaped++;
        killed += status == ARAMID_SIGKILL;
    }
    TEST_CHECK(result == -ARAMID_ECHILD && reaped == bombers + zombies && killed == bombers,
               "reaped %ld (%ld killed) of %ld + %ld (%ld)\n", reaped, killed, bombers, zombies,
               result);
    /* The bomb's orphans went to init; once it has reaped them, fork works again. */
    long pid = -ARAMID_EAGAIN;
    for (int i = 0; i < 1000 && pid == -ARAMID_EAGAIN; i++) {
        pid = test_fork_run(test_exit_with, 5);
        if (pid == -ARAMID_EAGAIN)
            sys_sleep(TEST_MILLISECOND);
    }
    status = pid > 0 ? test_wait(pid) : -1;
    TEST_CHECK(status == 5 << 8, "fork after the bomb: %ld, status %#x\n", pid, status);
    aramid_printf("proc_test: fork bomb stopped by the process limit with EAGAIN, system up\n");
}

int aramid_main(unsigned long argument)
{
    long result = aramid_start(argument, &test_info);
    if (result < 0) {
        aramid_printf("proc_test: bad start block: %ld\n", result);
        return 100;
    }
    const char *mode = test_info.argc > 1 ? test_info.argv[1] : "";
    TEST_CHECK(aramid_proc_getpid() == test_info.self.pid, "getpid %ld, auxv %ld\n",
               aramid_proc_getpid(), test_info.self.pid);
    TEST_CHECK(aramid_proc_getppid() == 1, "getppid %ld\n", aramid_proc_getppid());
    if (strcmp(mode, "fork") == 0) {
        test_fork_loop();
        test_fork_tree();
        test_cow();
    } else if (strcmp(mode, "wait") == 0) {
        test_wait_statuses();
        test_wait_errors();
        test_orphans();
    } else if (strcmp(mode, "exec") == 0) {
        test_exec();
    } else if (strcmp(mode, "bomb") == 0) {
        test_fork_bomb();
    } else if (strcmp(mode, "segv") == 0) {
        test_segfault(0); /* init must report 128 + SIGSEGV */
    } else {
        aramid_printf("proc_test: unknown mode '%s'\n", mode);
        return 100;
    }
    if (test_failures) {
        aramid_printf("proc_test: %lu failures\n", test_failures);
        return 1;
    }
    aramid_printf("proc_test: %s checks passed\n", mode);
    return 0;
}
