/* posix-shim file descriptors: descriptor -> open file (backend operations + backend handle). */
#ifndef POSIX_SHIM_FD_H
#define POSIX_SHIM_FD_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

/* Descriptors per process: [0, FD_MAX) (RLIMIT_NOFILE's soft limit, 1,024 by default, keeps a
 * process lower; raised, 10,000 watched eventfds fit), and open files (descriptions). Loops over
 * the table stop at fd_table_end(), the high-water mark, so a large FD_MAX costs nothing. */
#define FD_MAX 16384
#define FD_FILES_MAX 16384
/* Where posix-shim's own descriptors go (the hidden poll set): out of the way of open()'s
 * lowest-free numbers, below Linux's default limit. */
#define FD_HIDDEN_BASE (1024 - 8)

struct fd_file;

/*
 * A backend: the console today, the VFS and socket servers later (their handle and session in
 * struct fd_file). Every operation returns >= 0 or -errno (newlib numbering). A NULL operation
 * means the backend does not support it; fd.c answers for it (see fd_read etc.).
 */
struct fd_backend {
    const char *name;
    long (*read)(struct fd_file *file, void *buffer, size_t length);
    long (*write)(struct fd_file *file, const void *buffer, size_t length);
    /* At offset, leaving the description's offset alone (pread, pwrite); NULL: fd.c keeps the
     * offset in struct fd_file and calls read/write around it. */
    long (*read_at)(struct fd_file *file, void *buffer, size_t length, off_t offset);
    long (*write_at)(struct fd_file *file, const void *buffer, size_t length, off_t offset);
    long (*seek)(struct fd_file *file, off_t offset, int whence); /* -> new offset */
    long (*stat)(struct fd_file *file, struct stat *status);
    int (*is_terminal)(struct fd_file *file);
    void (*release)(struct fd_file *file); /* the last descriptor went away */
    /* A terminal or device request (Linux's number; argument as the caller passed it: a
     * pointer for most, an integer for TCFLSH, TCSBRK). NULL: not a terminal, -ENOTTY. */
    long (*ioctl)(struct fd_file *file, unsigned long request, void *argument);
    /* fd_file->data is a struct event_file or NULL (event.h: eventfds, epoll fds, sockets,
     * message queues, vfs descriptions and the console), so one load tells event_file_of. */
    int event_data;
};

/*
 * An open file description, shared by every descriptor dup'ed from one open(). Free when
 * references is 0. handle and data belong to the backend (a server handle, a mapping...).
 */
struct fd_file {
    const struct fd_backend *backend;
    int references;
    int status_flags; /* O_ACCMODE bits and O_APPEND/O_NONBLOCK */
    off_t offset;
    long handle;
    const void *data;
    size_t size;
    unsigned long index;
    int offset_local; /* offset is kept here, not by the backend (vfs.c: until shared) */
};

/* Console on 0, 1 and 2; called once by shim_start. */
void fd_table_init(void);
/* RLIMIT_NOFILE's soft limit (capped at FD_MAX): new descriptors are below it (EMFILE), dup2
 * and dup3 to a target at or above it give EBADF, F_DUPFD EINVAL, as on Linux. At start from
 * the auxv (start.c); a fork child keeps its parent's; setrlimit on oneself sets it. */
void fd_limit_set(unsigned long soft);
int fd_limit(void);
/* Closes every descriptor (an execve's new image rebuilding the table it was handed). */
void fd_table_clear(void);
/* 1 + the highest descriptor ever installed: every open descriptor is below it. */
int fd_table_end(void);
/* The number of a file among the open files (stable while it is open). */
unsigned long fd_file_number(const struct fd_file *file);

/* A fresh file (references 1, backend set, the rest zero) or NULL when FD_FILES_MAX are open. */
struct fd_file *fd_file_create(const struct fd_backend *backend, int status_flags);
/* The lowest free descriptor >= minimum for file (taking one reference), or -EMFILE. On
 * failure the caller still owns its reference. */
int fd_install(struct fd_file *file, int minimum, int close_on_exec);
/* Drops one reference; the backend's release runs when it was the last. */
void fd_file_put(struct fd_file *file);
/* A fork child: the table's lock starts free (only the forking thread lives on). */
void fd_fork_child(void);

/* The file behind descriptor, or NULL if it is not open. Borrowed: valid while the caller's
 * thread does not close it (fd.c's own operations take a reference instead). */
struct fd_file *fd_lookup(int descriptor);

/* The descriptor operations; each returns >= 0 or -errno. */
long fd_read(int descriptor, void *buffer, size_t length);
long fd_write(int descriptor, const void *buffer, size_t length);
long fd_seek(int descriptor, off_t offset, int whence);
long fd_stat(int descriptor, struct stat *status);
long fd_is_terminal(int descriptor); /* 1, or -ENOTTY / -EBADF */
long fd_close(int descriptor);
/* Closes every close-on-exec descriptor (execve, just before the call). */
void fd_close_exec(void);
long fd_duplicate(int descriptor, int minimum, int close_on_exec);
long fd_duplicate_to(int descriptor, int target);
long fd_control(int descriptor, int command, long argument);
/* ioctl: FIOCLEX, FIONCLEX and FIONBIO for every descriptor, the rest by the backend. */
long fd_ioctl(int descriptor, unsigned long request, void *argument);

/* Positioned transfers: -ESPIPE without a seekable backend, -EINVAL for a negative offset. */
long fd_read_at(int descriptor, void *buffer, size_t length, off_t offset);
long fd_write_at(int descriptor, const void *buffer, size_t length, off_t offset);

/* The console backend (console.c). */
extern const struct fd_backend console_backend;

#endif
