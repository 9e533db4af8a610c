/* The process table: pids, the parent/child tree, zombies, wait matching. Pure logic, no IPC. */
#ifndef PROC_TABLE_H
#define PROC_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "rlimit.h"

/* The process limit: live processes and zombies together, init included. fork beyond it gets
 * -EAGAIN (RLIMIT_NPROC for everybody, for now). */
#define PROC_TABLE_SIZE 128
#define PROC_PID_MAX 32767
#define PROC_INIT_PID 1

enum proc_state { PROC_FREE, PROC_ALIVE, PROC_ZOMBIE };
/* A stop or continue not yet reported to the parent's wait (a continue replaces a stop). */
enum proc_report { PROC_REPORT_NONE, PROC_REPORT_STOPPED, PROC_REPORT_CONTINUED };

/*
 * One process. Invariants: a FREE entry has pid 0; pids of non-FREE entries are unique;
 * parent is the pid of an ALIVE entry (re-parenting to init keeps this), except for init,
 * whose parent is 0. The handle fields are opaque here: process.c uses them.
 */
struct proc_entry {
    enum proc_state state;
    long pid;
    long parent;
    unsigned long badge; /* ALIVE: the kernel process id its calls carry (process_id) */
    int wait_status;     /* ZOMBIE: the Linux wait status */
    bool waiting;        /* its wait4 found live children only: retry it when a child exits */
    unsigned long wait_reply; /* waiting: the reply token of that wait4 call (proc keeps it) */
    long wait_pid;            /* waiting: that call's pid and options */
    long wait_options;
    struct proc_rlimits rlimits; /* defaults from proc_table_add, the parent's from fork and
                                  * spawn; execve keeps them */
    long process;        /* proc's handles to its kernel process, space, notification (0: none) */
    long space;
    long notification;
    long signals;            /* proc's handle to its signal notification (0: none, init) */
    bool signals_registered; /* its image handles signals: kill signals, SIGCHLD is sent */
    bool nocldwait;          /* its children are reaped when they die (SIGCHLD ignored) */
    long pgid;               /* its process group and session (non-FREE entries: both > 0) */
    long sid;
    bool execed;             /* it ran execve since fork or spawn (setpgid by the parent: EACCES) */
    unsigned long signal_view; /* registered: its struct aramid_proc_signal_view's address */
    unsigned long signal_mask; /* and its mask word's (0: proc leaves signals to the image) */
    bool stopped;              /* stopped by a stop signal (its kernel process too) */
    int stop_signal;           /* stopped: by which signal */
    int stopped_fatal;         /* stopped, no posix-shim: a fatal signal it dies of at SIGCONT */
    enum proc_report report;   /* what its parent's wait with WUNTRACED/WCONTINUED may see */
    /* CPU time (rusage.c): ZOMBIE: its own and its reaped children's; ALIVE: children_* sum
     * the children it reaped, reaped_* the one its last wait reaped. */
    unsigned long cpu_user_ns, cpu_system_ns;
    unsigned long children_user_ns, children_system_ns;
    unsigned long reaped_user_ns, reaped_system_ns;
};

struct proc_table {
    struct proc_entry entries[PROC_TABLE_SIZE];
    long next_pid; /* where the search for a free pid starts */
    size_t used;
};

/* Entries whose held wait4 must be retried (at most the parent and init). */
struct proc_wakeups {
    struct proc_entry *entries[2];
    size_t count;
};

void proc_table_init(struct proc_table *table);
/* A new ALIVE entry: pid PROC_INIT_PID for the first, then the next free pid; -EAGAIN when the
 * table is full. It is in parent's group and session (init: its own, 1 and 1). */
long proc_table_add(struct proc_table *table, long parent, struct proc_entry **entry);
/* Frees an entry (a fork or spawn that failed half way, or a reaped zombie). */
void proc_table_remove(struct proc_table *table, struct proc_entry *entry);
struct proc_entry *proc_table_find_pid(struct proc_table *table, long pid);
/* How many entries (alive or zombie) have parent pid. */
size_t proc_table_count_children(const struct proc_table *table, long pid);
struct proc_entry *proc_table_find_badge(struct proc_table *table, unsigned long badge);
/* The live entry whose kept wait4 has reply token reply, or NULL. */
struct proc_entry *proc_table_find_wait_reply(struct proc_table *table, unsigned long reply);
size_t proc_table_slot(const struct proc_table *table, const struct proc_entry *entry);

/* entry (ALIVE) becomes a zombie with wait_status; its children go to init. Stores whom to
 * wake (waiting parents) in *wakeups. */
void proc_table_exit(struct proc_table *table, struct proc_entry *entry, int wait_status,
                     struct proc_wakeups *wakeups);

/*
 * wait4 for caller (a reaped child's CPU time is added to caller's children_* and stored in its
 * reaped_*): pid > 0, -1, 0 (caller's group) or < -1 (group -pid); options WNOHANG,
 * WUNTRACED (a child's unreported stop: status (signal << 8) | 0x7f), WCONTINUED (its
 * unreported continue: 0xffff), ARAMID_WNOEXITED (zombies are not reaped nor reported); a
 * report is given once. Children are looked at in table order, each: exit, stop, continue.
 * Returns the pid of a reaped zombie (its status in *status, its entry freed), 0 with
 * *again = false (WNOHANG and no zombie) or *again = true (caller->waiting is set: wake it
 * later), or -ECHILD (no child matches), -EINVAL (unknown options).
 */
long proc_table_wait(struct proc_table *table, struct proc_entry *caller, long pid, long options,
                     int *status, bool *again);

/*
 * Process groups and sessions (proc_group.c), with Linux's errors. pid 0 means caller.
 * setpgid: pgid 0 means the target's pid; -EINVAL, -ESRCH, -EACCES, -EPERM as setpgid(2).
 * setsid: -> the new session's id (the caller's pid), -EPERM if a group with that id exists.
 * getpgid, getsid: -> the id, -ESRCH. Zombies are still in their group (as on Linux, until reaped).
 */
long proc_group_setpgid(struct proc_table *table, struct proc_entry *caller, long pid, long pgid);
long proc_group_setsid(struct proc_table *table, struct proc_entry *caller);
long proc_group_getpgid(struct proc_table *table, struct proc_entry *caller, long pid);
long proc_group_getsid(struct proc_table *table, struct proc_entry *caller, long pid);
/* True if some entry (alive or zombie) is in group pgid; with sid > 0, in that session. */
bool proc_group_exists(const struct proc_table *table, long pgid, long sid);
/* POSIX's orphaned process group: no live member (but leaving, if not NULL, which is about to
 * exit) has a live parent in another group of the same session. init does not count as such a
 * parent (Linux). A group without live members counts as orphaned. */
bool proc_group_orphaned(struct proc_table *table, long pgid, const struct proc_entry *leaving);
/* True if a live member of group pgid is stopped. */
bool proc_group_has_stopped(const struct proc_table *table, long pgid);

/* Linux wait statuses. */
int proc_status_exited(int code);
int proc_status_signaled(int signal);
/* The status of a process that ended without telling proc: the kernel's exit code, where
 * 128 + N (N = 1..64) means killed by signal N (docs/kernel.md). */
int proc_status_from_kernel_code(long code);

enum proc_signal_action {
    PROC_SIGNAL_INVALID,
    PROC_SIGNAL_EXISTS, /* signal 0 */
    PROC_SIGNAL_IGNORE,
    PROC_SIGNAL_STOP,
    PROC_SIGNAL_TERMINATE,
};
/* The default action of a signal (there are no handlers yet). */
enum proc_signal_action proc_signal_default_action(long signal);

#endif
