/* posix-shim signals: actions, mask and pending set over the kernel's upcalls (Linux semantics). */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <aramid/proto/proc.h>

#include "pthread_internal.h"
#include "shim.h"

/*
 * How a signal arrives: proc's kill signals bit N-1 on the process's signal notification; the
 * kernel then runs signal_upcall on the thread's stack (at its next return to user mode, or at
 * once for a fault, with fault_signal set). Signals sent to oneself (raise, kill of oneself) are
 * posted here directly. Either way the signal joins signal_pending and signal_deliver runs every
 * pending signal that is not blocked, lowest number first.
 *
 * Invariants: an upcall can interrupt any instruction outside the kernel, including a handler
 * or this file, so signal_pending changes only by atomic OR/AND; signal_blocked is written only
 * as a whole (one store) and every writer restores what it changed before returning; SIGKILL
 * and SIGSTOP are never blocked, caught or ignored.
 */
#define SIGNAL_MAX 64
#define SIGNAL_BIT(n) (1ul << ((n)-1))
#define SIGNAL_UNBLOCKABLE (SIGNAL_BIT(SIGKILL) | SIGNAL_BIT(SIGSTOP))
/* ~146 years: a wait only a signal ends, far from the clock's overflow. */
#define SIGNAL_SLEEP_FOREVER (1ul << 62)

/* Threads: the mask and the thread-directed pending set are the calling thread's (struct
 * shim_thread); signal_pending is the process's. The process's signal notification upcalls the
 * thread that registered first (the main thread, or a fork child's only thread); every other
 * thread has a notification of its own, which pthread_kill and the routing below signal. A
 * process signal that thread blocks goes to a thread that does not block it (signal_route). */
#define signal_blocked (shim_thread_self()->signals_blocked)
/* On the process notification: "look at your own". Signal 32, which posix-shim reserves as
 * glibc reserves 32 and 33 for NPTL (sigaction gives EINVAL), so a SIGRTMAX from outside is a
 * signal like any other. */
#define SIGNAL_KICK SHIM_SIGNAL_KICK
_Static_assert(SHIM_SIGNAL_KICK == SIGNAL_BIT(32), "the kick is signal 32's bit");
#define SIGNAL_RESERVED (SIGNAL_BIT(32) | SIGNAL_BIT(33))

static struct sigaction signal_actions[SIGNAL_MAX + 1];
/* What proc reads when it sends us a signal (signal_register): which actions are SIG_DFL (proc
 * then applies the default at once unless the mask below blocks it) and SA_NOCLDSTOP.
 * Invariant: follows signal_actions (signal_action_changed after every change). */
static struct aramid_proc_signal_view signal_view;
/* The mask word proc reads: that of the thread that takes process signals. */
static const volatile unsigned long *signal_view_mask;

static void signal_action_changed(int n)
{
    unsigned long bit = SIGNAL_BIT(n);
    if (signal_actions[n].sa_handler == SIG_DFL)
        signal_view.defaults |= bit;
    else
        signal_view.defaults &= ~bit;
    if (n == SIGCHLD)
        signal_view.flags = (signal_actions[n].sa_flags & SA_NOCLDSTOP) ? ARAMID_PROC_VIEW_NOCLDSTOP
                                                                         : 0;
}
static volatile unsigned long signal_pending;
/* Counters for interrupted calls: handlers run, and those without SA_RESTART. */
static volatile unsigned long signal_runs;
static volatile unsigned long signal_runs_interrupting;

static bool signal_valid(int n)
{
    return n >= 1 && n <= SIGNAL_MAX;
}

/* Default action "ignore" (SIGCONT's continuing is proc's, when it is sent). */
static bool signal_default_ignores(int n)
{
    return n == SIGCHLD || n == SIGCONT || n == SIGURG || n == SIGWINCH;
}

static bool signal_is_stop(int n)
{
    return n == SIGSTOP || n == SIGTSTP || n == SIGTTIN || n == SIGTTOU;
}
#define SIGNAL_STOPS (SIGNAL_BIT(SIGSTOP) | SIGNAL_BIT(SIGTSTP) | SIGNAL_BIT(SIGTTIN) | SIGNAL_BIT(SIGTTOU))

/* Runs the handler; returns the mask to restore (an SA_SIGINFO handler may change the
 * ucontext_t's, as on Linux). */
static unsigned long signal_run_handler(int n, const struct sigaction *action, siginfo_t *info,
                                        unsigned long saved)
{
    if (action->sa_flags & SA_SIGINFO)
        return signal_context_run(n, action, info, saved);
    action->sa_handler(n);
    return saved;
}

/* Delivers signal n (no longer pending): its action with the mask rules of sigaction. */
static void signal_deliver(void);

static void signal_deliver_one(int n, siginfo_t *info)
{
    siginfo_t sent = {.si_signo = n, .si_code = SI_USER};
    timer_fill_siginfo(n, &sent); /* a timer's signal: SI_TIMER and its value */
    if (signal_queue_fill(n, &sent)) /* sigqueue's and the like: each instance once */
        __atomic_fetch_or(&signal_pending, SIGNAL_BIT(n), __ATOMIC_SEQ_CST);
    struct sigaction action = signal_actions[n];
    /* A SIGCHLD handler that wants its siginfo: proc kept the child's (a call only then). */
    struct aramid_proc_child_info_reply child;
    if (n == SIGCHLD && info == NULL && (action.sa_flags & SA_SIGINFO) &&
        action.sa_handler != SIG_DFL && action.sa_handler != SIG_IGN && shim_started_by_proc &&
        aramid_proc_child_info(&child) == 1) {
        sent.si_code = (int)child.code;
        sent.si_pid = (pid_t)child.pid;
        sent.si_status = (int)child.status;
    }
    if (action.sa_handler == SIG_IGN)
        return;
    if (action.sa_handler == SIG_DFL) {
        /* A stop that was blocked, or sent to ourselves (proc stops the others when it sends
         * them): proc stops the whole process; the call returns once it is continued. */
        if (signal_is_stop(n)) {
            if (shim_started_by_proc)
                (void)aramid_proc_stop(n);
        } else if (!signal_default_ignores(n)) {
            shim_exit_signal(n);
        }
        return;
    }
    if (action.sa_flags & SA_RESETHAND) {
        signal_actions[n].sa_handler = SIG_DFL;
        signal_actions[n].sa_flags &= ~SA_SIGINFO;
        signal_action_changed(n);
    }
    unsigned long saved = signal_blocked;
    unsigned long during = saved | action.sa_mask;
    if (!(action.sa_flags & SA_NODEFER))
        during |= SIGNAL_BIT(n);
    signal_blocked = during & ~SIGNAL_UNBLOCKABLE;
    signal_runs++;
    if (!(action.sa_flags & SA_RESTART))
        signal_runs_interrupting++;
    /* Linux sets up a frame for every deliverable signal before returning to user mode, each
     * on top of the previous one with its mask added: the last one set up runs first. Same
     * order here: the others still deliverable under this handler's mask go first. */
    signal_deliver();
    signal_blocked = signal_run_handler(n, &action, info != NULL ? info : &sent, saved) &
                     ~SIGNAL_UNBLOCKABLE;
}

/* Delivers every pending, unblocked signal (the thread's own first, then the process's),
 * lowest number first (so its handler runs last). */
static void signal_deliver(void)
{
    struct shim_thread *self = shim_thread_self();
    for (;;) {
        unsigned long ready = (self->signals_pending | signal_pending) & ~self->signals_blocked;
        if (ready == 0)
            return;
        int n = __builtin_ctzl(ready) + 1;
        unsigned long bit = SIGNAL_BIT(n);
        if ((__atomic_fetch_and(&self->signals_pending, ~bit, __ATOMIC_SEQ_CST) & bit) ||
            (__atomic_fetch_and(&signal_pending, ~bit, __ATOMIC_SEQ_CST) & bit))
            signal_deliver_one(n, NULL);
    }
}

/* Makes thread run its pending signals: its notification's upcall (or the kick bit on the
 * process notification for the thread that has that one). */
static void signal_kick(struct shim_thread *thread, unsigned long bit)
{
    if (thread->signals_notification > 0)
        (void)sys_notify_signal(thread->signals_notification, bit);
    else if (shim_started_by_proc)
        (void)sys_notify_signal(aramid_proc_self.signals, SIGNAL_KICK);
}

/* Process signals the calling thread blocks go to a thread that does not (POSIX: any one). */
static void signal_route(void)
{
    struct shim_thread *self = shim_thread_self();
    unsigned long waiting = signal_pending & self->signals_blocked;
    while (waiting) {
        unsigned long bit = waiting & -waiting;
        waiting &= ~bit;
        struct shim_thread *target = pthread_find_unblocked(bit);
        if (target == NULL || target == self)
            continue; /* every thread blocks it: it stays pending for the process */
        if (__atomic_fetch_and(&signal_pending, ~bit, __ATOMIC_SEQ_CST) & bit) {
            __atomic_fetch_or(&target->signals_pending, bit, __ATOMIC_SEQ_CST);
            signal_kick(target, bit);
        }
    }
}

/* Whether a signal deliverable now has an SA_SIGINFO handler (which gets a ucontext_t). */
static bool signal_ready_wants_context(const struct shim_thread *self)
{
    unsigned long ready = (self->signals_pending | signal_pending) & ~self->signals_blocked;
    while (ready) {
        int n = __builtin_ctzl(ready) + 1;
        ready &= ready - 1;
        if (signal_actions[n].sa_flags & SA_SIGINFO)
            return true;
    }
    return false;
}

/* A signal the thread sent itself: delivered here, or through an upcall (at the kick's
 * return, as Linux delivers at the kill's) when that matters: an alternate stack (the upcall
 * picks the stack) or an SA_SIGINFO handler (its ucontext_t has the real registers). */
static void signal_deliver_now(void)
{
    struct shim_thread *self = shim_thread_self();
    if (shim_started_by_proc && (self->altstack_size != 0 || signal_ready_wants_context(self)))
        signal_kick(self, SIGNAL_KICK);
    else
        signal_deliver();
}

void signal_kick_thread(struct shim_thread *thread)
{
    signal_kick(thread, SIGNAL_KICK);
}

long signal_send_thread(struct shim_thread *thread, int n)
{
    if (n < 0 || n > SIGNAL_MAX)
        return -EINVAL;
    if (n == 0)
        return 0;
    if (n == SIGKILL)
        shim_exit_signal(n); /* SIGKILL and SIGSTOP act on the process */
    __atomic_fetch_or(&thread->signals_pending, SIGNAL_BIT(n), __ATOMIC_SEQ_CST);
    if (thread == shim_thread_self())
        signal_deliver_now();
    else
        signal_kick(thread, SIGNAL_BIT(n));
    return 0;
}

/* A fault the kernel could not resolve: run the handler, or die of the signal if there is
 * none, or it is ignored or blocked (as Linux forces). Returning re-executes the instruction. */
static void signal_fault(const struct aramid_upcall_frame *frame)
{
    int n = (int)frame->fault_signal;
    if (!signal_valid(n))
        n = SIGSEGV;
    _sig_func_ptr handler = signal_actions[n].sa_handler;
    if (handler == SIG_DFL || handler == SIG_IGN || (signal_blocked & SIGNAL_BIT(n)))
        shim_exit_signal(n);
    siginfo_t info = {.si_signo = n, .si_code = SI_KERNEL};
    if (n == SIGSEGV)
        info.si_code = (frame->fault_code & 1) ? SEGV_ACCERR : SEGV_MAPERR;
    info.si_addr = (void *)frame->fault_address;
    signal_deliver_one(n, &info);
}

/*
 * A cancel that came while the thread ran (its kick's upcall is this one) may have come after
 * a cancellation point's check and before its wait: until the thread acts on it, its own
 * notification's timer kicks it every millisecond, so a wait entered meanwhile ends (a held
 * call by a cancel notice) and the cancellation point sees it. Not while cancellation is
 * disabled or deferred (then the next point's own check sees it), nor for the thread on the
 * process notification, whose timer is timer.c's.
 */
#define SIGNAL_CANCEL_REKICK_NS 1000000ul
static void signal_cancel_rekick(struct shim_thread *self)
{
    bool wanted = self->cancel_pending && !self->cancel_disabled &&
                  (self->cancel_deferred == 0 || self->cancel_async) &&
                  self->signals_notification > 0;
    if (wanted == self->cancel_rekick)
        return;
    unsigned long first = wanted ? aramid_clock_monotonic_ns() + SIGNAL_CANCEL_REKICK_NS : 0;
    if (sys_timer_set(self->signals_notification, first, SIGNAL_CANCEL_REKICK_NS,
                      SIGNAL_KICK) == 0)
        self->cancel_rekick = wanted;
}

static void signal_upcall(struct aramid_upcall_frame *frame, unsigned long bits)
{
    struct shim_thread *self = shim_thread_self();
    /* Handlers run from here get frame as their ucontext_t (nested upcalls stack up). */
    struct aramid_upcall_frame *outer = self->upcall_frame;
    self->upcall_frame = frame;
    timer_expire(); /* the timers' kernel timers only kick (timer.c) */
    if (bits & ARAMID_PROC_SIGNAL_QUEUED) { /* not a signal: records wait in proc */
        signal_queue_note_proc();
        bits &= ~ARAMID_PROC_SIGNAL_QUEUED;
    }
    /* Bits on a thread's own notification only say "look": its pending set holds them. As on
     * Linux, a SIGCONT discards pending stop signals and a stop signal a pending SIGCONT. */
    if (self->signals_notification <= 0 && (bits & ~SIGNAL_KICK) != 0) {
        if (bits & SIGNAL_BIT(SIGCONT))
            __atomic_fetch_and(&signal_pending, ~SIGNAL_STOPS, __ATOMIC_SEQ_CST);
        if (bits & SIGNAL_STOPS)
            __atomic_fetch_and(&signal_pending, ~SIGNAL_BIT(SIGCONT), __ATOMIC_SEQ_CST);
        __atomic_fetch_or(&signal_pending, bits & ~SIGNAL_KICK, __ATOMIC_SEQ_CST);
    }
    /* A fault in posix-shim's copy of a caller's memory: the copy answers -EFAULT. */
    if ((frame->fault_signal == SIGSEGV || frame->fault_signal == SIGBUS) &&
        (frame->rip == (unsigned long)shim_user_move_words ||
         frame->rip == (unsigned long)shim_user_move_bytes))
        frame->rip = (unsigned long)shim_user_move_fault;
    else if (frame->fault_signal != 0)
        signal_fault(frame);
    signal_route();
    signal_deliver();
    if (self->cancel_async && pthread_cancel_async_due(self)) {
        if (self->cancel_rekick)
            (void)sys_timer_set(self->signals_notification, 0, 0, SIGNAL_KICK);
        self->cancel_rekick = false;
        pthread_exit(PTHREAD_CANCELED); /* leaves the upcall for good (the kernel allows it) */
    }
    signal_cancel_rekick(self);
    self->upcall_frame = outer;
}

bool pthread_cancel_async_due(const struct shim_thread *self)
{
    /* signal_hold's mask: posix-shim is inside a section that must finish (a lock held). */
    return self->cancel_pending && !self->cancel_disabled && self->cancel_deferred == 0 &&
           self->signals_blocked != (~0ul & ~SIGNAL_UNBLOCKABLE);
}

int signal_thread_start(struct shim_thread *self)
{
    if (!shim_started_by_proc)
        return 0; /* the root task has no signals to route */
    long notification = sys_notification_create(0, 0);
    if (notification < 0)
        return (int)notification;
    self->signals_notification = notification;
    long result = aramid_upcall_register(notification, signal_upcall);
    if (result < 0)
        return (int)result;
    if ((self->signals_pending | signal_pending) & ~self->signals_blocked)
        signal_deliver();
    return 0;
}

void signal_thread_exit(struct shim_thread *self)
{
    self->signals_blocked = ~0ul & ~SIGNAL_UNBLOCKABLE; /* nothing more goes to it */
    /* What was sent to it alone is lost with it, as on Linux; process signals it took over
     * go back to the process. */
    if (self->signals_notification > 0) {
        (void)sys_upcall_set(0, 0);
        (void)sys_handle_close(self->signals_notification);
        self->signals_notification = 0;
    }
    signal_route();
}

/* Registers the upcall of this thread on the process's signal notification. */
static void signal_register_upcall(void)
{
    if (aramid_upcall_register(aramid_proc_self.signals, signal_upcall) < 0)
        shim_fail("cannot register the signal upcall");
    shim_fault_recovery = true; /* faults in the user copies now come back to us */
}

/* What proc must know: that we handle signals, and whether children are reaped at once
 * (SIGCHLD ignored or SA_NOCLDWAIT, as on Linux). */
static bool signal_told_nocldwait;
static long signal_tell_proc(void)
{
    const struct sigaction *chld = &signal_actions[SIGCHLD];
    bool nocldwait = chld->sa_handler == SIG_IGN || (chld->sa_flags & SA_NOCLDWAIT);
    long result = aramid_proc_signal_register(nocldwait, &signal_view, signal_view_mask);
    if (result == 0)
        signal_told_nocldwait = nocldwait;
    return result;
}

void signal_init(unsigned long blocked, unsigned long ignored)
{
    signal_blocked = blocked & ~SIGNAL_UNBLOCKABLE;
    for (int n = 1; n <= SIGNAL_MAX; n++) {
        if ((ignored & SIGNAL_BIT(n)) && !(SIGNAL_UNBLOCKABLE & SIGNAL_BIT(n)))
            signal_actions[n].sa_handler = SIG_IGN;
        signal_action_changed(n);
    }
    if (!shim_started_by_proc)
        return;
    signal_register_upcall();
    signal_view_mask = &shim_thread_self()->signals_blocked;
    if (signal_tell_proc() < 0)
        shim_fail("cannot register for signals with proc");
}

void signal_fork_child(void)
{
    signal_pending = 0; /* POSIX: the child starts with no pending signals */
    signal_queue_fork_child();
    shim_thread_self()->signals_pending = 0;
    shim_thread_self()->signals_notification = 0; /* its only thread takes the process's */
    shim_thread_self()->cancel_rekick = false; /* the timer was the parent thread's */
    signal_register_upcall();
    sigaltstack_fork_child();
    /* proc gave the child the parent's view and mask addresses: right unless the fork came
     * from a thread other than the one that took process signals. */
    if (signal_view_mask != &shim_thread_self()->signals_blocked) {
        signal_view_mask = &shim_thread_self()->signals_blocked;
        if (signal_tell_proc() < 0)
            shim_fail("cannot register for signals with proc");
    }
}

void signal_exec_state(unsigned long *blocked, unsigned long *ignored)
{
    *blocked = signal_blocked;
    *ignored = 0;
    for (int n = 1; n <= SIGNAL_MAX; n++) {
        if (signal_actions[n].sa_handler == SIG_IGN)
            *ignored |= SIGNAL_BIT(n);
    }
    /* Pending signals stay pending in the new image: back onto the notification. A failed
     * execve gets them again through the upcall. */
    unsigned long pending = __atomic_exchange_n(&signal_pending, 0, __ATOMIC_SEQ_CST) |
                            __atomic_exchange_n(&shim_thread_self()->signals_pending, 0,
                                                __ATOMIC_SEQ_CST);
    if (pending != 0)
        (void)sys_notify_signal(aramid_proc_self.signals, pending);
}

void signal_watch_start(struct signal_watch *watch)
{
    shim_cancel_point(); /* every call that blocks is a cancellation point */
    watch->runs = signal_runs;
    watch->runs_interrupting = signal_runs_interrupting;
}

bool signal_watch_interrupts(const struct signal_watch *watch, bool restartable)
{
    shim_cancel_point(); /* pthread_cancel's kick ended the wait (a cancel notice if held) */
    return restartable ? signal_runs_interrupting != watch->runs_interrupting
                       : signal_runs != watch->runs;
}

/* kill() of the own pid: a process signal, taken by this thread unless it blocks it. */
long signal_send_self(int n)
{
    if (n < 0 || n > SIGNAL_MAX)
        return -EINVAL;
    if (n == 0)
        return 0;
    if (n == SIGKILL)
        shim_exit_signal(n);
    __atomic_fetch_or(&signal_pending, SIGNAL_BIT(n), __ATOMIC_SEQ_CST);
    signal_route();
    signal_deliver_now();
    return 0;
}

int sigaction(int n, const struct sigaction *action, struct sigaction *old)
{
    if (!signal_valid(n) || (SIGNAL_BIT(n) & SIGNAL_RESERVED) ||
        (action != NULL && (SIGNAL_BIT(n) & SIGNAL_UNBLOCKABLE)))
        return (int)shim_return(-EINVAL);
    if (old != NULL)
        *old = signal_actions[n];
    if (action == NULL)
        return 0;
    struct sigaction copy = *action;
    copy.sa_mask &= ~SIGNAL_UNBLOCKABLE;
    signal_actions[n] = copy;
    signal_action_changed(n);
    if (n == SIGCHLD && shim_started_by_proc) {
        bool nocldwait = copy.sa_handler == SIG_IGN || (copy.sa_flags & SA_NOCLDWAIT);
        if (nocldwait != signal_told_nocldwait) {
            long told = shim_error_from_sys(signal_tell_proc());
            if (told < 0)
                return (int)shim_return(told);
        }
    }
    /* POSIX: ignoring a pending signal discards it (also a default that ignores). */
    if (copy.sa_handler == SIG_IGN || (copy.sa_handler == SIG_DFL && signal_default_ignores(n)))
        __atomic_fetch_and(&signal_pending, ~SIGNAL_BIT(n), __ATOMIC_SEQ_CST);
    return 0;
}

_sig_func_ptr signal(int n, _sig_func_ptr handler)
{
    struct sigaction action = {.sa_flags = SA_RESTART}, old;
    action.sa_handler = handler;
    if (sigaction(n, &action, &old) < 0)
        return SIG_ERR;
    return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
    unsigned long blocked = signal_blocked;
    if (set != NULL) {
        switch (how) {
        case SIG_BLOCK:
            blocked |= *set;
            break;
        case SIG_UNBLOCK:
            blocked &= ~*set;
            break;
        case SIG_SETMASK:
            blocked = *set;
            break;
        default:
            return (int)shim_return(-EINVAL);
        }
    }
    if (old != NULL)
        *old = signal_blocked;
    if (set == NULL)
        return 0;
    signal_blocked = blocked & ~SIGNAL_UNBLOCKABLE;
    if ((signal_pending | shim_thread_self()->signals_pending) & ~signal_blocked)
        signal_deliver();
    signal_route(); /* what it blocks now may go to another thread */
    return 0;
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
    return sigprocmask(how, set, old) < 0 ? errno : 0;
}

int sigpending(sigset_t *set)
{
    sigset_t pending = (signal_pending | shim_thread_self()->signals_pending) & signal_blocked;
    return (int)shim_return(shim_copy_out(set, &pending, sizeof(pending)));
}

/*
 * Waits with mask as the signal mask until a handler has run (then -1/EINTR, like Linux) or a
 * signal ends the process. The wait is a sleep the upcall interrupts; signals that are ignored
 * or stay blocked wake it up only to sleep again.
 */
int sigsuspend(const sigset_t *mask)
{
    struct signal_watch watch;
    unsigned long saved = signal_blocked;
    signal_watch_start(&watch);
    signal_blocked = *mask & ~SIGNAL_UNBLOCKABLE;
    signal_deliver();
    while (!signal_watch_interrupts(&watch, false)) {
        pthread_testcancel(); /* sigsuspend and pause are cancellation points */
        (void)sys_sleep(SIGNAL_SLEEP_FOREVER); /* ends with -EINTR when a signal comes */
    }
    signal_blocked = saved;
    signal_deliver();
    return (int)shim_return(-EINTR);
}

int pause(void)
{
    sigset_t mask = signal_blocked;
    return sigsuspend(&mask);
}

/* raise: to the calling thread (POSIX for a threaded process: pthread_kill(pthread_self())). */
int raise(int n)
{
    return (int)shim_return(signal_send_thread(shim_thread_self(), n));
}

/* abort as Linux's: unblock SIGABRT and raise it; if a handler returns, die of it anyway. */
void abort(void)
{
    sigset_t set = SIGNAL_BIT(SIGABRT);
    (void)sigprocmask(SIG_UNBLOCK, &set, NULL);
    (void)raise(SIGABRT);
    signal_actions[SIGABRT].sa_handler = SIG_DFL;
    signal_actions[SIGABRT].sa_flags = 0;
    signal_action_changed(SIGABRT);
    shim_exit_signal(SIGABRT);
}

int sigemptyset(sigset_t *set)
{
    *set = 0;
    return 0;
}

int sigfillset(sigset_t *set)
{
    *set = ~0ul;
    return 0;
}

int sigaddset(sigset_t *set, int n)
{
    if (!signal_valid(n))
        return (int)shim_return(-EINVAL);
    *set |= SIGNAL_BIT(n);
    return 0;
}

int sigdelset(sigset_t *set, int n)
{
    if (!signal_valid(n))
        return (int)shim_return(-EINVAL);
    *set &= ~SIGNAL_BIT(n);
    return 0;
}

int sigismember(const sigset_t *set, int n)
{
    if (!signal_valid(n))
        return (int)shim_return(-EINVAL);
    return (*set & SIGNAL_BIT(n)) != 0;
}

/* Linux's descriptions (glibc's strsignal), by Linux's numbers. */
static const char *const signal_descriptions[32] = {
    [SIGHUP] = "Hangup",
    [SIGINT] = "Interrupt",
    [SIGQUIT] = "Quit",
    [SIGILL] = "Illegal instruction",
    [SIGTRAP] = "Trace/breakpoint trap",
    [SIGABRT] = "Aborted",
    [SIGBUS] = "Bus error",
    [SIGFPE] = "Floating point exception",
    [SIGKILL] = "Killed",
    [SIGUSR1] = "User defined signal 1",
    [SIGSEGV] = "Segmentation fault",
    [SIGUSR2] = "User defined signal 2",
    [SIGPIPE] = "Broken pipe",
    [SIGALRM] = "Alarm clock",
    [SIGTERM] = "Terminated",
    [SIGSTKFLT] = "Stack fault",
    [SIGCHLD] = "Child exited",
    [SIGCONT] = "Continued",
    [SIGSTOP] = "Stopped (signal)",
    [SIGTSTP] = "Stopped",
    [SIGTTIN] = "Stopped (tty input)",
    [SIGTTOU] = "Stopped (tty output)",
    [SIGURG] = "Urgent I/O condition",
    [SIGXCPU] = "CPU time limit exceeded",
    [SIGXFSZ] = "File size limit exceeded",
    [SIGVTALRM] = "Virtual timer expired",
    [SIGPROF] = "Profiling timer expired",
    [SIGWINCH] = "Window changed",
    [SIGIO] = "I/O possible",
    [SIGPWR] = "Power failure",
    [SIGSYS] = "Bad system call",
};

char *strsignal(int n)
{
    static char unknown[32];
    if (n > 0 && n < 32 && signal_descriptions[n] != NULL)
        return (char *)signal_descriptions[n];
    if (n >= SIGRTMIN && n <= SIGRTMAX)
        snprintf(unknown, sizeof(unknown), "Real-time signal %d", n - SIGRTMIN);
    else
        snprintf(unknown, sizeof(unknown), "Unknown signal %d", n);
    return unknown;
}

void psignal(int n, const char *prefix)
{
    if (prefix != NULL && prefix[0] != '\0')
        fprintf(stderr, "%s: %s\n", prefix, strsignal(n));
    else
        fprintf(stderr, "%s\n", strsignal(n));
}

/* Whether the upcall with frame and bits runs a handler that asked for SA_ONSTACK: a fault's,
 * or one of the signals it will deliver (sigaltstack.c moves the others off the stack). */
bool signal_upcall_wants_altstack(const struct aramid_upcall_frame *frame, unsigned long bits)
{
    struct shim_thread *self = shim_thread_self();
    if (frame->fault_signal != 0) {
        int n = signal_valid((int)frame->fault_signal) ? (int)frame->fault_signal : SIGSEGV;
        return (signal_actions[n].sa_flags & SA_ONSTACK) != 0;
    }
    unsigned long ready = (bits | signal_pending | self->signals_pending) & ~SIGNAL_KICK &
                          ~self->signals_blocked;
    while (ready) {
        int n = __builtin_ctzl(ready) + 1;
        ready &= ready - 1;
        const struct sigaction *action = &signal_actions[n];
        if ((action->sa_flags & SA_ONSTACK) && action->sa_handler != SIG_DFL &&
            action->sa_handler != SIG_IGN)
            return true;
    }
    return false;
}

/* pthread_exit of the thread that holds the process's signal notification (the main thread,
 * or a fork child's): its kernel thread stays, as Linux keeps a thread group's leader, blocking
 * every signal and handing each process signal that arrives to a thread that takes it; joiners
 * see it ended. exit from the last other thread ends it with the process. */
__attribute__((noreturn)) void signal_thread_linger(struct shim_thread *self)
{
    self->signals_blocked = ~0ul & ~SIGNAL_UNBLOCKABLE;
    signal_route();
    self->exited = 0;
    pthread_futex_wake(&self->exited, ~0u >> 1);
    /* A busy thread list makes routing skip a signal: then try again soon, a few times (one
     * that every thread blocks stays pending for the process; an unblocking thread takes it). */
    unsigned retries = 0;
    for (;;) {
        bool again = signal_pending != 0 && retries < 16;
        retries = again ? retries + 1 : 0;
        (void)sys_sleep(again ? 1000000ul : SIGNAL_SLEEP_FOREVER);
        signal_route();
    }
}

unsigned long signal_hold(void)
{
    struct shim_thread *self = shim_thread_self();
    unsigned long saved = self->signals_blocked;
    self->signals_blocked = ~0ul & ~SIGNAL_UNBLOCKABLE;
    return saved;
}

void signal_release(unsigned long saved)
{
    struct shim_thread *self = shim_thread_self();
    self->signals_blocked = saved;
    if ((signal_pending | self->signals_pending) & ~saved)
        signal_deliver();
}
