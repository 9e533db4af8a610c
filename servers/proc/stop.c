/* Stop and continue: stop signals' default action (the kernel's process_stop), SIGCONT, the
 * parent's SIGCHLD and wait reports, and POSIX's orphaned process groups. */
#include "proc.h"

bool proc_signal_view_read(const struct proc_entry *entry, struct proc_signal_state *state)
{
    if (!entry->signals_registered || entry->signal_view == 0 || entry->space <= 0)
        return false;
    struct aramid_proc_signal_view view;
    unsigned long mask;
    if (sys_vm_read(entry->space, entry->signal_view, &view, sizeof(view)) < 0 ||
        sys_vm_read(entry->space, entry->signal_mask, &mask, sizeof(mask)) < 0)
        return false; /* the image broke its view: it decides alone */
    state->defaults = view.defaults;
    state->flags = view.flags;
    state->blocked = mask;
    return true;
}

/* The parent learns of a stop or continue of entry: SIGCHLD unless SA_NOCLDSTOP, and its kept
 * wait4 is retried (WUNTRACED, WCONTINUED). */
static void proc_stop_tell_parent(struct proc_entry *entry)
{
    struct proc_entry *parent = proc_table_find_pid(&proc_table, entry->parent);
    if (parent == NULL || parent->state != PROC_ALIVE)
        return;
    struct proc_signal_state state;
    bool nocldstop = proc_signal_view_read(parent, &state) &&
                     (state.flags & ARAMID_PROC_VIEW_NOCLDSTOP);
    if (parent->signals_registered && !nocldstop)
        proc_process_signal(parent, ARAMID_SIGCHLD);
    proc_wait_retry(parent);
}

void proc_process_stop(struct proc_entry *entry, long signal)
{
    if (entry->stopped || entry->state != PROC_ALIVE || entry->process <= 0)
        return;
    if (sys_process_stop(entry->process, 1) < 0)
        return; /* proc's own handle: only a process already gone fails */
    entry->stopped = true;
    entry->stop_signal = (int)signal;
    entry->report = PROC_REPORT_STOPPED;
    proc_stop_tell_parent(entry);
}

void proc_process_continue(struct proc_entry *entry)
{
    if (!entry->stopped || entry->state != PROC_ALIVE)
        return;
    (void)sys_process_stop(entry->process, 0);
    entry->stopped = false;
    entry->report = PROC_REPORT_CONTINUED;
    proc_stop_tell_parent(entry);
    if (entry->stopped_fatal != 0) {
        int signal = entry->stopped_fatal;
        entry->stopped_fatal = 0;
        proc_process_terminate(entry, proc_status_signaled(signal));
    }
}

bool proc_signal_is_stop(long signal)
{
    return proc_signal_default_action(signal) == PROC_SIGNAL_STOP;
}

bool proc_stop_discarded(const struct proc_entry *entry, long signal)
{
    return signal != ARAMID_SIGSTOP && proc_group_orphaned(&proc_table, entry->pgid, NULL);
}

enum proc_action proc_do_stop(struct proc_call *call, const struct aramid_proc_stop_request *request,
                              struct aramid_proc_stop_reply *reply)
{
    if (!proc_signal_is_stop(request->signal) || call->caller->process <= 0) {
        reply->result = -ARAMID_EINVAL; /* init is never stopped */
        return PROC_REPLY;
    }
    if (!proc_stop_discarded(call->caller, request->signal))
        proc_process_stop(call->caller, request->signal);
    reply->result = 0; /* reaches the caller once it is continued */
    return PROC_REPLY;
}

/* Group pgid was just orphaned by an exit: if a member is stopped, every member gets SIGHUP and
 * then SIGCONT (POSIX), so that nothing stays stopped with nobody left to continue it. */
static void proc_orphan_check(long pgid)
{
    if (!proc_group_orphaned(&proc_table, pgid, NULL) ||
        !proc_group_has_stopped(&proc_table, pgid))
        return;
    (void)proc_kill_group(pgid, ARAMID_SIGHUP);
    (void)proc_kill_group(pgid, ARAMID_SIGCONT);
}

void proc_orphans_before_exit(const struct proc_entry *entry, struct proc_orphans *orphans)
{
    orphans->count = 0;
    const struct proc_entry *parent = proc_table_find_pid(&proc_table, entry->parent);
    /* Its own group, if entry (with a parent outside it, in the session) was what linked it. */
    if (parent != NULL && parent->pgid != entry->pgid && parent->sid == entry->sid)
        orphans->groups[orphans->count++] = entry->pgid;
    /* Its children's groups that it linked. */
    for (size_t i = 0; i < PROC_TABLE_SIZE; i++) {
        const struct proc_entry *child = &proc_table.entries[i];
        if (child->state != PROC_ALIVE || child->parent != entry->pid ||
            child->pgid == entry->pgid || child->sid != entry->sid)
            continue;
        bool seen = false;
        for (size_t j = 0; j < orphans->count && !seen; j++)
            seen = orphans->groups[j] == child->pgid;
        if (!seen && orphans->count < PROC_ORPHAN_GROUPS)
            orphans->groups[orphans->count++] = child->pgid;
    }
}

void proc_orphans_after_exit(const struct proc_orphans *orphans)
{
    for (size_t i = 0; i < orphans->count; i++)
        proc_orphan_check(orphans->groups[i]);
}
