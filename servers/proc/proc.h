/* The process server's globals, handler prototypes and kernel-facing helpers (servers/proc). */
#ifndef PROC_PROC_H
#define PROC_PROC_H

#include <aramid/proto/proc.h>
#include <aramid/sys.h>

#include "proc_table.h"

/*
 * Entry points:
 *   main.c     proc_main loop: receive, decode the caller, dispatch, reply; exit events
 *   table.c    proc_dispatch: the table generated from ARAMID_PROC_MESSAGES
 *   process.c  proc_process_*: start handles, exit watching, termination, death events
 *   fork.c     proc_do_fork
 *   exec.c     proc_do_execve, proc_do_spawn
 *   wait.c     proc_do_exit, proc_do_wait4, proc_do_getpid, proc_do_getppid
 *   kill.c     proc_do_kill, proc_do_signal_register
 *   group.c    proc_do_setpgid, proc_do_getpgid, proc_do_setsid, proc_do_getsid
 *   stop.c     proc_do_stop, stop and continue, orphaned groups
 *   module.c   proc_do_module_open
 *   events.c   proc_do_events_subscribe, proc_do_events_read, proc_events_post
 *   rusage.c   proc_do_rusage_children, proc_rusage_capture
 *   system.c   proc_do_prlimit, proc_do_hostname, proc_hostname_publish,
 *              proc_system_apply_quota (rlimit.c: the rules)
 */

/* A handler's verdict: answer now, or not now: the caller is gone (exit, execve, kill of
 * itself) or its call is kept to be answered later by token (wait4, see wait.c). */
enum proc_action { PROC_REPLY, PROC_SUSPEND };

/* One request being handled: its caller (NULL only for a system server's events_subscribe,
 * events_read and kill: other unknown badges get -ESRCH before dispatch) and the bytes it put
 * in proc's IPC buffer. */
struct proc_call {
    struct proc_entry *caller;
    unsigned long reply; /* the call's reply token */
    const char *buffer;
    size_t buffer_bytes;
    void *reply_buffer;  /* proc's IPC buffer: bytes to send back with the reply */
    size_t reply_bytes;  /* how many of them (0 unless the handler sets it) */
    unsigned long sender;     /* the caller's kernel process id */
    aramid_handle_t granted;  /* a system server's notification (events_subscribe), else 0 */
    aramid_handle_t image; /* execve: the program's memory object the caller moved, or 0; the
                            * handler closes it */
};

struct proc_globals {
    const struct aramid_proc_boot *boot;
    aramid_handle_t endpoint;          /* served; granted to processes with send only */
    aramid_handle_t exit_notification; /* bound: bit slot % 64 when a watched process dies */
    aramid_handle_t probe_notification;
    aramid_handle_t ids_object; /* the process-id pages (0: none), mapped read-only
                                  * into every process; proc_table.ids is proc's mapping */
};

extern struct proc_globals proc;
extern struct proc_table proc_table;

/* Handlers, one per message: int proc_do_NAME(call, request, reply). */
#define PROC_HANDLER_DECLARE(label, name, request_list, reply_list)                                \
    enum proc_action proc_do_##name(struct proc_call *call,                                        \
                                    const struct aramid_proc_##name##_request *request,            \
                                    struct aramid_proc_##name##_reply *reply);
ARAMID_PROC_MESSAGES(PROC_HANDLER_DECLARE)
#undef PROC_HANDLER_DECLARE

/* Decodes the words of a request with label, runs its handler, encodes the reply words and
 * returns the handler's enum proc_action. Unknown labels: -ENOSYS (ARAMID_SERVER_DISPATCH). */
int proc_dispatch(struct proc_call *call, unsigned label,
                  const unsigned long words[ARAMID_IPC_REGISTERS],
                  unsigned long reply_words[ARAMID_IPC_REGISTERS]);

/* Queues a record of kind about entry (and its parent, for fork and spawn) for every
 * subscribed server. An exit of a subscriber ends its subscription. */
void proc_events_post(long kind, const struct proc_entry *entry, const struct proc_entry *parent);
/* True for a system server subscribed to the feed: it was not in the process table when it
 * subscribed and never will be (kernel process ids are not reused), so its calls (events_read
 * on every fork and exit) need no table scan. */
bool proc_events_system_server(unsigned long sender);

/* Makes entry's kernel memory quota what its AS and DATA limits say (none: the kernel's
 * default, half of physical memory). */
long proc_system_apply_quota(struct proc_entry *entry);
/* Writes the host name into the process-id pages' host part (aramid_proc_host), if there. */
void proc_hostname_publish(void);
/* listing.c: what process_list and process_cmdline show. A new image's argv (execve, spawn:
 * the first argc of the strings) and a fork child's copy of its parent's. */
void proc_listing_exec(const struct proc_entry *entry, const char *strings, size_t length,
                       long argc);
void proc_listing_fork(const struct proc_entry *parent, const struct proc_entry *child);

/* A child died: answers entry's kept wait4 if it now has an answer. */
void proc_wait_retry(struct proc_entry *entry);
/* A cancel notice for reply: the kept wait4 it names is answered with -EINTR. */
void proc_wait_cancel(unsigned long reply);

/* Records in entry->badge the kernel id of process (proc's handle): the badge its calls carry. */
long proc_process_identify(struct proc_entry *entry, aramid_handle_t process);
/* Gives a kernel process (of pid) its start handles: its space, itself, proc's endpoint, its
 * wake-up and signal notifications; describes them, as the process sees them, in *self. */
long proc_process_grant_start(long pid, aramid_handle_t process, aramid_handle_t space,
                              aramid_handle_t notification, aramid_handle_t signals,
                              struct aramid_proc_self *self);
/* The boot module a path names (module.c), or NULL. */
const struct aramid_boot_module *proc_module_find(const char *path);
/* Makes a process's signal notification for entry (entry->signals). */
long proc_process_create_signals(struct proc_entry *entry);
/* Sends signal (1..64) to entry's image, which registered for signals. */
void proc_process_signal(struct proc_entry *entry, long signal);
/* Asks the kernel to signal proc's exit notification when entry's process dies. */
long proc_process_watch(struct proc_entry *entry);
/* Closes proc's handles to entry's process, space and notification. */
void proc_process_release(struct proc_entry *entry);
/* Ends entry's process (proc's decision: exit or a signal) with wait_status; it becomes a
 * zombie at once and waiting parents are woken. */
void proc_process_terminate(struct proc_entry *entry, int wait_status);
/* Handles exit-notification bits: every watched process that died on its own (a fault, a
 * plain process_exit) becomes a zombie. */
void proc_process_reap_events(unsigned long bits);

#define ARAMID_CLD_EXITED 1
#define ARAMID_CLD_KILLED 2
#define ARAMID_CLD_STOPPED 5
#define ARAMID_CLD_CONTINUED 6

/* Sends signal to every member of group pgid (see kill.c): 0, or -ESRCH for an empty group. */
long proc_kill_group(long pgid, long signal);

/* What proc reads of a process that handles its own signals (its aramid_proc_signal_view and
 * mask): false when it registered none or it cannot be read (the image then decides alone). */
struct proc_signal_state {
    unsigned long defaults, flags, blocked;
};
bool proc_signal_view_read(const struct proc_entry *entry, struct proc_signal_state *state);
/* SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU. */
bool proc_signal_is_stop(long signal);
/* A stop signal other than SIGSTOP to a member of an orphaned group is discarded (POSIX). */
bool proc_stop_discarded(const struct proc_entry *entry, long signal);
/* Stops entry (process_stop) by signal, or continues it; its parent gets SIGCHLD (unless
 * SA_NOCLDSTOP) and a report for its WUNTRACED or WCONTINUED wait. No-ops when already so. */
void proc_process_stop(struct proc_entry *entry, long signal);
/* SIGCHLD to parent (registered) about child, with its siginfo for child_info (replacing one
 * not asked for). code: ARAMID_CLD_*. */
void proc_process_sigchld(struct proc_entry *parent, const struct proc_entry *child, long code,
                          long status);
void proc_process_continue(struct proc_entry *entry);

/* Groups an exit may orphan: proc_orphans_before_exit notes those entry links (its own, its
 * children's), proc_orphans_after_exit sends SIGHUP and SIGCONT to each now orphaned with a
 * stopped member. */
#define PROC_ORPHAN_GROUPS 16 /* a process linking more groups than this: the rest are not checked */
struct proc_orphans {
    long groups[PROC_ORPHAN_GROUPS];
    size_t count;
};
void proc_orphans_before_exit(const struct proc_entry *entry, struct proc_orphans *orphans);
void proc_orphans_after_exit(const struct proc_orphans *orphans);

/* Stores entry's CPU time (its own and its reaped children's) before its process handle closes. */
void proc_rusage_capture(struct proc_entry *entry);

#endif
