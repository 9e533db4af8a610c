/* Processes as the kernel sees them: an address space, a handle table and threads. */
#ifndef ARAMID_PROCESS_H
#define ARAMID_PROCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "cputime.h"
#include "handle.h"
#include "list.h"
#include "reply.h"

#define PROCESS_HANDLES_MAX 1024
/* Exit code of a process killed by an unhandled fault: 128 + the matching POSIX signal. */
#define PROCESS_EXIT_FAULT_BASE 128
/* How many processes may watch one process's exit (process_notify_exit), each in its own slot. */
#define PROCESS_EXIT_WATCHES 4
/* Threads one process may have alive at once (each holds a 16 KiB kernel stack); thread_create
 * beyond it gives -EAGAIN, as Linux's clone at RLIMIT_NPROC. */
#define PROCESS_THREADS_MAX 256
#define PROCESS_NAME_MAX 15 /* bytes of a system process's name the kernel keeps */
/* Quota pages a live thread is charged (its kernel stack, IPC buffer, and its thread and FPU
 * state), from thread_create_user until process_thread_exited. */
#define PROCESS_THREAD_QUOTA_PAGES 6ul

struct address_space;
struct endpoint;
struct thread;

/* One watcher's request to be signalled when a process exits; free while notification is NULL. */
struct process_exit_watch {
    uint32_t watcher_id; /* id of the process that set it: only it can change or clear it */
    struct notification *notification; /* one reference held */
    uint64_t bits;
};

struct process {
    uint32_t id; /* also the IPC badge of its threads */
    uint32_t refcount;
    struct address_space *space;
    struct handle_table handles;
    struct handle_slot *handle_slots;
    struct list_node threads;
    struct list_node exit_waiters; /* threads in process_wait */
    struct list_node endpoints;    /* endpoints it created (it is their receiving side) */
    struct reply_holder replies;   /* counts the calls it received and has not answered */
    struct list_node live_link;    /* on the list of processes that have not exited */
    unsigned live_threads;
    int exit_code;
    bool exited;
    bool is_root;
    /* The creation authority (syscall.h): the root task's, or handed on by
     * process_allow_create; never inherited by a new process. */
    bool may_create;
    /* Its memory quota (quota.h): what it maps and the objects it makes are charged to it.
     * NULL: unlimited (the root task; processes given the creation authority). */
    struct quota *quota;
    bool replacing_image; /* process_exec is ending its threads; it must not end with them */
    struct endpoint *fault_handler;
    struct process_exit_watch exit_watches[PROCESS_EXIT_WATCHES];
    /* Handles to itself granted into its table (handle_grant) before its first thread: such a
     * process that only those handles keep alive can never run, and is ended (process_put).
     * Not kept up to date once it has started (nothing else can fill its table before). */
    uint32_t self_handles;
    bool started; /* it has had a thread */
    /* process_stop: none of its threads returns to user mode; the scheduler parks each one
     * (THREAD_BLOCKED, WAIT_STOPPED) when it would run, and process_stop(0) wakes them. */
    bool stopped;
    /* A system process: the root task (init) and those it marks (process_set_system: proc
     * and the servers). Only they may take the last free frames (the reserve, memory.c), and
     * the OOM killer never picks them, so no client can make them fail for want of memory. */
    bool system;
    char name[PROCESS_NAME_MAX + 1]; /* a system process's name (NUL-terminated) */
    struct cputime cpu_time; /* what its threads have run, the ended ones included */
    struct cputime_timer cpu_timers[CPUTIME_TIMERS]; /* ITIMER_VIRTUAL, ITIMER_PROF */
};

/* A process over space (reference taken); NULL when out of memory. With inherit_from, it
 * starts with a copy of that process's HANDLE_RIGHT_INHERIT handles at the same values. */
struct process *process_create(struct address_space *space, struct process *inherit_from);
/* Ends every thread of process (never the current one's), closes its handles that lack
 * HANDLE_RIGHT_INHERIT, and gives it space in place of its address space; its id, the other
 * handles and its exit watch stay. -EINVAL when it is the caller's own or
 * has exited. */
int process_exec(struct process *process, struct address_space *space);
void process_get(struct process *process);
void process_put(struct process *process);
/* Ends process with code: every thread dies, handles close, waiters wake. The current thread,
 * if it belongs to process, keeps running until it reaches sched_exit_current(). */
void process_terminate(struct process *process, int code);
/* Stops (stop) or continues process's threads: see struct process's stopped. A thread blocked in
 * a wait goes on waiting; it is parked when the wait ends. */
void process_stop(struct process *process, bool stop);
/* Signals notification with bits when process exits (at once if it has), in watcher's own slot:
 * a second call by the same watcher replaces it, NULL clears it, and no other process (the
 * watched one included) can change it. -EINVAL for bits 0, -ENOSPC when every slot is taken. */
int process_notify_exit(struct process *process, struct process *watcher,
                        struct notification *notification, uint64_t bits);
/* The process the out-of-memory killer ends: the live one with the most pages charged to its
 * quota, never a system process (below) or one without a quota; NULL if none has any. */
struct process *process_oom_victim(void);
struct aramid_system_process_stats;
/* Fills out with up to max records (ARAMID_STATS_SYSTEM): the current process's, then each
 * live system process's, oldest first; returns how many. Walks their page tables. */
unsigned process_system_stats(struct aramid_system_process_stats *out, unsigned max);
/* Whether the current thread may take frames from the reserve: kernel work outside any
 * process, and system processes. */
bool process_current_may_use_reserve(void);
/* Ends victim with SIGKILL's code and frees its memory at once (unless a live process shares
 * its space), though handles to its space may remain. */
void process_oom_kill(struct process *victim);
/* Ends the current thread's whole process with code and leaves the CPU. */
__attribute__((noreturn)) void process_exit_current(int code);
/* Ends the current thread only; the last thread of a process ends it with code 0. */
__attribute__((noreturn)) void process_exit_current_thread(void);
/* Called when a thread of process died; the last one ends the process. */
void process_thread_exited(struct process *process, struct thread *thread);

#endif
