/* The vfs server's protocol, defined once: messages, their words, client stubs, records. */
#ifndef ARAMID_PROTO_VFS_H
#define ARAMID_PROTO_VFS_H

#include <stddef.h>

#include <aramid/proto/proto.h>
#include <aramid/ring.h>
#include <aramid/syscall.h>

/*
 * X(label, name, (request words), (reply words after `result`))
 *
 * As proc's protocol (aramid/proto/proc.h): the label in the info word, the words in mr0..,
 * every reply starts with result (>= 0 or -errno, Linux values). The caller is named by the
 * kernel (its process id: the badge today, r15 with IPC v2) and has a session (below).
 *
 * Where the bytes go:
 * - Paths travel in the IPC buffer (one kernel copy): a path is the buffer's bytes (no NUL;
 *   0..4095 bytes, 4096 and more give -ENAMETOOLONG as Linux); two-path calls (rename, link,
 *   symlink) send "first\0second" and say in the words where the second starts.
 * - Records vfs answers with (stat, readlink, getcwd) come back in the reply's IPC buffer.
 * - File data (read, write, getdents) moves through the session's shared buffer: a memory
 *   object vfs makes per client process and grants in the session reply, mapped by both. The
 *   client copies into it before a write and out of it after a read; vfs bounds every offset and
 *   length by its own copy of the buffer's size, so a client that scribbles over it hurts only
 *   its own data.
 *
 * Names: `dir` is an open description of a directory (or VFS_AT_ROOT: path from /), `ofd` an
 * open description the caller holds (posix-shim's fd table keeps them; fd numbers never reach
 * vfs). A description the caller does not hold is -EBADF.
 *
 * session:   grant = a handle to the caller's own process (read, manage: what the kernel's
 *            process_notify_exit asks for): vfs watches it and lets go of
 *            everything the process held when it dies, however it dies. reply: result 0, size =
 *            bytes of the shared buffer, granted in mr5 (read, write, map). A second session
 *            replaces the first (a fork child makes its own; an execve's image too).
 * ready_map: -> result 0, count; a grant: the readiness words (read, map only), count words
 *            of struct aramid_vfs_ready_word indexed by description number: while a description
 *            can tell readiness (a pipe or FIFO end) its word is ARAMID_VFS_READY_VALID | its
 *            poll bits, written before vfs answers the call that changed them; 0 otherwise. A
 *            holder reads its own descriptions' words instead of asking (poll). Word 0 is the
 *            console terminal's.
 * ready_handle: ofd -> result 0, id (the description's ready id, ARAMID_READY_ID_VFS | ...),
 *            and a grant: vfs's endpoint minted with a badge naming the description (send,
 *            grant, duplicate). Through it anyone holding it (the event server, given it with
 *            epoll_ctl) calls aramid/proto/ready.h's ready_poll, ready_watch and
 *            ready_unwatch; the handle names nothing (-EBADF) once the description goes.
 *            ofd 0: the console terminal (posix-shim's console descriptors have no vfs
 *            description), for any caller.
 * open:      dir, flags (Linux O_*), mode + path -> result = ofd; kind (enum aramid_vfs_kind),
 *            rdev (for devices), status (the description's status flags).
 * close:     ofd. The caller no longer holds it; the description goes with its last holder.
 * read/write: ofd, length (<= the shared buffer), offset, positional (bits:
 *            ARAMID_VFS_POSITIONAL pread/pwrite at offset, the description's offset unchanged;
 *            for pipes ARAMID_VFS_NO_WAIT, -EAGAIN rather than keeping the call, and
 *            ARAMID_VFS_PROBE, move nothing: 0 once the transfer could go on; others -EINVAL)
 *            -> result = bytes. On an empty (read) or full (write) pipe without O_NONBLOCK vfs
 *            keeps the call (its reply token) and answers when bytes or room come, or the other
 *            end goes; a signal's cancel notice answers it with -EINTR. A probe is kept the same
 *            way but never touches the shared buffer, so threads sharing one (posix-shim's
 *            number 63) wait for a pipe with it let go: NO_WAIT transfer, then a probe. A
 *            write may answer with fewer bytes than asked (what fit); writes of up to PIPE_BUF
 *            bytes are never split. write to a pipe without readers:
 *            -EPIPE (the client raises SIGPIPE).
 * seek:      ofd, offset, whence -> result = new offset (-ESPIPE on pipes).
 * stat:      dir, flags (VFS_AT_*) + path -> struct aramid_vfs_stat in the reply buffer. With
 *            VFS_AT_EMPTY_PATH and an empty path: the description dir itself (fstat).
 * getdents:  ofd, length -> result = bytes of struct linux_dirent64 records at the shared
 *            buffer's start, 0 at the end.
 * mkdir, mknod: dir, mode (mknod: S_IFIFO only) + path.
 * unlink:    dir, flags (VFS_AT_REMOVEDIR: rmdir) + path.
 * rename:    old_dir, new_dir, second (offset of the second path) + both paths.
 * link:      old_dir, new_dir, second, flags (VFS_AT_SYMLINK_FOLLOW).
 * symlink:   dir, second + "target\0path".
 * readlink:  dir + path -> result = bytes of the target in the reply buffer (not NUL-ended).
 * access:    dir, mode (R_OK 4, W_OK 2, X_OK 1, F_OK 0), flags + path.
 * chdir:     dir + path -> result = an ofd of the directory (posix-shim's new cwd).
 * getcwd:    dir -> result = length; the absolute path (NUL-terminated) in the reply buffer.
 * truncate:  dir, length + path; ftruncate: ofd, length.
 * chmod:     dir, mode, flags + path (fchmod: VFS_AT_EMPTY_PATH). chown: accepted (one user).
 * utimens:   dir, flags, atime, mtime (nanoseconds; VFS_UTIME_NOW, VFS_UTIME_OMIT) + path.
 * pipe:      flags (O_NONBLOCK) -> result = read end ofd, write = write end ofd.
 * setfl:     ofd, status -> result 0 (O_APPEND and O_NONBLOCK change; the rest stays).
 * lock:      ofd, command (VFS_LOCK_GET, VFS_LOCK_SET, VFS_LOCK_WAIT), type (Linux F_RDLCK 0,
 *            F_WRLCK 1, F_UNLCK 2), start, length (0: to end of file), whence -> result 0;
 *            type, start, length, pid of a conflicting lock for GET (type F_UNLCK: none);
 *            -EAGAIN for SET on a conflict; WAIT on a conflict is kept until the lock is free
 *            (or a cancel notice: -EINTR).
 * handoff:   kind (VFS_HANDOFF_FORK, VFS_HANDOFF_EXEC) + the caller's fd table as bytes
 *            (exec) -> result 0, token = a one-time secret. The new process (a fork child, or
 *            the image execve starts) calls adopt with it: it then holds every description
 *            the caller held (fork: both hold them; exec: the caller lets go).
 * adopt:     token -> result = bytes of the fd table stored with it, in the reply buffer.
 * release:   -> result 0: the caller lets go of everything (exit).
 * exec_open: dir + path -> result = a memory object with the file's bytes, granted (read, map);
 *            size. -EACCES when it is not a regular file with an execute bit.
 * tty_read:  the console terminal (/dev/console, /dev/tty, fds 0-2): length (<= the shared
 *            buffer), flags (VFS_TTY_NONBLOCK; VFS_TTY_TTIN_IGNORED: SIGTTIN is ignored or
 *            blocked in the caller), column (1 + the column the caller's own console writes
 *            left the cursor at since its last tty_read, 0: unknown), and who the caller says
 *            it is: pid, pgid, sid (0: unknown, proc without process groups) -> result =
 *            bytes at the shared buffer's start, 0 at end of file. Without input the call is
 *            kept until a line (canonical) or VMIN bytes come, VTIME passes, or a cancel notice
 *            (-EINTR). A reader in a background group of the terminal's session: SIGTTIN to
 *            its group and -EINTR (read again after the signal), or -EIO with TTIN_IGNORED.
 *            signal: a signal typed (^C, ^\, ^Z) that vfs could not send through proc (no
 *            process groups): the kept read ends with -EINTR and the caller raises it itself.
 * tty_ioctl: request (Linux's number; | VFS_TTY_TTOU_IGNORED), value (an integer argument: TCFLSH's queue, TIOCSPGRP's
 *            group, TIOCSCTTY's force), pid, pgid, sid as for tty_read, target_sid (TIOCSPGRP:
 *            the session of the group asked for) + the request's structure in the IPC buffer
 *            (TCSETS*: struct aramid_termios, TIOCSWINSZ: struct aramid_winsize) -> result 0,
 *            value (TIOCGPGRP, TIOCGSID, FIONREAD) and the answer's structure in the reply
 *            buffer (TCGETS, TIOCGWINSZ). -ENOTTY for requests a terminal does not know. A
 *            background caller's TCSETS*, TCFLSH, TIOCSPGRP: SIGTTOU to its group, -EINTR.
 * statfs:    dir, flags (VFS_AT_EMPTY_PATH: the description dir itself) + path -> struct
 *            aramid_vfs_statfs in the reply buffer (the file system the path is on).
 * buffer:    index (1 .. ARAMID_VFS_BUFFERS - 1) -> result 0, size, and a grant: a further
 *            shared buffer of the caller's (read, write, map), for one thread's transfers.
 *            -EINVAL for a bad index, -EBUSY for one made already, -EAGAIN when vfs has no
 *            room. Every call names the shared buffer its bytes move through in its label's
 *            bits 16 and up (ARAMID_VFS_LABEL_BUFFER): 0 the session's, n the one buffer(n)
 *            made; naming one not made is -EINVAL. They go with the session (exit, execve's new
 *            session, release).
 * tty_state: -> result 0 and a grant: one page (read, map) holding struct
 *            aramid_vfs_tty_state, the same for every caller. Needs no session (posix-shim maps
 *            it at a process's first console write, before anything else may need vfs).
 * map:       ofd, offset, length (bytes; offset page-aligned), prot (PROT_* of the mapping;
 *            posix-shim leaves PROT_WRITE out for MAP_PRIVATE) -> result 0 and a grant: the
 *            memory object that holds the file's data (read, map; write too when the
 *            description is O_RDWR), at least offset + length bytes, sized to the file's end;
 *            the caller maps [offset, offset + length) of it past its end (ARAMID_MAP_PAST_END:
 *            SIGBUS past the file's end), privately for MAP_PRIVATE (ARAMID_MAP_PRIVATE). Stores
 *            there are what read sees and writes are what the mapping sees, in every process
 *            that maps it.
 *            -ENODEV (not a regular file), -EACCES (not readable; PROT_WRITE without O_RDWR),
 *            -EINVAL (offset not page-aligned, length 0), -ENOMEM (past the largest file, or no
 *            memory; the file system's page limit).
 * handoff_drop: token of a VFS_HANDOFF_PASS handoff nobody will adopt (its message was destroyed
 *            unread: the sock server calls it, without a session) -> result 0: what it held
 *            is let go; -EINVAL for any other token.
 * pipe_ring: ofd (an end of a pipe(2) pipe whose two descriptions are each held by one
 *            process, the caller one of them; no readiness handle made, nothing queued, nobody
 *            kept) -> result 0, pipe (the pipe's number, the same for both ends) and a grant:
 *            the pipe's ring memory (ARAMID_VFS_PIPE_RING_BYTES, read/write; docs/vfs.md "The
 *            pipe fast path"), the same for both holders while it lives. -EPERM: not now (the
 *            caller's ends leave any ring; a later read or write reply may offer one).
 *            -EBADF: not a pipe end the caller holds. existing 1: only a ring the pipe has
 *            already (its other end's): else -ENOENT, and nothing changes (a poll asks so
 *            before it leaves a ring it may not know).
 * pipe_ring_leave: ofd (a pipe end the caller holds) -> result 0: the caller's ends of the pipe
 *            leave its ring, which retires (SLOW); the caller's threads no longer touch it. Once
 *            both ends left, the vfs takes what it holds into its queue and lets it go. The vfs
 *            counts an end as left on its close, on a second holder (fork, exec, SCM_RIGHTS: the
 *            giver left first), and on a read or write of it that reaches the vfs.
 * pipe_ring_sync: ofd (a pipe end the caller holds, on its ring) -> result 0: the caller moved
 *            bytes through the ring while it said ARAMID_VFS_PIPE_RING_TELL; the vfs counts the
 *            event (EPOLLET's edge) and tells the description's watchers of the new bits.
 * read and write of a pipe end also answer ring: ARAMID_VFS_RING_OFFER (with the result: the
 *            pipe may have a ring for the caller now, pipe_ring may be asked again) or
 *            ARAMID_VFS_RING_USE (nothing was done: the pipe has a ring the caller may use;
 *            ask pipe_ring and move the bytes through it).
 */
#define ARAMID_VFS_MESSAGES(X)                                                                     \
    X(1, session, (), (size))                                                                      \
    X(62, ready_map, (), (count))                                                                  \
    X(63, ready_handle, (ofd), (id))                                                               \
    X(2, open, (dir, flags, mode), (kind, rdev, status))                                           \
    X(3, close, (ofd), ())                                                                         \
    X(4, read, (ofd, length, offset, positional), (ring))                                          \
    X(5, write, (ofd, length, offset, positional), (ring))                                         \
    X(6, seek, (ofd, offset, whence), ())                                                          \
    X(7, stat, (dir, flags), ())                                                                   \
    X(8, getdents, (ofd, length), ())                                                              \
    X(9, mkdir, (dir, mode), ())                                                                   \
    X(10, mknod, (dir, mode), ())                                                                  \
    X(11, unlink, (dir, flags), ())                                                                \
    X(12, rename, (old_dir, new_dir, second), ())                                                  \
    X(13, link, (old_dir, new_dir, second, flags), ())                                             \
    X(14, symlink, (dir, second), ())                                                              \
    X(15, readlink, (dir), ())                                                                     \
    X(16, access, (dir, mode, flags), ())                                                          \
    X(17, chdir, (dir), ())                                                                        \
    X(18, getcwd, (dir), ())                                                                       \
    X(19, truncate, (dir, length), ())                                                             \
    X(20, ftruncate, (ofd, length), ())                                                            \
    X(21, chmod, (dir, mode, flags), ())                                                           \
    X(22, utimens, (dir, flags, atime, mtime), ())                                                 \
    X(23, pipe, (flags), (write))                                                                  \
    X(24, setfl, (ofd, status), ())                                                                \
    X(25, lock, (ofd, command, type, start, length, whence), (type, start, length, pid))          \
    X(26, handoff, (kind), (token))                                                                \
    X(27, adopt, (token), ())                                                                      \
    X(28, release, (), ())                                                                         \
    X(29, exec_open, (dir), (size))                                                                \
    X(30, tty_read, (length, flags, column, pid, pgid, sid), (signal))                             \
    X(31, tty_ioctl, (request, value, pid, pgid, sid, target_sid), (value))                        \
    X(32, statfs, (dir, flags), ())                                                                \
    X(33, map, (ofd, offset, length, prot), ())                                                   \
    X(34, tty_state, (), ())                                                                       \
    X(40, buffer, (index), (size))                                                                 \
    X(42, handoff_drop, (token), ())                                                               \
    X(37, pipe_ring, (ofd, existing), (pipe))                                                      \
    X(38, pipe_ring_leave, (ofd), ())                                                              \
    X(43, pipe_ring_sync, (ofd), ())

#define ARAMID_VFS_LABEL(label, name, request, reply) ARAMID_VFS_##name = label,
enum aramid_vfs_label { ARAMID_VFS_MESSAGES(ARAMID_VFS_LABEL) };
/* Labels run below this (the readiness calls, 62 and 63, are the highest; new messages take
 * the numbers after the list's last). */
#define ARAMID_VFS_LABEL_END (ARAMID_VFS_ready_handle + 1)
#undef ARAMID_VFS_LABEL
/* read/write's positional bits (above). */
#define ARAMID_VFS_POSITIONAL 1
#define ARAMID_VFS_NO_WAIT 2
#define ARAMID_VFS_PROBE 4
/* Shared buffers a client may have (the session's is 0) and where a label names one. */
#define ARAMID_VFS_BUFFERS 64
#define ARAMID_VFS_BUFFER_SHIFT 16
#define ARAMID_VFS_LABEL_BUFFER(label, buffer) \
    ((unsigned)(label) | ((unsigned)(buffer) << ARAMID_VFS_BUFFER_SHIFT))

#define ARAMID_VFS_STRUCTS(label, name, request, reply)                                            \
    struct aramid_vfs_##name##_request {                                                           \
        ARAMID_PROTO_FIELDS(request)                                                               \
    };                                                                                             \
    struct aramid_vfs_##name##_reply {                                                             \
        long result;                                                                               \
        ARAMID_PROTO_FIELDS(reply)                                                                 \
    };                                                                                             \
    _Static_assert(                                                                                \
        sizeof(struct aramid_vfs_##name##_request) <= ARAMID_IPC_REGISTERS * sizeof(long) &&       \
            sizeof(struct aramid_vfs_##name##_reply) <= ARAMID_IPC_REGISTERS * sizeof(long),       \
        "vfs message " #name " must fit the message registers");
ARAMID_VFS_MESSAGES(ARAMID_VFS_STRUCTS)
#undef ARAMID_VFS_STRUCTS

/* The stubs: send to aramid_proc_self.vfs with buffer_bytes from the calling thread's IPC
 * buffer; store the reply words and the reply's buffer byte count (*reply_bytes, may be NULL).
 * Return reply->result, or the IPC error with *reply untouched (-EIO for a dead server or
 * endpoint: ARAMID_PROTO_SERVER_GONE, proto.h). */
#define ARAMID_VFS_STUB_DECLARE(label, name, request, reply)                                       \
    long aramid_vfs_call_##name(const struct aramid_vfs_##name##_request *request_words,           \
                                size_t buffer_bytes, struct aramid_vfs_##name##_reply *reply_words, \
                                size_t *reply_bytes);
ARAMID_VFS_MESSAGES(ARAMID_VFS_STUB_DECLARE)
#undef ARAMID_VFS_STUB_DECLARE
/* The same through shared buffer `buffer` (ARAMID_VFS_LABEL_BUFFER): aramid_vfs_call_in_NAME. */
#define ARAMID_VFS_STUB_IN_DECLARE(label, name, request, reply)                                    \
    long aramid_vfs_call_in_##name(unsigned buffer,                                                \
                                   const struct aramid_vfs_##name##_request *request_words,        \
                                   size_t buffer_bytes,                                            \
                                   struct aramid_vfs_##name##_reply *reply_words,                  \
                                   size_t *reply_bytes);
ARAMID_VFS_MESSAGES(ARAMID_VFS_STUB_IN_DECLARE)
#undef ARAMID_VFS_STUB_IN_DECLARE

/* session, granting process (a handle to the caller's own process; the generated stub cannot
 * grant): stores the granted buffer's handle and size. */
long aramid_vfs_session(aramid_handle_t process, aramid_handle_t *buffer, size_t *size);
/* buffer: shared buffer index's memory object (granted) and its size. */
long aramid_vfs_buffer(unsigned index, aramid_handle_t *buffer, size_t *size);
/* exec_open, which answers with a granted memory object. */
long aramid_vfs_exec_open(long dir, size_t path_bytes, aramid_handle_t *memory_object,
                          size_t *size);
/* map, which answers with the file's memory object (granted). */
long aramid_vfs_map(long ofd, unsigned long offset, unsigned long length, unsigned long prot,
                    aramid_handle_t *memory_object);
/* tty_state, which answers with the terminal's state page (granted). */
long aramid_vfs_tty_state(aramid_handle_t *memory_object);
/* ready_map: the readiness words' memory object and their count. */
long aramid_vfs_ready_map(aramid_handle_t *memory_object, size_t *count);
#define ARAMID_VFS_READY_VALID (1ul << 32)
/* In a pipe end's word: the vfs counts this end as using the pipe's ring, so the bits (its
 * queue's) do not tell what the ring holds: the holder looks at the ring itself. */
#define ARAMID_VFS_READY_RING (1ul << 33)
/* The vfs's tag among ready ids (aramid/proto/ready.h: sock 1 << 60, the ipc server 2 << 60). */
#define ARAMID_READY_ID_VFS (4ul << 60)
/* ready_handle, which answers with the description's readiness handle and its ready id. */
long aramid_vfs_ready_handle(long ofd, aramid_handle_t *handle, unsigned long *id);

/* pipe_ring, which answers with the pipe's ring memory (granted) and the pipe's number. */
long aramid_vfs_pipe_ring(long ofd, bool existing, aramid_handle_t *memory_object, long *pipe);

/*
 * The pipe fast path's memory: the vfs's flags word, then the SPSC ring of aramid/ring.h (the
 * write end's holder produces, the read end's consumes; one process or two). While flags is 0
 * writes go into the ring and reads come from it. ARAMID_VFS_PIPE_RING_SLOW (set once, for
 * this memory object's life; the vfs sets it on every change that needs its queue and wakes
 * whoever sleeps on a waiting word): the writer leaves (its later bytes go to the vfs; one that
 * finds SLOW right after putting bytes in says pipe_ring_leave, so that a kept reader hears of
 * them); the reader first takes what the ring still holds (older than anything queued), then
 * leaves and reads from the vfs. A later ring of the pipe is a new memory object.
 */
#define ARAMID_VFS_RING_OFFER 1l
#define ARAMID_VFS_RING_USE 2l
#define ARAMID_VFS_PIPE_RING_CAPACITY 65536u
#define ARAMID_VFS_PIPE_RING_BYTES (4096ul + ARAMID_VFS_PIPE_RING_CAPACITY)
#define ARAMID_VFS_PIPE_RING_SLOW 1u
/* Someone watches an end through its readiness handle (epoll, a waiting poll): every ring
 * transfer that moved bytes sends pipe_ring_sync after it (the vfs's bits count the ring). */
#define ARAMID_VFS_PIPE_RING_TELL 2u
struct aramid_vfs_pipe_ring {
    _Atomic uint32_t flags;
    uint32_t reserved[15];
    struct aramid_ring_shared ring;
};
_Static_assert(sizeof(struct aramid_vfs_pipe_ring) + ARAMID_VFS_PIPE_RING_CAPACITY <=
                   ARAMID_VFS_PIPE_RING_BYTES,
               "the pipe ring's data fits its memory");

/* dir value for "from the root" (absolute paths ignore dir anyway). */
#define VFS_AT_ROOT 0
/* flags of stat, access, link, unlink, chmod, utimens (Linux AT_* values). */
#define VFS_AT_SYMLINK_NOFOLLOW 0x100
#define VFS_AT_REMOVEDIR 0x200
#define VFS_AT_SYMLINK_FOLLOW 0x400
#define VFS_AT_EACCESS 0x200
#define VFS_AT_EMPTY_PATH 0x1000
#define VFS_UTIME_NOW (-1l)
#define VFS_UTIME_OMIT (-2l)

/* Linux open flags the server understands. */
#define VFS_O_ACCMODE 03
#define VFS_O_RDONLY 00
#define VFS_O_WRONLY 01
#define VFS_O_RDWR 02
#define VFS_O_CREAT 0100
#define VFS_O_EXCL 0200
#define VFS_O_NOCTTY 0400
#define VFS_O_TRUNC 01000
#define VFS_O_APPEND 02000
#define VFS_O_NONBLOCK 04000
#define VFS_O_DIRECTORY 0200000
#define VFS_O_NOFOLLOW 0400000
#define VFS_O_CLOEXEC 02000000

#define VFS_LOCK_GET 1
#define VFS_LOCK_SET 2
#define VFS_LOCK_WAIT 3

/* tty_read flags. VFS_TTY_NOCTTY: the descriptor was opened O_NOCTTY, so its use does not
 * make the terminal the controlling terminal of a session leader without one. */
#define VFS_TTY_NONBLOCK 1
#define VFS_TTY_TTIN_IGNORED 2
#define VFS_TTY_NOCTTY 4
/* tty_ioctl's request word: the request in bits 0-31, this flag when SIGTTOU is ignored or
 * blocked in the caller (a background tcsetattr or tcsetpgrp then goes on, as on Linux), and
 * VFS_TTY_REQUEST_NOCTTY as VFS_TTY_NOCTTY above. */
#define VFS_TTY_TTOU_IGNORED (1ul << 32)
#define VFS_TTY_REQUEST_NOCTTY (1ul << 33)
/* tty_ioctl's request for a console write while TOSTOP is set (not a Linux request): 0 to go on;
 * from a background group of the terminal's session SIGTTOU to it and -EINTR (written again once
 * continued), unless SIGTTOU is ignored or blocked (VFS_TTY_TTOU_IGNORED). */
#define VFS_TTY_WRITE_CHECK 0x54ffu

/* tty_state's page: the terminal's c_lflag as its settings are now (vfs writes it whenever
 * they change; clients map it read-only and read it with one load before a console write). */
struct aramid_vfs_tty_state {
    unsigned long lflag;
};

#define VFS_HANDOFF_FORK 1
#define VFS_HANDOFF_EXEC 2
/* SCM_RIGHTS: the buffer is struct aramid_vfs_pass records naming descriptions the caller
 * holds (-EBADF otherwise); the handoff holds just those until a receiver adopts the token,
 * and vfs fills each record's kind, status and rdev itself (adopt returns the records). */
#define VFS_HANDOFF_PASS 3
struct aramid_vfs_pass {
    long ofd;
    long kind;   /* enum aramid_vfs_kind */
    long status; /* the description's status flags (Linux O_*) */
    long rdev;
};

/* What an open description is, as the client needs to know (fast paths, isatty). */
enum aramid_vfs_kind {
    ARAMID_VFS_KIND_FILE = 1,
    ARAMID_VFS_KIND_DIRECTORY,
    ARAMID_VFS_KIND_PIPE,
    ARAMID_VFS_KIND_DEVICE,
    /* open of a name in /dev/shm: result 0, no description; the name (NUL-ended) in the
     * reply's buffer names the ipc server's object, which the client opens (shm_open). */
    ARAMID_VFS_KIND_SHM,
};

/* Device numbers of /dev's nodes (Linux's major, minor as makedev would encode them). */
#define VFS_DEVICE(major, minor) (((unsigned long)(major) << 8) | (minor))
#define VFS_DEVICE_NULL VFS_DEVICE(1, 3)
#define VFS_DEVICE_ZERO VFS_DEVICE(1, 5)
#define VFS_DEVICE_FULL VFS_DEVICE(1, 7)
#define VFS_DEVICE_RANDOM VFS_DEVICE(1, 8)
#define VFS_DEVICE_URANDOM VFS_DEVICE(1, 9)
#define VFS_DEVICE_TTY VFS_DEVICE(5, 0)
#define VFS_DEVICE_CONSOLE VFS_DEVICE(5, 1)

/* stat's answer. */
struct aramid_vfs_stat {
    unsigned long dev;
    unsigned long ino;
    unsigned long mode;
    unsigned long nlink;
    unsigned long uid;
    unsigned long gid;
    unsigned long rdev;
    unsigned long size;
    unsigned long blksize;
    unsigned long blocks; /* 512-byte units */
    unsigned long atime, mtime, ctime; /* nanoseconds since the epoch */
};

/* statfs's answer (Linux's struct statfs fields; sizes in f_bsize units). */
struct aramid_vfs_statfs {
    unsigned long type; /* TMPFS_MAGIC 0x01021994 */
    unsigned long bsize;
    unsigned long blocks;
    unsigned long bfree;
    unsigned long bavail;
    unsigned long files;
    unsigned long ffree;
    unsigned long fsid;
    unsigned long namelen;
    unsigned long frsize;
    unsigned long flags;
};

/* getdents's records (Linux's struct linux_dirent64). */
struct aramid_vfs_dirent {
    unsigned long ino;
    long off;
    unsigned short reclen;
    unsigned char type;
    char name[];
};

/*
 * How init hands vfs its start (as for proc, aramid/proto/proc.h): one page at
 * ARAMID_VFS_BOOT_ADDRESS, rdi = that address. endpoint: the endpoint vfs serves (receive);
 * space: vfs's own address space; initrd: the initrd's memory object (0: none) and its size;
 * tmp_pages: the page limit of /tmp (0: none).
 */
#define ARAMID_VFS_BOOT_MAGIC 0x544f4f4253465600ul /* "\0VFSBOOT" */
#define ARAMID_VFS_BOOT_ADDRESS 0x7fe000000000ul
struct aramid_vfs_boot {
    unsigned long magic;
    aramid_handle_t endpoint;
    aramid_handle_t space;
    aramid_handle_t initrd;
    unsigned long initrd_size;
    unsigned long tmp_pages;
    aramid_handle_t console; /* the kernel's console input (read), 0: none */
    aramid_handle_t proc;    /* proc's endpoint, badged ARAMID_PROC_BADGE_SERVER (kill) */
    aramid_handle_t ipc;     /* the ipc server's endpoint (send; /dev/shm), 0: none */
    aramid_handle_t supervisor; /* send: where vfs hands its state objects (0: none) */
};

/*
 * The state hand-over (restart plan, docs/vfs.md): at its start vfs calls supervisor twice,
 * each call granting one memory object (read, write, map, grant, duplicate): label
 * ARAMID_VFS_KEEP_STATE the state object (its tables; mapped at ARAMID_VFS_STATE_ADDRESS, its
 * first words the header below), ARAMID_VFS_KEEP_PAGES the page object (file, index and pipe
 * pages; mapped at ARAMID_VFS_PAGES_ADDRESS, header.heap_bytes of it in use). The supervisor
 * answers 0 and keeps them. The addresses are fixed so that a new instance mapping the same
 * objects finds its pointers valid.
 */
#define ARAMID_VFS_KEEP_STATE 1
#define ARAMID_VFS_KEEP_PAGES 2
#define ARAMID_VFS_STATE_VERSION 0x0001657461747376ul /* "vstate" + layout 1 */
#define ARAMID_VFS_STATE_ADDRESS 0x40000000ul /* below 2 GiB: absolute 32-bit addressing, as .bss */
#define ARAMID_VFS_PAGES_ADDRESS 0x200000000000ul
struct aramid_vfs_state_header {
    unsigned long version;    /* ARAMID_VFS_STATE_VERSION */
    unsigned long generation; /* instances that served from it: 1 for the first */
    unsigned long state_bytes;
    unsigned long heap_bytes; /* of the page object, mapped and in use or free */
    unsigned long heap_next;  /* the next page never handed out */
    unsigned long free_head;  /* the top page of the free-page stack (servers/vfs/memory.c); 0: none */
    unsigned long free_count;
};

#endif
