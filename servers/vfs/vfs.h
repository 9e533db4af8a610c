/* The vfs server's globals, client sessions and handler prototypes (servers/vfs). */
#ifndef VFS_VFS_H
#define VFS_VFS_H

#include <stdbool.h>

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
 *   session.c  vfs_session_*: per-client shared buffers, wake-ups; session, handoff, adopt,
 *              release
 *   files.c    open, close, seek, stat, getdents, ftruncate, setfl, pipe, lock
 *   io.c       read, write (files, pipes, devices)
 *   names.c    mkdir, mknod, unlink, rename, link, symlink, readlink, access, chdir, getcwd,
 *              truncate, chmod, utimens, exec_open
 */

/* A handler's verdict: answer now, or not at all (a held call; only with IPC v2). */
enum vfs_action { VFS_REPLY, VFS_SUSPEND };

#define VFS_SESSIONS_MAX 256
#define VFS_SESSION_BUFFER (64ul * 1024) /* bytes shared with each client process */
#define VFS_PIPES_MAX 256
#define VFS_HANDOFFS_MAX 64
#define VFS_HANDOFF_BYTES 4096

/* What a session waits for, so that a transition wakes it (see session.c). */
enum vfs_wait { VFS_WAIT_NONE, VFS_WAIT_PIPE, VFS_WAIT_LOCK };

/*
 * A client process: its kernel id, the shared buffer (vfs's mapping of it), the notification
 * vfs signals when what it waited for changed. process 0: free.
 */
struct vfs_session {
    unsigned long process;
    aramid_handle_t buffer_object;
    unsigned char *buffer;
    aramid_handle_t notification;
    enum vfs_wait wait;
    long wait_object;
};

/* One request being handled: its caller's session (NULL only for session itself), the path
 * or bytes it sent (buffer, buffer_bytes) and where a reply's bytes go (reply_buffer,
 * *reply_bytes). */
struct vfs_call {
    unsigned long process;
    struct vfs_session *session;
    const char *buffer;
    size_t buffer_bytes;
    char *reply_buffer;
    size_t reply_bytes;
    aramid_handle_t granted;   /* a handle the request moved to vfs (session), or 0 */
    aramid_handle_t grant_out; /* a handle of vfs's to move to the caller with the reply */
};

struct vfs_pipe_object {
    bool used;
    struct pipe pipe;
    long inode; /* the FIFO's inode, 0 for pipe(2) */
    unsigned waiters;
};

struct vfs_globals {
    aramid_handle_t endpoint;
    aramid_handle_t space;
    struct tmpfs tmpfs;
    struct mount_table mounts;
    struct path_namespace names;
    struct ofd_table ofds;
    struct lock_table locks;
    struct vfs_pipe_object pipes[VFS_PIPES_MAX];
    long root, tmp_root, dev_root;
    unsigned long random_state;
};

extern struct vfs_globals vfs;

/* Handlers, one per message. */
#define VFS_HANDLER_DECLARE(label, name, request_list, reply_list)                                 \
    enum vfs_action vfs_do_##name(struct vfs_call *call,                                          \
                                  const struct aramid_vfs_##name##_request *request,              \
                                  struct aramid_vfs_##name##_reply *reply);
ARAMID_VFS_MESSAGES(VFS_HANDLER_DECLARE)
#undef VFS_HANDLER_DECLARE

enum vfs_action vfs_dispatch(struct vfs_call *call, unsigned label,
                             const unsigned long words[ARAMID_IPC_REGISTERS],
                             unsigned long reply_words[ARAMID_IPC_REGISTERS]);

/* memory.c */
void *vfs_page_alloc(void *context);
void vfs_page_free(void *context, void *page);
unsigned long vfs_now(void *context);
extern const struct tmpfs_memory vfs_memory;

/* session.c */
struct vfs_session *vfs_session_find(unsigned long process);
/* Marks the caller as waiting for object to change, so the next vfs_session_wake of it
 * signals the caller's notification. */
void vfs_session_wait(struct vfs_session *session, enum vfs_wait wait, long object);
/* Signals every session waiting for object. */
void vfs_session_wake(enum vfs_wait wait, long object);
/* Lets go of every description process holds (exit, or exec's handoff). */
void vfs_session_release_all(unsigned long process);

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
