/* The benchmark case table, the timed loop that runs each case, and helpers shared by the groups.
 */
#ifndef BENCH_H
#define BENCH_H

#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>

/*
 * One benchmark. setup and step return NULL on success or a reason the benchmark cannot run on
 * this system (printed as BENCH_SKIP); setup makes *state point at the case's state. The timed
 * region is: every step, then finish (when present, e.g. to wait until a reader has drained
 * everything written). teardown runs after timing whether or not a step failed.
 */
struct bench_case {
    const char *name;
    long quick_iterations;
    long full_iterations;
    const char *(*setup)(void **state);
    const char *(*step)(void *state);
    const char *(*finish)(void *state);
    void (*teardown)(void *state);
};

/* A group of cases (one source file), listed in suite.c. */
struct bench_group {
    const struct bench_case *cases;
    size_t count;
};

extern const struct bench_group bench_process_group;
extern const struct bench_group bench_file_group;
extern const struct bench_group bench_memory_group;
extern const struct bench_group bench_signal_group;
extern const struct bench_group bench_event_group;
extern const struct bench_group bench_ipc_group;
extern const struct bench_group bench_thread_group;
extern const struct bench_group bench_time_group;
extern const struct bench_group bench_posixipc_group;

/* "what: strerror(errno)" in a static buffer; for returning from setup and step. */
const char *bench_fail(const char *what);

/* Makes the scratch directory on first use, under $TMPDIR or /tmp, holding "file" (4 KiB),
 * "link" (a symlink to it) and a few empty entries. NULL when it exists, else the reason it
 * cannot be made (the cases that need it skip with that reason; the others still run). */
const char *bench_scratch_prepare(void);

/* The scratch directory's path; valid after bench_scratch_prepare returned NULL. */
const char *bench_scratch_dir(void);

/* Path of an entry in the scratch directory, in a static buffer per name ("file" or "link"). */
const char *bench_scratch_path(const char *entry);

/* Removes the scratch directory and what it holds, if it was made. */
void bench_scratch_remove(void);

/* Nonzero when uname() says this is Aramid. */
int bench_is_aramid(void);

/* Forks a child that runs body(argument) and then _exits with its return value. Returns the pid
 * or -1 with errno set. Flushes stdio first so the child never repeats buffered output. */
int bench_spawn(int (*body)(void *argument), void *argument);

/* Waits for the child pid; returns its exit status or -1. */
int bench_reap(int pid);

/* Reads or writes exactly len bytes, retrying short transfers; 0 or -1 with errno set. */
int bench_read_full(int fd, void *buffer, size_t len);
int bench_write_full(int fd, const void *buffer, size_t len);

#endif
