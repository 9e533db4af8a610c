/* CPU time: what each thread and process has run in user and in system mode, and the CPU-time
 * timers (ITIMER_VIRTUAL, ITIMER_PROF) that fire when a process has run a given amount.
 *
 * How it is measured: each CPU keeps the monotonic time of its last measurement
 * (percpu.cputime_stamp). At every timer tick the time since then goes to the thread the tick
 * interrupted, as user time if the tick came from user mode, else as system time; at every
 * switch the scheduler makes (switch_to, sched_switch_to) it goes to the thread leaving, as user
 * time (it entered the kernel only to block or yield). The IPC fastpath's switches are not
 * measured (they must stay flat), so in a tight call/reply loop the time goes to whichever side
 * runs at the next tick or ordinary switch: a sample, as Linux's tick-based split is.
 * The idle thread is never charged. Owner: the CPU the thread runs on (one CPU today; with SMP a
 * process's sum needs an atomic add or per-CPU sums). */
#ifndef CPUTIME_H
#define CPUTIME_H

#include <stdbool.h>
#include <stdint.h>

struct notification;
struct percpu;
struct process;
struct thread;

struct cputime {
    uint64_t user_ns;
    uint64_t system_ns;
};

/* ITIMER_VIRTUAL counts user time only, ITIMER_PROF user plus system time. */
enum cputime_timer_kind { CPUTIME_TIMER_VIRTUAL, CPUTIME_TIMER_PROF, CPUTIME_TIMERS };

/* One-shot: when the process's time of its kind reaches threshold (nanoseconds of CPU time),
 * bits are signalled on notification and the timer disarms (posix-shim re-arms intervals).
 * notification NULL: disarmed. The timer holds a reference to the notification. */
struct cputime_timer {
    struct notification *notification;
    uint64_t threshold;
    uint64_t bits;
};

static inline void cputime_add(struct cputime *time, uint64_t nanoseconds, bool user)
{
    if (user)
        time->user_ns += nanoseconds;
    else
        time->system_ns += nanoseconds;
}

/* The time a timer of kind counts. */
static inline uint64_t cputime_of_kind(const struct cputime *time, enum cputime_timer_kind kind)
{
    return kind == CPUTIME_TIMER_VIRTUAL ? time->user_ns : time->user_ns + time->system_ns;
}

static inline bool cputime_timer_due(const struct cputime_timer *timer,
                                     enum cputime_timer_kind kind, const struct cputime *time)
{
    return timer->notification != 0 && cputime_of_kind(time, kind) >= timer->threshold;
}

#ifndef CPUTIME_HOST_ONLY
/* Charges the time since this CPU's last measurement to thread (if it is not the idle thread)
 * and its process, and fires the process's CPU-time timers that became due. */
void cputime_charge(struct percpu *cpu, struct thread *thread, bool user);
/* Disarms process's CPU-time timers (it exited or is being freed). */
void cputime_timers_release(struct process *process);

/* System calls (syscall.h): cpu_time(process or 0, buffer), cpu_timer_set(notification, kind,
 * threshold, bits). */
struct trap_frame;
long cputime_sys_read(struct trap_frame *frame);
long cputime_sys_timer_set(struct trap_frame *frame);
#endif

#endif
