/* The vfs server's globals, client sessions and handler prototypes (servers/vfs). */
#ifndef VFS_VFS_H
#define VFS_VFS_H

#include <stdbool.h>
#include <stdint.h>

#include <aramid/proto/proc.h>
#include <aramid/proto/ready.h> /* before the vfs macro: its structs have fields named vfs */
#include <aramid/proto/vfs.h>
#include <aramid/sys.h>

#include "lock.h"
#include "mount.h"
#include "ofd.h"
#include "path.h"
#include "pipe.h"
#include "tmpfs.h"

/*
 * Entry points:
 *   main.c     the start from init's hand-over, the receive loop, decoding the caller
 *   table.c    vfs_dispatch: the table generated from ARAMID_VFS_MESSAGES
 *   memory.c   vfs_page_alloc, vfs_page_free: tmpfs and pipe pages
 *   state.c    vfs_state_start: the tables and the page region as memory objects at fixed
 *              addresses, their handles kept by the supervisor (init)
 *   session.c  vfs_session_*: per-client shared buffers, exit watches; session, handoff, adopt,
 *              release
 *   wait.c     vfs_wait_*: held calls (pipes, F_SETLKW), answered later by reply token
 *   files.c    open, close, seek, stat, getdents, ftruncate, setfl, pipe, lock
 *   io.c       read, write (files, pipes, devices)
 *   names.c    mkdir, mknod, unlink, rename, link, symlink, readlink, access, chdir, getcwd,
 *              truncate, chmod, utimens, exec_open
 *   mapping.c  map: regular files' data in memory objects for MAP_SHARED
 */

/* A handler's verdict: answer now, or later (a held call, wait.c). */
enum vfs_action { VFS_REPLY, VFS_SUSPEND };

#define VFS_SESSIONS_MAX 256
#define VFS_SESSION_BUFFER (64ul * 1024) /* bytes shared with each client process */
#define VFS_PIPES_MAX 256
#define VFS_HANDOFFS_MAX 64
#define VFS_HANDOFF_BYTES 4096

/* What a held call waits for (wait.c): a pipe object, or any lock change. */
enum vfs_wait { VFS_WAIT_PIPE = 1, VFS_WAIT_LOCK };

/* A blocking F_SETLKW, resolved to its range. */
struct vfs_lock_wait {
    long inode;
    int type;
    unsigned long start, end;
};

/*
 * A client process: its kernel id, the shared buffer (vfs's mapping of it), vfs's handle to
 * the process and the child notification its exit signals (key = the session's slot).
 * process 0: free.
 */
struct vfs_session {
    unsigned long process;
    aramid_handle_t buffer_object;
    unsigned char *buffer;
    aramid_handle_t watched;
    aramid_handle_t exit_notification;
    /* The further buffers its threads made (buffer), by index (0 unused: that is buffer);
     * vfs's mappings of them, which go with the session. */
    unsigned char *extra[ARAMID_VFS_BUFFERS];
};

/* One request being handled: its caller's session (NULL only for session itself), the path
 * or bytes it sent (buffer, buffer_bytes) and where a reply's bytes go (reply_buffer,
 * *reply_bytes). */
struct vfs_call {
    unsigned long process;
    unsigned long reply; /* the call's reply token, for a handler that keeps it */
    struct vfs_session *session;
    unsigned char *shared;  /* the shared buffer the label named (NULL without a session) */
    unsigned shared_index;  /* its index, for a held call */
    const char *buffer;
    size_t buffer_bytes;
    char *reply_buffer;
    size_t reply_bytes;
    aramid_handle_t granted;   /* a handle the request moved to vfs (session takes it: 0), or 0 */
    aramid_handle_t grant_out; /* a handle of vfs's to move to the caller with the reply */
};

/* read_events and write_events count the readiness events of each end (a write, a read, the
 * other end's open or close: EPOLLET's edges); writer_opens counts write ends ever opened. */
struct vfs_pipe_object {
    bool used;
    struct pipe pipe;
    long inode; /* the FIFO's inode, 0 for pipe(2) */
    unsigned waiters;
    unsigned long read_events, write_events, writer_opens;
    long first_end; /* its descriptions, linked through ofd.next_end (0: none) */
    /* The fast path (pipe_ring.c): no ring, a ring in use (its memory shared with the holder
     * of each end), or retiring (SLOW set: the ring stays mapped until both ends left it).
     * ring_left: VFS_PIPE_RING_READ_LEFT / WRITE_LEFT for the ends whose holder no longer
     * touches the ring (it said so, or its transfers come here, or it closed or handed the
     * end on): only once the read end left does vfs consume the ring itself. */
    enum vfs_pipe_ring_state { VFS_PIPE_RING_NONE, VFS_PIPE_RING_ACTIVE, VFS_PIPE_RING_RETIRING }
        ring_state;
    unsigned ring_left;
    aramid_handle_t ring_memory;
    struct aramid_vfs_pipe_ring *ring;
};
#define VFS_PIPE_RING_READ_LEFT 1u
#define VFS_PIPE_RING_WRITE_LEFT 2u

/* Holder ids of pending handoffs start here (session.c): never a kernel process id. */
#define VFS_HANDOFF_HOLDER_BASE (1ul << 62)

/* A handoff waiting to be adopted: the giver, the kind, the secret and the table's bytes. */
struct vfs_handoff {
    unsigned long giver;
    unsigned long token;
    long kind;
    size_t bytes;
    char table[VFS_HANDOFF_BYTES];
};

#define VFS_EXTRA_MAX 512 /* further shared buffers (session.c) */

/* Everything vfs knows lives here, inside the state object (state.c): no table is in .bss. */
struct vfs_globals {
    aramid_handle_t endpoint;
    aramid_handle_t space;
    struct tmpfs tmpfs;
    struct mount_table mounts;
    struct path_namespace names;
    struct ofd_table ofds;
    struct lock_table locks;
    struct vfs_pipe_object pipes[VFS_PIPES_MAX];
    long root, tmp_root, dev_root, proc_root;
    unsigned long random_state;
    aramid_handle_t exits; /* bound: the parent of every session's exit notification */
    aramid_handle_t proc;  /* proc, badged ARAMID_PROC_BADGE_SERVER (signals), 0: none */
    long shm_root;         /* /dev/shm (shmfs.c) */
    aramid_handle_t ipc;   /* the ipc server's endpoint (send), 0: none */
    struct vfs_session sessions[VFS_SESSIONS_MAX];
    struct vfs_handoff handoffs[VFS_HANDOFFS_MAX];
    bool extra_used[VFS_EXTRA_MAX];
};

/* The state object: its header (aramid/proto/vfs.h says the hand-over) in the first page, then
 * the tables. Addresses are absolute: every instance maps the objects at the same addresses.
 * Invariant: header.heap_next - VFS_HEAP_START <= header.heap_bytes. */
#define VFS_STATE_ADDRESS ARAMID_VFS_STATE_ADDRESS
#define VFS_HEAP_START ARAMID_VFS_PAGES_ADDRESS
struct vfs_state {
    union {
        struct aramid_vfs_state_header header;
        char page[TMPFS_PAGE_SIZE];
    };
    struct vfs_globals globals;
};

/* The state and its tables, at their fixed address (mapped by vfs_state_start, first). */
#define VFS_STATE ((struct vfs_state *)VFS_STATE_ADDRESS)
#define vfs (VFS_STATE->globals)

/* state.c: makes the state and page objects, maps them, hands duplicates of their handles to
 * supervisor (0: none). Called before anything touches vfs. 0 or -errno. */
long vfs_state_start(aramid_handle_t space, aramid_handle_t supervisor);
/* The page object's handle (memory.c grows it). */
extern aramid_handle_t vfs_state_heap;

/* Handlers, one per message. */
#define VFS_HANDLER_DECLARE(label, name, request_list, reply_list)                                 \
    enum vfs_action vfs_do_##name(struct vfs_call *call,                                          \
                                  const struct aramid_vfs_##name##_request *request,              \
                                  struct aramid_vfs_##name##_reply *reply);
ARAMID_VFS_MESSAGES(VFS_HANDLER_DECLARE)
#undef VFS_HANDLER_DECLARE

/* table.c (ARAMID_SERVER_DISPATCH): the handler's enum vfs_action; -ENOSYS for an unknown
 * label, -EPERM for a caller without a session (but for session itself). */
int vfs_dispatch(struct vfs_call *call, unsigned label,
                 const unsigned long words[ARAMID_IPC_REGISTERS],
                 unsigned long reply_words[ARAMID_IPC_REGISTERS]);

/* console.c: the console terminal. The children of vfs.exits with these keys (above every
 * session's key, 1..VFS_SESSIONS_MAX) are its input and its VTIME timer. */
#define VFS_CONSOLE_INPUT_KEY (VFS_SESSIONS_MAX + 1ul)
#define VFS_CONSOLE_TIMER_KEY (VFS_SESSIONS_MAX + 2ul)
/* Binds the console input (0: none; reads are at end of file). 0 or -errno. */
long vfs_console_start(aramid_handle_t input);
/* A notification with key (> VFS_SESSIONS_MAX) came. */
void vfs_console_notified(unsigned long key);
/* A cancel notice: true when token was a kept console read (answered -EINTR). */
bool vfs_console_cancel(unsigned long token);
/* process died: its kept reads go; a session leader's death hangs the terminal up. */
void vfs_console_exited(unsigned long process);
/* process is exiting (release): as vfs_console_exited, but a hang-up does not signal the
 * leader's own group, which holds the exiting caller (it would die of SIGHUP instead). */
void vfs_console_exiting(unsigned long process);

/* The console's session and foreground group (0: none), for /proc's tty fields. */
void vfs_console_job(long *session, long *group);
/* The terminal's poll bits (readable when a read would not wait: a complete line in canonical
 * mode, a byte in raw mode, end of file; always writable) and its input generation. */
uint32_t vfs_console_ready_bits(unsigned long *generation);

/* procfs.c: /proc. start writes its fixed files; refresh rewrites it from proc's process list
 * (caller: the kernel id /proc/self names); path: whether a path is under /proc. */
long vfs_procfs_start(void);
void vfs_procfs_refresh(unsigned long caller, long console_session, long console_group);
bool vfs_procfs_path(const char *path, size_t length);

/* shmfs.c: /dev/shm. start makes the directory; refresh rewrites its images from the ipc
 * server's list; path: whether the call's path (from dir) is in it; object: whether a
 * resolved name is one of its objects (an image, or a new name there), which open reaches
 * through posix-shim (vfs_shmfs_open puts the name in the reply) and unlink through the
 * server (vfs_shmfs_unlink: 0 or -errno). */
long vfs_shmfs_start(void);
void vfs_shmfs_refresh(void);
bool vfs_shmfs_path(const struct vfs_call *call, long dir);
bool vfs_shmfs_object(const struct path_result *found);
long vfs_shmfs_open(struct vfs_call *call, const struct path_result *found);
long vfs_shmfs_unlink(const struct path_result *found);

/* memory.c */
void *vfs_page_alloc(void *context);
void vfs_page_free(void *context, void *page);
unsigned long vfs_now(void *context);
/* mapping.c: the inode's window goes (its memory object stays with the mappings). */
void vfs_window_release(void *context, long inode);
/* mapping.c: the inode's size changed: its object ends at the new end (SIGBUS past it). */
void vfs_window_resize(void *context, long inode, unsigned long size);
extern const struct tmpfs_memory vfs_memory;

/* session.c */
struct vfs_session *vfs_session_find(unsigned long process);
/* Shared buffer index of session (0: the session's own); NULL if it has none (or no session). */
static inline unsigned char *vfs_session_buffer(const struct vfs_session *session, unsigned index)
{
    if (session == NULL || index >= ARAMID_VFS_BUFFERS)
        return NULL;
    return index == 0 ? session->buffer : session->extra[index];
}
/* Lets go of every description process holds (exit, or exec's handoff). */
void vfs_session_release_all(unsigned long process);
/* The process of session slot key died: everything it held goes. */
void vfs_session_exited(unsigned long key);

/* wait.c: keeps the call (VFS_SUSPEND), or answers -EAGAIN in *result when no slot is free. */
/* probe: a pipe read or write of length bytes that moves nothing, answered 0 once it could go
 * on (ARAMID_VFS_PROBE). */
enum vfs_action vfs_wait_hold(struct vfs_call *call, unsigned label, enum vfs_wait wait,
                              long object, long ofd, long length, bool probe,
                              const struct vfs_lock_wait *lock, long *result);
/* object changed: held calls waiting for it run again; those that can go on are answered. */
void vfs_wait_retry(enum vfs_wait wait, long object);
/* A cancel notice for token: its held call is answered with -EINTR. */
void vfs_wait_cancel(unsigned long token);
/* The held calls of process are answered (-EBADF) and dropped. */
void vfs_wait_forget(unsigned long process);

/*
 * ready.c: readiness of descriptions for the event server (aramid/proto/ready.h). The hook for
 * every object that can be polled: vfs_ready_changed(source) after the object behind source
 * became readable, writable or hung up (or had an event: a write), before the call that changed
 * it is answered; watchers of every description of that source hear of it. vfs_ready_source
 * says a description's source, vfs_ready_bits its poll bits and event generation.
 */
#define VFS_READY_SOURCE_PIPE (1l << 40)  /* | pipe object */
#define VFS_READY_SOURCE_INODE (2l << 40) /* | inode: files and devices */
/* The console terminal: its readiness is description number 0 (never a real description;
 * ready_handle of ofd 0 names it, for any caller) and its word is word 0. */
#define VFS_READY_SOURCE_TTY (4l << 40) /* a bit of its own: sources are tested by bit */
long vfs_ready_source(const struct ofd *ofd);
uint32_t vfs_ready_bits(const struct ofd *ofd, unsigned long *generation);
void vfs_ready_changed(long source);
/* A pipe end joins or leaves its pipe's list of descriptions (the words below follow it). */
void vfs_ready_link(long id);
void vfs_ready_unlink(long id);
/* Description id goes: its watchers hear ARAMID_READY_GONE, its readiness handles die. */
void vfs_ready_gone(long id);
/* A client process ended: the watches it made go with it (the terminal's, id 0, would stay for
 * good otherwise: that description never goes). */
void vfs_ready_forget(unsigned long process);
/* A call on a readiness handle (badge != 0): turns *message into the reply. */
void vfs_ready_handle_call(struct aramid_message *message);

/* io.c: a pipe transfer now, through buffer: bytes, 0 (end of file), -EPIPE, or -EAGAIN when
 * it would have to wait. */
long vfs_pipe_read(struct ofd *ofd, unsigned long process, unsigned char *buffer,
                   size_t length);
long vfs_pipe_write(struct ofd *ofd, unsigned long process, const unsigned char *buffer,
                    size_t length);
/* Whether a read (write of length bytes) of the pipe description could go on now, moving
 * nothing: 0, -EAGAIN while it must wait, -EBADF for the wrong end. process does not use the
 * ring (it asks here). */
long vfs_pipe_probe(struct ofd *ofd, unsigned long process, bool write, size_t length);

/* pipe_ring.c: pipe object's ring retires (SLOW, sleepers woken); once its read end left it,
 * vfs takes what it holds into its queue (while a reader is open), and once both ends left it
 * lets the memory go. A pipe without a ring stays as it is. Called before anything that needs
 * the queue (a FIFO's new end here; the other causes name the leaving process: see
 * vfs_pipe_ring_leave). Only the ring's holders can have sent bytes the ring holds, so a
 * scribbled ring hurts that pipe alone. */
void vfs_pipe_ring_retire_active(long object);
static inline void vfs_pipe_ring_retire(long object)
{
    if (vfs.pipes[object].ring_state == VFS_PIPE_RING_ACTIVE)
        vfs_pipe_ring_retire_active(object);
}
/* process no longer touches object's ring (through the ends it holds, and the ends in left:
 * VFS_PIPE_RING_*_LEFT): the ring retires, and goes once both ends left it. */
void vfs_pipe_ring_leave_slow(long object, unsigned long process, unsigned left);
static inline void vfs_pipe_ring_leave(long object, unsigned long process, unsigned left)
{
    if (vfs.pipes[object].ring_state != VFS_PIPE_RING_NONE) /* every transfer asks: inline */
        vfs_pipe_ring_leave_slow(object, process, left);
}
/* The description id got another holder besides process (fork, exec, SCM_RIGHTS; process
 * left the ring before it asked): a pipe end's ring goes. */
void vfs_pipe_ring_held(long id, unsigned long process);
/* What a pipe transfer's reply says about the ring (aramid/proto/vfs.h read): 0, or
 * ARAMID_VFS_RING_OFFER when process may have a (new) ring for the pipe now. */
unsigned long vfs_pipe_ring_offer(long object, unsigned long process);
/* A readiness handle was made for an end of object: a ring in use tells of its transfers
 * (ARAMID_VFS_PIPE_RING_TELL). */
void vfs_pipe_ring_watch(long object);
/* The bytes pipe end ofd's ring holds that the vfs has not taken (its bits count them). */
long vfs_pipe_ring_queued(const struct ofd *ofd);
/* Whether pipe end ofd still counts as using its pipe's ring (ARAMID_VFS_READY_RING). */
bool vfs_pipe_ring_uses(const struct ofd *ofd);
/* Whether process should use the pipe's ring instead of this transfer (ARAMID_VFS_RING_USE). */
bool vfs_pipe_ring_redirect(long object, unsigned long process);

/* files.c: drops process's hold on ofd; the last holder frees the object behind it. */
long vfs_ofd_close(unsigned long process, long ofd);
/* The directory a *at call starts from: dir's inode, or the root for VFS_AT_ROOT. */
long vfs_start_dir(struct vfs_call *call, long dir);
/* The call's path (the request's buffer bytes, or from second for two-path calls), checked:
 * -ENAMETOOLONG (>= 4096 bytes), -EINVAL (a NUL inside). */
long vfs_call_path(const struct vfs_call *call, size_t from, size_t to, const char **path,
                   size_t *length);
/* Fills a stat record for inode. */
void vfs_stat_fill(long inode, struct aramid_vfs_stat *stat);

#endif
