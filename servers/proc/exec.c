/* execve and spawn: a program from a memory object posix-shim had vfs make, or from a boot
 * module, loaded into a fresh space with a start block. */
#include "proc.h"

/* Start blocks are built here; at most half the new stack, so the program keeps the rest. */
#define PROC_START_BLOCK_MAX (ARAMID_SPAWN_STACK_SIZE / 2)
static unsigned char proc_start_block[PROC_START_BLOCK_MAX];

/* Module images mapped into proc's space, by boot-module index; mapped once, on first use. */
static const void *proc_module_images[ARAMID_BOOTINFO_MODULES_MAX];

static long proc_module_image(const char *name, const void **image, size_t *size)
{
    const struct aramid_bootinfo *bootinfo = &proc.boot->bootinfo;
    const struct aramid_boot_module *module = proc_module_find(name);
    if (module == NULL)
        return -ARAMID_ENOENT;
    if (module->size == 0)
        return -ARAMID_ENOEXEC;
    size_t index = (size_t)(module - bootinfo->modules);
    if (proc_module_images[index] == NULL) {
        long result = aramid_module_map(bootinfo->self_space, module, &proc_module_images[index]);
        if (result < 0)
            return result;
    }
    *image = proc_module_images[index];
    *size = module->size;
    return 0;
}

/* Where proc maps a program it was handed in a memory object while it loads it. */
#define PROC_EXEC_IMAGE_ADDRESS 0x600000000000ul
#define PROC_EXEC_IMAGE_MAX (256ul << 20)

/* The program of an execve that brought its image: mapped read-only at a fixed address until
 * the load is done. */
static long proc_image_map(aramid_handle_t image, long size, const void **bytes, size_t *mapped)
{
    if (size <= 0 || (unsigned long)size > PROC_EXEC_IMAGE_MAX)
        return -ARAMID_ENOEXEC;
    *mapped = ((size_t)size + 4095) & ~(size_t)4095;
    long result = sys_vm_map(proc.boot->bootinfo.self_space, PROC_EXEC_IMAGE_ADDRESS, *mapped,
                             ARAMID_PROT_READ, image, 0);
    if (result < 0)
        return result == -ARAMID_EINVAL ? -ARAMID_ENOEXEC : result;
    *bytes = (const void *)PROC_EXEC_IMAGE_ADDRESS;
    return 0;
}

/* A loaded program that has no thread yet. */
struct proc_image {
    struct aramid_child child;
    unsigned long stack_pointer;
};

/* Kills and closes a loaded image that will not run (killing first: a process that never ran
 * must still close the handles granted into it). */
static void proc_image_discard(struct proc_image *image)
{
    if (image->child.process > 0)
        (void)sys_process_kill(image->child.process);
    (void)aramid_child_close(&image->child);
}

/* What a new image inherits about signals (execve; zeros for spawn). */
struct proc_image_signals {
    unsigned long blocked;
    unsigned long ignored;
    unsigned long vfs_token; /* posix-shim's vfs handoff of its descriptor table (execve) */
    long image_size;         /* the size of the call's image (execve with a memory object) */
};

/* Reads the program into a fresh space and a process on it (no thread yet): the memory object
 * the call brought (image_size bytes), else the boot module its path names. */
static long proc_image_read(const struct proc_call *call, long argc, long envc, long image_size,
                            struct proc_image *image, const char **strings,
                            size_t *strings_length)
{
    const char *path;
    size_t size = 0, mapped = 0;
    const void *bytes;
    long result = aramid_proc_strings_decode(call->buffer, call->buffer_bytes, argc, envc, &path,
                                             strings, strings_length);
    if (result < 0)
        return result;
    if (call->image > 0) {
        result = proc_image_map(call->image, image_size, &bytes, &mapped);
        size = (size_t)image_size;
    } else {
        result = proc_module_image(path, &bytes, &size);
    }
    if (result < 0)
        return result;
    *image = (struct proc_image){0};
    result = aramid_spawn_load(bytes, size, &image->child);
    if (mapped != 0)
        (void)sys_vm_unmap(proc.boot->bootinfo.self_space, PROC_EXEC_IMAGE_ADDRESS, mapped);
    return result;
}

/* Grants the start handles of entry (its pid and notifications) into process, which runs on
 * image's space, and writes its start block there. */
static long proc_image_prepare(struct proc_image *image, aramid_handle_t process, long argc,
                               long envc, const char *strings, size_t strings_length,
                               const struct proc_entry *entry, struct proc_image_signals signals)
{
    long pid = entry->pid;
    struct aramid_proc_self self;
    proc_listing_exec(entry, strings, strings_length, argc);
    long result = proc_process_grant_start(pid, process, image->child.space, entry->notification,
                                           entry->signals, &self);
    if (result == 0) {
        const struct aramid_auxv auxv[] = {
            {ARAMID_AT_PAGESZ, 4096},
            {ARAMID_AT_ENTRY, image->child.entry},
            {ARAMID_AT_ARAMID_PID, (unsigned long)pid},
            {ARAMID_AT_ARAMID_SPACE, (unsigned long)self.space},
            {ARAMID_AT_ARAMID_PROCESS, (unsigned long)self.process},
            {ARAMID_AT_ARAMID_PROC_ENDPOINT, (unsigned long)self.endpoint},
            {ARAMID_AT_ARAMID_PROC_NOTIFICATION, (unsigned long)self.notification},
            {ARAMID_AT_ARAMID_STACK_LOW, ARAMID_SPAWN_STACK_TOP - ARAMID_SPAWN_STACK_SIZE},
            {ARAMID_AT_ARAMID_SIGNAL_NOTIFICATION, (unsigned long)self.signals},
            {ARAMID_AT_ARAMID_SIGNALS_BLOCKED, signals.blocked},
            {ARAMID_AT_ARAMID_SIGNALS_IGNORED, signals.ignored},
            {ARAMID_AT_ARAMID_CONSOLE_TOKEN, proc.boot->console_token},
            {ARAMID_AT_ARAMID_CONSOLE, (unsigned long)self.console},
            {ARAMID_AT_ARAMID_CHILDREN, proc_table_count_children(&proc_table, pid)},
            {ARAMID_AT_ARAMID_EVENT_ENDPOINT, (unsigned long)self.event},
            {ARAMID_AT_ARAMID_SOCK_ENDPOINT, (unsigned long)self.sock},
            {ARAMID_AT_ARAMID_VFS_ENDPOINT, (unsigned long)self.vfs},
            {ARAMID_AT_ARAMID_VFS_TOKEN, signals.vfs_token},
            {ARAMID_AT_ARAMID_IPC_ENDPOINT, (unsigned long)self.ipc},
            {ARAMID_AT_ARAMID_RLIMIT_STACK, entry->rlimits.soft[ARAMID_RLIMIT_STACK]},
            {ARAMID_AT_ARAMID_RLIMIT_NOFILE, entry->rlimits.soft[ARAMID_RLIMIT_NOFILE]},
            {ARAMID_AT_ARAMID_RLIMIT_CPU, entry->rlimits.soft[ARAMID_RLIMIT_CPU]},
            {ARAMID_AT_ARAMID_RLIMIT_CPU_HARD, entry->rlimits.hard[ARAMID_RLIMIT_CPU]},
        };
        result = aramid_start_build(proc_start_block, sizeof(proc_start_block),
                                    ARAMID_SPAWN_STACK_TOP, strings, strings_length, argc, envc,
                                    auxv, sizeof(auxv) / sizeof(auxv[0]), &image->stack_pointer);
    }
    if (result >= 0) {
        size_t used = (size_t)result;
        result = sys_vm_write(image->child.space, image->stack_pointer,
                              proc_start_block + sizeof(proc_start_block) - used, used);
    }
    return result < 0 ? result : 0;
}

/* Loads the program the call names as a new process for entry (spawn). On failure nothing is
 * left. */
static long proc_image_load(const struct proc_call *call, long argc, long envc,
                            const struct proc_entry *entry, struct proc_image_signals signals,
                            struct proc_image *image)
{
    const char *strings;
    size_t strings_length;
    long result = proc_image_read(call, argc, envc, 0, image, &strings, &strings_length);
    if (result < 0)
        return result;
    result = proc_image_prepare(image, image->child.process, argc, envc, strings, strings_length,
                                entry, signals);
    if (result < 0)
        proc_image_discard(image);
    return result;
}

/* Starts the image's first thread in process at its entry with rsp = rdi = the start block. */
static long proc_image_start(struct proc_image *image, aramid_handle_t process)
{
    long thread = sys_thread_create(process, image->child.entry, image->stack_pointer,
                                    image->stack_pointer);
    if (thread < 0)
        return thread;
    (void)sys_handle_close(thread);
    return 0;
}

/*
 * execve keeps the kernel process (its id, so every server still knows the caller, and its
 * inheritable handles, such as open files) and gives it the new image: the program is read into
 * a fresh space first, so a bad program fails the call; after process_exec there is no way
 * back, and a failure kills the process as Linux does past exec's point of no return.
 */
enum proc_action proc_do_execve(struct proc_call *call,
                                const struct aramid_proc_execve_request *request,
                                struct aramid_proc_execve_reply *reply)
{
    struct proc_entry *entry = call->caller;
    struct proc_image image;
    const char *strings;
    size_t strings_length;
    long argc = (long)((unsigned long)request->counts & 0xffffffffu);
    long envc = (long)((unsigned long)request->counts >> 32);
    if (entry->process <= 0) {
        if (call->image > 0)
            (void)sys_handle_close(call->image);
        reply->result = -ARAMID_ENOSYS; /* init was not made by proc */
        return PROC_REPLY;
    }
    struct proc_image_signals signals = {(unsigned long)request->signals_blocked,
                                         (unsigned long)request->signals_ignored,
                                         (unsigned long)request->vfs_token, request->image_size};
    long result = proc_image_read(call, argc, envc, request->image_size, &image, &strings,
                                  &strings_length);
    if (call->image > 0)
        (void)sys_handle_close(call->image); /* loaded (copied) or refused: proc is done with it */
    if (result < 0) {
        reply->result = result;
        return PROC_REPLY;
    }
    /* The loader's process never runs: only its space is wanted. */
    (void)sys_process_kill(image.child.process);
    (void)sys_handle_close(image.child.process);
    image.child.process = 0;
    result = sys_process_exec(entry->process, image.child.space);

    if (result < 0) {
        (void)aramid_child_close(&image.child);
        reply->result = result;
        return PROC_REPLY;
    }
    (void)sys_handle_close(entry->space);
    entry->space = image.child.space;
    entry->signals_registered = false; /* the new image registers for itself */
    entry->nocldwait = false;
    entry->execed = true; /* its parent's setpgid now gets EACCES */
    entry->signal_view = entry->signal_mask = 0;
    proc_events_post(ARAMID_PROC_EVENT_EXEC, entry, NULL);
    result = proc_image_prepare(&image, entry->process, argc, envc, strings, strings_length, entry,
                                signals);
    if (result == 0)
        result = proc_image_start(&image, entry->process);
    if (result < 0)
        proc_process_terminate(entry, proc_status_signaled(ARAMID_SIGKILL));
    return PROC_SUSPEND; /* the caller's thread is gone: its call is inert */
}

enum proc_action proc_do_spawn(struct proc_call *call,
                               const struct aramid_proc_spawn_request *request,
                               struct aramid_proc_spawn_reply *reply)
{
    struct proc_entry *child;
    struct proc_image image;
    long result = proc_rlimits_allow_process(&call->caller->rlimits, proc_table.used)
                      ? proc_table_add(&proc_table, call->caller->pid, &child)
                      : -ARAMID_EAGAIN; /* RLIMIT_NPROC */
    if (result < 0) {
        reply->result = result;
        return PROC_REPLY;
    }
    proc_rlimits_inherit(&child->rlimits, &call->caller->rlimits);
    /* init's child (the run= program, the login shell) leads a session and a group. */
    if (call->caller->pid == PROC_INIT_PID)
        child->pgid = child->sid = child->pid;
    result = sys_notification_create(0, 0);
    if (result >= 0) {
        child->notification = result;
        result = proc_process_create_signals(child);
    }
    if (result >= 0) {
        struct proc_image_signals signals = {0, 0, 0, 0};
        result = proc_image_load(call, request->argc, request->envc, child, signals, &image);
    }
    if (result == 0) {
        child->process = image.child.process;
        child->space = image.child.space;
        result = proc_process_identify(child, child->process);
        if (result == 0)
            result = proc_system_apply_quota(child); /* AS and DATA, from the parent */
        if (result == 0)
            result = proc_process_watch(child);
        if (result == 0)
            result = proc_image_start(&image, image.child.process);
        if (result < 0)
            (void)sys_process_kill(child->process);
    }
    if (result < 0) {
        proc_process_release(child);
        proc_table_remove(&proc_table, child);
        reply->result = result;
        return PROC_REPLY;
    }
    proc_events_post(ARAMID_PROC_EVENT_SPAWN, child, call->caller);
    reply->result = child->pid;
    return PROC_REPLY;
}
