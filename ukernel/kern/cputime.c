/* CPU-time accounting per thread and process, the CPU-time timers, and their system calls
 * (cputime.h says how time is measured). */
#include <stdint.h>

#include "cputime.h"
#include "kerrno.h"
#include "handle.h"
#include "ipc.h"
#include "percpu.h"
#include "process.h"
#include "sched.h"
#include "thread.h"
#include "timer.h"
#include "trap.h"
#include "uaccess.h"

#include <aramid/syscall.h>

void cputime_charge(struct percpu *cpu, struct thread *thread, bool user)
{
    uint64_t now = timer_nanoseconds();
    uint64_t elapsed = now - cpu->cputime_stamp;
    cpu->cputime_stamp = now;
    if (!thread || thread == cpu->idle || !thread->process)
        return;
    struct process *process = thread->process;
    cputime_add(&thread->cpu_time, elapsed, user);
    cputime_add(&process->cpu_time, elapsed, user);
    for (int kind = 0; kind < CPUTIME_TIMERS; kind++) {
        struct cputime_timer *timer = &process->cpu_timers[kind];
        if (__builtin_expect(cputime_timer_due(timer, kind, &process->cpu_time), 0)) {
            struct notification *notification = timer->notification;
            timer->notification = 0;
            ipc_notification_signal(notification, timer->bits);
            notification_put(notification);
        }
    }
}

void cputime_timers_release(struct process *process)
{
    for (int kind = 0; kind < CPUTIME_TIMERS; kind++) {
        struct cputime_timer *timer = &process->cpu_timers[kind];
        if (timer->notification) {
            notification_put(timer->notification);
            timer->notification = 0;
        }
    }
}

/* cpu_time(process, buffer): struct aramid_cpu_time for the calling thread and for process
 * (READ right; 0: the caller's own). The caller's own figures include the time since the last
 * measurement, so that two reads a moment apart differ. */
long cputime_sys_read(struct trap_frame *frame)
{
    struct percpu *cpu = this_cpu();
    struct thread *self = cpu->current;
    struct process *process = self->process;
    if (frame->rdi != 0) {
        int err = handle_lookup(&self->process->handles, (handle_t)frame->rdi,
                                HANDLE_TYPE_PROCESS, HANDLE_RIGHT_READ, (void **)&process);
        if (err)
            return err;
    }
    cputime_charge(cpu, self, true);
    struct aramid_cpu_time out = {
        .thread_user_ns = self->cpu_time.user_ns,
        .thread_system_ns = self->cpu_time.system_ns,
        .process_user_ns = process->cpu_time.user_ns,
        .process_system_ns = process->cpu_time.system_ns,
    };
    return copy_to_user(frame->rsi, &out, sizeof(out));
}

/* cpu_timer_set(notification, kind, threshold, bits): arms the caller's timer of kind
 * (ARAMID_CPU_TIMER_VIRTUAL or _PROF) to signal bits on notification (SIGNAL right) once its
 * process's time of that kind reaches threshold; threshold 0 disarms. A threshold already
 * reached fires at the next measurement. */
long cputime_sys_timer_set(struct trap_frame *frame)
{
    struct thread *self = sched_current();
    struct process *process = self->process;
    uint64_t kind = frame->rsi, threshold = frame->rdx, bits = frame->r10;
    if (kind >= CPUTIME_TIMERS)
        return -EINVAL;
    struct notification *notification = 0;
    if (threshold != 0) {
        if (bits == 0)
            return -EINVAL;
        int err = handle_lookup(&process->handles, (handle_t)frame->rdi,
                                HANDLE_TYPE_NOTIFICATION, HANDLE_RIGHT_SIGNAL,
                                (void **)&notification);
        if (err)
            return err;
        notification_get(notification);
    }
    struct cputime_timer *timer = &process->cpu_timers[kind];
    if (timer->notification)
        notification_put(timer->notification);
    timer->notification = notification;
    timer->threshold = threshold;
    timer->bits = bits;
    return 0;
}
