/* posix-shim queued signals: sigqueue, and the siginfo (code, value, sender) of each signal
 * sent with one (sigqueue, mq_notify, aio), one record per real-time signal instance. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <unistd.h>

#include <aramid/proto/proc.h>

#include "pthread_internal.h"
#include "shim.h"

/*
 * A signal sent with a siginfo leaves a record here; its delivery takes the oldest record of
 * its number (signal.c's signal_deliver_one) and, while more of a real-time signal's remain,
 * keeps it pending: each instance runs the handler once, in the order sent (Linux). A
 * standard signal keeps one record, the first (Linux drops a second while one is pending).
 * Records from other processes wait in proc (sigqueue there), which says so with
 * ARAMID_PROC_SIGNAL_QUEUED on the signal notification; the next delivery takes them all.
 *
 * Invariants: records[0, count) are oldest first; they change only under signal_queue_lock,
 * taken with this thread's handlers held off (signal_hold), so an upcall never finds its own
 * thread holding it.
 */
#define SIGNAL_QUEUE_MAX ARAMID_PROC_SIGQUEUE_MAX

struct signal_record {
    int signal, code;
    pid_t pid;
    uid_t uid;
    union sigval value;
};
static struct signal_record signal_records[SIGNAL_QUEUE_MAX];
static unsigned signal_record_count;
static volatile int signal_queue_lock_word;
static volatile int signal_queue_in_proc; /* proc said records wait there */

static unsigned long signal_queue_lock(void)
{
    unsigned long saved = signal_hold();
    while (__atomic_exchange_n(&signal_queue_lock_word, 1, __ATOMIC_ACQUIRE))
        (void)sys_yield();
    return saved;
}

static void signal_queue_unlock(unsigned long saved, bool release)
{
    __atomic_store_n(&signal_queue_lock_word, 0, __ATOMIC_RELEASE);
    if (release)
        signal_release(saved);
    else
        shim_thread_self()->signals_blocked = saved; /* signal.c delivers next */
}

/* Adds a record (the lock held): 0, or -EAGAIN when the queue is full. */
static long signal_queue_add_locked(const struct signal_record *record)
{
    if (record->signal < SIGRTMIN) {
        for (unsigned i = 0; i < signal_record_count; i++)
            if (signal_records[i].signal == record->signal)
                return 0; /* one pending instance of a standard signal: the first's */
    }
    if (signal_record_count == SIGNAL_QUEUE_MAX)
        return -EAGAIN;
    signal_records[signal_record_count++] = *record;
    return 0;
}

/* Moves proc's records here (the lock held); each one's signal is pending already. */
static void signal_queue_take_from_proc_locked(void)
{
    if (!__atomic_exchange_n(&signal_queue_in_proc, 0, __ATOMIC_ACQ_REL) || !shim_started_by_proc)
        return;
    for (;;) {
        struct aramid_proc_signal_take_request request;
        struct aramid_proc_signal_take_reply reply;
        if (aramid_proc_call_signal_take(&request, 0, &reply) != 1)
            return;
        struct signal_record record = {
            .signal = (int)reply.signal,
            .code = (int)reply.code,
            .pid = (pid_t)(reply.sender & 0xffffffff),
            .uid = (uid_t)((unsigned long)reply.sender >> 32),
            .value.sival_ptr = (void *)reply.value,
        };
        if (record.signal >= 1 && record.signal <= 64)
            (void)signal_queue_add_locked(&record);
        if (reply.remaining == 0)
            return;
    }
}

void signal_queue_note_proc(void)
{
    __atomic_store_n(&signal_queue_in_proc, 1, __ATOMIC_RELEASE);
}

bool signal_queue_fill(int n, siginfo_t *info)
{
    if (signal_record_count == 0 && !signal_queue_in_proc)
        return false; /* nothing was ever queued: one load */
    unsigned long saved = signal_queue_lock();
    signal_queue_take_from_proc_locked();
    bool more = false;
    for (unsigned i = 0; i < signal_record_count; i++) {
        if (signal_records[i].signal != n)
            continue;
        const struct signal_record *record = &signal_records[i];
        info->si_code = record->code;
        info->si_pid = record->pid;
        info->si_uid = record->uid;
        info->si_value = record->value;
        for (unsigned j = i + 1; j < signal_record_count; j++) {
            more |= signal_records[j].signal == n;
            signal_records[j - 1] = signal_records[j];
        }
        signal_record_count--;
        break;
    }
    signal_queue_unlock(saved, false);
    return more;
}

void signal_queue_fork_child(void)
{
    signal_record_count = 0; /* POSIX: nothing pending in a child */
    signal_queue_in_proc = 0;
    signal_queue_lock_word = 0;
}

long signal_queue_send_self(int n, int code, union sigval value, pid_t pid, uid_t uid)
{
    if (n < 0 || n > 64)
        return -EINVAL;
    if (n == 0)
        return 0;
    struct signal_record record = {
        .signal = n, .code = code, .pid = pid, .uid = uid, .value = value};
    unsigned long saved = signal_queue_lock();
    long result = n == SIGKILL ? 0 : signal_queue_add_locked(&record);
    signal_queue_unlock(saved, true);
    /* kill's instances past the queue are signals all the same (Linux lets them past). */
    return result < 0 && code != SI_USER ? result : signal_send_self(n);
}

int sigqueue(pid_t pid, int signal, const union sigval value)
{
    if (signal < 0 || signal > 64)
        return (int)shim_return(-EINVAL);
    if (pid == getpid() || !shim_started_by_proc) {
        if (pid != getpid())
            return (int)shim_return(-ESRCH);
        return (int)shim_return(signal_queue_send_self(signal, SI_QUEUE, value, getpid(),
                                                       getuid()));
    }
    struct aramid_proc_sigqueue_request request = {
        .pid = pid, .signal = signal, .value = (long)value.sival_ptr, .uid = getuid()};
    struct aramid_proc_sigqueue_reply reply;
    return (int)shim_return(shim_error_from_sys(aramid_proc_call_sigqueue(&request, 0, &reply)));
}
