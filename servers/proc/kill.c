/* kill, sigqueue and signal_register: a signal whose action is the default and that is not
 * blocked takes it in proc when sent (terminate, stop, continue, ignore), as Linux; any other
 * goes to the image (posix-shim), which runs its handler or keeps it pending. */
#include "proc.h"

/*
 * sigqueue's records, per table slot: a ring of the siginfo of each signal sent with a value,
 * oldest first, for the image to take (signal_take). Invariant: a ring holds records for the
 * process whose kernel id is badge; a slot that another process took over starts empty.
 */
struct proc_sigqueue_record {
    long signal, code, sender, value;
};
static struct proc_sigqueue {
    unsigned long badge;
    unsigned head, count;
    struct proc_sigqueue_record records[ARAMID_PROC_SIGQUEUE_MAX];
} proc_sigqueues[PROC_TABLE_SIZE];

static struct proc_sigqueue *proc_sigqueue_of(const struct proc_entry *entry)
{
    struct proc_sigqueue *queue = &proc_sigqueues[proc_table_slot(&proc_table, entry)];
    if (queue->badge != entry->badge)
        *queue = (struct proc_sigqueue){.badge = entry->badge};
    return queue;
}

/* Hands signal to target's image, with its record (NULL: a plain kill) queued first. */
static void proc_kill_deliver(struct proc_entry *target, long signal,
                              const struct proc_sigqueue_record *record)
{
    unsigned long bits = ARAMID_PROC_SIGNAL_BIT(signal);
    struct proc_sigqueue *queue = record != NULL ? proc_sigqueue_of(target) : NULL;
    if (queue != NULL && queue->count < ARAMID_PROC_SIGQUEUE_MAX) {
        queue->records[(queue->head + queue->count++) % ARAMID_PROC_SIGQUEUE_MAX] = *record;
        bits |= ARAMID_PROC_SIGNAL_QUEUED;
    }
    (void)sys_notify_signal(target->signals, bits); /* proc's handle */
}

/* What busybox's halt, poweroff and reboot send init: SIGUSR1, SIGUSR2, SIGTERM. */
static bool proc_is_shutdown_signal(long signal)
{
    return signal == ARAMID_SIGUSR1 || signal == ARAMID_SIGUSR2 || signal == ARAMID_SIGTERM;
}

/* Shuts the system down for a halt, poweroff or reboot sent to init: every process but init
 * ends, as if it had exited with status 0, so init's program ends and init powers the machine
 * off with code 0 (there is no reboot: reboot powers off too). */
static void proc_shutdown(void)
{
    for (size_t i = 0; i < PROC_TABLE_SIZE; i++) {
        struct proc_entry *target = &proc_table.entries[i];
        if (target->state == PROC_ALIVE && target->pid != PROC_INIT_PID)
            proc_process_terminate(target, proc_status_exited(0));
    }
}

/*
 * Sends signal to target. SIGKILL kills and SIGCONT continues whatever the image says; then a
 * signal the image handles, ignores or blocks (its view, read now) goes to it as bit N-1 on its
 * signal notification, and one at SIG_DFL and unblocked (or for a target without posix-shim)
 * takes its default action here, at once: a SIGTERM then SIGKILL is reported as SIGTERM.
 */
static long proc_kill_one(struct proc_entry *target, long signal, enum proc_signal_action action,
                          const struct proc_sigqueue_record *record)
{
    if (target->pid == PROC_INIT_PID && proc_is_shutdown_signal(signal)) {
        proc_shutdown();
        return 0;
    }
    if (target->pid == PROC_INIT_PID)
        return action == PROC_SIGNAL_EXISTS ? 0 : -ARAMID_EPERM; /* stops refused too */
    if (target->state != PROC_ALIVE || action == PROC_SIGNAL_EXISTS)
        return 0; /* a zombie accepts anything; signal 0 only checks */
    if (signal == ARAMID_SIGKILL) {
        proc_process_terminate(target, proc_status_signaled((int)signal));
        return 0;
    }
    if (signal == ARAMID_SIGCONT) {
        proc_process_continue(target);
        if (target->signals_registered) /* its handler, or it drops its pending stops */
            proc_kill_deliver(target, signal, record);
        return 0;
    }
    /* A stopped process takes no signal but SIGKILL and SIGCONT (Linux): the others wait, in
     * its notification or (a fatal one, without posix-shim) in its entry; more stops are lost. */
    if (target->stopped) {
        if (action == PROC_SIGNAL_STOP)
            return 0;
        if (target->signals_registered)
            proc_kill_deliver(target, signal, record);
        else if (action == PROC_SIGNAL_TERMINATE && target->stopped_fatal == 0)
            target->stopped_fatal = (int)signal;
        return 0;
    }
    if (target->signals_registered) {
        struct proc_signal_state state;
        unsigned long bit = ARAMID_PROC_SIGNAL_BIT(signal);
        bool known = proc_signal_view_read(target, &state);
        if (!known || !(state.defaults & bit) || (state.blocked & bit)) {
            proc_kill_deliver(target, signal, record);
            return 0;
        }
    }
    if (action == PROC_SIGNAL_STOP && !proc_stop_discarded(target, signal))
        proc_process_stop(target, signal);
    else if (action == PROC_SIGNAL_TERMINATE)
        proc_process_terminate(target, proc_status_signaled((int)signal));
    return 0;
}

/* Sends signal to every member of group pgid (zombies accept it and nothing happens; init is
 * skipped). 0 if any member took it, else the first error, -ESRCH for an empty group. */
static long proc_kill_group_action(long pgid, long signal, enum proc_signal_action action,
                                   const struct proc_sigqueue_record *record)
{
    long result = -ARAMID_ESRCH;
    bool delivered = false;
    for (size_t i = 0; i < PROC_TABLE_SIZE; i++) {
        struct proc_entry *target = &proc_table.entries[i];
        if (target->state == PROC_FREE || target->pgid != pgid || target->pid == PROC_INIT_PID)
            continue;
        long one = proc_kill_one(target, signal, action, record);
        delivered |= one == 0;
        if (one < 0 && result == -ARAMID_ESRCH)
            result = one;
    }
    return delivered ? 0 : result;
}

long proc_kill_group(long pgid, long signal)
{
    return proc_kill_group_action(pgid, signal, proc_signal_default_action(signal), NULL);
}

/* caller is NULL for a system server (ARAMID_PROC_BADGE_SERVER): it has no group of its own. */
enum proc_action proc_do_kill(struct proc_call *call,
                              const struct aramid_proc_kill_request *request,
                              struct aramid_proc_kill_reply *reply)
{
    struct proc_entry *caller = call->caller;
    enum proc_signal_action action = proc_signal_default_action(request->signal);
    if (action == PROC_SIGNAL_INVALID) {
        reply->result = -ARAMID_EINVAL;
        return PROC_REPLY;
    }
    /* A real-time signal: each instance is queued, with kill's siginfo. */
    struct proc_sigqueue_record instance = {
        .signal = request->signal, .code = ARAMID_PROC_SI_USER, .sender = caller ? caller->pid : 0};
    const struct proc_sigqueue_record *record =
        request->signal >= ARAMID_PROC_SIGRTMIN ? &instance : NULL;
    if (request->pid > 0) {
        struct proc_entry *target = proc_table_find_pid(&proc_table, request->pid);
        reply->result =
            target ? proc_kill_one(target, request->signal, action, record) : -ARAMID_ESRCH;
    } else if (request->pid == 0 || request->pid < -1) {
        long pgid = request->pid < -1 ? -request->pid : (caller != NULL ? caller->pgid : 0);
        reply->result =
            pgid > 0 ? proc_kill_group_action(pgid, request->signal, action, record)
                     : -ARAMID_ESRCH;
    } else {
        /* -1: every process but init and the caller. */
        reply->result = -ARAMID_ESRCH;
        for (size_t i = 0; i < PROC_TABLE_SIZE; i++) {
            struct proc_entry *target = &proc_table.entries[i];
            if (target->state != PROC_ALIVE || target == caller || target->pid == PROC_INIT_PID)
                continue;
            reply->result = proc_kill_one(target, request->signal, action, record);
        }
    }
    /* The caller itself may be gone: a kill of itself or its group, or a shutdown. */
    return caller != NULL && caller->state != PROC_ALIVE ? PROC_SUSPEND : PROC_REPLY;
}

enum proc_action proc_do_signal_register(struct proc_call *call,
                                         const struct aramid_proc_signal_register_request *request,
                                         struct aramid_proc_signal_register_reply *reply)
{
    (void)request;
    if (call->caller->signals <= 0) {
        reply->result =
            -ARAMID_ENOSYS; /* init was not made by proc: it has no signal notification */
        return PROC_REPLY;
    }
    call->caller->signals_registered = true;
    call->caller->nocldwait = request->nocldwait != 0;
    /* Both or neither: proc reads them with vm_read, where a bad address just fails. */
    bool view = request->view != 0 && request->mask != 0;
    call->caller->signal_view = view ? (unsigned long)request->view : 0;
    call->caller->signal_mask = view ? (unsigned long)request->mask : 0;
    reply->result = 0;
    return PROC_REPLY;
}

enum proc_action proc_do_sigqueue(struct proc_call *call,
                                  const struct aramid_proc_sigqueue_request *request,
                                  struct aramid_proc_sigqueue_reply *reply)
{
    struct proc_entry *caller = call->caller;
    enum proc_signal_action action = proc_signal_default_action(request->signal);
    struct proc_entry *target =
        request->pid > 0 ? proc_table_find_pid(&proc_table, request->pid) : NULL;
    if (action == PROC_SIGNAL_INVALID) {
        reply->result = -ARAMID_EINVAL;
    } else if (target == NULL) {
        reply->result = -ARAMID_ESRCH;
    } else if (request->signal != 0 && target->state == PROC_ALIVE &&
               proc_sigqueue_of(target)->count >= ARAMID_PROC_SIGQUEUE_MAX) {
        reply->result = -ARAMID_EAGAIN;
    } else {
        struct proc_sigqueue_record record = {
            .signal = request->signal,
            .code = ARAMID_PROC_SI_QUEUE,
            .sender = caller->pid | (long)((unsigned long)(unsigned)request->uid << 32),
            .value = request->value,
        };
        reply->result = proc_kill_one(target, request->signal, action, &record);
    }
    return caller->state != PROC_ALIVE ? PROC_SUSPEND : PROC_REPLY;
}

enum proc_action proc_do_signal_take(struct proc_call *call,
                                     const struct aramid_proc_signal_take_request *request,
                                     struct aramid_proc_signal_take_reply *reply)
{
    (void)request;
    struct proc_sigqueue *queue = proc_sigqueue_of(call->caller);
    if (queue->count == 0) {
        reply->result = 0;
        return PROC_REPLY;
    }
    const struct proc_sigqueue_record *record = &queue->records[queue->head];
    queue->head = (queue->head + 1) % ARAMID_PROC_SIGQUEUE_MAX;
    queue->count--;
    reply->result = 1;
    reply->signal = record->signal;
    reply->code = record->code;
    reply->sender = record->sender;
    reply->value = record->value;
    reply->remaining = (long)queue->count;
    return PROC_REPLY;
}
