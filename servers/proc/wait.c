/* exit, wait4, getpid and getppid: the calls about a process's own life and identity. */
#include "proc.h"

enum proc_action proc_do_exit(struct proc_call *call,
                              const struct aramid_proc_exit_request *request,
                              struct aramid_proc_exit_reply *reply)
{
    if (call->caller->process <= 0) {
        reply->result = -ARAMID_EPERM; /* init ends the machine instead */
        return PROC_REPLY;
    }
    bool signaled = request->signal >= 1 && request->signal <= ARAMID_SIGNAL_MAX;
    proc_process_terminate(call->caller, signaled ? proc_status_signaled((int)request->signal)
                                                  : proc_status_exited((int)request->status));
    return PROC_SUSPEND;
}

/*
 * Deferred reply: the kernel keeps one reply link per server thread, overwritten by the next
 * receive, so proc cannot hold a waiting caller's reply. Instead it answers at once with
 * again = 1 and remembers that the caller waits (entry->waiting); when one of its children
 * exits, proc signals ARAMID_PROC_WAKE_CHILD on the caller's notification and the caller
 * (libsys aramid_proc_wait4) asks again.
 */
enum proc_action proc_do_wait4(struct proc_call *call,
                               const struct aramid_proc_wait4_request *request,
                               struct aramid_proc_wait4_reply *reply)
{
    int status = 0;
    bool again = false;
    reply->result =
        proc_table_wait(&proc_table, call->caller, request->pid, request->options, &status, &again);
    reply->status = status;
    reply->again = again;
    return PROC_REPLY;
}

enum proc_action proc_do_getpid(struct proc_call *call,
                                const struct aramid_proc_getpid_request *request,
                                struct aramid_proc_getpid_reply *reply)
{
    (void)request;
    reply->result = call->caller->pid;
    return PROC_REPLY;
}

enum proc_action proc_do_getppid(struct proc_call *call,
                                 const struct aramid_proc_getppid_request *request,
                                 struct aramid_proc_getppid_reply *reply)
{
    (void)request;
    reply->result = call->caller->parent;
    return PROC_REPLY;
}
