/* Process groups and sessions: setpgid, setsid, getpgid, getsid and orphaned groups, with Linux's
 * rules and errors. Pure logic over the process table, no IPC. */
#include "proc_table.h"

#include <aramid/errno.h>

/* The target of a call naming pid (0: the caller), or NULL. */
static struct proc_entry *proc_group_target(struct proc_table *table, struct proc_entry *caller,
                                            long pid)
{
    return pid == 0 ? caller : proc_table_find_pid(table, pid);
}

bool proc_group_exists(const struct proc_table *table, long pgid, long sid)
{
    for (size_t i = 0; i < PROC_TABLE_SIZE; i++) {
        const struct proc_entry *entry = &table->entries[i];
        if (entry->state != PROC_FREE && entry->pgid == pgid && (sid <= 0 || entry->sid == sid))
            return true;
    }
    return false;
}

/* The checks in Linux's order (kernel/sys.c, setpgid). */
long proc_group_setpgid(struct proc_table *table, struct proc_entry *caller, long pid, long pgid)
{
    if (pid == 0)
        pid = caller->pid;
    if (pgid == 0)
        pgid = pid;
    if (pgid < 0)
        return -ARAMID_EINVAL; /* a negative pid is just not found */
    struct proc_entry *target = proc_table_find_pid(table, pid);
    if (target == NULL)
        return -ARAMID_ESRCH;
    if (target != caller) {
        if (target->parent != caller->pid)
            return -ARAMID_ESRCH;
        if (target->sid != caller->sid)
            return -ARAMID_EPERM;
        if (target->execed)
            return -ARAMID_EACCES;
    }
    if (target->sid == target->pid)
        return -ARAMID_EPERM; /* a session leader stays in its group */
    if (pgid != pid && !proc_group_exists(table, pgid, caller->sid))
        return -ARAMID_EPERM; /* no such group in the caller's session */
    target->pgid = pgid;
    return 0;
}

long proc_group_setsid(struct proc_table *table, struct proc_entry *caller)
{
    if (proc_group_exists(table, caller->pid, 0))
        return -ARAMID_EPERM; /* it leads a group (or its old group lives on under its pid) */
    caller->pgid = caller->pid;
    caller->sid = caller->pid;
    return caller->pid;
}

long proc_group_getpgid(struct proc_table *table, struct proc_entry *caller, long pid)
{
    if (pid < 0)
        return -ARAMID_ESRCH;
    struct proc_entry *target = proc_group_target(table, caller, pid);
    return target != NULL ? target->pgid : -ARAMID_ESRCH;
}

long proc_group_getsid(struct proc_table *table, struct proc_entry *caller, long pid)
{
    if (pid < 0)
        return -ARAMID_ESRCH;
    struct proc_entry *target = proc_group_target(table, caller, pid);
    return target != NULL ? target->sid : -ARAMID_ESRCH;
}

bool proc_group_orphaned(struct proc_table *table, long pgid, const struct proc_entry *leaving)
{
    for (size_t i = 0; i < PROC_TABLE_SIZE; i++) {
        const struct proc_entry *member = &table->entries[i];
        if (member->state != PROC_ALIVE || member->pgid != pgid || member == leaving)
            continue;
        const struct proc_entry *parent = proc_table_find_pid(table, member->parent);
        if (parent != NULL && parent != leaving && parent->state == PROC_ALIVE &&
            parent->pid != PROC_INIT_PID && parent->pgid != pgid && parent->sid == member->sid)
            return false;
    }
    return true;
}

bool proc_group_has_stopped(const struct proc_table *table, long pgid)
{
    for (size_t i = 0; i < PROC_TABLE_SIZE; i++) {
        const struct proc_entry *member = &table->entries[i];
        if (member->state == PROC_ALIVE && member->pgid == pgid && member->stopped)
            return true;
    }
    return false;
}
