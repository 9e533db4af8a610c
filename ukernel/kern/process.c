/* Processes: creation, termination (every thread, handle and page released), exit waiting. */
#include <stdint.h>

#include "aramid/syscall.h"
#include "address_space.h"
#include "console.h"
#include "infopage.h"
#include "ipc.h"
#include "kerrno.h"
#include "kstring.h"
#include "machine.h"
#include "memory.h"
#include "object.h"
#include "paging.h"
#include "process.h"
#include "futex.h"
#include "quota.h"
#include "sched.h"
#include "thread.h"
#include "vm.h"

static uint32_t next_process_id = 1;
/* Every process that has not exited (process_oom_victim's candidates). */
static struct list_node live_processes = {&live_processes, &live_processes};

static void take_handle(void *ctx, void *object, enum handle_type type)
{
    (void)ctx;
    object_get(object, type);
}

struct process *process_create(struct address_space *space, struct process *inherit_from)
{
    struct process *process = kmalloc(sizeof(*process));
    if (!process)
        return NULL;
    memset(process, 0, sizeof(*process));
    process->handle_slots = kmalloc(PROCESS_HANDLES_MAX * sizeof(struct handle_slot));
    if (!process->handle_slots ||
        handle_table_init(&process->handles, process->handle_slots, PROCESS_HANDLES_MAX) != 0) {
        kfree(process->handle_slots);
        kfree(process);
        return NULL;
    }
    if (inherit_from)
        (void)handle_table_copy_inherited(&process->handles, &inherit_from->handles, take_handle,
                                          NULL); /* both tables have PROCESS_HANDLES_MAX slots */
    process->id = next_process_id++;
    process->refcount = 1;
    process->space = space;
    address_space_get(space);
    infopage_map(space);
    list_init(&process->threads);
    list_init(&process->exit_waiters);
    list_init(&process->endpoints);
    process->replies.held = 0;
    list_push_back(&live_processes, &process->live_link);
    return process;
}

void process_get(struct process *process)
{
    process->refcount++;
}

/* A dead system process's endpoints: nothing restarts a server, so every endpoint it could
 * receive on dies with it (whoever made it: init makes the servers' endpoints), and calls
 * queued there or made later get -EPIPE instead of waiting for ever. */
static void kill_served_endpoint(void *ctx, void *object, enum handle_type type, uint32_t rights)
{
    (void)ctx;
    if (type == HANDLE_TYPE_ENDPOINT && (rights & HANDLE_RIGHT_RECEIVE))
        ipc_endpoint_kill(object);
}

static void close_handle(void *ctx, void *object, enum handle_type type)
{
    (void)ctx;
    object_put(object, type);
}

/* Drops every exit watch (their notification references). */
static void process_clear_exit_watches(struct process *process)
{
    for (unsigned i = 0; i < PROCESS_EXIT_WATCHES; i++) {
        struct process_exit_watch *watch = &process->exit_watches[i];
        if (watch->notification)
            notification_put(watch->notification);
        watch->notification = NULL;
    }
}

void process_put(struct process *process)
{
    if (--process->refcount == 0) {
        /* A process that never ran still holds what was granted to it. */
        handle_table_close_all(&process->handles, close_handle, NULL);
        process_clear_exit_watches(process);
        cputime_timers_release(process);
        if (process->space)
            address_space_put(process->space);
        quota_put(process->quota);
        list_remove(&process->live_link); /* a process that never ran never exited */
        kfree(process->handle_slots);
        kfree(process);
        return;
    }
    /* Only its own handles keep a process without threads alive: nobody can start it, so it
     * is ended, which closes them and so frees it. */
    if (!process->exited && !process->started && process->refcount == process->self_handles) {
        process->refcount++;
        process_terminate(process, PROCESS_EXIT_FAULT_BASE + 9);
        process_put(process);
    }
}

void process_stop(struct process *process, bool stop)
{
    process->stopped = stop;
    for (struct list_node *node = process->threads.next; node != &process->threads;
         node = node->next) {
        struct thread *thread = list_entry(node, struct thread, process_link);
        /* Stop: each thread is parked when it would next run (sched.c). Its upcall_pending
         * makes the IPC fastpath, which never checks stopped, leave a reply or call to it to
         * the slow path that parks it; a pending flag without bits delivers nothing. None of
         * its threads runs, so none clears the flag before process_stop(0). */
        if (stop)
            thread->upcall_pending = true;
        else if (thread->state == THREAD_BLOCKED && thread->wait == WAIT_STOPPED)
            sched_wake(thread);
    }
}

void process_terminate(struct process *process, int code)
{
    if (process->exited)
        return;
    process->exited = true;
    list_remove(&process->live_link);
    /* A system process should never end: say which did, and how (exit codes from 128 are
     * the kernel's kills: 128 + the signal). Its callers get -EPIPE (ipc_process_exit). */
    if (process->system && !process->is_root)
        kprintf(code >= PROCESS_EXIT_FAULT_BASE ? "kernel: system process %u (%s) ended: killed "
                                                  "by signal %d\n"
                                                : "kernel: system process %u (%s) ended: exit "
                                                  "code %d\n",
                process->id, process->name,
                code >= PROCESS_EXIT_FAULT_BASE ? code - PROCESS_EXIT_FAULT_BASE : code);
    cputime_timers_release(process);
    process->exit_code = code;
    struct thread *current = sched_current();

    /* Every other thread dies now; the current one dies when its system call ends (its
     * robust list goes now, while the space is there). */
    if (current->process == process)
        futex_robust_exit(current);
    struct list_node *node = process->threads.next;
    while (node != &process->threads) {
        struct thread *thread = list_entry(node, struct thread, process_link);
        node = node->next;
        if (thread != current)
            thread_kill(thread);
    }
    ipc_process_exit(process);
    if (process->system)
        handle_table_for_each(&process->handles, kill_served_endpoint, NULL);
    process->self_handles = 0;
    handle_table_close_all(&process->handles, close_handle, NULL);

    /* The space's pages go now; a zombie keeps only this structure. The space stays loaded
     * when the caller is another process sharing it: it returns to user mode in it. */
    if (address_space_current() == process->space && current->process == process)
        address_space_activate(NULL);
    struct address_space *space = process->space;
    process->space = NULL;
    address_space_put(space);

    while (!list_is_empty(&process->exit_waiters)) {
        struct thread *waiter =
            list_entry(list_first(&process->exit_waiters), struct thread, wait_link);
        list_remove(&waiter->wait_link);
        thread_user_frame(waiter)->rax = (uint64_t)(int64_t)code;
        sched_wake(waiter);
        process->refcount--; /* the waiter's; the caller of terminate still holds one */
    }
    for (unsigned i = 0; i < PROCESS_EXIT_WATCHES; i++)
        if (process->exit_watches[i].notification)
            ipc_notification_signal(process->exit_watches[i].notification,
                                    process->exit_watches[i].bits);
    if (process->is_root) {
        kprintf("root task exited with code %d\n", code);
        machine_exit((uint8_t)code);
    }
}

int process_notify_exit(struct process *process, struct process *watcher,
                        struct notification *notification, uint64_t bits)
{
    struct process_exit_watch *slot = NULL;
    struct process_exit_watch *free_slot = NULL;
    if (notification && bits == 0)
        return -EINVAL;
    for (unsigned i = 0; i < PROCESS_EXIT_WATCHES; i++) {
        struct process_exit_watch *watch = &process->exit_watches[i];
        if (watch->notification && watch->watcher_id == watcher->id)
            slot = watch;
        else if (!watch->notification && !free_slot)
            free_slot = watch;
    }
    if (slot) {
        notification_put(slot->notification);
        slot->notification = NULL;
    } else {
        slot = free_slot;
    }
    if (!notification)
        return 0;
    if (!slot)
        return -ENOSPC;
    notification_get(notification);
    slot->watcher_id = watcher->id;
    slot->notification = notification;
    slot->bits = bits;
    if (process->exited)
        ipc_notification_signal(notification, bits);
    return 0;
}

void process_thread_exited(struct process *process, struct thread *thread)
{
    if (list_node_is_linked(&thread->process_link)) {
        list_remove(&thread->process_link);
        process->live_threads--;
        quota_uncharge(process->quota, PROCESS_THREAD_QUOTA_PAGES);
    }
    if (process->live_threads == 0 && !process->replacing_image)
        process_terminate(process, 0);
}

int process_exec(struct process *process, struct address_space *space)
{
    struct thread *current = sched_current();
    if (process->exited || current->process == process)
        return -EINVAL;
    /* Its threads go as at exit, but the process lives on: replacing_image keeps the last
     * thread's exit from ending it. */
    process->replacing_image = true;
    struct list_node *node = process->threads.next;
    while (node != &process->threads) {
        struct thread *thread = list_entry(node, struct thread, process_link);
        node = node->next;
        thread_kill(thread);
    }
    /* Still replacing while its handles close, and the count of its handles to itself starts
     * afresh: closing its old image's handles must not end it as "a process only its own
     * handles keep" (process_put); proc grants the new image's, which count again. */
    process->self_handles = 0;
    handle_table_close_uninherited(&process->handles, close_handle, NULL);
    process->self_handles = 0;
    process->replacing_image = false;
    /* The old space is not unloaded: if it is loaded, the caller (another process) shares it
     * and returns to user mode in it; the caller's own reference keeps it alive. */
    address_space_get(space);
    address_space_put(process->space);
    process->space = space;
    infopage_map(space);
    return 0;
}

void process_exit_current_thread(void)
{
    struct thread *current = sched_current();
    ipc_thread_exit(current);
    futex_robust_exit(current);
    process_thread_exited(current->process, current);
    sched_exit_current();
}

void process_exit_current(int code)
{
    process_terminate(sched_current()->process, code);
    process_exit_current_thread();
}

struct process *process_oom_victim(void)
{
    struct process *victim = NULL;
    struct list_node *node;
    list_for_each(node, &live_processes)
    {
        struct process *process = list_entry(node, struct process, live_link);
        if (process->quota && process->quota->used > 0 && !process->system &&
            (!victim || process->quota->used > victim->quota->used))
            victim = process;
    }
    return victim;
}

static void process_stats_fill(struct aramid_system_process_stats *record,
                               const struct process *process, unsigned long flags)
{
    struct paging_usage usage;
    paging_count_user(process->space->pml4, ARAMID_STATS_IMAGE_END, &usage);
    memset(record, 0, sizeof(*record));
    record->id = process->id;
    record->flags = flags | (process->system ? ARAMID_STATS_SYSTEM_PROCESS : 0);
    if (process->system)
        memcpy(record->name, process->name, sizeof(process->name));
    record->pages = usage.pages;
    record->private_pages = usage.private_pages;
    record->image_pages = usage.low_private_pages;
    record->page_tables = usage.tables;
    record->charged = process->space->charged;
    record->handles = handle_table_count(&process->handles);
    _Static_assert(HANDLE_TYPE_COUNT <= ARAMID_STATS_HANDLE_KINDS &&
                       HANDLE_TYPE_THREAD == ARAMID_HANDLE_KIND_THREAD &&
                       HANDLE_TYPE_ADDRESS_SPACE == ARAMID_HANDLE_KIND_SPACE &&
                       HANDLE_TYPE_ENDPOINT == ARAMID_HANDLE_KIND_ENDPOINT &&
                       HANDLE_TYPE_NOTIFICATION == ARAMID_HANDLE_KIND_NOTIFICATION &&
                       HANDLE_TYPE_MEMORY_OBJECT == ARAMID_HANDLE_KIND_MEMORY_OBJECT &&
                       HANDLE_TYPE_PROCESS == ARAMID_HANDLE_KIND_PROCESS &&
                       HANDLE_TYPE_CONSOLE == ARAMID_HANDLE_KIND_CONSOLE,
                   "the stats' handle kinds are the kernel's handle types");
    handle_table_count_types(&process->handles, (uint64_t *)record->handle_kinds,
                             ARAMID_STATS_HANDLE_KINDS);
    record->threads = process->live_threads;
}

unsigned process_system_stats(struct aramid_system_process_stats *out, unsigned max)
{
    _Static_assert(sizeof(out->name) == sizeof(((struct process *)0)->name),
                   "a record holds a system process's whole name");
    struct process *self = sched_current()->process;
    unsigned count = 0;
    if (max == 0)
        return 0;
    process_stats_fill(&out[count++], self, ARAMID_STATS_CALLER);
    struct list_node *node;
    list_for_each(node, &live_processes)
    {
        struct process *process = list_entry(node, struct process, live_link);
        if (process->system && process != self && count < max)
            process_stats_fill(&out[count++], process, 0);
    }
    return count;
}

bool process_current_may_use_reserve(void)
{
    struct thread *current = sched_current();
    return current == NULL || current->process == NULL || current->process->system;
}

void process_oom_kill(struct process *victim)
{
    struct address_space *space = victim->space;
    address_space_get(space);
    process_terminate(victim, PROCESS_EXIT_FAULT_BASE + 9);
    /* Its pages go now, even while handles to its space remain (proc holds one until it
     * reaps the process): unless another live process shares the space. */
    bool shared = false;
    struct list_node *node;
    list_for_each(node, &live_processes)
    {
        if (list_entry(node, struct process, live_link)->space == space)
            shared = true;
    }
    if (!shared)
        (void)vm_unmap(space, VM_USER_BASE, VM_USER_TOP - VM_USER_BASE);
    address_space_put(space);
}
