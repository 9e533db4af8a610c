/* posix-shim's client of the vfs server: the session, the fd backend, paths, fork/exec/exit. */
#include "vfs.h"
#include "event.h" /* the poll state of pipe descriptions */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipc_client.h"
#include "pthread_internal.h"
#include "shim.h"

/*
 * The session: the buffer vfs shares with this process, made on the first call that needs it
 * (vfs also watches the process, to let go of its files when it dies). A fork child starts
 * with none (the parent's buffer is still mapped in its copy of the space and must not be
 * shared) and makes its own.
 */
static struct {
    bool ready;
    aramid_handle_t buffer_object;
    unsigned char *buffer;
    size_t size;
    long cwd;                /* ofd of the working directory; VFS_AT_ROOT: "/" */
    char cwd_path[PATH_MAX]; /* its absolute path, asked when it changes */
} vfs_client = {.cwd = VFS_AT_ROOT, .cwd_path = "/"};

/*
 * Shared buffers, one per thread that moves data through vfs, so that a reader vfs keeps
 * waiting never stops another thread's transfer: the session's (number 0) and those made with
 * vfs's buffer call (1 .. VFS_BUFFER_SHARED - 1). A thread claims one on its first transfer
 * (a free one, else a new one) and keeps it until it ends (vfs_thread_exit puts it back in
 * free for the next thread); they all go with the session (exit, execve, a fork child makes
 * its own). Threads beyond that share number VFS_BUFFER_SHARED, one transfer at a time under
 * vfs_buffer_lock (recursive: a handler on the holding thread goes through; the holder is not
 * cancelled meanwhile); a pipe transfer that must wait lets it go while it waits
 * (vfs_pipe_wait_shared), so the others go on.
 * Invariants: bit n of made is set once number n exists or a thread is making it; bit n of
 * free only while n exists and no thread has it, address[n] written before (release).
 */
static struct {
    unsigned long free;
    unsigned long made;
    unsigned char *address[ARAMID_VFS_BUFFERS];
} vfs_buffers;

bool vfs_available(void)
{
    return shim_started_by_proc && aramid_proc_self.vfs > 0;
}

static long vfs_session_open(void)
{
    /* vfs gets a handle to this process, moved with the call, to watch its exit (the kernel's
     * process_notify_exit needs the manage right; vfs is a trusted server). */
    long copy = sys_handle_duplicate(aramid_proc_self.process,
                                     ARAMID_RIGHT_READ | ARAMID_RIGHT_MANAGE | ARAMID_RIGHT_GRANT);
    if (copy < 0)
        return copy;
    aramid_handle_t object;
    size_t size;
    long result = aramid_vfs_session(copy, &object, &size);
    if (result < 0)
        return result;
    long mapped = aramid_memory_map(shim_self_space, size, ARAMID_PROT_READ | ARAMID_PROT_WRITE,
                                    object, 0);
    if (mapped < 0) {
        (void)sys_handle_close(object);
        return mapped;
    }
    vfs_client.buffer_object = object;
    vfs_client.buffer = (unsigned char *)mapped;
    vfs_client.size = size;
    vfs_buffers.address[0] = vfs_client.buffer;
    __atomic_store_n(&vfs_buffers.made, 1ul, __ATOMIC_RELEASE);
    __atomic_store_n(&vfs_buffers.free, 1ul, __ATOMIC_RELEASE);
    __atomic_store_n(&vfs_client.ready, true, __ATOMIC_RELEASE);
    return 0;
}

static pthread_mutex_t vfs_buffer_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

/* Forgets every buffer (their session is gone, or this is a fork child's copy). */
static void vfs_buffers_forget(void)
{
    memset(&vfs_buffers, 0, sizeof(vfs_buffers));
    shim_thread_self()->vfs_buffer = NULL;
}

/* Buffer number index from vfs, mapped: 0 or -errno (sys). When vfs made none, its made bit
 * goes again; one vfs made that cannot be mapped here stays made (vfs would say -EBUSY). */
static long vfs_buffer_make(unsigned index)
{
    aramid_handle_t object;
    size_t size;
    long result = aramid_vfs_buffer(index, &object, &size);
    if (result < 0) {
        __atomic_fetch_and(&vfs_buffers.made, ~(1ul << index), __ATOMIC_RELEASE);
        return result;
    }
    long mapped = size != vfs_client.size
                      ? -ENOMEM
                      : aramid_memory_map(shim_self_space, size,
                                          ARAMID_PROT_READ | ARAMID_PROT_WRITE, object, 0);
    (void)sys_handle_close(object); /* the mapping keeps it */
    if (mapped < 0)
        return mapped;
    vfs_buffers.address[index] = (unsigned char *)mapped;
    return 0;
}

/* Gives self a buffer (handlers held off by the caller): 0 or -errno (sys). */
static long vfs_buffer_claim(struct shim_thread *self)
{
    unsigned long free = __atomic_load_n(&vfs_buffers.free, __ATOMIC_ACQUIRE);
    while (free != 0) {
        if (__atomic_compare_exchange_n(&vfs_buffers.free, &free, free & (free - 1), false,
                                        __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {
            self->vfs_buffer_index = (unsigned)__builtin_ctzl(free);
            self->vfs_buffer = vfs_buffers.address[self->vfs_buffer_index];
            return 0;
        }
    }
    unsigned long made = __atomic_load_n(&vfs_buffers.made, __ATOMIC_ACQUIRE);
    for (;;) {
        unsigned long unmade = ~made & ((1ul << VFS_BUFFER_SHARED) - 1);
        if (unmade == 0)
            break;
        unsigned long bit = unmade & -unmade;
        if (!__atomic_compare_exchange_n(&vfs_buffers.made, &made, made | bit, false,
                                         __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            continue;
        unsigned index = (unsigned)__builtin_ctzl(bit);
        if (vfs_buffer_make(index) < 0)
            break; /* vfs has no room: share */
        self->vfs_buffer_index = index;
        self->vfs_buffer = vfs_buffers.address[index];
        return 0;
    }
    pthread_mutex_lock(&vfs_buffer_lock);
    long result = 0;
    if (vfs_buffers.address[VFS_BUFFER_SHARED] == NULL) {
        __atomic_fetch_or(&vfs_buffers.made, 1ul << VFS_BUFFER_SHARED, __ATOMIC_RELEASE);
        result = vfs_buffer_make(VFS_BUFFER_SHARED);
    }
    pthread_mutex_unlock(&vfs_buffer_lock);
    if (result < 0)
        return result;
    self->vfs_buffer_index = VFS_BUFFER_SHARED;
    self->vfs_buffer = vfs_buffers.address[VFS_BUFFER_SHARED];
    return 0;
}

void vfs_thread_exit(struct shim_thread *self)
{
    unsigned char *buffer = self->vfs_buffer;
    self->vfs_buffer = NULL;
    if (buffer == NULL || self->vfs_buffer_index == VFS_BUFFER_SHARED)
        return;
    __atomic_fetch_or(&vfs_buffers.free, 1ul << self->vfs_buffer_index, __ATOMIC_RELEASE);
}

bool vfs_buffer_take_shared(void)
{
    pthread_mutex_lock(&vfs_buffer_lock);
    shim_thread_self()->cancel_deferred++;
    return true;
}

void vfs_buffer_give(bool taken)
{
    if (!taken)
        return;
    shim_thread_self()->cancel_deferred--;
    pthread_mutex_unlock(&vfs_buffer_lock);
}

/* The session, made on first use (under the lock, handlers held off): 0 or -errno. */
static long vfs_session_ready(void)
{
    if (__atomic_load_n(&vfs_client.ready, __ATOMIC_ACQUIRE))
        return 0;
    if (!vfs_available())
        return -ENOSYS;
    unsigned long saved = signal_hold();
    pthread_mutex_lock(&vfs_buffer_lock);
    long result = vfs_client.ready ? 0 : vfs_session_open();
    pthread_mutex_unlock(&vfs_buffer_lock);
    signal_release(saved);
    return shim_error_from_sys(result);
}

unsigned char *vfs_buffer(size_t *size, long *error)
{
    long result = vfs_session_ready();
    if (result < 0) {
        *error = result;
        return NULL;
    }
    *size = vfs_client.size;
    return vfs_client.buffer;
}

/* vfs_buffer_get for a thread's first transfer: the session and the thread's buffer first
 * (kept out of line: the hot path saves no registers). */
__attribute__((noinline)) static unsigned char *vfs_buffer_first(size_t *size, unsigned *index,
                                                                long *error)
{
    long result = vfs_session_ready();
    struct shim_thread *self = shim_thread_self();
    if (result == 0) {
        unsigned long saved = signal_hold();
        if (self->vfs_buffer == NULL)
            result = shim_error_from_sys(vfs_buffer_claim(self));
        signal_release(saved);
    }
    if (result < 0) {
        *error = result;
        return NULL;
    }
    *size = vfs_client.size;
    *index = self->vfs_buffer_index;
    return self->vfs_buffer;
}

unsigned char *vfs_buffer_get(size_t *size, unsigned *index, long *error)
{
    struct shim_thread *self = shim_thread_self();
    unsigned char *buffer = self->vfs_buffer;
    if (__builtin_expect(buffer == NULL, 0))
        return vfs_buffer_first(size, index, error);
    *size = vfs_client.size;
    *index = self->vfs_buffer_index;
    return buffer;
}

/* Makes sure the session exists: 0 or -errno. */
static long vfs_ready(void)
{
    size_t size;
    long error = 0;
    return vfs_buffer(&size, &error) == NULL ? error : 0;
}

/* newlib and Linux O_* flags side by side. */
static const struct {
    int newlib;
    int linux;
} vfs_flag_pairs[] = {
    {O_APPEND, VFS_O_APPEND},   {O_CREAT, VFS_O_CREAT},       {O_TRUNC, VFS_O_TRUNC},
    {O_EXCL, VFS_O_EXCL},       {O_NONBLOCK, VFS_O_NONBLOCK}, {O_NOCTTY, VFS_O_NOCTTY},
    {O_CLOEXEC, VFS_O_CLOEXEC}, {O_NOFOLLOW, VFS_O_NOFOLLOW}, {O_DIRECTORY, VFS_O_DIRECTORY},
};

int vfs_flags_to_linux(int flags)
{
    int result = flags & O_ACCMODE;
    for (size_t i = 0; i < sizeof(vfs_flag_pairs) / sizeof(vfs_flag_pairs[0]); i++) {
        if (flags & vfs_flag_pairs[i].newlib)
            result |= vfs_flag_pairs[i].linux;
    }
    return result;
}

int vfs_flags_from_linux(int flags)
{
    int result = flags & VFS_O_ACCMODE;
    for (size_t i = 0; i < sizeof(vfs_flag_pairs) / sizeof(vfs_flag_pairs[0]); i++) {
        if (flags & vfs_flag_pairs[i].linux)
            result |= vfs_flag_pairs[i].newlib;
    }
    return result;
}

long vfs_dir_of(int dirfd, long *dir)
{
    if (dirfd == AT_FDCWD) {
        *dir = vfs_client.cwd;
        return 0;
    }
    struct fd_file *file = fd_lookup(dirfd);
    if (file == NULL)
        return -EBADF;
    if (file->backend != &vfs_backend)
        return -ENOTDIR;
    *dir = file->handle;
    return 0;
}

long vfs_put_path(const char *path, size_t offset)
{
    long bad = shim_check_string(path); /* -EFAULT, -ENAMETOOLONG as Linux */
    if (bad < 0)
        return bad;
    long buffer = sys_ipc_buffer();
    if (buffer <= 0)
        return -EFAULT;
    size_t length = strlen(path);
    if (offset + length > ARAMID_IPC_BUFFER_SIZE)
        return -ENAMETOOLONG;
    memcpy((char *)buffer + offset, path, length);
    return (long)(offset + length);
}

/* Linux's stat record -> newlib's. */
static void vfs_stat_convert(const struct aramid_vfs_stat *in, struct stat *out)
{
    memset(out, 0, sizeof(*out));
    out->st_dev = (dev_t)in->dev;
    out->st_ino = (ino_t)in->ino;
    out->st_mode = (mode_t)in->mode;
    out->st_nlink = (nlink_t)in->nlink;
    out->st_uid = (uid_t)in->uid;
    out->st_gid = (gid_t)in->gid;
    out->st_rdev = (dev_t)in->rdev;
    out->st_size = (off_t)in->size;
    out->st_blksize = (blksize_t)in->blksize;
    out->st_blocks = (blkcnt_t)in->blocks;
    out->st_atim.tv_sec = (time_t)(in->atime / 1000000000ul);
    out->st_atim.tv_nsec = (long)(in->atime % 1000000000ul);
    out->st_mtim.tv_sec = (time_t)(in->mtime / 1000000000ul);
    out->st_mtim.tv_nsec = (long)(in->mtime % 1000000000ul);
    out->st_ctim.tv_sec = (time_t)(in->ctime / 1000000000ul);
    out->st_ctim.tv_nsec = (long)(in->ctime % 1000000000ul);
}

/* Sends stat with path bytes already in the IPC buffer; converts the answer. */
static long vfs_stat_call(long dir, int linux_flags, size_t bytes, struct stat *status)
{
    struct aramid_vfs_stat_request request = {.dir = dir, .flags = linux_flags};
    struct aramid_vfs_stat_reply reply;
    size_t reply_bytes = 0;
    long result = shim_error_from_sys(aramid_vfs_call_stat(&request, bytes, &reply, &reply_bytes));
    if (result < 0)
        return result;
    struct aramid_vfs_stat record;
    if (reply_bytes != sizeof(record))
        return -EIO;
    memcpy(&record, (const void *)sys_ipc_buffer(), sizeof(record));
    vfs_stat_convert(&record, status);
    return 0;
}

long vfs_stat_at(int dirfd, const char *path, int flags, struct stat *status)
{
    long dir = VFS_AT_ROOT;
    long result = vfs_ready();
    if (result == 0)
        result = vfs_dir_of(dirfd, &dir);
    long bytes = result < 0 ? result : vfs_put_path(path, 0);
    if (bytes < 0)
        return bytes;
    if (bytes == 0 && !(flags & AT_EMPTY_PATH))
        return -ENOENT;
    int linux_flags = ((flags & AT_SYMLINK_NOFOLLOW) ? VFS_AT_SYMLINK_NOFOLLOW : 0) |
                      ((flags & AT_EMPTY_PATH) ? VFS_AT_EMPTY_PATH : 0);
    if (bytes == 0 && dirfd == AT_FDCWD) {
        char cwd[PATH_MAX];
        (void)vfs_cwd_path(cwd);
        return vfs_stat_call(VFS_AT_ROOT, 0, vfs_put_path(cwd, 0), status);
    }
    return vfs_stat_call(dir, linux_flags, (size_t)bytes, status);
}

long vfs_open_at(int dirfd, const char *path, int flags, mode_t mode)
{
    long dir = VFS_AT_ROOT;
    long result = vfs_ready();
    if (result == 0)
        result = vfs_dir_of(dirfd, &dir);
    long bytes = result < 0 ? result : vfs_put_path(path, 0);
    if (bytes < 0)
        return bytes;
    if (bytes == 0)
        return -ENOENT;
    struct aramid_vfs_open_request request = {
        .dir = dir, .flags = vfs_flags_to_linux(flags), .mode = (long)(mode & ~umask_current())};
    struct aramid_vfs_open_reply reply;
    size_t reply_bytes = 0;
    long ofd =
        shim_error_from_sys(aramid_vfs_call_open(&request, (size_t)bytes, &reply, &reply_bytes));
    if (ofd < 0)
        return ofd;
    if (reply.kind == ARAMID_VFS_KIND_SHM) {
        /* A name in /dev/shm: the ipc server's object, as glibc's shm_open opens it. */
        char name[ARAMID_IPCS_NAME_MAX + 1];
        if (reply_bytes == 0 || reply_bytes > sizeof(name))
            return -EIO;
        memcpy(name, ipc_client_buffer(), reply_bytes);
        name[reply_bytes - 1] = '\0';
        return shm_descriptor_open(name, flags, mode, (flags & O_CLOEXEC) != 0);
    }
    /* /dev/tty and /dev/console are the console terminal, as fds 0 to 2 are: posix-shim's
     * console backend (writes to the kernel's console, reads and requests to vfs's terminal,
     * console_tty.c); the vfs's node only names it. */
    bool terminal = reply.kind == ARAMID_VFS_KIND_DEVICE &&
                    (reply.rdev == (long)VFS_DEVICE_TTY || reply.rdev == (long)VFS_DEVICE_CONSOLE);
    struct fd_file *file = fd_file_create(terminal ? &console_backend : &vfs_backend,
                                          vfs_flags_from_linux((int)reply.status));
    if (file == NULL || terminal) {
        struct aramid_vfs_close_request close = {.ofd = ofd};
        struct aramid_vfs_close_reply closed;
        (void)aramid_vfs_call_close(&close, 0, &closed, NULL);
        if (file == NULL)
            return -ENFILE;
        long opened =
            console_tty_opened(reply.rdev == (long)VFS_DEVICE_TTY, (flags & O_NOCTTY) != 0);
        if (opened < 0) {
            fd_file_put(file);
            return opened;
        }
        file->index = SHIM_CONSOLE_STDOUT;
        file->size = (flags & O_NOCTTY) ? CONSOLE_TTY_NOCTTY : 0;
        int descriptor = fd_install(file, 0, (flags & O_CLOEXEC) != 0);
        fd_file_put(file);
        return descriptor;
    }
    file->handle = ofd;
    file->index = (unsigned long)reply.kind;
    file->size = (size_t)reply.rdev;
    /* A regular file only this process holds keeps its offset here (lseek needs no message):
     * reads and writes then name the offset. Appending, the server must choose it. */
    file->offset_local = reply.kind == ARAMID_VFS_KIND_FILE && !(flags & O_APPEND);
    file->offset = 0;
    int descriptor = fd_install(file, 0, (flags & O_CLOEXEC) != 0);
    fd_file_put(file); /* the descriptor's reference, or the release on failure */
    return descriptor;
}

long vfs_cwd(void)
{
    return vfs_client.cwd;
}

/* Guards cwd and cwd_path against a chdir in another thread (handlers held off meanwhile). */
static pthread_mutex_t vfs_cwd_lock = PTHREAD_MUTEX_INITIALIZER;

size_t vfs_cwd_path(char out[PATH_MAX])
{
    unsigned long saved = signal_hold();
    pthread_mutex_lock(&vfs_cwd_lock);
    size_t length = strlen(vfs_client.cwd_path);
    memcpy(out, vfs_client.cwd_path, length + 1);
    pthread_mutex_unlock(&vfs_cwd_lock);
    signal_release(saved);
    return length;
}

/* Lets go of ofd in vfs. */
static void vfs_close_ofd(long ofd)
{
    struct aramid_vfs_close_request request = {.ofd = ofd};
    struct aramid_vfs_close_reply reply;
    (void)aramid_vfs_call_close(&request, 0, &reply, NULL); /* ours: it cannot fail */
}

long vfs_cwd_set(long ofd)
{
    struct aramid_vfs_getcwd_request request = {.dir = ofd};
    struct aramid_vfs_getcwd_reply reply;
    size_t bytes = 0;
    long result = shim_error_from_sys(aramid_vfs_call_getcwd(&request, 0, &reply, &bytes));
    if (result < 0 || bytes == 0 || bytes > sizeof(vfs_client.cwd_path)) {
        vfs_close_ofd(ofd);
        return result < 0 ? result : -ENAMETOOLONG;
    }
    unsigned long saved = signal_hold();
    pthread_mutex_lock(&vfs_cwd_lock);
    memcpy(vfs_client.cwd_path, (const void *)sys_ipc_buffer(), bytes);
    vfs_client.cwd_path[bytes - 1] = '\0';
    long old = vfs_client.cwd;
    vfs_client.cwd = ofd;
    pthread_mutex_unlock(&vfs_cwd_lock);
    signal_release(saved);
    if (old != VFS_AT_ROOT)
        vfs_close_ofd(old);
    return 0;
}

/* ---- the fd backend ---- */

/* A page of zeros for /dev/zero reads, copied out by the kernel (EFAULT for bad buffers). */
static const unsigned char vfs_zeros[4096];

/* Reads answered here: /dev/null and /dev/zero need no server. -> count, or -ENOSYS when vfs
 * must answer. */
static long vfs_local_read(const struct fd_file *file, void *buffer, size_t length)
{
    if (file->index != ARAMID_VFS_KIND_DEVICE)
        return -ENOSYS;
    if (file->size == VFS_DEVICE_NULL)
        return 0;
    if (file->size != VFS_DEVICE_ZERO && file->size != VFS_DEVICE_FULL)
        return -ENOSYS;
    for (size_t done = 0; done < length;) {
        size_t piece = length - done < sizeof(vfs_zeros) ? length - done : sizeof(vfs_zeros);
        long result = shim_copy_out((char *)buffer + done, vfs_zeros, piece);
        if (result < 0)
            return done > 0 ? (long)done : result;
        done += piece;
    }
    return (long)length;
}

/* One read of at most the shared buffer's size. vfs keeps a read of an empty pipe until there
 * is something; a signal ends it with -EINTR, which is the answer when a handler without
 * SA_RESTART ran, and asked again otherwise. */
/*
 * A pipe transfer through the shared buffer (number VFS_BUFFER_SHARED, held) that vfs answered
 * -EAGAIN for (sent with ARAMID_VFS_NO_WAIT, so vfs never keeps it holding that buffer): waits
 * with the buffer let go, through a probe of the same transfer that moves nothing and that vfs
 * keeps until the transfer could go on, so the threads sharing the buffer move their data
 * meanwhile. 0: send the transfer again; -EAGAIN (an O_NONBLOCK description: the answer),
 * -EINTR, -errno.
 */
static long vfs_pipe_wait_shared(struct fd_file *file, unsigned index, bool write, size_t length)
{
    vfs_buffer_give(true);
    long result;
    if (write) {
        struct aramid_vfs_write_request request = {
            .ofd = file->handle, .length = (long)length, .positional = ARAMID_VFS_PROBE};
        struct aramid_vfs_write_reply reply;
        result = aramid_vfs_call_in_write(index, &request, 0, &reply, NULL);
    } else {
        struct aramid_vfs_read_request request = {
            .ofd = file->handle, .length = (long)length, .positional = ARAMID_VFS_PROBE};
        struct aramid_vfs_read_reply reply;
        result = aramid_vfs_call_in_read(index, &request, 0, &reply, NULL);
    }
    (void)vfs_buffer_take(index);
    return shim_error_from_sys(result);
}

static long vfs_read_piece(struct fd_file *file, void *buffer, size_t length, long offset,
                           bool positional, long *ring)
{
    size_t size;
    unsigned index;
    long error = 0;
    unsigned char *shared = vfs_buffer_get(&size, &index, &error);
    if (shared == NULL)
        return error;
    if (length > size)
        length = size;
    struct signal_watch watch;
    signal_watch_start(&watch);
    bool taken = vfs_buffer_take(index);
    long no_wait = taken && file->index == ARAMID_VFS_KIND_PIPE ? ARAMID_VFS_NO_WAIT : 0;
    long result;
    for (;;) {
        struct aramid_vfs_read_request request = {.ofd = file->handle,
                                                  .length = (long)length,
                                                  .offset = offset,
                                                  .positional = positional | no_wait};
        struct aramid_vfs_read_reply reply = {.ring = 0};
        result = shim_error_from_sys(aramid_vfs_call_in_read(index, &request, 0, &reply, NULL));
        *ring = file->index == ARAMID_VFS_KIND_PIPE ? reply.ring : 0;
        if (*ring == ARAMID_VFS_RING_USE)
            result = 0; /* nothing was read: the pipe's ring has it */
        else if (result == -EAGAIN && no_wait &&
                 (result = vfs_pipe_wait_shared(file, index, false, length)) == 0)
            continue;
        if (result == -EINTR && !signal_watch_interrupts(&watch, true))
            continue;
        if (result > (long)length)
            result = -EIO;
        else if (result > 0 && shim_copy_out(buffer, shared, (size_t)result) < 0)
            result = -EFAULT;
        break;
    }
    vfs_buffer_give(taken);
    return result;
}

static long vfs_transfer_read(struct fd_file *file, void *buffer, size_t length, long offset,
                              bool positional)
{
    long local = vfs_local_read(file, buffer, length);
    if (local != -ENOSYS)
        return local;
    /* A pipe: its ring first; a reply that says the ring is there (USE) sends us back to it
     * once; a second says the ring does not work here: the vfs hears that we leave it, and
     * the third asking is answered. */
    for (unsigned attempt = 0;; attempt++) {
        if (attempt == 2)
            (void)pipe_ring_tell_leave(file);
        if (file->index == ARAMID_VFS_KIND_PIPE && !positional && !pipe_ring_never(file)) {
            long ring = pipe_ring_read(file, buffer, length); /* the fast path: no call */
            if (ring != 0)
                return ring;
        }
        /* Regular files are read whole (as Linux does); a pipe or device gives what it has. */
        size_t done = 0;
        long ring = 0;
        do {
            long result = vfs_read_piece(file, (char *)buffer + done, length - done,
                                         offset + (long)done, positional, &ring);
            if (ring != 0)
                pipe_ring_offered(file);
            if (ring == ARAMID_VFS_RING_USE && attempt < 3)
                break;
            if (result < 0)
                return done > 0 ? (long)done : result;
            done += (size_t)result;
            if (result == 0 || file->index != ARAMID_VFS_KIND_FILE)
                break;
        } while (done < length);
        if (ring != ARAMID_VFS_RING_USE || attempt >= 3)
            return (long)done;
    }
}

/* vfs_transfer_write's loop (the buffer held as needed): the bytes sent, or -errno if none.
 * *use: the vfs sent the rest back to the pipe's ring (ARAMID_VFS_RING_USE). */
static long vfs_transfer_write_pieces(struct fd_file *file, unsigned index, unsigned char *shared,
                                      size_t size, const void *buffer, size_t length,
                                      long offset, bool positional, bool *use)
{
    long no_wait =
        index == VFS_BUFFER_SHARED && file->index == ARAMID_VFS_KIND_PIPE ? ARAMID_VFS_NO_WAIT : 0;
    size_t done = 0;
    struct signal_watch watch;
    signal_watch_start(&watch);
    while (done < length || length == 0) {
        size_t piece = length - done < size ? length - done : size;
        if (piece > 0 && shim_copy_in(shared, (const char *)buffer + done, piece) < 0)
            return done > 0 ? (long)done : -EFAULT;
        struct aramid_vfs_write_request request = {.ofd = file->handle,
                                                   .length = (long)piece,
                                                   .offset = offset + (long)done,
                                                   .positional = positional | no_wait};
        struct aramid_vfs_write_reply reply = {.ring = 0};
        long result =
            shim_error_from_sys(aramid_vfs_call_in_write(index, &request, 0, &reply, NULL));
        if (file->index == ARAMID_VFS_KIND_PIPE && reply.ring != 0)
            pipe_ring_offered(file);
        if (file->index == ARAMID_VFS_KIND_PIPE && reply.ring == ARAMID_VFS_RING_USE) {
            *use = true; /* nothing was written: the ring takes the rest */
            return (long)done;
        }
        /* Waited with the buffer let go: the piece is copied in again. */
        if (result == -EAGAIN && no_wait &&
            (result = vfs_pipe_wait_shared(file, index, true, piece)) == 0)
            continue;
        if (result == -EPIPE)
            (void)raise(SIGPIPE);
        if (result == -EINTR && !signal_watch_interrupts(&watch, true))
            continue;
        if (result < 0)
            return done > 0 ? (long)done : result;
        if ((size_t)result > piece)
            return -EIO;
        done += (size_t)result;
        if (length == 0 || (result < (long)piece && file->index != ARAMID_VFS_KIND_PIPE))
            break; /* a full file system: the short count is the answer */
    }
    return (long)done;
}

static long vfs_transfer_write(struct fd_file *file, const void *buffer, size_t length,
                               long offset, bool positional)
{
    if (file->index == ARAMID_VFS_KIND_DEVICE &&
        (file->size == VFS_DEVICE_NULL || file->size == VFS_DEVICE_ZERO))
        return (long)length; /* /dev/null and /dev/zero take everything, here */
    size_t done = 0;
    /* A pipe: its ring first; a reply that sends the rest back to the ring (USE) is followed
     * once; after a second the vfs hears that we leave it, and the third asking is answered. */
    for (unsigned attempt = 0;; attempt++) {
        if (attempt == 2)
            (void)pipe_ring_tell_leave(file);
        if (file->index == ARAMID_VFS_KIND_PIPE && !positional && !pipe_ring_never(file)) {
            bool rest = false;
            long result = pipe_ring_write(file, (const char *)buffer + done, length - done,
                                          &rest); /* the fast path: no call */
            if (!rest)
                return done == 0 ? result : result < 0 ? (long)done : (long)(done + result);
            done += (size_t)result; /* the rest to vfs, which takes the ring's bytes first */
        }
        size_t size;
        unsigned index;
        long error = 0;
        unsigned char *shared = vfs_buffer_get(&size, &index, &error);
        if (shared == NULL)
            return done > 0 ? (long)done : error;
        shim_cancel_point(); /* before the buffer is held (signal_watch_start's, then deferred) */
        bool taken = vfs_buffer_take(index);
        bool use = false;
        long result = vfs_transfer_write_pieces(file, index, shared, size,
                                                (const char *)buffer + done, length - done,
                                                offset, positional, &use);
        vfs_buffer_give(taken);
        if (result < 0)
            return done > 0 ? (long)done : result;
        done += (size_t)result;
        if (!use || attempt >= 3 || done >= length)
            return (long)done;
    }
}

static long vfs_backend_read(struct fd_file *file, void *buffer, size_t length)
{
    if (!file->offset_local)
        return vfs_transfer_read(file, buffer, length, 0, false);
    long result = vfs_transfer_read(file, buffer, length, (long)file->offset, true);
    if (result > 0)
        file->offset += result;
    return result;
}

static long vfs_backend_write(struct fd_file *file, const void *buffer, size_t length)
{
    if (!file->offset_local)
        return vfs_transfer_write(file, buffer, length, 0, false);
    long result = vfs_transfer_write(file, buffer, length, (long)file->offset, true);
    if (result > 0)
        file->offset += result;
    return result;
}

static long vfs_backend_read_at(struct fd_file *file, void *buffer, size_t length, off_t offset)
{
    if (file->index == ARAMID_VFS_KIND_PIPE)
        return -ESPIPE;
    return vfs_transfer_read(file, buffer, length, (long)offset, true);
}

static long vfs_backend_write_at(struct fd_file *file, const void *buffer, size_t length,
                                 off_t offset)
{
    if (file->index == ARAMID_VFS_KIND_PIPE)
        return -ESPIPE;
    return vfs_transfer_write(file, buffer, length, (long)offset, true);
}

static long vfs_seek_call(struct fd_file *file, off_t offset, int whence)
{
    struct aramid_vfs_seek_request request = {
        .ofd = file->handle, .offset = (long)offset, .whence = whence};
    struct aramid_vfs_seek_reply reply;
    return shim_error_from_sys(aramid_vfs_call_seek(&request, 0, &reply, NULL));
}

static long vfs_backend_seek(struct fd_file *file, off_t offset, int whence)
{
    if (!file->offset_local || (whence != SEEK_SET && whence != SEEK_CUR)) {
        long result = vfs_seek_call(file, offset, whence);
        if (result >= 0 && file->offset_local)
            file->offset = result; /* SEEK_END: vfs knows the size */
        return result;
    }
    off_t target;
    if (whence == SEEK_SET)
        target = offset;
    else if (__builtin_add_overflow(file->offset, offset, &target))
        return -EOVERFLOW;
    if (target < 0)
        return -EINVAL;
    file->offset = target;
    return (long)target;
}

void vfs_offset_publish(struct fd_file *file)
{
    if (file->backend != &vfs_backend || !file->offset_local)
        return;
    (void)vfs_seek_call(file, file->offset, SEEK_SET); /* ours: a regular file, cannot fail */
    file->offset_local = 0;
}

/* Every offset kept here goes to vfs: the descriptions are about to be shared (fork, exec). */
static void vfs_offsets_publish(void)
{
    for (int fd = 0; fd < fd_table_end(); fd++) {
        struct fd_file *file = fd_lookup(fd);
        if (file != NULL)
            vfs_offset_publish(file);
    }
}

static long vfs_backend_stat(struct fd_file *file, struct stat *status)
{
    return vfs_stat_call(file->handle, VFS_AT_EMPTY_PATH, 0, status);
}

static void vfs_backend_release(struct fd_file *file)
{
    event_file_forget(file); /* its poll registration, before vfs lets the description go */
    vfs_close_ofd(file->handle);
}

const struct fd_backend vfs_backend = {
    .name = "vfs",
    .read = vfs_backend_read,
    .write = vfs_backend_write,
    .read_at = vfs_backend_read_at,
    .write_at = vfs_backend_write_at,
    .seek = vfs_backend_seek,
    .stat = vfs_backend_stat,
    .release = vfs_backend_release,
    .event_data = 1,
};

/* ---- fork, execve, exit ---- */

static unsigned long vfs_handoff(long kind, size_t bytes)
{
    struct aramid_vfs_handoff_request request = {.kind = kind};
    struct aramid_vfs_handoff_reply reply;
    pipe_ring_leave_all(); /* every description gets another holder: vfs retires the rings */
    if (aramid_vfs_call_handoff(&request, bytes, &reply, NULL) < 0)
        return 0;
    return (unsigned long)reply.token;
}

/* Adopts token's descriptions; the table's bytes are in the IPC buffer. -> bytes or -errno. */
static long vfs_adopt(unsigned long token, size_t *bytes)
{
    struct aramid_vfs_adopt_request request = {.token = (long)token};
    struct aramid_vfs_adopt_reply reply;
    long result = aramid_vfs_call_adopt(&request, 0, &reply, bytes);
    return result;
}

unsigned long vfs_fork_prepare(void)
{
    if (!vfs_client.ready)
        return 0;
    vfs_offsets_publish();
    return vfs_handoff(VFS_HANDOFF_FORK, 0);
}

void vfs_fork_child(unsigned long token)
{
    /* The parent's buffer mappings are shared with the parent: leave them, make our own. */
    bool had_session = vfs_client.ready;
    vfs_client.ready = false;
    vfs_buffers_forget();
    if (!had_session || token == 0)
        return;
    if (vfs_session_open() < 0)
        shim_fail("no vfs session in the fork child");
    size_t bytes;
    if (vfs_adopt(token, &bytes) < 0)
        shim_fail("the fork child could not adopt its descriptors");
}

void vfs_fork_failed(unsigned long token)
{
    size_t bytes;
    if (token != 0)
        (void)vfs_adopt(token, &bytes); /* the giver's own: a cancel */
}

/*
 * The descriptor table across execve, one record per descriptor (and one with fd -1 for the
 * working directory, whose detail is the file mode creation mask: POSIX keeps both across exec,
 * Linux's fs_struct): descriptors sharing a description carry its number (description).
 * Sockets, eventfds and epoll fds travel in it too (VFS_EXEC_OBJECT): their handles survive
 * process_exec at the same values and their servers keep the process's holds. Descriptors of
 * other backends (message queues, which POSIX closes at exec; shm_open and boot files) are
 * not carried.
 */
enum { VFS_EXEC_CONSOLE, VFS_EXEC_VFS, VFS_EXEC_OBJECT };
/* An object's object_flags: EFD_SEMAPHORE, and its socket type in bits 8 and up. */
#define VFS_EXEC_SEMAPHORE 1u
#define VFS_EXEC_TYPE_SHIFT 8
struct vfs_exec_record {
    short fd;
    unsigned short description;
    unsigned char backend; /* VFS_EXEC_* */
    unsigned char kind;    /* vfs: its kind; console: NOCTTY; object: enum event_file_kind */
    unsigned short object_flags;
    int status_flags;
    int handle; /* object: its handle (0: a named eventfd); handle values are table slots */
    long ofd;   /* vfs: the description; object: its cookie */
    unsigned long detail; /* vfs: device number; console: its stream; object: its id */
};
_Static_assert(sizeof(struct vfs_exec_record) == 32, "127 descriptors fit the exec table");

unsigned long vfs_exec_prepare(void)
{
    if (!vfs_available() || vfs_ready() < 0)
        return 0;
    vfs_offsets_publish();
    char *buffer = (char *)sys_ipc_buffer();
    size_t used = 0;
    struct vfs_exec_record cwd = {
        .fd = -1, .backend = 1, .ofd = vfs_client.cwd, .detail = umask_current()};
    memcpy(buffer, &cwd, sizeof(cwd));
    used += sizeof(cwd);
    socket_ring_fork_prepare(); /* the new image maps rings of its own */
    for (int fd = 0; fd < fd_table_end() && used + sizeof(cwd) <= ARAMID_IPC_BUFFER_SIZE; fd++) {
        struct fd_file *file = fd_lookup(fd);
        if (file == NULL)
            continue;
        bool vfs = file->backend == &vfs_backend;
        struct vfs_exec_record record = {
            .fd = (short)fd,
            .description = (unsigned short)fd_file_number(file),
            .backend = vfs ? VFS_EXEC_VFS : VFS_EXEC_CONSOLE,
            .kind = (unsigned char)(vfs ? file->index : file->size), /* console: NOCTTY */
            .status_flags = file->status_flags,
            .ofd = vfs ? file->handle : 0,
            .detail = vfs ? file->size : file->index,
        };
        struct event_exec_object object;
        if (event_exec_save(file, &object)) {
            if (object.handle < 0 || object.handle > INT_MAX)
                continue;
            record.backend = VFS_EXEC_OBJECT;
            record.kind = (unsigned char)object.kind;
            record.object_flags = (unsigned short)((object.semaphore ? VFS_EXEC_SEMAPHORE : 0) |
                                                   (unsigned)object.type << VFS_EXEC_TYPE_SHIFT);
            record.handle = (int)object.handle;
            record.ofd = (long)object.cookie;
            record.detail = object.id;
        } else if (!vfs && file->backend != &console_backend) {
            continue;
        }
        memcpy(buffer + used, &record, sizeof(record));
        used += sizeof(record);
    }
    return vfs_handoff(VFS_HANDOFF_EXEC, used);
}

void vfs_exec_failed(unsigned long token)
{
    vfs_fork_failed(token);
}

void vfs_exec_start(unsigned long token)
{
    size_t bytes = 0;
    if (token == 0 || vfs_ready() < 0 || vfs_adopt(token, &bytes) < 0)
        return;
    static struct vfs_exec_record records[ARAMID_IPC_BUFFER_SIZE / sizeof(struct vfs_exec_record)];
    size_t count = bytes / sizeof(records[0]);
    memcpy(records, (const void *)sys_ipc_buffer(), count * sizeof(records[0]));
    fd_table_clear();
    for (size_t i = 0; i < count; i++) {
        const struct vfs_exec_record *record = &records[i];
        if (record->fd == -1) {
            if (record->ofd != VFS_AT_ROOT && vfs_cwd_set(record->ofd) < 0)
                vfs_client.cwd = VFS_AT_ROOT;
            (void)umask((mode_t)(record->detail & 0777));
            continue;
        }
        if (record->fd < 0 || record->fd >= FD_MAX)
            continue;
        struct fd_file *file = NULL;
        for (size_t j = 0; j < i && file == NULL; j++) {
            if (records[j].fd >= 0 && records[j].description == record->description)
                file = fd_lookup(records[j].fd);
        }
        if (file != NULL) {
            (void)fd_install(file, record->fd, 0);
            continue;
        }
        if (record->backend == VFS_EXEC_OBJECT) {
            struct event_exec_object object = {
                .handle = record->handle,
                .id = record->detail,
                .cookie = (unsigned long)record->ofd,
                .kind = record->kind,
                .type = record->object_flags >> VFS_EXEC_TYPE_SHIFT,
                .semaphore = (record->object_flags & VFS_EXEC_SEMAPHORE) != 0};
            file = event_exec_restore(&object, record->status_flags);
            if (file != NULL) {
                (void)fd_install(file, record->fd, 0);
                fd_file_put(file);
            }
            continue;
        }
        file = fd_file_create(record->backend ? &vfs_backend : &console_backend,
                              record->status_flags);
        if (file == NULL)
            continue;
        file->handle = record->ofd;
        file->index = record->backend ? record->kind : record->detail;
        file->size = record->backend ? record->detail : record->kind;
        (void)fd_install(file, record->fd, 0);
        fd_file_put(file);
    }
}

void vfs_exit(void)
{
    if (!vfs_client.ready)
        return;
    struct aramid_vfs_release_request request = {};
    struct aramid_vfs_release_reply reply;
    (void)aramid_vfs_call_release(&request, 0, &reply, NULL);
    vfs_client.ready = false;
    vfs_buffers_forget(); /* vfs let go of them */
}

/* The readiness words vfs shares read-only (ready_map), mapped on first use by each process
 * (pid: a fork child maps them itself); count 0 when they could not be had. */
static struct {
    long pid;
    const unsigned long *words;
    size_t count;
} vfs_ready_words;

unsigned long vfs_ready_word(long ofd)
{
    if (vfs_ready_words.pid != aramid_proc_self.pid) {
        vfs_ready_words.pid = aramid_proc_self.pid;
        vfs_ready_words.count = 0;
        aramid_handle_t object = 0;
        size_t count = 0;
        if (vfs_ready() == 0 && aramid_vfs_ready_map(&object, &count) == 0) {
            long mapped = aramid_memory_map(shim_self_space, count * sizeof(unsigned long),
                                            ARAMID_PROT_READ, object, 0);
            (void)sys_handle_close(object); /* the mapping keeps the words */
            if (mapped > 0) {
                vfs_ready_words.words = (const unsigned long *)mapped;
                vfs_ready_words.count = count;
            }
        }
    }
    if (ofd < 0 || (unsigned long)ofd >= vfs_ready_words.count) /* 0: the terminal's */
        return 0;
    return __atomic_load_n(&vfs_ready_words.words[ofd], __ATOMIC_ACQUIRE);
}

long vfs_pass_out(struct fd_file *file, unsigned long *token)
{
    if (file->backend != &vfs_backend)
        return -EOPNOTSUPP;
    vfs_offset_publish(file); /* the description is about to be shared */
    (void)pipe_ring_leave_file(file);
    struct aramid_vfs_pass record = {.ofd = file->handle};
    memcpy((void *)sys_ipc_buffer(), &record, sizeof(record));
    struct aramid_vfs_handoff_request request = {.kind = VFS_HANDOFF_PASS};
    struct aramid_vfs_handoff_reply reply;
    long result =
        shim_error_from_sys(aramid_vfs_call_handoff(&request, sizeof(record), &reply, NULL));
    if (result < 0)
        return result;
    *token = (unsigned long)reply.token;
    return 0;
}

void vfs_pass_cancel(unsigned long token)
{
    /* Adopting one's own pass holds what one holds already and ends the handoff. */
    struct aramid_vfs_adopt_request request = {.token = (long)token};
    struct aramid_vfs_adopt_reply reply;
    (void)aramid_vfs_call_adopt(&request, 0, &reply, NULL);
}

long vfs_pass_in(unsigned long token, int close_on_exec)
{
    long result = vfs_ready();
    if (result < 0)
        return result;
    struct aramid_vfs_adopt_request request = {.token = (long)token};
    struct aramid_vfs_adopt_reply reply;
    size_t bytes = 0;
    result = shim_error_from_sys(aramid_vfs_call_adopt(&request, 0, &reply, &bytes));
    if (result < 0)
        return result;
    struct aramid_vfs_pass record;
    if (bytes != sizeof(record))
        return -EIO;
    memcpy(&record, (const void *)sys_ipc_buffer(), sizeof(record));
    /* vfs counts one hold per process: a description this process has a file for already is
     * shared through that file, as a dup would. */
    for (int fd = 0; fd < fd_table_end(); fd++) {
        struct fd_file *file = fd_lookup(fd);
        if (file != NULL && file->backend == &vfs_backend && file->handle == record.ofd)
            return fd_install(file, 0, close_on_exec);
    }
    struct fd_file *file = fd_file_create(&vfs_backend, vfs_flags_from_linux((int)record.status));
    if (file == NULL) {
        vfs_close_ofd(record.ofd);
        return -ENFILE;
    }
    file->handle = record.ofd;
    file->index = (unsigned long)record.kind;
    file->size = (size_t)record.rdev;
    file->offset_local = 0;
    int descriptor = fd_install(file, 0, close_on_exec);
    fd_file_put(file); /* the descriptor's reference, or the release on failure */
    return descriptor;
}
