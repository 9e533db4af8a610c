/* exit, wait4, getpid, getppid and hello: the calls about a process's own life and identity. */
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

/* True if handle (the caller's moved copy) names the same notification as entry's: a bit
 * signalled through entry's handle shows up through it. Pending bits of the notification are
 * put back; the test bit never stays behind. */
#define PROC_HELLO_BIT (1ul << 62) /* bit 63 would make notify_poll's result negative */
static bool proc_hello_matches(struct proc_entry *entry, aramid_handle_t handle,
                               unsigned long *caller_bits)
{
    if (sys_notify_signal(entry->notification, PROC_HELLO_BIT) < 0)
        return false;
    long seen = sys_notify_poll(handle);
    if (seen >= 0 && ((unsigned long)seen & PROC_HELLO_BIT)) {
        unsigned long pending = ((unsigned long)seen | *caller_bits) & ~PROC_HELLO_BIT;
        if (pending)
            (void)sys_notify_signal(entry->notification, pending);
        return true;
    }
    if (seen > 0)
        *caller_bits |= (unsigned long)seen;
    long left = sys_notify_poll(entry->notification);
    if (left > 0 && ((unsigned long)left & ~PROC_HELLO_BIT))
        (void)sys_notify_signal(entry->notification, (unsigned long)left & ~PROC_HELLO_BIT);
    return false;
}

enum proc_action proc_do_hello(struct proc_call *call,
                               const struct aramid_proc_hello_request *request,
                               struct aramid_proc_hello_reply *reply)
{
    (void)request;
    if (call->caller != NULL) {
        reply->result = 0; /* already known (another thread introduced the process) */
        return PROC_REPLY;
    }
    if (call->granted <= 0) {
        reply->result = -ARAMID_EINVAL;
        return PROC_REPLY;
    }
    /* Bits pending on the caller's notification, taken while testing, go back on a match. */
    long pending = sys_notify_poll(call->granted);
    if (pending < 0) {
        reply->result = -ARAMID_EINVAL; /* not a notification we can wait on */
        return PROC_REPLY;
    }
    unsigned long caller_bits = (unsigned long)pending;
    reply->result = -ARAMID_ESRCH;
    for (size_t i = 0; i < PROC_TABLE_SIZE; i++) {
        struct proc_entry *entry = &proc_table.entries[i];
        if (entry->state != PROC_ALIVE || entry->badge != 0 || entry->notification <= 0)
            continue;
        if (proc_hello_matches(entry, call->granted, &caller_bits)) {
            entry->badge = call->badge;
            reply->result = 0;
            break;
        }
    }
    return PROC_REPLY;
}
