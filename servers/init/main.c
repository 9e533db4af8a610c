/* init, the root task: starts proc, has it run the program named by run=, reaps, ends the run.
 * Early failures return from aramid_main: the kernel ends the machine with the root task's
 * exit code (127: nothing could be run). */
#include <stdbool.h>

#include <aramid/proto/event.h>
#include <aramid/proto/ipc.h>
#include <aramid/proto/proc.h>
#include <aramid/proto/ready.h>
#include <aramid/proto/sock.h>
#include <aramid/proto/vfs.h>
#include <aramid/sys.h>

#include "init_args.h"
#include "init_cmdline.h"
#include "kstring.h"

#define INIT_ARGS_MAX 64
#define INIT_PROC_MODULE "proc"
#define INIT_EVENT_MODULE "event"
#define INIT_SOCK_MODULE "sock"
#define INIT_IPC_MODULE "ipc"
#define INIT_VFS_MODULE "vfs"
#define INIT_INITRD_MODULE "initrd"
#define INIT_TMP_PAGES_DEFAULT 8192 /* /tmp holds 32 MiB unless tmp_pages=N says otherwise */
#define INIT_EXIT_NOT_STARTED 127
#define INIT_EXIT_PROC_GONE 126 /* proc died while the program ran (its wait4: -EPIPE) */
#define INIT_PAGE 4096ul

/*
 * How init and proc share the work: init owns the boot (modules, command line) and the end of
 * the run (machine_exit); proc owns every POSIX process, including their creation from boot
 * modules. init is pid 1 in proc's table but not a process proc made: it cannot fork or exec,
 * it spawns. Orphans are re-parented to init by proc; init reaps them like any child.
 */

/* Grants a handle to proc, or returns the error. */
static long init_grant(const struct aramid_child *proc_child, aramid_handle_t handle,
                       unsigned long rights, aramid_handle_t *granted)
{
    long result = sys_handle_grant(proc_child->process, handle, rights);
    if (result < 0)
        return result;
    *granted = result;
    return 0;
}

/*
 * Starts the vfs server when there is a vfs module: its endpoint (receive for vfs; init keeps a
 * send handle, which proc hands to every process), its own space, the initrd module, the /tmp
 * limit, the console input (the vfs serves the terminal) and a handle to proc_endpoint badged
 * ARAMID_PROC_BADGE_SERVER (its signals), in a hand-over page as proc's. Returns the endpoint,
 * 0 without a vfs module.
 */
/* The crash-containment test's server to kill (kill=NAME, kill_ms=N on the kernel command
 * line): init keeps a handle to it and kills it N ms after the program started. */
#define INIT_KILL_NAME_MAX 16
static char init_kill_name[INIT_KILL_NAME_MAX];
static long init_kill_process;

/* proc and the servers are system processes: the memory reserve is theirs, the OOM killer
 * never picks them, and the kernel names them on the console if one ends. */
static long init_mark_system(const struct aramid_child *child, const char *name)
{
    if (init_kill_process == 0 && strcmp(name, init_kill_name) == 0) {
        long kept = sys_handle_duplicate(child->process, ARAMID_RIGHT_MANAGE);
        init_kill_process = kept > 0 ? kept : 0;
    }
    return sys_process_set_system(child->process, name, strlen(name));
}

/*
 * The vfs's state objects (restart plan, docs/vfs.md): vfs grants them to init at its start
 * through the supervisor endpoint (ARAMID_VFS_KEEP_STATE, ARAMID_VFS_KEEP_PAGES); init keeps
 * them for a later restart. 0: not handed over.
 */
#define INIT_VFS_KEEP_NS (10ul * 1000 * 1000 * 1000) /* vfs hands them over first thing */
static aramid_handle_t init_vfs_state, init_vfs_pages;

/* Takes vfs's two hand-over calls on supervisor (or gives up at a deadline: vfs then failed
 * to start and says so). */
static void init_keep_vfs_state(aramid_handle_t supervisor)
{
    unsigned long deadline = aramid_clock_monotonic_ns() + INIT_VFS_KEEP_NS;
    while (init_vfs_state == 0 || init_vfs_pages == 0) {
        struct aramid_message message = {.deadline = deadline};
        if (aramid_ipc_wait_flags(supervisor, ARAMID_IPC_DEADLINE, &message) < 0) {
            aramid_printf("init: vfs did not hand its state over\n");
            return;
        }
        aramid_handle_t object = (message.info & ARAMID_IPC_GRANT) ? message.words[5] : 0;
        aramid_handle_t *slot = NULL;
        unsigned label = ARAMID_IPC_LABEL(message.info);
        if (label == ARAMID_VFS_KEEP_STATE)
            slot = &init_vfs_state;
        else if (label == ARAMID_VFS_KEEP_PAGES)
            slot = &init_vfs_pages;
        long result = -ARAMID_EINVAL;
        if (slot != NULL && *slot == 0 && object > 0) {
            *slot = object;
            result = 0;
        } else if (object > 0) {
            (void)sys_handle_close(object);
        }
        struct aramid_message reply = {.info = ARAMID_IPC_INFO(label, 0)};
        reply.words[0] = (unsigned long)result;
        (void)aramid_ipc_reply(message.reply, &reply);
    }
}

/*
 * The hand-over's test hook (vfs_find=WORD on the kernel command line): after the program
 * ended, init maps what vfs handed it and says whether the state header's version is right and
 * whether the pages hold WORD (a file's bytes the program wrote).
 */
#define INIT_VFS_FIND_MAX 64
#define INIT_VFS_LOOK_ADDRESS 0x7e0000000000ul /* above aramid_memory_map's range */
static void init_look_at_vfs_state(const struct aramid_bootinfo *bootinfo, const char *word)
{
    const struct aramid_vfs_state_header *header =
        (const struct aramid_vfs_state_header *)INIT_VFS_LOOK_ADDRESS;
    if (init_vfs_state == 0 || init_vfs_pages == 0 ||
        sys_vm_map(bootinfo->self_space, INIT_VFS_LOOK_ADDRESS, INIT_PAGE, ARAMID_PROT_READ,
                   init_vfs_state, 0) < 0) {
        aramid_printf("init: vfs state: not kept\n");
        return;
    }
    aramid_printf("init: vfs state: version %s, generation %lu, %lu pages used\n",
                  header->version == ARAMID_VFS_STATE_VERSION ? "ok" : "wrong",
                  header->generation, header->heap_bytes / INIT_PAGE - header->free_count);
    unsigned long pages_at = INIT_VFS_LOOK_ADDRESS + INIT_PAGE;
    size_t bytes = header->heap_bytes, length = strlen(word);
    bool found = false;
    if (bytes > 0 && sys_vm_map(bootinfo->self_space, pages_at, bytes, ARAMID_PROT_READ,
                                init_vfs_pages, 0) == 0) {
        const char *pages = (const char *)pages_at;
        for (size_t at = 0; !found && length > 0 && at + length <= bytes; at++)
            found = pages[at] == word[0] && memcmp(pages + at, word, length) == 0;
        (void)sys_vm_unmap(bootinfo->self_space, pages_at, bytes);
    }
    (void)sys_vm_unmap(bootinfo->self_space, INIT_VFS_LOOK_ADDRESS, INIT_PAGE);
    aramid_printf("init: vfs pages hold %s: %s\n", word, found ? "yes" : "no");
}

static long init_start_vfs(const struct aramid_bootinfo *bootinfo, aramid_handle_t proc_endpoint,
                           aramid_handle_t ipc_endpoint)
{
    static struct aramid_vfs_boot boot;
    struct aramid_child child;
    if (aramid_module_find(bootinfo, INIT_VFS_MODULE) == NULL)
        return 0;
    long result = aramid_spawn_load_module(bootinfo, INIT_VFS_MODULE, &child);
    if (result == 0)
        result = init_mark_system(&child, INIT_VFS_MODULE);
    if (result < 0)
        return result;
    long endpoint = sys_endpoint_create();
    if (endpoint < 0)
        return endpoint;
    boot = (struct aramid_vfs_boot){
        .magic = ARAMID_VFS_BOOT_MAGIC,
        .tmp_pages = init_cmdline_number(bootinfo->cmdline, "tmp_pages=", INIT_TMP_PAGES_DEFAULT),
    };
    result = init_grant(&child, endpoint, ARAMID_RIGHTS_ALL, &boot.endpoint);
    if (result == 0)
        result = init_grant(&child, child.space, ARAMID_RIGHTS_ALL, &boot.space);
    const struct aramid_boot_module *initrd = aramid_module_find(bootinfo, INIT_INITRD_MODULE);
    if (result == 0 && initrd != NULL) {
        result = init_grant(&child, initrd->memory_object, ARAMID_RIGHTS_ALL, &boot.initrd);
        boot.initrd_size = initrd->size;
    }
    if (result == 0 && bootinfo->console > 0)
        result = init_grant(&child, bootinfo->console, ARAMID_RIGHTS_ALL, &boot.console);
    long proc = sys_endpoint_mint(proc_endpoint, ARAMID_PROC_BADGE_SERVER,
                                  ARAMID_RIGHT_SEND | ARAMID_RIGHT_GRANT);
    if (result == 0)
        result = proc < 0 ? proc : init_grant(&child, proc, ARAMID_RIGHTS_ALL, &boot.proc);
    if (proc > 0)
        (void)sys_handle_close(proc);
    if (result == 0 && ipc_endpoint > 0) /* /dev/shm lists the ipc server's objects */
        result = init_grant(&child, ipc_endpoint, ARAMID_RIGHT_SEND, &boot.ipc);
    long supervisor = sys_endpoint_create();
    if (result == 0 && supervisor < 0)
        result = supervisor;
    if (result == 0)
        result = init_grant(&child, supervisor, ARAMID_RIGHT_SEND | ARAMID_RIGHT_GRANT,
                            &boot.supervisor);
    if (result == 0)
        result = sys_vm_map(child.space, ARAMID_VFS_BOOT_ADDRESS, INIT_PAGE,
                            ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
    if (result == 0)
        result = sys_vm_write(child.space, ARAMID_VFS_BOOT_ADDRESS, &boot, sizeof(boot));
    if (result == 0)
        result = aramid_spawn_start(&child, ARAMID_VFS_BOOT_ADDRESS);
    if (result == 0)
        init_keep_vfs_state(supervisor);
    if (supervisor > 0) /* a restart would make a new one */
        (void)sys_handle_close(supervisor);
    if (result < 0) {
        (void)sys_process_kill(child.process);
        (void)aramid_child_close(&child);
        return result;
    }
    result = aramid_child_close(&child);
    return result < 0 ? result : endpoint;
}

/*
 * Starts an owner server (event, sock) from its module, when there is one: it serves endpoint
 * (made by init before proc, which hands a send handle to every process) and reads proc's
 * process events through a proc handle minted with ARAMID_PROC_BADGE_SERVER. Returns 0, or
 * -errno (a missing module is not an error: its calls then fail with -ENOSYS in posix-shim).
 */
static long init_start_server(const struct aramid_bootinfo *bootinfo, const char *name,
                              unsigned long magic, aramid_handle_t endpoint,
                              aramid_handle_t event_endpoint, aramid_handle_t vfs_endpoint,
                              aramid_handle_t sock_endpoint)
{
    static struct aramid_server_boot boot;
    struct aramid_child child;
    if (endpoint <= 0)
        return 0;
    long result = aramid_spawn_load_module(bootinfo, name, &child);
    if (result == 0)
        result = init_mark_system(&child, name);
    if (result < 0)
        return result;
    boot = (struct aramid_server_boot){.magic = magic};
    result = init_grant(&child, endpoint, ARAMID_RIGHTS_ALL, &boot.endpoint);
    if (result == 0)
        result = init_grant(&child, child.space, ARAMID_RIGHTS_ALL, &boot.space);
    long proc = sys_endpoint_mint(aramid_proc_self.endpoint, ARAMID_PROC_BADGE_SERVER,
                                  ARAMID_RIGHT_SEND | ARAMID_RIGHT_GRANT);
    if (result == 0)
        result = proc < 0 ? proc : init_grant(&child, proc, ARAMID_RIGHTS_ALL, &boot.proc);
    if (proc > 0)
        (void)sys_handle_close(proc);
    if (result == 0 && event_endpoint > 0)
        result = init_grant(&child, event_endpoint, ARAMID_RIGHT_SEND, &boot.event);
    if (result == 0 && vfs_endpoint > 0)
        result = init_grant(&child, vfs_endpoint, ARAMID_RIGHT_SEND, &boot.vfs);
    /* The event server's handle to sock is minted: sock tells its calls from clients' by it. */
    long sock = sock_endpoint > 0
                    ? sys_endpoint_mint(sock_endpoint, ARAMID_SOCK_BADGE_EVENT,
                                        ARAMID_RIGHT_SEND | ARAMID_RIGHT_GRANT)
                    : 0;
    if (result == 0 && sock != 0)
        result = sock < 0 ? sock : init_grant(&child, sock, ARAMID_RIGHT_SEND, &boot.sock);
    if (sock > 0)
        (void)sys_handle_close(sock);
    if (result == 0)
        result = sys_vm_map(child.space, ARAMID_SERVER_BOOT_ADDRESS, INIT_PAGE,
                            ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
    if (result == 0)
        result = sys_vm_write(child.space, ARAMID_SERVER_BOOT_ADDRESS, &boot, sizeof(boot));
    if (result == 0)
        result = aramid_spawn_start(&child, ARAMID_SERVER_BOOT_ADDRESS);
    if (result < 0) {
        (void)sys_process_kill(child.process);
        (void)aramid_child_close(&child);
        return result;
    }
    return aramid_child_close(&child);
}

/* An endpoint for the server in module name, or 0 when the boot has no such module. */
static long init_server_endpoint(const struct aramid_bootinfo *bootinfo, const char *name)
{
    return aramid_module_find(bootinfo, name) != NULL ? sys_endpoint_create() : 0;
}

/* Loads proc, gives it its hand-over page (with the run's console token, 0: none) and starts
 * it serving endpoint. Fills init's aramid_proc_self. The console input goes to the vfs when
 * there is one (it serves the terminal), else to proc, which hands it to every process. */
static long init_start_proc(const struct aramid_bootinfo *bootinfo, unsigned long console_token,
                            aramid_handle_t endpoint, aramid_handle_t vfs_endpoint,
                            aramid_handle_t event_endpoint, aramid_handle_t sock_endpoint,
                            aramid_handle_t ipc_endpoint)
{
    static struct aramid_proc_boot boot;
    struct aramid_child child;
    long badge = sys_process_id(bootinfo->self_process); /* what our calls to proc carry */
    if (badge <= 0)
        return badge < 0 ? badge : -ARAMID_EINVAL;
    long result = aramid_spawn_load_module(bootinfo, INIT_PROC_MODULE, &child);
    if (result == 0)
        result = sys_process_allow_create(child.process); /* proc makes every other process */
    if (result == 0)
        result = init_mark_system(&child, INIT_PROC_MODULE);
    if (result < 0)
        return result;
    long notification = sys_notification_create(0, 0);
    if (notification < 0)
        return -ARAMID_ENOMEM;

    memset(&boot, 0, sizeof(boot));
    boot.magic = ARAMID_PROC_BOOT_MAGIC;
    boot.bootinfo.magic = ARAMID_BOOTINFO_MAGIC;
    boot.console_token = console_token;
    boot.init_badge = (unsigned long)badge;
    memcpy(boot.bootinfo.cmdline, bootinfo->cmdline, sizeof(boot.bootinfo.cmdline));
    result = init_grant(&child, endpoint, ARAMID_RIGHTS_ALL, &boot.endpoint);
    if (result == 0)
        result = init_grant(&child, notification, ARAMID_RIGHTS_ALL, &boot.init_notification);
    if (result == 0 && vfs_endpoint > 0)
        result = init_grant(&child, vfs_endpoint,
                            ARAMID_RIGHT_SEND | ARAMID_RIGHT_GRANT | ARAMID_RIGHT_DUPLICATE,
                            &boot.vfs_endpoint);
    if (result == 0 && event_endpoint > 0)
        result = init_grant(&child, event_endpoint, ARAMID_RIGHT_SEND | ARAMID_RIGHT_GRANT |
                            ARAMID_RIGHT_DUPLICATE, &boot.event_endpoint);
    if (result == 0 && sock_endpoint > 0)
        result = init_grant(&child, sock_endpoint, ARAMID_RIGHT_SEND | ARAMID_RIGHT_GRANT |
                            ARAMID_RIGHT_DUPLICATE, &boot.sock_endpoint);
    if (result == 0 && ipc_endpoint > 0)
        result = init_grant(&child, ipc_endpoint, ARAMID_RIGHT_SEND | ARAMID_RIGHT_GRANT |
                            ARAMID_RIGHT_DUPLICATE, &boot.ipc_endpoint);
    if (result == 0)
        result = init_grant(&child, child.process, ARAMID_RIGHTS_ALL, &boot.bootinfo.self_process);
    if (result == 0)
        result = init_grant(&child, child.space, ARAMID_RIGHTS_ALL, &boot.bootinfo.self_space);
    if (result == 0 && bootinfo->console > 0 && vfs_endpoint <= 0)
        result = init_grant(&child, bootinfo->console, ARAMID_RIGHTS_ALL, &boot.console);
    unsigned long count = bootinfo->module_count;
    if (count > ARAMID_BOOTINFO_MODULES_MAX)
        count = ARAMID_BOOTINFO_MODULES_MAX;
    for (unsigned long i = 0; i < count && result == 0; i++) {
        const struct aramid_boot_module *module = &bootinfo->modules[i];
        struct aramid_boot_module *copy = &boot.bootinfo.modules[i];
        memcpy(copy->name, module->name, sizeof(copy->name));
        copy->size = module->size;
        result = init_grant(&child, module->memory_object, ARAMID_RIGHTS_ALL, &copy->memory_object);
    }
    boot.bootinfo.module_count = count;
    if (result == 0)
        result = sys_vm_map(child.space, ARAMID_PROC_BOOT_ADDRESS, INIT_PAGE,
                            ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
    if (result == 0)
        result = sys_vm_write(child.space, ARAMID_PROC_BOOT_ADDRESS, &boot, sizeof(boot));
    if (result == 0)
        result = aramid_spawn_start(&child, ARAMID_PROC_BOOT_ADDRESS);
    if (result < 0) {
        (void)sys_process_kill(child.process);
        return result;
    }
    aramid_proc_self = (struct aramid_proc_self){
        .pid = 1,
        .space = bootinfo->self_space,
        .process = bootinfo->self_process,
        .endpoint = endpoint,
        .notification = notification,
    };
    return aramid_child_close(&child);
}

/*
 * The program's arguments: from the module NAME.args if there is one (aramid-run writes it:
 * any bytes, an environment and the run's marker token), else the command line's words and an
 * empty environment. The module is copied into writable memory that lives as long as init.
 */
static long init_arguments(const struct aramid_bootinfo *bootinfo, struct init_args_parsed *out)
{
    static char name[ARAMID_BOOTINFO_NAME_MAX];
    size_t length = strlen(out->argv[0]);
    if (length + sizeof(".args") > sizeof(name))
        return 0;
    memcpy(name, out->argv[0], length);
    memcpy(name + length, ".args", sizeof(".args"));
    const struct aramid_boot_module *module = aramid_module_find(bootinfo, name);
    if (module == NULL || module->size == 0)
        return 0;
    const void *source;
    long result = aramid_module_map(bootinfo->self_space, module, &source);
    if (result < 0)
        return result;
    size_t slots = module->size + 2;
    long copy = aramid_memory_map(bootinfo->self_space, module->size + slots * sizeof(char *),
                                  ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
    if (copy < 0)
        return copy;
    char **vector = (char **)copy;
    char *bytes = (char *)(vector + slots);
    memcpy(bytes, source, module->size);
    if (init_args_parse(bytes, module->size, vector, slots, out) != 0)
        return -ARAMID_EINVAL;
    return 0;
}

/* aramid-run's markers around the program's output (docs/sdk.md); none without a token. */
static void init_marker(const char *token, const char *what, long code)
{
    if (token == NULL)
        return;
    if (code < 0)
        aramid_printf("aramid-sdk:%s:%s\n", token, what);
    else
        aramid_printf("aramid-sdk:%s:%s:%ld\n", token, what, code);
}

/* The exit code of the run: the program's status, 128 + N if signal N killed it. */
static int init_exit_code(int status)
{
    return ARAMID_WAIT_EXITED(status) ? ARAMID_WAIT_EXIT_CODE(status)
                                      : 128 + ARAMID_WAIT_SIGNAL(status);
}

/* Reaps children until wait4 fails (-ECHILD when none is left); stops early at `until`.
 * Orphans are reported unless quiet (between aramid-run's markers, where output is the
 * program's). */
static long init_reap(long until, int *until_status, bool quiet)
{
    for (;;) {
        int status = 0;
        long pid = aramid_proc_wait4(-1, &status, 0);
        if (pid < 0)
            return pid;
        if (pid == until) {
            *until_status = status;
            return 0;
        }
        if (!quiet)
            aramid_printf("init: reaped orphan %ld (status %#x)\n", pid, status);
    }
}

int aramid_main(unsigned long argument)
{
    static char storage[ARAMID_BOOTINFO_CMDLINE_MAX];
    static char *argv[INIT_ARGS_MAX];
    static char *envp[] = {NULL};
    const struct aramid_bootinfo *bootinfo = (const struct aramid_bootinfo *)argument;
    if (bootinfo == NULL || bootinfo->magic != ARAMID_BOOTINFO_MAGIC) {
        aramid_printf("init: bad bootinfo\n");
        return INIT_EXIT_NOT_STARTED;
    }
    long argc =
        init_cmdline_parse(bootinfo->cmdline, storage, sizeof(storage), argv, INIT_ARGS_MAX);
    if (argc < 0) {
        aramid_printf("init: no program to run (run=NAME on the command line): %ld\n", argc);
        return INIT_EXIT_NOT_STARTED;
    }
    struct init_args_parsed arguments = {.argc = (int)argc, .argv = argv, .envp = envp};
    long result = init_arguments(bootinfo, &arguments);
    if (result < 0) {
        aramid_printf("init: bad arguments module for %s: %ld\n", argv[0], result);
        return INIT_EXIT_NOT_STARTED;
    }
    const char *token = arguments.token;
    (void)init_cmdline_word(bootinfo->cmdline, "kill=", init_kill_name, sizeof(init_kill_name));
    /* vfs first: proc hands its endpoint to every process. proc's endpoint comes first: vfs
     * gets a handle to it; so does the ipc server's (/dev/shm). */
    long proc_endpoint = sys_endpoint_create();
    if (proc_endpoint < 0) {
        aramid_printf("init: no endpoint for proc\n");
        return INIT_EXIT_NOT_STARTED;
    }
    long ipc_endpoint = init_server_endpoint(bootinfo, INIT_IPC_MODULE);
    long vfs_endpoint = ipc_endpoint < 0 ? ipc_endpoint
                                         : init_start_vfs(bootinfo, proc_endpoint, ipc_endpoint);
    if (vfs_endpoint < 0) {
        aramid_printf("init: starting vfs failed: %ld\n", vfs_endpoint);
        return INIT_EXIT_NOT_STARTED;
    }
    /* Before proc starts: it hands the token to every process (posix-shim's stderr frames). */
    long event_endpoint = init_server_endpoint(bootinfo, INIT_EVENT_MODULE);
    long sock_endpoint = init_server_endpoint(bootinfo, INIT_SOCK_MODULE);
    if (event_endpoint < 0 || sock_endpoint < 0) {
        aramid_printf("init: no endpoints for the servers\n");
        return INIT_EXIT_NOT_STARTED;
    }
    result = init_start_proc(bootinfo, token != NULL ? init_args_console_token(token) : 0,
                             proc_endpoint, vfs_endpoint, event_endpoint, sock_endpoint,
                             ipc_endpoint);
    if (result < 0) {
        aramid_printf("init: starting proc failed: %ld\n", result);
        return INIT_EXIT_NOT_STARTED;
    }
    /* The owner servers after proc: they subscribe to its process events. */
    /* event maps sock's readiness words (ready_map) */
    result = init_start_server(bootinfo, INIT_EVENT_MODULE, ARAMID_EVENT_BOOT_MAGIC,
                               event_endpoint, 0, 0, sock_endpoint);
    if (result == 0) /* sock drops the event and vfs passes of messages never read */
        result = init_start_server(bootinfo, INIT_SOCK_MODULE, ARAMID_SOCK_BOOT_MAGIC,
                                   sock_endpoint, event_endpoint, vfs_endpoint, 0);
    if (result == 0)
        result = init_start_server(bootinfo, INIT_IPC_MODULE, ARAMID_IPCS_BOOT_MAGIC,
                                   ipc_endpoint, 0, 0, 0);
    if (result < 0) {
        aramid_printf("init: starting the event, sock or ipc server failed: %ld\n", result);
        return INIT_EXIT_NOT_STARTED;
    }
    /* A first call to proc: it has started and printed its banner before the start marker. */
    result = aramid_proc_getpid();
    if (result < 0) {
        aramid_printf("init: proc does not answer: %ld\n", result);
        return INIT_EXIT_NOT_STARTED;
    }
    init_marker(token, "start", -1);
    long pid = aramid_proc_spawn(argv[0], arguments.argv, arguments.envp);
    if (pid < 0) {
        aramid_printf("init: running %s failed: %ld\n", argv[0], pid);
        init_marker(token, "exit", INIT_EXIT_NOT_STARTED);
        return INIT_EXIT_NOT_STARTED;
    }
    if (init_kill_process > 0) {
        sys_sleep(init_cmdline_number(bootinfo->cmdline, "kill_ms=", 1000) * 1000 * 1000);
        aramid_printf("init: killing %s (kill=%s)\n", init_kill_name, init_kill_name);
        (void)sys_process_kill(init_kill_process);
        (void)sys_handle_close(init_kill_process);
    }
    int status = 0;
    result = init_reap(pid, &status, token != NULL);
    if (result == -ARAMID_EPIPE || result == -ARAMID_EIO) {
        /* proc is gone: nothing can be started, waited for or signalled any more. */
        aramid_printf("init: proc is gone (wait4 %ld): ending the machine\n", result);
        init_marker(token, "exit", INIT_EXIT_PROC_GONE);
        (void)sys_machine_exit(INIT_EXIT_PROC_GONE);
        return INIT_EXIT_PROC_GONE;
    }
    if (result < 0) {
        aramid_printf("init: wait4 failed: %ld\n", result);
        return INIT_EXIT_NOT_STARTED;
    }
    /* The program's output ends with it; what its leftovers print later is not shown. */
    init_marker(token, "exit", init_exit_code(status));
    char vfs_find[INIT_VFS_FIND_MAX];
    if (init_cmdline_word(bootinfo->cmdline, "vfs_find=", vfs_find, sizeof(vfs_find)))
        init_look_at_vfs_state(bootinfo, vfs_find);
    /* The run ends with its program: whatever it left running is killed and reaped. */
    if (aramid_proc_kill(-1, ARAMID_SIGKILL) == 0)
        aramid_printf("init: killed the processes %s left\n", argv[0]);
    (void)init_reap(0, &status, false); /* ends with -ECHILD: nothing left */
    int code = init_exit_code(status);
    aramid_printf("init: %s exited with status %#x, exit code %d\n", argv[0], status, code);
    result = sys_machine_exit(code);
    aramid_printf("init: machine_exit failed: %ld\n", result);
    return code; /* the kernel ends the machine when the root task exits, too */
}
