/* Scheduler: picks the best ready thread from this CPU's run queue, else the idle thread, and
 * switches to it by returning to user mode through its frame (threads are stackless when not
 * running, see thread.h). Time slices and sleep timeouts advance on the timer tick. */
#include <stdbool.h>
#include <stdint.h>

#include "console.h"
#include "cputime.h"
#include "entry.h"
#include "fpu.h"
#include "ipc.h"
#include "list.h"
#include "machine.h"
#include "percpu.h"
#include "process.h"
#include "runqueue.h"
#include "sched.h"
#include "sched_fast.h"
#include "thread.h"
#include "timer.h"
#include "timer_queue.h"
#include "upcall.h"
#include "vm.h"

#define IDLE_PRIORITY RUNQUEUE_PRIORITY_LOWEST

/* Threads with a deadline running (sleeps, and waits or calls with a deadline). */
static struct timer_queue timeouts;

static struct thread *thread_of_run_link(struct rq_entry *entry)
{
    return list_entry(entry, struct thread, run_link);
}

struct thread *sched_current(void)
{
    return this_cpu()->current;
}

static void idle_loop(void)
{
    for (;;) {
        struct percpu *cpu = this_cpu();
        if (!runqueue_is_empty(&cpu->runqueue))
            sched_yield_current();
        interrupts_enable_and_halt();
        interrupts_disable();
    }
}

void sched_init(void)
{
    struct percpu *cpu = this_cpu();
    timer_queue_init(&timeouts);
    runqueue_init(&cpu->runqueue);
    cpu->idle = thread_create_kernel(idle_loop, IDLE_PRIORITY);
    if (!cpu->idle)
        kernel_panic("sched: cannot create the idle thread");
}

static struct thread *pick_next(struct percpu *cpu)
{
    struct rq_entry *entry = runqueue_pick_next(&cpu->runqueue);
    return entry ? thread_of_run_link(entry) : cpu->idle;
}

/* Frees the thread that died at the previous switch: this code no longer runs on its stack. */
static void reap_dead(struct percpu *cpu, struct thread *running_on)
{
    struct thread *dead = cpu->dead;
    if (dead && dead != running_on) {
        cpu->dead = NULL;
        thread_release_resources(dead);
        thread_put(dead);
    }
}

/* The end of every switch to a user thread: its kernel stack for the next entry, its FPU state,
 * its address space, a pending upcall, then user mode through its frame. */
static inline __attribute__((always_inline, noreturn)) void
resume_user_thread(struct percpu *cpu, struct thread *next)
{
    sched_load_user_context(cpu, next);
    struct address_space *space = next->process->space;
    if (cpu->address_space != space)
        address_space_activate(space);
    upcall_deliver_if_pending(next);
    entry_return_to_user(thread_user_frame(next));
}

/* A thread of a stopped process is parked instead of run (process_stop wakes it): the next
 * thread that may run. */
static struct thread *park_stopped(struct percpu *cpu, struct thread *next)
{
    while (next->process != NULL && next->process->stopped) {
        next->state = THREAD_BLOCKED;
        next->wait = WAIT_STOPPED;
        next->wait_object = NULL;
        next = pick_next(cpu);
    }
    return next;
}

static __attribute__((noreturn)) void switch_to(struct thread *next)
{
    struct percpu *cpu = this_cpu();
    struct thread *prev = cpu->current;
    next = park_stopped(cpu, next);
    if (next != prev)
        cputime_charge(cpu, prev, true);
    reap_dead(cpu, prev);
    if (prev && prev->state == THREAD_DEAD)
        cpu->dead = prev;

    next->state = THREAD_RUNNING;
    next->wait = WAIT_NONE;
    cpu->current = next;
    cpu->need_resched = false;
    if (next != prev)
        cpu->slice_left = SCHED_TIME_SLICE_TICKS;
    if (!next->process)
        entry_start_kernel_thread(next->kernel_entry, thread_stack_top(next));
    resume_user_thread(cpu, next);
}

void sched_start(void)
{
    switch_to(pick_next(this_cpu()));
}

static void enqueue(struct percpu *cpu, struct thread *thread)
{
    thread->state = THREAD_READY;
    if (runqueue_enqueue(&cpu->runqueue, &thread->run_link, thread->priority) != 0)
        kernel_panic("sched: thread %u queued twice", thread->id);
}

void sched_wake(struct thread *thread)
{
    if (thread->state != THREAD_BLOCKED)
        return;
    struct percpu *cpu = this_cpu();
    timer_queue_remove(&timeouts, &thread->timeout);
    thread->wait = WAIT_NONE;
    thread->wait_object = NULL;
    enqueue(cpu, thread);
    struct thread *current = cpu->current;
    if (!current || current == cpu->idle || thread->priority < current->priority)
        cpu->need_resched = true;
}

void sched_remove(struct thread *thread)
{
    if (thread->state == THREAD_READY)
        runqueue_dequeue(&this_cpu()->runqueue, &thread->run_link);
    timer_queue_remove(&timeouts, &thread->timeout);
}

void sched_block_current(enum thread_wait wait, void *object)
{
    struct percpu *cpu = this_cpu();
    struct thread *current = cpu->current;
    current->state = THREAD_BLOCKED;
    current->wait = wait;
    current->wait_object = object;
    switch_to(pick_next(cpu));
}

void sched_yield_current(void)
{
    struct percpu *cpu = this_cpu();
    struct thread *current = cpu->current;
    if (current != cpu->idle)
        enqueue(cpu, current);
    switch_to(pick_next(cpu));
}

void sched_exit_current(void)
{
    struct percpu *cpu = this_cpu();
    cpu->current->state = THREAD_DEAD;
    switch_to(pick_next(cpu));
}

/* The IPC fastpath's switch: next inherits the rest of the time slice (as in a donation) and
 * the dead-thread reaping waits for the next ordinary switch, unless one is pending. */
void sched_switch_to(struct thread *next)
{
    struct percpu *cpu = this_cpu();
    if (__builtin_expect(next->process->stopped, 0))
        switch_to(next); /* parks it */
    if (__builtin_expect(cpu->dead != NULL, 0))
        reap_dead(cpu, cpu->current);
    cputime_charge(cpu, cpu->current, true);
    next->state = THREAD_RUNNING;
    next->wait = WAIT_NONE;
    cpu->current = next;
    resume_user_thread(cpu, next);
}

void sched_preempt_point(void)
{
    struct percpu *cpu = this_cpu();
    if (cpu->need_resched && cpu->current->process)
        sched_yield_current();
}

void sched_tick(uint64_t now)
{
    (void)now;
    struct percpu *cpu = this_cpu();
    uint64_t nanoseconds = timer_nanoseconds();
    struct timer_entry *entry;
    while ((entry = timer_queue_pop_expired(&timeouts, nanoseconds)) != NULL)
        ipc_timeout(list_entry(entry, struct thread, timeout));
    ipc_timers_expire(nanoseconds);
    struct thread *current = cpu->current;
    if (current == cpu->idle || !current)
        return;
    if (cpu->slice_left > 0)
        cpu->slice_left--;
    if (cpu->slice_left == 0) {
        int best = runqueue_top_priority(&cpu->runqueue);
        if (best >= 0 && best <= current->priority)
            cpu->need_resched = true;
        else
            cpu->slice_left = SCHED_TIME_SLICE_TICKS;
    }
}

void sched_set_timeout(struct thread *thread, uint64_t deadline)
{
    timer_queue_remove(&timeouts, &thread->timeout);
    timer_queue_insert(&timeouts, &thread->timeout, deadline);
}

bool sched_deadline_passed(uint64_t deadline)
{
    return deadline <= timer_nanoseconds();
}

void sched_sleep_until(uint64_t deadline)
{
    sched_set_timeout(sched_current(), deadline);
    sched_block_current(WAIT_SLEEP, NULL);
}
