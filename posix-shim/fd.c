/* posix-shim file descriptor table: descriptors -> shared open files -> backends. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "fd.h"
#include "shim.h"

/* Invariant: fd_table[d] is NULL or a file with references > 0, counted once per descriptor
 * and once per operation in progress on it (fd_get), so a close by another thread never frees
 * a file under a read. A file whose last reference went is FD_FILE_RELEASING while its
 * backend's release runs (outside the lock), then free (0).
 * fd_lock guards the table, fd_close_on_exec and making files (0 -> 1). It is held only for
 * those updates, never across a backend call, and with this thread's signal handlers held off
 * (a handler may itself close or dup). references changes by atomic operations only, and
 * only from a positive count to another (fd_get, the hot path of every read and write, takes
 * no lock). */
#define FD_FILE_RELEASING (-1)
static struct fd_file *fd_table[FD_MAX];
static bool fd_close_on_exec[FD_MAX];
/* Open files in chunks of FD_FILES_CHUNK: the first static, the others allocated when the
 * first FD_FILES_CHUNK are in use (a process rarely needs them: no memory, nothing for fork to
 * copy). */
#define FD_FILES_CHUNK 1024
static struct fd_file fd_files_first[FD_FILES_CHUNK];
static struct fd_file *fd_files[FD_FILES_MAX / FD_FILES_CHUNK] = {fd_files_first};

/* fd_files_hint: where the search for a free file starts (files below it were in use when it
 * moved there; a release moves it down). fd_high: fd_table_end(). */
static size_t fd_files_hint;
static int fd_high;

int fd_table_end(void)
{
    return __atomic_load_n(&fd_high, __ATOMIC_ACQUIRE);
}

static pthread_mutex_t fd_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned long fd_lock_take(void)
{
    unsigned long saved = signal_hold();
    pthread_mutex_lock(&fd_lock);
    return saved;
}

static void fd_lock_give(unsigned long saved)
{
    pthread_mutex_unlock(&fd_lock);
    signal_release(saved);
}

void fd_fork_child(void)
{
    /* Only the forking thread lives on; another may have held the lock at the fork. */
    memset(&fd_lock, 0, sizeof(fd_lock));
}

static int fd_descriptor_limit = FD_MAX;

void fd_limit_set(unsigned long soft)
{
    fd_descriptor_limit = soft < FD_MAX ? (int)soft : FD_MAX;
}

int fd_limit(void)
{
    return fd_descriptor_limit;
}

struct fd_file *fd_file_create(const struct fd_backend *backend, int status_flags)
{
    struct fd_file *found = NULL;
    unsigned long saved = fd_lock_take();
    size_t start = __atomic_load_n(&fd_files_hint, __ATOMIC_RELAXED);
    for (size_t n = 0; n < FD_FILES_MAX && found == NULL; n++) {
        size_t i = (start + n) % FD_FILES_MAX;
        struct fd_file **chunk = &fd_files[i / FD_FILES_CHUNK];
        if (*chunk == NULL && (*chunk = calloc(FD_FILES_CHUNK, sizeof(**chunk))) == NULL)
            break;
        struct fd_file *file = &(*chunk)[i % FD_FILES_CHUNK];
        if (file->references == 0) {
            __atomic_store_n(&fd_files_hint, i + 1, __ATOMIC_RELAXED);
            memset(file, 0, sizeof(*file));
            file->backend = backend;
            __atomic_store_n(&file->references, 1, __ATOMIC_RELEASE);
            file->status_flags = status_flags;
            found = file;
        }
    }
    fd_lock_give(saved);
    return found;
}

void fd_file_put(struct fd_file *file)
{
    int references = __atomic_load_n(&file->references, __ATOMIC_ACQUIRE);
    for (;;) {
        int next = references == 1 ? FD_FILE_RELEASING : references - 1;
        if (__atomic_compare_exchange_n(&file->references, &references, next, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            break;
    }
    if (references != 1)
        return;
    /* The search for a free file starts no later than this one (a lock-free minimum). */
    size_t number = fd_file_number(file), hint = __atomic_load_n(&fd_files_hint, __ATOMIC_RELAXED);
    while (number < hint && !__atomic_compare_exchange_n(&fd_files_hint, &hint, number, false,
                                                          __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
    if (file->backend->release != NULL)
        file->backend->release(file);
    __atomic_store_n(&file->references, 0, __ATOMIC_RELEASE); /* free for fd_file_create */
}

/* One more reference to a file that has some (a descriptor holds it). */
static void fd_file_hold(struct fd_file *file)
{
    __atomic_add_fetch(&file->references, 1, __ATOMIC_ACQ_REL);
}

/* Under fd_lock. */
static int fd_install_locked(struct fd_file *file, int minimum, int close_on_exec)
{
    if (minimum < 0)
        return -EINVAL;
    for (int descriptor = minimum; descriptor < fd_descriptor_limit; descriptor++) {
        if (fd_table[descriptor] == NULL) {
            fd_file_hold(file);
            fd_close_on_exec[descriptor] = close_on_exec != 0;
            __atomic_store_n(&fd_table[descriptor], file, __ATOMIC_RELEASE);
            if (descriptor >= fd_high)
                __atomic_store_n(&fd_high, descriptor + 1, __ATOMIC_RELEASE);
            return descriptor;
        }
    }
    return -EMFILE;
}

int fd_install(struct fd_file *file, int minimum, int close_on_exec)
{
    unsigned long saved = fd_lock_take();
    int descriptor = fd_install_locked(file, minimum, close_on_exec);
    fd_lock_give(saved);
    return descriptor;
}

/* The file behind descriptor for one operation (give it back with fd_done), or NULL. With
 * threads, a reference, taken without the lock: the count goes up only while it is positive,
 * then the descriptor must still name that file (else a close and maybe a reuse came
 * between: try again). A process that never made a thread needs none (no other thread can
 * close it meanwhile). */
static inline struct fd_file *fd_get(int descriptor, bool *held)
{
    *held = false;
    if (descriptor < 0 || descriptor >= FD_MAX)
        return NULL;
    if (!shim_threaded)
        return fd_table[descriptor];
    *held = true;
    for (;;) {
        struct fd_file *file = __atomic_load_n(&fd_table[descriptor], __ATOMIC_ACQUIRE);
        if (file == NULL)
            return NULL;
        int references = __atomic_load_n(&file->references, __ATOMIC_ACQUIRE);
        while (references > 0 &&
               !__atomic_compare_exchange_n(&file->references, &references, references + 1,
                                            false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            ;
        if (references <= 0)
            continue; /* being released: the table no longer names it */
        if (__atomic_load_n(&fd_table[descriptor], __ATOMIC_ACQUIRE) == file)
            return file;
        fd_file_put(file);
    }
}

static inline void fd_done(struct fd_file *file, bool held)
{
    if (held)
        fd_file_put(file);
}

void fd_table_init(void)
{
    /* 0 and 1 share the open console of stdout; 2 is another open console, the stderr stream
     * (index), as with `program 2>file` on Linux: a dup2(2, 1) sends stdout to stderr. */
    struct fd_file *console = fd_file_create(&console_backend, O_RDWR);
    struct fd_file *errors = fd_file_create(&console_backend, O_RDWR);
    console->index = SHIM_CONSOLE_STDOUT;
    errors->index = SHIM_CONSOLE_STDERR;
    fd_install(console, 0, 0);
    fd_install(console, 1, 0);
    fd_install(errors, 2, 0);
    fd_file_put(console);
    fd_file_put(errors);
}

void fd_table_clear(void)
{
    for (int descriptor = 0; descriptor < fd_high; descriptor++) {
        if (fd_table[descriptor] != NULL)
            (void)fd_close(descriptor); /* an open descriptor: closing it cannot fail */
    }
}

unsigned long fd_file_number(const struct fd_file *file)
{
    for (size_t chunk = 0;; chunk++)
        if (fd_files[chunk] != NULL && file >= fd_files[chunk] &&
            file < fd_files[chunk] + FD_FILES_CHUNK)
            return chunk * FD_FILES_CHUNK + (unsigned long)(file - fd_files[chunk]);
}

struct fd_file *fd_lookup(int descriptor)
{
    if (descriptor < 0 || descriptor >= FD_MAX)
        return NULL;
    return fd_table[descriptor];
}

static long fd_file_read(struct fd_file *file, void *buffer, size_t length)
{
    if ((file->status_flags & O_ACCMODE) == O_WRONLY)
        return -EBADF;
    if (file->backend->read == NULL)
        return -EINVAL;
    return file->backend->read(file, buffer, length);
}

static long fd_file_write(struct fd_file *file, const void *buffer, size_t length)
{
    if ((file->status_flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    if (file->backend->write == NULL)
        return -EINVAL;
    return file->backend->write(file, buffer, length);
}

long fd_read(int descriptor, void *buffer, size_t length)
{
    bool held;
    struct fd_file *file = fd_get(descriptor, &held);
    if (file == NULL)
        return -EBADF;
    long result = fd_file_read(file, buffer, length);
    fd_done(file, held);
    return result;
}

long fd_write(int descriptor, const void *buffer, size_t length)
{
    bool held;
    struct fd_file *file = fd_get(descriptor, &held);
    if (file == NULL)
        return -EBADF;
    long result = fd_file_write(file, buffer, length);
    fd_done(file, held);
    return result;
}

/* A positioned transfer through the backend's own operation, or around file->offset. */
static long fd_file_transfer_at(struct fd_file *file, void *buffer, size_t length, off_t offset,
                                bool write)
{
    int denied = write ? O_RDONLY : O_WRONLY;
    if ((file->status_flags & O_ACCMODE) == denied)
        return -EBADF;
    if (file->backend->seek == NULL && file->backend->read_at == NULL)
        return -ESPIPE;
    if (offset < 0)
        return -EINVAL;
    if (write && file->backend->write_at != NULL)
        return file->backend->write_at(file, buffer, length, offset);
    if (!write && file->backend->read_at != NULL)
        return file->backend->read_at(file, buffer, length, offset);
    off_t saved = file->offset;
    file->offset = offset;
    long result =
        write ? fd_file_write(file, buffer, length) : fd_file_read(file, buffer, length);
    file->offset = saved;
    return result;
}

static long fd_transfer_at(int descriptor, void *buffer, size_t length, off_t offset, bool write)
{
    bool held;
    struct fd_file *file = fd_get(descriptor, &held);
    if (file == NULL)
        return -EBADF;
    long result = fd_file_transfer_at(file, buffer, length, offset, write);
    fd_done(file, held);
    return result;
}

long fd_read_at(int descriptor, void *buffer, size_t length, off_t offset)
{
    return fd_transfer_at(descriptor, buffer, length, offset, false);
}

long fd_write_at(int descriptor, const void *buffer, size_t length, off_t offset)
{
    return fd_transfer_at(descriptor, (void *)buffer, length, offset, true);
}

long fd_seek(int descriptor, off_t offset, int whence)
{
    bool held;
    struct fd_file *file = fd_get(descriptor, &held);
    if (file == NULL)
        return -EBADF;
    long result = file->backend->seek == NULL ? -ESPIPE : file->backend->seek(file, offset, whence);
    fd_done(file, held);
    return result;
}

long fd_stat(int descriptor, struct stat *status)
{
    bool held;
    struct fd_file *file = fd_get(descriptor, &held);
    if (file == NULL)
        return -EBADF;
    memset(status, 0, sizeof(*status));
    long result = file->backend->stat(file, status);
    fd_done(file, held);
    return result;
}

long fd_is_terminal(int descriptor)
{
    struct fd_file *file = fd_lookup(descriptor);
    if (file == NULL)
        return -EBADF;
    if (file->backend->is_terminal == NULL || !file->backend->is_terminal(file))
        return -ENOTTY;
    return 1;
}

long fd_close(int descriptor)
{
    if (descriptor < 0 || descriptor >= FD_MAX)
        return -EBADF;
    unsigned long saved = fd_lock_take();
    struct fd_file *file = fd_table[descriptor];
    __atomic_store_n(&fd_table[descriptor], NULL, __ATOMIC_RELEASE);
    fd_lock_give(saved);
    if (file == NULL)
        return -EBADF;
    fd_file_put(file);
    return 0;
}

/* A new descriptor >= minimum for descriptor's file (dup, F_DUPFD), in one step. */
static long fd_duplicate_from(int descriptor, int minimum, int close_on_exec)
{
    unsigned long saved = fd_lock_take();
    struct fd_file *file = fd_lookup(descriptor);
    long result = file == NULL ? -EBADF : fd_install_locked(file, minimum, close_on_exec);
    fd_lock_give(saved);
    return result;
}

long fd_duplicate(int descriptor, int minimum, int close_on_exec)
{
    if (fd_lookup(descriptor) == NULL)
        return -EBADF;
    if (minimum < 0 || minimum >= fd_descriptor_limit)
        return -EINVAL;
    return fd_duplicate_from(descriptor, minimum, close_on_exec);
}

long fd_duplicate_to(int descriptor, int target)
{
    if (target < 0 || target >= fd_descriptor_limit)
        return -EBADF;
    unsigned long saved = fd_lock_take();
    struct fd_file *file = fd_lookup(descriptor), *replaced = NULL;
    if (file != NULL && target != descriptor) {
        /* The new reference first: the replaced file may be the last of another. */
        fd_file_hold(file);
        replaced = fd_table[target];
        fd_close_on_exec[target] = false;
        __atomic_store_n(&fd_table[target], file, __ATOMIC_RELEASE);
        if (target >= fd_high)
            __atomic_store_n(&fd_high, target + 1, __ATOMIC_RELEASE);
    }
    fd_lock_give(saved);
    if (file == NULL)
        return -EBADF;
    if (replaced != NULL)
        fd_file_put(replaced); /* its release outside the lock */
    return target;
}

/* Status flags F_SETFL may change; the access mode never changes. */
#define FD_SETTABLE_FLAGS (O_APPEND | O_NONBLOCK)

long fd_control(int descriptor, int command, long argument)
{
    struct fd_file *file = fd_lookup(descriptor);
    if (file == NULL)
        return -EBADF;
    switch (command) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
        if (argument < 0 || argument >= fd_descriptor_limit)
            return -EINVAL;
        return fd_duplicate_from(descriptor, (int)argument, command == F_DUPFD_CLOEXEC);
    case F_GETFD:
        return fd_close_on_exec[descriptor] ? FD_CLOEXEC : 0;
    case F_SETFD:
        fd_close_on_exec[descriptor] = (argument & FD_CLOEXEC) != 0;
        return 0;
    case F_GETFL:
        return file->status_flags;
    case F_SETFL:
        file->status_flags =
            (file->status_flags & ~FD_SETTABLE_FLAGS) | ((int)argument & FD_SETTABLE_FLAGS);
        return 0;
    default:
        return -EINVAL;
    }
}

long fd_ioctl(int descriptor, unsigned long request, void *argument)
{
    struct fd_file *file = fd_lookup(descriptor);
    int value;
    if (file == NULL)
        return -EBADF;
    switch (request) {
    case FIOCLEX:
    case FIONCLEX:
        fd_close_on_exec[descriptor] = request == FIOCLEX;
        return 0;
    case FIONBIO:
        if (shim_copy_in(&value, argument, sizeof(value)) != 0)
            return -EFAULT;
        file->status_flags = value ? file->status_flags | O_NONBLOCK
                                   : file->status_flags & ~O_NONBLOCK;
        return 0;
    default:
        return file->backend->ioctl ? file->backend->ioctl(file, request, argument) : -ENOTTY;
    }
}

void fd_close_exec(void)
{
    for (int descriptor = 0; descriptor < fd_high; descriptor++) {
        if (fd_table[descriptor] != NULL && fd_close_on_exec[descriptor])
            (void)fd_close(descriptor); /* an open descriptor: closing it cannot fail */
    }
}
