/* exit, wait4, getpid and getppid: the calls about a process's own life and identity. */
#include "proc.h"

#include "kstring.h"

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
 * Deferred reply: a wait4 that finds live children but no zombie (and no WNOHANG) is kept with
 * its reply token in the caller's entry, and answered when a child dies (proc_wait_retry) or
 * when a signal cancels it (proc_wait_cancel: -EINTR, which posix-shim restarts under
 * SA_RESTART). One kept wait4 per process: its programs are single-threaded.
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
    if (reply->result > 0) {
        reply->user_ns = (long)call->caller->reaped_user_ns;
        reply->system_ns = (long)call->caller->reaped_system_ns;
    }
    if (!again)
        return PROC_REPLY;
    call->caller->wait_reply = call->reply;
    call->caller->wait_pid = request->pid;
    call->caller->wait_options = request->options;
    return PROC_SUSPEND;
}

/* Answers entry's kept wait4. A caller that died meanwhile makes the answer fail harmlessly. */
static void proc_wait_answer(struct proc_entry *entry, long result, int status)
{
    struct aramid_proc_wait4_reply reply = {.result = result, .status = status};
    if (result > 0) {
        reply.user_ns = (long)entry->reaped_user_ns;
        reply.system_ns = (long)entry->reaped_system_ns;
    }
    struct aramid_message message = {.info = ARAMID_IPC_INFO(ARAMID_PROC_wait4, 0)};
    memcpy(message.words, &reply, sizeof(reply));
    (void)aramid_ipc_reply(entry->wait_reply, &message);
    entry->wait_reply = 0;
    entry->waiting = false;
}

void proc_wait_retry(struct proc_entry *entry)
{
    if (entry->wait_reply == 0)
        return;
    int status = 0;
    bool again = false;
    long result = proc_table_wait(&proc_table, entry, entry->wait_pid, entry->wait_options,
                                  &status, &again);
    if (!again)
        proc_wait_answer(entry, result, status);
}

void proc_wait_cancel(unsigned long reply)
{
    struct proc_entry *entry = proc_table_find_wait_reply(&proc_table, reply);
    if (entry != NULL)
        proc_wait_answer(entry, -ARAMID_EINTR, 0);
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
