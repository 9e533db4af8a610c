/* The scheduler: per-CPU run queues, the idle thread, timer preemption, sleeping, and switching.
 * The kernel runs with interrupts disabled; only the idle thread halts with them enabled. */
#ifndef ARAMID_SCHED_H
#define ARAMID_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "thread.h"

/* Timer ticks a thread runs before an equal-priority thread gets the CPU. */
#define SCHED_TIME_SLICE_TICKS 2

void sched_init(void);
/* Runs the first ready thread; never returns. */
__attribute__((noreturn)) void sched_start(void);

struct thread *sched_current(void);
/* Makes a blocked thread ready (no effect on a dead one). */
void sched_wake(struct thread *thread);
/* Removes a ready thread from its run queue (before it is killed). */
void sched_remove(struct thread *thread);

/* The current thread stops running and the CPU goes to the best ready thread; the current
 * thread must be resumable through its user frame (see thread.h). Never returns. */
__attribute__((noreturn)) void sched_block_current(enum thread_wait wait, void *object);
__attribute__((noreturn)) void sched_yield_current(void);
__attribute__((noreturn)) void sched_exit_current(void);
/* Switches straight to next, which must be blocked and resumable, leaving the current thread in
 * the state its caller set: the IPC fastpath. Never returns. */
__attribute__((noreturn)) void sched_switch_to(struct thread *next);

/* On return to user mode: switches away if the time slice is over or a better thread woke. */
void sched_preempt_point(void);
/* Timer interrupt: time slices and sleep timeouts. */
void sched_tick(uint64_t now);
/* Runs thread's deadline (nanoseconds, timer_nanoseconds' clock): at the first tick after it,
 * ipc_timeout ends its wait. sched_wake stops it. */
void sched_set_timeout(struct thread *thread, uint64_t deadline);
/* True when deadline (timer_nanoseconds' clock) has passed: a blocking call given it must not
 * block (-ETIMEDOUT). */
bool sched_deadline_passed(uint64_t deadline);
/* Puts the current thread to sleep until the first tick after deadline. Never returns. */
__attribute__((noreturn)) void sched_sleep_until(uint64_t deadline);

#endif
