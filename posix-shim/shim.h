/* posix-shim internals: how the process started, signals, and error conversion. */
#ifndef POSIX_SHIM_H
#define POSIX_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <signal.h>

#include <aramid/proto/proc.h>
#include <aramid/sys.h>

/*
 * A program starts either as a child of proc (the normal case: aramid-run, fork, execve; the
 * start block of aramid/startinfo.h, aramid_proc_self set) or as the root task (tools/run
 * init=PROGRAM: the kernel's bootinfo, no proc, no other process). Set by shim_start before
 * anything else runs.
 */
extern bool shim_started_by_proc;
/* Set by the first pthread_create (pthread.c), cleared in a fork child: shared state needs
 * its locks and references from then on. */
extern volatile bool shim_threaded;
/* Own handles and boot modules: the kernel's bootinfo for the root task; for a child of proc,
 * one made from its start handles (no modules: those come from proc by name). A fork child
 * rewrites it (shim_fork_child). */
extern const struct aramid_bootinfo *shim_bootinfo;
/* Handle to the process's own address space. */
extern aramid_handle_t shim_self_space;

/* Copies in from / out to caller-supplied memory; -EFAULT for a bad pointer (uaccess.c). Once
 * shim_fault_recovery is set (the upcall is registered) they are plain moves whose faults the
 * upcall turns into -EFAULT (shim_user_move_*: usercopy.S). */
extern bool shim_fault_recovery;
extern char shim_user_move_words[], shim_user_move_bytes[], shim_user_move_fault[];
long shim_copy_in(void *destination, const void *user_source, size_t length);
long shim_copy_out(void *user_destination, const void *source, size_t length);
/* 0 when [user, user + length) is readable, else -EFAULT: for small structures (one system call
 * per 512 bytes). */
long shim_check_readable(const void *user, size_t length);
/* 0 when user is a readable NUL-terminated string (a path or argument), -EFAULT when it is
 * not, -ENAMETOOLONG without a NUL in PATH_MAX bytes. */
long shim_check_string(const char *user);
/* The pid of the root task (no proc). */
#define SHIM_ROOT_PID 1

#define SHIM_PAGE_SIZE 0x1000ul
#define SHIM_PAGE_ROUND_UP(value) (((value) + SHIM_PAGE_SIZE - 1) & ~(SHIM_PAGE_SIZE - 1))

/*
 * Errors: inside the shim functions return -errno in newlib's numbering (<errno.h>); libsys and
 * the kernel return -errno in Linux's numbering (ARAMID_E*), so every libsys result passes through
 * shim_error_from_sys before it is compared with an E* constant or returned.
 */
long shim_error_from_sys(long result);
/* The POSIX boundary: result >= 0 is returned as is; -errno sets errno and gives -1. */
long shim_return(long result);

/* The console's two output streams; a stream is an open console file's index (fd.c). */
#define SHIM_CONSOLE_STDOUT 0ul
#define SHIM_CONSOLE_STDERR 1ul
/* aramid-run's run token (startinfo's console_token; 0: none, as the root task). With a token,
 * stderr writes go out as frames aramid-run sends to the host's stderr (console.c). */
extern unsigned long shim_console_token;
/* Writes text to the console stream, in as many debug_write calls as needed. Returns length or
 * -errno. */
long shim_console_write(unsigned long stream, const void *text, size_t length);
/* The console's input side (console_tty.c): its fd_backend read and ioctl, the column its
 * echo needs (every console write passes here), and a fork child's reset. */
struct fd_file;
long console_tty_read(struct fd_file *file, void *buffer, size_t length);
long console_tty_ioctl(struct fd_file *file, unsigned long request, void *argument);
void console_tty_track_output(const void *bytes, size_t length);
void console_tty_fork_child(void);
/* Before a console write (console.c): while *console_tty_lflag has TOSTOP (or is ~0: the
 * state page not mapped yet) console_tty_write_check asks: 0 to write; with the terminal's
 * TOSTOP set and the caller in a background group SIGTTOU for its group (the write goes on
 * once continued), or -EINTR when a handler ran. Otherwise the write costs that one load. */
extern const unsigned long *console_tty_lflag;
long console_tty_write_check(void);
/* A console descriptor's fd_file.size: CONSOLE_TTY_NOCTTY when it was opened O_NOCTTY (its use
 * never makes the terminal anyone's controlling terminal), else 0 (fds 0-2 and other opens). */
#define CONSOLE_TTY_NOCTTY 1ul
/* After an open of /dev/console or /dev/tty (controlling: /dev/tty): a session leader without
 * a terminal acquires it (not with noctty: O_NOCTTY); 0, or -ENXIO for /dev/tty without a
 * controlling terminal. */
long console_tty_opened(bool controlling, bool noctty);

/* RLIMIT_CPU (rlimit.c): the limits a new image found in its auxv, armed as CPU-time timers
 * once signals work; a fork child re-arms them (its CPU time starts at 0). */
void rlimit_cpu_start(unsigned long soft, unsigned long hard);
void rlimit_fork_child(void);

/* The host name now (hostname.c): uname's nodename. *generation changes whenever the name
 * does, so that uname can keep its answer until then. */
const char *hostname_current(unsigned long *generation);
/* proc's host-name page, from the auxv (next to the process-id pages; none: ask proc). */
void hostname_start(const struct aramid_auxv *auxv);

/* The file mode creation mask that umask set (umask.c); file creation clears these bits. */
mode_t umask_current(void);

/* Ends the process with status & 0xff. */
__attribute__((noreturn)) void shim_exit_process(int status);
/* Ends the process as killed by signal (its parent's wait sees WIFSIGNALED). */
__attribute__((noreturn)) void shim_exit_signal(int signal);
/* Prints "posix-shim: reason" and ends the process with 127. */
__attribute__((noreturn)) void shim_fail(const char *reason);
/* In a fork child, before anything else: its own handles (start.c) and signals. */
void shim_fork_child(void);
/* The number of children the image starts with (startinfo; process.c keeps it). */
void process_children_start(unsigned long children);
/* proc's process-id pages, from the auxv (ARAMID_AT_ARAMID_PROC_IDS; none: ask proc). */
void process_ids_start(const struct aramid_auxv *auxv);

/* Exit status of a process ended by signal number signal, as aramid-run reports it. */
#define SHIM_SIGNAL_STATUS(signal) (128 + (signal))

/* Signals (signal.c). signal_init: the mask and ignored set inherited through execve, the
 * upcall and proc's registration (child of proc only). */
void signal_init(unsigned long blocked, unsigned long ignored);
/* A fork child: empty pending set, the upcall registered for its own thread. */
void signal_fork_child(void);
/* A forked child starts with no alarm (timer.c). */
void timer_fork_child(void);
/* sigsetjmp's C half (signal_context.c; setjmp.S jumps to it): saves the mask into env when
 * savemask is nonzero, returns 0. env is a sigjmp_buf. */
int signal_jump_save(long long env[11], int savemask);
/* CLOCK_PROCESS_CPUTIME_ID or CLOCK_THREAD_CPUTIME_ID now (cputime.c); -errno. */
long cputime_clock_read(clockid_t clock, struct timespec *out);
/* Timers (timer.c): posts the signals of the timers that are due (from the signal upcall). */
void timer_expire(void);
/* Fills si_code and si_value if signal n was posted by a POSIX timer (at its delivery). */
void timer_fill_siginfo(int n, siginfo_t *info);
/* For execve: the mask and ignored set to pass on; pending signals go back on the notification. */
void signal_exec_state(unsigned long *blocked, unsigned long *ignored);
/* Posts signal (0..64) to this process and delivers what is deliverable; -EINVAL. */
long signal_send_self(int signal);
/* Queued signals (signal_queue.c). send_self: signal_send_self with a siginfo (code, value,
 * sender): 0, -EINVAL, -EAGAIN (the queue is full). fill: at delivery of n, the oldest
 * record's siginfo into info; true when more instances of n remain (n stays pending).
 * note_proc: proc signalled ARAMID_PROC_SIGNAL_QUEUED. fork_child: a child has none. */
long signal_queue_send_self(int n, int code, union sigval value, pid_t pid, uid_t uid);
bool signal_queue_fill(int n, siginfo_t *info);
void signal_queue_note_proc(void);
void signal_queue_fork_child(void);

/* Interrupted blocking calls: take a watch before blocking; after -EINTR from the kernel,
 * signal_watch_interrupts says whether the call ends with EINTR: a handler ran (restartable:
 * a handler without SA_RESTART ran). Otherwise (ignored or blocked signals) it goes on. */
struct signal_watch {
    unsigned long runs;
    unsigned long runs_interrupting;
};
void signal_watch_start(struct signal_watch *watch);
bool signal_watch_interrupts(const struct signal_watch *watch, bool restartable);

/* The bit on the process's signal notification that only says "look at your pending set"
 * (signal.c, timer.c): signal 32's, which posix-shim reserves as glibc does. */
#define SHIM_SIGNAL_KICK (1ul << 31)

/* Holds off signal handlers on this thread (a critical section a handler could re-enter, such
 * as the descriptor table's lock): returns the mask to give back to signal_release, which
 * runs what became deliverable meanwhile. */
unsigned long signal_hold(void);
void signal_release(unsigned long saved);

/* A cancellation point (pthread_cancel, deferred): acts on a pending cancel of this thread.
 * Blocking calls check through signal_watch_start and after each interrupted wait. Until a
 * first pthread_cancel (shim_cancel_requested) it is one load. */
extern volatile bool shim_cancel_requested;
void shim_cancel_check(void);
static inline void shim_cancel_point(void)
{
    if (__builtin_expect(shim_cancel_requested, 0))
        shim_cancel_check();
}

#endif
