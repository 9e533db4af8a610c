/* The process server's protocol, defined once: messages, their words, client stubs, encodings. */
#ifndef ARAMID_PROTO_PROC_H
#define ARAMID_PROTO_PROC_H

#include <stdbool.h>
#include <stddef.h>

#include <aramid/bootinfo.h>
#include <aramid/proto/proto.h>
#include <aramid/startinfo.h>
#include <aramid/syscall.h>

/*
 * X(label, name, (request words), (reply words after `result`))
 *
 * A request is the label in the info word and its words in mr0..; strings go through the IPC
 * buffer (ARAMID_IPC_BUFFER_BYTES(info) bytes). Every reply starts with `result` in mr0
 * (>= 0, or -errno with Linux's values); the reply words follow. From this list come the
 * request/reply structs below, libsys's stubs aramid_proc_call_NAME (libsys/proc_client.c)
 * and proc's dispatch table (servers/proc/table.c). An unknown label gets -ENOSYS.
 *
 * fork:    entry = libsys's fork trampoline, frame = the saved-register frame on the caller's
 *          stack (the child's first thread starts at entry with rsp = rdi = frame), self = the
 *          address of the caller's aramid_proc_self, which proc overwrites in the child's copy
 *          with the child's pid and handles. result = child pid (the child returns 0).
 * execve:  buffer = strings (see below). On success there is no reply: the calling kernel
 *          process is replaced, the pid stays. On failure result = -ENOENT (no such module),
 *          -ENOEXEC (not a valid ELF), -E2BIG, -EINVAL (bad encoding); the caller goes on.
 * spawn:   as execve, but the program runs in a new child of the caller. result = its pid.
 * execve also carries signals_blocked and signals_ignored (bit N-1 = signal N): the new image
 *          finds them in its auxv (POSIX keeps the mask and ignored signals across exec), and
 *          vfs_token, posix-shim's vfs handoff of its descriptors (ARAMID_AT_ARAMID_VFS_TOKEN).
 *          counts = argc | envc << 32. With ARAMID_IPC_GRANT, mr5 is the program: a memory
 *          object of image_size bytes (vfs's exec_open, aramid/proto/vfs.h) and the path is
 *          only a name; without it the path names a boot module. proc closes the handle.
 * exit:    status & 0xff becomes the exit status, or, with signal 1..64, the caller dies "killed
 *          by signal" (posix-shim's default actions); no reply (the caller is gone).
 * wait4:   pid > 0, -1, 0 (the caller's group) or < -1 (group -pid), options WNOHANG, WUNTRACED
 *          (report a child that stopped: status (signal << 8) | 0x7f, once per stop),
 *          WCONTINUED (one that was continued: status 0xffff) and ARAMID_WNOEXITED. result = pid reaped, 0 (WNOHANG, none
 *          exited), -ECHILD, -EINVAL, -EINTR (a signal cancelled the wait); status = the
 *          Linux wait status. While children live and none has exited, proc keeps the call
 *          and answers it when one exits.
 *          user_ns, system_ns = the reaped child's CPU time, its own and that of the children
 *          it reaped (as Linux's wait4 rusage); the caller's children's times grow by it.
 * rusage_children: the CPU time of the caller's reaped children (and theirs): getrusage's
 *          RUSAGE_CHILDREN and times()' tms_cutime/tms_cstime. Kept across execve.
 * getpid, getppid: result = the id.
 * kill:    pid > 0, -1 (all but pid 1 and the caller), 0 or < -1 (a group, see below);
 *          signal 0..64. result 0, -ESRCH, -EINVAL, -EPERM (pid 1: stop signals included).
 *          SIGSTOP, and SIGTSTP, SIGTTIN, SIGTTOU left at SIG_DFL and not blocked, stop the
 *          target (the kernel's process_stop: none of its threads runs; SIGTSTP, SIGTTIN and
 *          SIGTTOU to a member of an orphaned group are discarded); SIGCONT continues it (and
 *          then reaches its handler, if any); its parent gets SIGCHLD unless SA_NOCLDSTOP. A target that sent
 *          signal_register gets the signal as bit N-1 on its signal notification (SIGKILL
 *          excepted: proc kills); any other target gets the default action from proc.
 * signal_register: from now on this process image handles its own signals (posix-shim's
 *          upcall on its signal notification); a forked child inherits it, execve clears it.
 *          SIGCHLD is then also signalled to it when one of its children dies, stops or
 *          continues. nocldwait = 1: its children are reaped when they die, never zombies
 *          (SIGCHLD ignored or SA_NOCLDWAIT); it may be sent again to change that. view = the
 *          address of its struct aramid_proc_signal_view, mask = the address of the signal
 *          mask (a word, bit N-1) of the thread that takes process signals (0, 0: proc leaves
 *          every decision to the image). proc reads both (vm_read) when it sends a signal: a
 *          signal whose action is SIG_DFL and that is not blocked takes its default action at
 *          once, in proc (terminate, stop, ignore), as Linux does at send time. result 0.
 * stop:    the caller's image ran the default action of stop signal (SIGTSTP, SIGTTIN, SIGTTOU,
 *          SIGSTOP: one that was blocked, or sent to itself): proc stops it as kill would. The
 *          reply (0) reaches it when it is continued. -EINVAL for another signal.
 * child_info: the siginfo of the SIGCHLD proc sent the caller last and nobody asked for yet
 *          (posix-shim asks when it runs an SA_SIGINFO handler): result 1 with the child's pid,
 *          code (CLD_EXITED 1, CLD_KILLED 2, CLD_STOPPED 5, CLD_CONTINUED 6) and status (exit
 *          code or signal); result 0 when there is none (a SIGCHLD someone sent with kill).
 *          SIGCHLDs are not queued: a second one before the handler asks replaces the first's
 *          (Linux keeps the first; either names a child whose state changed).
 * module_open: buffer = a boot-module name (1..ARAMID_BOOTINFO_NAME_MAX-1 bytes, no NUL).
 *          result = a handle to the module's memory object, granted into the caller (read,
 *          map); size = its size. -ENOENT, -EINVAL.
 * events_subscribe: the caller (a server) gets, from now on, a record of every fork, spawn,
 *          exec and exit; notification = a handle granted into the caller (wait) that proc
 *          signals with bit 0 when records are queued. -EBUSY (subscribed already), -ENOSPC.
 *          A system server init started (not a process proc made) calls through the handle
 *          init minted with ARAMID_PROC_BADGE_SERVER and grants its own notification (signal
 *          right) with the call instead; reply notification 0.
 * events_read: result = the number of records (struct aramid_proc_event, at most
 *          ARAMID_PROC_EVENTS_PER_READ) proc put in the caller's IPC buffer, oldest first;
 *          lost = 1 when records were dropped since the last read (a full queue). -ENOENT
 *          when not subscribed.
 * prlimit: the resource limit (ARAMID_RLIMIT_*, Linux's numbers and rules) of pid (0: the
 *          caller): reply soft, hard = the limit before the call; with set = 1 it becomes soft,
 *          hard (ARAMID_RLIM_INFINITY: none). -EINVAL (resource, soft > hard), -ESRCH, -EPERM
 *          (NOFILE's hard above ARAMID_RLIMIT_NOFILE_MAX, as Linux's nr_open; setting the
 *          limits of a process that is neither the caller nor one of its descendants). fork and spawn
 *          copy the parent's limits, execve keeps them; a new image finds its STACK and NOFILE
 *          soft limits in its auxv. proc enforces NPROC (fork and spawn: -EAGAIN when the
 *          processes in its table reach the caller's soft limit; one user, so root too), AS
 *          and DATA (the smaller soft limit becomes the process's kernel memory quota,
 *          process_set_quota; none: half of physical memory, the kernel's default).
 * hostname: set = 0: the host name (at most ARAMID_HOSTNAME_MAX bytes, no NUL) comes back in
 *          the caller's IPC buffer, result = its length. set = 1: the buffer's bytes become it
 *          (0..ARAMID_HOSTNAME_MAX, else -EINVAL). One name for every process, "aramid" at boot.
 * proc knows callers by the sender id the kernel gives each call (their kernel process id, kept
 * across execve); it records it when it creates the process (process_id), and init's from the
 * hand-over page. A call from a badge proc does not
 * know gets -ESRCH. Label 9 is retired (unused): -ENOSYS.
 * setpgid: pid 0 = the caller, pgid 0 = pid. result 0, -EINVAL (pgid < 0), -ESRCH (not the
 *          caller or its child), -EACCES (the child has run execve), -EPERM (the target is a
 *          session leader, or a child in another session, or no group pgid exists in the
 *          caller's session). As Linux's setpgid(2).
 * getpgid, getsid: pid 0 = the caller. result = its process group id / session id, -ESRCH.
 * setsid:  the caller leads a new session and group: result = its pid; -EPERM when a process
 *          group with the caller's pid exists (it leads one).
 * Every process has a group and a session: fork and spawn inherit the caller's, execve keeps
 * them; a child init spawns (the run= program) leads a new session (init: group and session 1).
 * kill's pid 0 is the caller's group, pid < -1 the group -pid (ESRCH: no such group); wait4's
 * pid 0 and < -1 likewise (any child in that group). A system server (the handle init minted
 * with ARAMID_PROC_BADGE_SERVER) may send kill, e.g. the vfs's SIGINT for ^C to -pgid.
 * process_list: the processes with pid >= start, as struct aramid_proc_info records in the
 *          reply's IPC buffer (at most ARAMID_PROC_INFOS_PER_READ, by pid); result = their
 *          number; next = the pid to start the next call from (0: none left). Zombies included.
 * process_cmdline: pid (0: the caller) -> result = bytes of its argv (NUL-ended strings, as
 *          Linux's /proc/PID/cmdline, at most ARAMID_PROC_CMDLINE_MAX) in the reply buffer,
 *          -ESRCH. Both are for any process and for system servers (the vfs's /proc).
 * sigqueue: pid (> 0), signal 0..64, value (sigval), uid (the caller's, as it says: one user):
 *          kill of one process carrying a siginfo (si_code SI_QUEUE, si_value, si_pid of the
 *          caller, si_uid). Where kill would hand the signal to the target's image, proc
 *          first queues the record (ARAMID_PROC_SIGQUEUE_MAX per process: -EAGAIN past them,
 *          as Linux past RLIMIT_SIGPENDING) and signals ARAMID_PROC_SIGNAL_QUEUED with the
 *          signal's bit; where it takes the default action the record goes. -ESRCH, -EINVAL.
 *          kill of a real-time signal (ARAMID_PROC_SIGRTMIN..64) queues an SI_USER record
 *          the same way (past the limit the signal still goes, without one), so that each
 *          instance is delivered.
 * signal_take: the caller's oldest queued record: result 1 with signal, code, sender (pid |
 *          uid << 32), value and remaining (records still queued); result 0 when none.
 *          Records stay across execve, as pending signals do; a fork child has none.
 * A handle granted with any message is closed and the call fails with -EINVAL.
 */
#define ARAMID_PROC_MESSAGES(X)                                                                    \
    X(1, fork, (entry, frame, self), ())                                                           \
    X(2, execve, (counts, signals_blocked, signals_ignored, vfs_token, image_size), ())            \
    X(3, spawn, (argc, envc), ())                                                                  \
    X(4, exit, (status, signal), ())                                                               \
    X(5, wait4, (pid, options), (status, user_ns, system_ns))                               \
    X(6, getpid, (), ())                                                                           \
    X(7, getppid, (), ())                                                                          \
    X(8, kill, (pid, signal), ())                                                                  \
    X(10, signal_register, (nocldwait, view, mask), ())                                            \
    X(11, module_open, (), (size))                                                                 \
    X(12, events_subscribe, (), (notification))                                                    \
    X(13, events_read, (), (lost))                                                                 \
    X(14, setpgid, (pid, pgid), ())                                                                \
    X(15, getpgid, (pid), ())                                                                      \
    X(16, setsid, (), ())                                                                          \
    X(17, getsid, (pid), ())                                                                       \
    X(18, stop, (signal), ())                                                                      \
    X(19, child_info, (), (pid, code, status))                                                     \
    X(20, prlimit, (pid, resource, set, soft, hard), (soft, hard))                                 \
    X(21, hostname, (set), ())                                                                     \
    X(24, rusage_children, (), (user_ns, system_ns))                                               \
    X(28, process_list, (start), (next))                                                           \
    X(29, process_cmdline, (pid), ())                                                              \
    X(30, sigqueue, (pid, signal, value, uid), ())                                                 \
    X(31, signal_take, (), (signal, code, sender, value, remaining))

/* Labels: ARAMID_PROC_fork, ... */
#define ARAMID_PROC_LABEL(label, name, request, reply) ARAMID_PROC_##name = label,
enum aramid_proc_label { ARAMID_PROC_MESSAGES(ARAMID_PROC_LABEL) ARAMID_PROC_LABEL_END };
#undef ARAMID_PROC_LABEL

/* struct aramid_proc_NAME_request { long word; ... }; struct aramid_proc_NAME_reply
 * { long result; long word; ... }; each fits the message registers. */
#define ARAMID_PROC_STRUCTS(label, name, request, reply)                                           \
    struct aramid_proc_##name##_request {                                                          \
        ARAMID_PROTO_FIELDS(request)                                                               \
    };                                                                                             \
    struct aramid_proc_##name##_reply {                                                            \
        long result;                                                                               \
        ARAMID_PROTO_FIELDS(reply)                                                                 \
    };                                                                                             \
    _Static_assert(                                                                                \
        sizeof(struct aramid_proc_##name##_request) <= ARAMID_IPC_REGISTERS * sizeof(long) &&      \
            sizeof(struct aramid_proc_##name##_reply) <= ARAMID_IPC_REGISTERS * sizeof(long),      \
        "proc message " #name " must fit the message registers");
ARAMID_PROC_MESSAGES(ARAMID_PROC_STRUCTS)
#undef ARAMID_PROC_STRUCTS

/*
 * The generated client stubs: send request (and buffer_bytes from the calling thread's IPC
 * buffer) to aramid_proc_self.endpoint, store the reply. Return reply->result, or the IPC
 * error (-EPIPE if proc is gone) with *reply untouched.
 */
#define ARAMID_PROC_STUB_DECLARE(label, name, request, reply)                                      \
    long aramid_proc_call_##name(const struct aramid_proc_##name##_request *request_words,         \
                                 size_t buffer_bytes,                                              \
                                 struct aramid_proc_##name##_reply *reply_words);
ARAMID_PROC_MESSAGES(ARAMID_PROC_STUB_DECLARE)
#undef ARAMID_PROC_STUB_DECLARE

/* The badge of the proc handle init gives the servers it starts (event, sock): such callers
 * may use events_subscribe and events_read though proc did not make them. */
#define ARAMID_PROC_BADGE_SERVER 1ul

/* Resource limits (prlimit), Linux's numbers. */
#define ARAMID_RLIMIT_CPU 0
#define ARAMID_RLIMIT_FSIZE 1
#define ARAMID_RLIMIT_DATA 2
#define ARAMID_RLIMIT_STACK 3
#define ARAMID_RLIMIT_CORE 4
#define ARAMID_RLIMIT_RSS 5
#define ARAMID_RLIMIT_NPROC 6
#define ARAMID_RLIMIT_NOFILE 7
#define ARAMID_RLIMIT_MEMLOCK 8
#define ARAMID_RLIMIT_AS 9
#define ARAMID_RLIMIT_COUNT 16 /* 0..15 are valid, as on Linux */
#define ARAMID_RLIM_INFINITY (~0ul)
#define ARAMID_RLIMIT_NOFILE_MAX 16384 /* posix-shim's descriptor table (FD_MAX) */
#define ARAMID_HOSTNAME_MAX 64        /* HOST_NAME_MAX */

/* A process-event record (events_read). process and parent are kernel process ids, the sender
 * ids calls carry; pid is the POSIX pid. fork: the child's handles marked inheritable are copies
 * of the parent's; spawn: a new child with nothing inherited; exec: same process, new image;
 * exit: the process is gone. */
struct aramid_proc_event {
    long kind;
    long process;
    long parent;
    long pid;
};
#define ARAMID_PROC_EVENT_FORK 1
#define ARAMID_PROC_EVENT_SPAWN 2
#define ARAMID_PROC_EVENT_EXEC 3
#define ARAMID_PROC_EVENT_EXIT 4
#define ARAMID_PROC_EVENTS_PER_READ (ARAMID_IPC_BUFFER_SIZE / sizeof(struct aramid_proc_event))

/* What a process that handles its own signals shows proc at signal_register's view address;
 * proc reads it (vm_read) whenever it sends that process a signal. */
struct aramid_proc_signal_view {
    unsigned long defaults; /* bit N-1: signal N's action is SIG_DFL */
    unsigned long flags;    /* ARAMID_PROC_VIEW_* */
};
#define ARAMID_PROC_VIEW_NOCLDSTOP 1ul /* SIGCHLD has SA_NOCLDSTOP: no SIGCHLD for stops */

/* A process_list record. process: the kernel id its calls carry (0 for a zombie); state:
 * 'R' (the caller), 'S' (alive), 'T' (stopped), 'Z' (zombie); name: the basename of argv[0] of its last
 * execve or spawn (Linux's comm, at most 15 bytes, NUL-ended). */
struct aramid_proc_info {
    long pid;
    long ppid;
    long pgid;
    long sid;
    unsigned long process;
    long state;
    char name[16];
};
#define ARAMID_PROC_INFOS_PER_READ (ARAMID_IPC_BUFFER_SIZE / sizeof(struct aramid_proc_info))
#define ARAMID_PROC_CMDLINE_MAX 1024

/*
 * proc's process-id pages: proc maps them read-only at ARAMID_PROC_IDS_ADDRESS in
 * every process it starts (auxv ARAMID_AT_ARAMID_PROC_IDS gives the address; fork children
 * share the mapping), so that getppid, getpgid and getsid need no call. Slot pid %
 * ARAMID_PROC_IDS_SLOTS describes process pid (alive or zombie) while its pid field equals pid;
 * otherwise (no such process, or two processes share the slot) ask proc. proc clears pid before
 * it changes a slot and sets it last; a reader checks pid before and after copying.
 */
struct aramid_proc_ids {
    long pid;
    long parent;
    long pgid;
    long sid;
};
#define ARAMID_PROC_IDS_SLOTS 256
/*
 * After the slots, at ARAMID_PROC_HOST_OFFSET of the same pages: the host name (the hostname
 * message's), so that uname needs no call. proc makes generation odd before it changes length
 * and name and even (and larger) after; a reader takes the copy it made while generation was
 * even and the same before and after (a seqlock). length <= ARAMID_HOSTNAME_MAX.
 */
struct aramid_proc_host {
    unsigned long generation;
    unsigned long length;
    char name[ARAMID_HOSTNAME_MAX];
};
#define ARAMID_PROC_HOST_OFFSET (ARAMID_PROC_IDS_SLOTS * sizeof(struct aramid_proc_ids))
#define ARAMID_PROC_IDS_SIZE (ARAMID_PROC_HOST_OFFSET + 4096ul)
_Static_assert(sizeof(struct aramid_proc_host) <= 4096, "the host name fits its page");
#define ARAMID_PROC_IDS_ADDRESS 0x7fd000000000ul

/* The bit of signal (1..64) on a process's signal notification. */
#define ARAMID_PROC_SIGNAL_BIT(signal) (1ul << ((signal)-1))
/* On the signal notification: records wait for signal_take (signal 33's bit, which posix-shim
 * reserves as glibc does for NPTL). */
#define ARAMID_PROC_SIGNAL_QUEUED ARAMID_PROC_SIGNAL_BIT(33)
#define ARAMID_PROC_SIGQUEUE_MAX 64
#define ARAMID_PROC_SI_QUEUE (-1l) /* Linux's si_code of sigqueue */
#define ARAMID_PROC_SI_USER 0l     /* of kill */
#define ARAMID_PROC_SIGRTMIN 34    /* kill queues a record (SI_USER) for these too */

/* wait4 options (Linux values) and status decoding. */
#define ARAMID_WNOHANG 1
#define ARAMID_WUNTRACED 2
#define ARAMID_WCONTINUED 8
/* Aramid's own wait4 option (never a Linux bit): do not report or reap exited children (waitid
 * without WEXITED). */
#define ARAMID_WNOEXITED 0x10000000
#define ARAMID_WAIT_STOPPED(status) (((status)&0xff) == 0x7f)
#define ARAMID_WAIT_CONTINUED(status) ((status) == 0xffff)
#define ARAMID_WAIT_EXITED(status) (((status)&0x7f) == 0)
#define ARAMID_WAIT_EXIT_CODE(status) (((status) >> 8) & 0xff)
#define ARAMID_WAIT_SIGNAL(status) ((status)&0x7f)

/* Signal numbers proc knows (Linux values); 1..64 are valid, 0 checks existence. */
#define ARAMID_SIGHUP 1
#define ARAMID_SIGINT 2
#define ARAMID_SIGQUIT 3
#define ARAMID_SIGILL 4
#define ARAMID_SIGTRAP 5
#define ARAMID_SIGABRT 6
#define ARAMID_SIGBUS 7
#define ARAMID_SIGFPE 8
#define ARAMID_SIGKILL 9
#define ARAMID_SIGUSR1 10
#define ARAMID_SIGSEGV 11
#define ARAMID_SIGUSR2 12
#define ARAMID_SIGPIPE 13
#define ARAMID_SIGALRM 14
#define ARAMID_SIGTERM 15
#define ARAMID_SIGCHLD 17
#define ARAMID_SIGCONT 18
#define ARAMID_SIGSTOP 19
#define ARAMID_SIGTSTP 20
#define ARAMID_SIGTTIN 21
#define ARAMID_SIGTTOU 22
#define ARAMID_SIGURG 23
#define ARAMID_SIGWINCH 28
#define ARAMID_SIGNAL_MAX 64

/*
 * String encoding of execve and spawn, in the IPC buffer: path, argv[0..argc-1] and
 * envp[0..envc-1], each NUL-terminated, back to back, filling exactly the buffer bytes the info
 * word declares; argc and envc travel in the request words. path is a boot-module name for now
 * (1..ARAMID_BOOTINFO_NAME_MAX-1 bytes).
 */
#define ARAMID_PROC_STRINGS_MAX ARAMID_IPC_BUFFER_SIZE

/* Encodes into buffer (size bytes); argv or envp may be NULL (empty). Stores the counts and
 * returns the bytes used, or -E2BIG (does not fit), -ENOENT (empty or too long path). */
long aramid_proc_strings_encode(char *buffer, size_t size, const char *path, char *const argv[],
                                char *const envp[], long *argc, long *envc);

/* Checks a received encoding: exactly 1 + argc + envc strings in bytes bytes, a valid path.
 * Stores the path and where argv's strings start (argv then envp, *strings_length bytes).
 * Returns 0 or -EINVAL. Pure: proc runs it on whatever a client sent. */
long aramid_proc_strings_decode(const char *buffer, size_t bytes, long argc, long envc,
                                const char **path, const char **strings, size_t *strings_length);

/*
 * How init hands proc its start: init maps one page holding this struct into proc's space at
 * ARAMID_PROC_BOOT_ADDRESS and starts proc with rdi = that address. bootinfo has the shape the
 * kernel gives the root task, with proc's own handles (self_process, self_space) and a handle
 * per boot module; endpoint is the endpoint proc serves (receive, send, grant),
 * init_notification the wake-up notification of pid 1 (signal and wait), and init_badge
 * init's kernel process id (process_id on its own process handle, which the kernel gives the
 * root task without the grant right, so init cannot hand proc the handle itself): the badge of
 * pid 1's calls. console_token is aramid-run's per-run token as a
 * number (0: none); proc gives it to every process it starts (ARAMID_AT_ARAMID_CONSOLE_TOKEN) so
 * that posix-shim can frame stderr (docs/sdk.md). console is the kernel's console input
 * capability (the root task's bootinfo console, granted on); proc grants it, read only, to
 * every process it starts (ARAMID_AT_ARAMID_CONSOLE, aramid_proc_self.console), so posix-shim's
 * stdin reads what is typed. vfs_endpoint: the vfs server's endpoint (send), which proc grants
 * to every process it makes (aramid_proc_self.vfs).
 */
#define ARAMID_PROC_BOOT_MAGIC 0x544f4f42434f5250ul /* "PROCBOOT" */
#define ARAMID_PROC_BOOT_ADDRESS 0x7fe000000000ul
struct aramid_proc_boot {
    unsigned long magic;
    aramid_handle_t endpoint;
    aramid_handle_t init_notification;
    unsigned long init_badge;
    struct aramid_bootinfo bootinfo;
    unsigned long console_token;
    aramid_handle_t event_endpoint; /* 0: no event server; else send+grant, to every process */
    aramid_handle_t sock_endpoint;  /* 0: no sock server; likewise */
    aramid_handle_t console; /* console input (read, grant), 0: none (console_input=off) */
    aramid_handle_t vfs_endpoint; /* 0: no vfs; else send, granted to every process */
    aramid_handle_t ipc_endpoint; /* 0: no ipc server; else send+grant, to every process */
};

/*
 * The client API (posix-shim calls these; they return -errno with Linux's values). They need
 * aramid_proc_self (set by aramid_start, or by hand in init).
 */
extern struct aramid_proc_self aramid_proc_self;

/* Returns the child's pid in the parent, 0 in the child (libsys/fork.S). -EAGAIN at the
 * process limit. Only the calling thread exists in the child. */
long aramid_proc_fork(void);
/* Replaces the program; returns only on failure. Close-on-exec descriptors are the caller's
 * (posix-shim's) business: it closes them before calling. */
long aramid_proc_execve(const char *path, char *const argv[], char *const envp[]);
/* execve passing the signal mask and the ignored signals (bit N-1 = signal N) to the new image
 * (its startinfo's signals_blocked, signals_ignored). */
long aramid_proc_execve_signals(const char *path, char *const argv[], char *const envp[],
                                unsigned long signals_blocked, unsigned long signals_ignored,
                                unsigned long vfs_token);
/* execve of a program in a memory object (image, size bytes; moved to proc), as above. */
long aramid_proc_execve_image(aramid_handle_t image, size_t size, char *const argv[],
                              char *const envp[], unsigned long signals_blocked,
                              unsigned long signals_ignored, unsigned long vfs_token);
/* Starts path in a new child of the caller (posix_spawn without file actions); -> pid. */
long aramid_proc_spawn(const char *path, char *const argv[], char *const envp[]);
/* Waits (blocking on aramid_proc_self.notification unless WNOHANG); status may be NULL. */
long aramid_proc_wait4(long pid, int *status, int options);
/* As aramid_proc_wait4; usage (may be NULL) gets the reaped child's user and system ns. */
long aramid_proc_wait4_usage(long pid, int *status, int options, unsigned long usage[2]);
__attribute__((noreturn)) void aramid_proc_exit(int status);
/* Ends the caller as killed by signal (1..64): its parent's wait sees WIFSIGNALED. */
__attribute__((noreturn)) void aramid_proc_exit_signal(int signal);
/* Tells proc that this image handles its signals, whether its children are reaped when they
 * die, and where its view and mask are (see signal_register above; NULL: none). */
long aramid_proc_signal_register(int nocldwait, const struct aramid_proc_signal_view *view,
                                 const volatile unsigned long *mask);
/* The caller's default action for stop signal ran: proc stops it (see stop above). */
long aramid_proc_stop(int signal);
/* child_info (above): 1 with *reply filled, 0 when none, or -errno. */
long aramid_proc_child_info(struct aramid_proc_child_info_reply *reply);
/* A boot module's memory object, granted to the caller; its size in *size. -> handle. */
long aramid_proc_module_open(const char *name, size_t *size);
/* Subscribes to the process-event feed; *notification gets the handle proc signals. */
long aramid_proc_events_subscribe(aramid_handle_t *notification);
/* Reads up to max (at most ARAMID_PROC_EVENTS_PER_READ) records into events; *lost is set when
 * records were dropped. Returns the number read or -errno. */
long aramid_proc_events_read(struct aramid_proc_event *events, size_t max, bool *lost);
long aramid_proc_getpid(void);
long aramid_proc_getppid(void);
long aramid_proc_kill(long pid, int signal);
/* Process groups and sessions (see setpgid ... getsid above). */
long aramid_proc_setpgid(long pid, long pgid);
long aramid_proc_getpgid(long pid);
long aramid_proc_setsid(void);
long aramid_proc_getsid(long pid);

#endif
