/* The process table: pids, the parent/child tree, zombies, wait matching. Pure logic, no IPC. */
#include "proc_table.h"

#include <aramid/errno.h>
#include <aramid/proto/proc.h>

#include "kstring.h"

void proc_table_init(struct proc_table *table)
{
    memset(table, 0, sizeof(*table));
    table->next_pid = PROC_INIT_PID;
}

static bool proc_table_pid_used(struct proc_table *table, long pid)
{
    return proc_table_find_pid(table, pid) != NULL;
}

long proc_table_add(struct proc_table *table, long parent, struct proc_entry **entry)
{
    if (table->used == PROC_TABLE_SIZE)
        return -ARAMID_EAGAIN;
    struct proc_entry *free = NULL;
    for (size_t i = 0; i < PROC_TABLE_SIZE && free == NULL; i++) {
        if (table->entries[i].state == PROC_FREE)
            free = &table->entries[i];
    }
    /* Fewer than PROC_TABLE_SIZE < PROC_PID_MAX pids are in use, so this ends. */
    long pid = table->next_pid;
    while (proc_table_pid_used(table, pid))
        pid = pid >= PROC_PID_MAX ? PROC_INIT_PID + 1 : pid + 1;
    table->next_pid = pid >= PROC_PID_MAX ? PROC_INIT_PID + 1 : pid + 1;
    const struct proc_entry *from = proc_table_find_pid(table, parent);
    memset(free, 0, sizeof(*free));
    free->state = PROC_ALIVE;
    free->pid = pid;
    free->parent = parent;
    proc_rlimits_default(&free->rlimits); /* fork and spawn then copy the parent's */
    free->pgid = from != NULL ? from->pgid : pid;
    free->sid = from != NULL ? from->sid : pid;
    table->used++;
    *entry = free;
    return 0;
}

void proc_table_remove(struct proc_table *table, struct proc_entry *entry)
{
    if (entry->state != PROC_FREE)
        table->used--;
    memset(entry, 0, sizeof(*entry));
}

struct proc_entry *proc_table_find_pid(struct proc_table *table, long pid)
{
    if (pid <= 0)
        return NULL;
    for (size_t i = 0; i < PROC_TABLE_SIZE; i++) {
        if (table->entries[i].state != PROC_FREE && table->entries[i].pid == pid)
            return &table->entries[i];
    }
    return NULL;
}

struct proc_entry *proc_table_find_badge(struct proc_table *table, unsigned long badge)
{
    if (badge == 0)
        return NULL;
    for (size_t i = 0; i < PROC_TABLE_SIZE; i++) {
        if (table->entries[i].state == PROC_ALIVE && table->entries[i].badge == badge)
            return &table->entries[i];
    }
    return NULL;
}

struct proc_entry *proc_table_find_wait_reply(struct proc_table *table, unsigned long reply)
{
    for (size_t i = 0; i < PROC_TABLE_SIZE; i++)
        if (table->entries[i].state == PROC_ALIVE && table->entries[i].waiting &&
            table->entries[i].wait_reply == reply)
            return &table->entries[i];
    return NULL;
}

size_t proc_table_slot(const struct proc_table *table, const struct proc_entry *entry)
{
    return (size_t)(entry - table->entries);
}

static void proc_wakeups_add(struct proc_wakeups *wakeups, struct proc_entry *entry)
{
    if (entry == NULL || !entry->waiting)
        return;
    entry->waiting = false;
    wakeups->entries[wakeups->count++] = entry;
}

void proc_table_exit(struct proc_table *table, struct proc_entry *entry, int wait_status,
                     struct proc_wakeups *wakeups)
{
    wakeups->count = 0;
    entry->state = PROC_ZOMBIE;
    entry->wait_status = wait_status;
    entry->waiting = false;
    entry->wait_reply = 0; /* its thread is gone: the kept call is inert */
    entry->badge = 0;
    bool orphan_zombies = false;
    for (size_t i = 0; i < PROC_TABLE_SIZE; i++) {
        struct proc_entry *child = &table->entries[i];
        if (child->state == PROC_FREE || child->parent != entry->pid)
            continue;
        child->parent = PROC_INIT_PID;
        orphan_zombies |= child->state == PROC_ZOMBIE;
    }
    proc_wakeups_add(wakeups, proc_table_find_pid(table, entry->parent));
    if (orphan_zombies)
        proc_wakeups_add(wakeups, proc_table_find_pid(table, PROC_INIT_PID));
}

size_t proc_table_count_children(const struct proc_table *table, long pid)
{
    size_t count = 0;
    for (size_t i = 0; i < PROC_TABLE_SIZE; i++)
        count += table->entries[i].state != PROC_FREE && table->entries[i].parent == pid;
    return count;
}

long proc_table_wait(struct proc_table *table, struct proc_entry *caller, long pid, long options,
                     int *status, bool *again)
{
    const long known = ARAMID_WNOHANG | ARAMID_WUNTRACED | ARAMID_WCONTINUED | ARAMID_WNOEXITED;
    *again = false;
    if (options & ~known)
        return -ARAMID_EINVAL;
    long pgid = pid == 0 ? caller->pgid : (pid < -1 ? -pid : 0); /* 0: not by group */
    bool any = false;
    for (size_t i = 0; i < PROC_TABLE_SIZE; i++) {
        struct proc_entry *child = &table->entries[i];
        if (child->state == PROC_FREE || child->parent != caller->pid ||
            (pid > 0 && child->pid != pid) || (pgid != 0 && child->pgid != pgid))
            continue;
        any = true;
        if (child->state == PROC_ZOMBIE && !(options & ARAMID_WNOEXITED)) {
            long reaped = child->pid;
            *status = child->wait_status;
            caller->reaped_user_ns = child->cpu_user_ns;
            caller->reaped_system_ns = child->cpu_system_ns;
            caller->children_user_ns += child->cpu_user_ns;
            caller->children_system_ns += child->cpu_system_ns;
            proc_table_remove(table, child);
            return reaped;
        }
        if (child->state != PROC_ALIVE)
            continue;
        caller->reaped_user_ns = caller->reaped_system_ns = 0; /* a report reaps nothing */
        if ((options & ARAMID_WUNTRACED) && child->report == PROC_REPORT_STOPPED) {
            child->report = PROC_REPORT_NONE;
            *status = (child->stop_signal & 0xff) << 8 | 0x7f;
            return child->pid;
        }
        if ((options & ARAMID_WCONTINUED) && child->report == PROC_REPORT_CONTINUED) {
            child->report = PROC_REPORT_NONE;
            *status = 0xffff;
            return child->pid;
        }
    }
    if (!any)
        return -ARAMID_ECHILD;
    if (!(options & ARAMID_WNOHANG)) {
        caller->waiting = true;
        *again = true;
    }
    return 0;
}

int proc_status_exited(int code)
{
    return (code & 0xff) << 8;
}

int proc_status_signaled(int signal)
{
    return signal & 0x7f;
}

int proc_status_from_kernel_code(long code)
{
    if (code > 128 && code <= 128 + ARAMID_SIGNAL_MAX)
        return proc_status_signaled((int)(code - 128));
    return proc_status_exited((int)code);
}

enum proc_signal_action proc_signal_default_action(long signal)
{
    if (signal < 0 || signal > ARAMID_SIGNAL_MAX)
        return PROC_SIGNAL_INVALID;
    switch (signal) {
    case 0:
        return PROC_SIGNAL_EXISTS;
    case ARAMID_SIGCHLD:
    case ARAMID_SIGCONT:
    case ARAMID_SIGURG:
    case ARAMID_SIGWINCH:
        return PROC_SIGNAL_IGNORE;
    case ARAMID_SIGSTOP:
    case ARAMID_SIGTSTP:
    case ARAMID_SIGTTIN:
    case ARAMID_SIGTTOU:
        return PROC_SIGNAL_STOP;
    default:
        return PROC_SIGNAL_TERMINATE;
    }
}
