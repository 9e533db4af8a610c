/* posix-shim's client of the vfs server: the session, the fd backend, paths, fork/exec/exit. */
#ifndef POSIX_SHIM_VFS_H
#define POSIX_SHIM_VFS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include <aramid/proto/vfs.h>

#include "fd.h"

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 16 /* newlib's value, declared only for _GNU_SOURCE */
#endif

#define PIPE_CAPACITY_BYTES 65536 /* what F_GETPIPE_SZ reports (vfs's ring) */

/* The backend of every descriptor vfs serves: file->handle = the open description (ofd),
 * file->index = enum aramid_vfs_kind, file->size = the device number. */
extern const struct fd_backend vfs_backend;

/* Whether this process talks to a vfs server (0 for the root task, or a run without vfs). */
bool vfs_available(void);

/* Converts newlib's O_* flags to Linux's (what vfs speaks) and back. */
int vfs_flags_to_linux(int flags);
int vfs_flags_from_linux(int flags);

/* The ofd a *at call starts from: AT_FDCWD is the working directory; -EBADF, -ENOTDIR. */
long vfs_dir_of(int dirfd, long *dir);

/* Puts path into the IPC buffer (without NUL) at offset, returning the bytes there after it
 * (offset + length); -EFAULT (NULL or unreadable), -ENAMETOOLONG, -ENOENT is not checked. */
long vfs_put_path(const char *path, size_t offset);

/* Opens path from dirfd with newlib flags and mode -> a new descriptor. */
long vfs_open_at(int dirfd, const char *path, int flags, mode_t mode);
/* stat family: flags are newlib AT_* flags. */
long vfs_stat_at(int dirfd, const char *path, int flags, struct stat *status);

/* The working directory's ofd (VFS_AT_ROOT until chdir) and a copy of its cached absolute
 * path (its length returned). */
long vfs_cwd(void);
size_t vfs_cwd_path(char out[PATH_MAX]);
/* Makes ofd (held by the caller, a directory) the working directory, dropping the old one. */
long vfs_cwd_set(long ofd);


/* Fork: the parent's handoff before fork (token, 0 without a session), the child's adoption
 * (with a fresh session of its own), the parent's cancel after a failed fork. */
unsigned long vfs_fork_prepare(void);
void vfs_fork_child(unsigned long token);
void vfs_fork_failed(unsigned long token);
/* execve: hands the descriptor table over (-> token, 0 without vfs), cancels it after a failed
 * execve; the new image's start takes it (vfs_exec_start, which rebuilds the fd table). */
unsigned long vfs_exec_prepare(void);
void vfs_exec_failed(unsigned long token);
void vfs_exec_start(unsigned long token);
/* Exit: vfs lets go of everything this process held (pipes see their end). */
void vfs_exit(void);

/* A description whose offset posix-shim kept gives it to vfs and lets vfs keep it from now on
 * (F_SETFL O_APPEND, fork, execve). */
void vfs_offset_publish(struct fd_file *file);

/* SCM_RIGHTS of a vfs description (VFS_HANDOFF_PASS): the sender's token for file (vfs holds
 * the description until it is adopted; -EOPNOTSUPP for a file vfs does not serve), its cancel
 * (a send that failed), and the receiver's adoption as a new descriptor (or -errno). */
long vfs_pass_out(struct fd_file *file, unsigned long *token);
void vfs_pass_cancel(unsigned long token);
long vfs_pass_in(unsigned long token, int close_on_exec);

/* The readiness word vfs keeps for description ofd (ARAMID_VFS_READY_VALID | poll bits), or 0
 * when vfs tells none (then ask the event server). */
unsigned long vfs_ready_word(long ofd);

/* Makes sure the session exists (made on first use): its buffer and size, NULL on failure
 * with *error. Data moves through the thread's own buffer (vfs_buffer_get), not this one. */
unsigned char *vfs_buffer(size_t *size, long *error);
/* The calling thread's shared buffer (claimed on its first transfer), its size and the
 * number the calls name it by (aramid_vfs_call_in_*); NULL on failure with *error. */
unsigned char *vfs_buffer_get(size_t *size, unsigned *index, long *error);
/* Holds buffer index for one transfer: true if it had to take it (VFS_BUFFER_SHARED, the one
 * threads share when they have no own, vfs.c); give back what take returned. */
#define VFS_BUFFER_SHARED (ARAMID_VFS_BUFFERS - 1)
bool vfs_buffer_take_shared(void);
static inline bool vfs_buffer_take(unsigned index)
{
    return index == VFS_BUFFER_SHARED && vfs_buffer_take_shared();
}
void vfs_buffer_give(bool taken);
/* A thread ends: its buffer goes back to the process for the next thread. */
struct shim_thread;
void vfs_thread_exit(struct shim_thread *self);

#endif
