/* The process server's kernel side: start handles, exit watching, termination, death events. */
#include "proc.h"

#define PROC_BITS 64

static unsigned long proc_exit_bit(const struct proc_entry *entry)
{
    return 1ul << (proc_table_slot(&proc_table, entry) % PROC_BITS);
}

long proc_process_identify(struct proc_entry *entry, aramid_handle_t process)
{
    long id = sys_process_id(process);
    if (id < 0)
        return id;
    entry->badge = (unsigned long)id;
    return 0;
}

long proc_process_grant_start(long pid, aramid_handle_t process, aramid_handle_t space,
                              aramid_handle_t notification, aramid_handle_t signals,
                              struct aramid_proc_self *self)
{
    long granted_space = sys_handle_grant(process, space, ARAMID_RIGHTS_ALL);
    long granted_process = sys_handle_grant(process, process, ARAMID_RIGHTS_ALL);
    long granted_endpoint = sys_handle_grant(process, proc.endpoint, ARAMID_RIGHT_SEND);
    long granted_notification = sys_handle_grant(process, notification, ARAMID_RIGHT_WAIT);
    /* Wait for the upcall; signal, so that posix-shim can put back pending signals at execve. */
    long granted_signals =
        sys_handle_grant(process, signals, ARAMID_RIGHT_WAIT | ARAMID_RIGHT_SIGNAL);
    /* Console input (read only), when init had one to give: posix-shim's stdin reads it. */
    long granted_console = proc.boot->console > 0
                               ? sys_handle_grant(process, proc.boot->console, ARAMID_RIGHT_READ)
                               : 0;
    long granted_vfs = proc.boot->vfs_endpoint > 0
                           ? sys_handle_grant(process, proc.boot->vfs_endpoint, ARAMID_RIGHT_SEND)
                           : 0;
    /* The event and sock servers' endpoints (send, grant: descriptors move through them). */
    long granted_event = proc.boot->event_endpoint > 0
                             ? sys_handle_grant(process, proc.boot->event_endpoint,
                                                ARAMID_RIGHT_SEND | ARAMID_RIGHT_GRANT)
                             : 0;
    long granted_sock = proc.boot->sock_endpoint > 0
                            ? sys_handle_grant(process, proc.boot->sock_endpoint,
                                               ARAMID_RIGHT_SEND | ARAMID_RIGHT_GRANT)
                            : 0;
    long granted_ipc = proc.boot->ipc_endpoint > 0
                           ? sys_handle_grant(process, proc.boot->ipc_endpoint,
                                              ARAMID_RIGHT_SEND | ARAMID_RIGHT_GRANT)
                           : 0;
    if (granted_space < 0 || granted_process < 0 || granted_endpoint < 0 ||
        granted_notification < 0 || granted_signals < 0 || granted_console < 0 ||
        granted_vfs < 0 || granted_event < 0 || granted_sock < 0 || granted_ipc < 0)
        return -ARAMID_ENOMEM; /* the handles die with the process the caller now kills */
    *self = (struct aramid_proc_self){
        .pid = pid,
        .space = granted_space,
        .process = granted_process,
        .endpoint = granted_endpoint,
        .notification = granted_notification,
        .signals = granted_signals,
        .event = granted_event,
        .sock = granted_sock,
        .console = granted_console,
        .vfs = granted_vfs,
        .ipc = granted_ipc,
    };
    return 0;
}

long proc_process_create_signals(struct proc_entry *entry)
{
    long result = sys_notification_create(0, 0);
    if (result < 0)
        return result;
    entry->signals = result;
    return 0;
}

void proc_process_signal(struct proc_entry *entry, long signal)
{
    (void)sys_notify_signal(entry->signals, ARAMID_PROC_SIGNAL_BIT(signal)); /* proc's handle */
}

long proc_process_watch(struct proc_entry *entry)
{
    return sys_process_notify_exit(entry->process, proc.exit_notification, proc_exit_bit(entry));
}

/* Closes a handle of proc's and clears it. */
static void proc_close(long *handle)
{
    if (*handle > 0)
        (void)sys_handle_close(*handle); /* proc's own valid handle: nothing to report */
    *handle = 0;
}

void proc_process_release(struct proc_entry *entry)
{
    proc_close(&entry->process);
    proc_close(&entry->space);
    proc_close(&entry->notification);
    proc_close(&entry->signals);
    entry->signals_registered = false;
    entry->nocldwait = false;
    entry->signal_view = entry->signal_mask = 0;
    entry->stopped = false;
    entry->stopped_fatal = 0;
    entry->report = PROC_REPORT_NONE;
}

/* entry's process is gone: release it, make it a zombie, wake whoever waits for it. */
static void proc_process_died(struct proc_entry *entry, int wait_status)
{
    struct proc_orphans orphans; /* small: this nests when the SIGHUP sent to orphans kills */
    struct proc_wakeups wakeups;
    proc_orphans_before_exit(entry, &orphans);
    struct proc_entry *parent = proc_table_find_pid(&proc_table, entry->parent);
    if (parent != NULL && parent->state == PROC_ALIVE && parent->signals_registered)
        proc_process_signal(parent, ARAMID_SIGCHLD);
    proc_events_post(ARAMID_PROC_EVENT_EXIT, entry, parent);
    proc_rusage_capture(entry);
    proc_process_release(entry);
    proc_table_exit(&proc_table, entry, wait_status, &wakeups);
    /* A parent that ignores SIGCHLD leaves no zombies: reaped now (its waits end in ECHILD
     * once no child is left: the retry below answers them). */
    if (parent != NULL && parent->state == PROC_ALIVE && parent->nocldwait &&
        entry->parent == parent->pid)
        proc_table_remove(&proc_table, entry);
    for (size_t i = 0; i < wakeups.count; i++)
        proc_wait_retry(wakeups.entries[i]);
    proc_orphans_after_exit(&orphans);
}

void proc_process_terminate(struct proc_entry *entry, int wait_status)
{
    /* proc reports this death itself: no exit event for it. The kernel ends the process
     * before process_kill returns (one CPU, kernel not preemptible). */
    (void)sys_process_notify_exit(entry->process, 0, 0);
    (void)sys_process_kill(entry->process);
    proc_process_died(entry, wait_status);
}

/* True if entry's process has exited. The kernel has no "has it exited" query that does not
 * block, so: point its exit notification at the probe notification, which the kernel signals
 * at once for a dead process, then point it back. */
static bool proc_process_has_exited(struct proc_entry *entry)
{
    if (sys_process_notify_exit(entry->process, proc.probe_notification, 1) < 0)
        return false;
    bool exited = (sys_notify_poll(proc.probe_notification) & 1) != 0;
    if (!exited)
        (void)proc_process_watch(entry);
    return exited;
}

void proc_process_reap_events(unsigned long bits)
{
    for (size_t i = 0; i < PROC_TABLE_SIZE; i++) {
        struct proc_entry *entry = &proc_table.entries[i];
        if (entry->state != PROC_ALIVE || entry->process <= 0 || !(bits & proc_exit_bit(entry)))
            continue;
        if (!proc_process_has_exited(entry))
            continue;
        long code = sys_process_wait(entry->process, 0); /* exited: returns at once */
        proc_process_died(entry, proc_status_from_kernel_code(code));
    }
}
