/* fork: a copy-on-write clone of the caller's space, a new kernel process on it, a new pid. */
#include "proc.h"

/* Undoes a fork that failed half way: the child (if started at all) is killed, its handles and
 * entry go. */
static void proc_fork_undo(struct proc_entry *child)
{
    if (child->process > 0)
        (void)sys_process_kill(child->process);
    proc_process_release(child);
    proc_table_remove(&proc_table, child);
}

/* Fills child (an empty entry) with a running copy of parent. */
static long proc_fork_start(struct proc_entry *parent, struct proc_entry *child,
                            const struct aramid_proc_fork_request *request)
{
    struct aramid_proc_self self;
    long result = sys_space_clone(parent->space);
    if (result < 0)
        return result;
    child->space = result;
    result = sys_process_create(child->space, parent->process); /* its inheritable handles */
    if (result < 0)
        return result;
    child->process = result;
    result = proc_process_identify(child, child->process);
    if (result < 0)
        return result;
    result = sys_notification_create(0, 0);
    if (result < 0)
        return result;
    child->notification = result;
    result = proc_process_create_signals(child);
    if (result < 0)
        return result;
    /* The child runs the same image, which registers its upcall again on the way out of fork;
     * signals sent before that wait in the notification. */
    child->signals_registered = parent->signals_registered;
    child->nocldwait = parent->nocldwait;
    child->signal_view = parent->signal_view; /* the same addresses in the copy */
    child->signal_mask = parent->signal_mask;
    result = proc_process_grant_start(child->pid, child->process, child->space, child->notification,
                                      child->signals, &self);
    if (result < 0)
        return result;
    /* The child's copy of the caller's aramid_proc_self now describes the child. A bad address
     * fails here, before the child runs. */
    result = sys_vm_write(child->space, (unsigned long)request->self, &self, sizeof(self));
    if (result < 0)
        return result;
    result = proc_process_watch(child);
    if (result < 0)
        return result;
    result = sys_thread_create(child->process, (unsigned long)request->entry,
                               (unsigned long)request->frame, (unsigned long)request->frame);
    if (result < 0)
        return result;
    (void)sys_handle_close(result); /* the thread lives on without proc's handle */
    return 0;
}

enum proc_action proc_do_fork(struct proc_call *call,
                              const struct aramid_proc_fork_request *request,
                              struct aramid_proc_fork_reply *reply)
{
    struct proc_entry *parent = call->caller;
    struct proc_entry *child;
    if (parent->space <= 0) {
        reply->result = -ARAMID_ENOSYS; /* init was not made by proc: it spawns instead */
        return PROC_REPLY;
    }
    long result = proc_rlimits_allow_process(&parent->rlimits, proc_table.used)
                      ? proc_table_add(&proc_table, parent->pid, &child)
                      : -ARAMID_EAGAIN; /* RLIMIT_NPROC */
    if (result == 0) {
        proc_rlimits_inherit(&child->rlimits, &parent->rlimits);
        result = proc_fork_start(parent, child, request);
        if (result < 0) {
            proc_fork_undo(child);
        } else {
            proc_events_post(ARAMID_PROC_EVENT_FORK, child, parent);
            proc_listing_fork(parent, child);
            result = child->pid;
        }
    }
    reply->result = result;
    return PROC_REPLY;
}
