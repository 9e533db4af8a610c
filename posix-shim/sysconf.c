/* sysconf, pathconf, fpathconf, getpagesize: limits and options as Aramid has them, with
 * Linux's (glibc's) values where Aramid matches Linux, -1 for what it does not support. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd.h"
#include "shim.h"

/* A sysconf answer: a fixed value, or one computed when asked. */
enum sysconf_kind { SYSCONF_UNKNOWN, SYSCONF_VALUE, SYSCONF_COMPUTED };
struct sysconf_entry {
    enum sysconf_kind kind;
    long value;
};

#define SYSCONF_POSIX 200809L /* the POSIX.1-2008 options Aramid has */
#define V(name, number) [name] = {SYSCONF_VALUE, number}
#define C(name) [name] = {SYSCONF_COMPUTED, 0}

/* Names newlib's <sys/unistd.h> defines; every one of them has an answer (-1: not supported,
 * errno unchanged, as POSIX says). Options Aramid lacks are -1 where Linux says 200809. */
static const struct sysconf_entry sysconf_table[] = {
    C(_SC_ARG_MAX), C(_SC_CHILD_MAX), V(_SC_CLK_TCK, 100), V(_SC_NGROUPS_MAX, 65536),
    C(_SC_OPEN_MAX), V(_SC_JOB_CONTROL, 1), V(_SC_SAVED_IDS, 1), V(_SC_VERSION, SYSCONF_POSIX),
    V(_SC_PAGESIZE, 4096), C(_SC_NPROCESSORS_CONF), C(_SC_NPROCESSORS_ONLN), C(_SC_PHYS_PAGES),
    C(_SC_AVPHYS_PAGES), V(_SC_MQ_OPEN_MAX, -1), V(_SC_MQ_PRIO_MAX, 32768), V(_SC_RTSIG_MAX, 32),
    V(_SC_SEM_NSEMS_MAX, -1), V(_SC_SEM_VALUE_MAX, 2147483647), C(_SC_SIGQUEUE_MAX),
    V(_SC_TIMER_MAX, -1), V(_SC_TZNAME_MAX, -1),
    V(_SC_ASYNCHRONOUS_IO, -1), /* no aio_* */
    V(_SC_FSYNC, SYSCONF_POSIX), V(_SC_MAPPED_FILES, SYSCONF_POSIX),
    V(_SC_MEMLOCK, -1), V(_SC_MEMLOCK_RANGE, -1), /* no mlock */
    V(_SC_MEMORY_PROTECTION, SYSCONF_POSIX),
    V(_SC_MESSAGE_PASSING, -1), V(_SC_PRIORITIZED_IO, -1), V(_SC_REALTIME_SIGNALS, -1),
    V(_SC_SEMAPHORES, SYSCONF_POSIX), V(_SC_SHARED_MEMORY_OBJECTS, -1),
    V(_SC_SYNCHRONIZED_IO, -1), V(_SC_TIMERS, SYSCONF_POSIX), V(_SC_AIO_LISTIO_MAX, -1),
    V(_SC_AIO_MAX, -1), V(_SC_AIO_PRIO_DELTA_MAX, -1), V(_SC_DELAYTIMER_MAX, 2147483647),
    V(_SC_THREAD_KEYS_MAX, 1024), V(_SC_THREAD_STACK_MIN, 16384), V(_SC_THREAD_THREADS_MAX, -1),
    V(_SC_TTY_NAME_MAX, 32), V(_SC_THREADS, SYSCONF_POSIX), V(_SC_THREAD_ATTR_STACKADDR, -1),
    V(_SC_THREAD_ATTR_STACKSIZE, SYSCONF_POSIX), V(_SC_THREAD_PRIORITY_SCHEDULING, -1),
    V(_SC_THREAD_PRIO_INHERIT, -1), V(_SC_THREAD_PRIO_PROTECT, -1),
    V(_SC_THREAD_PROCESS_SHARED, SYSCONF_POSIX), V(_SC_THREAD_SAFE_FUNCTIONS, SYSCONF_POSIX),
    V(_SC_GETGR_R_SIZE_MAX, 1024), V(_SC_GETPW_R_SIZE_MAX, 1024), V(_SC_LOGIN_NAME_MAX, 256),
    V(_SC_THREAD_DESTRUCTOR_ITERATIONS, 4), V(_SC_ADVISORY_INFO, -1),
    V(_SC_ATEXIT_MAX, 2147483647), V(_SC_BARRIERS, SYSCONF_POSIX), V(_SC_BC_BASE_MAX, 99),
    V(_SC_BC_DIM_MAX, 2048), V(_SC_BC_SCALE_MAX, 99), V(_SC_BC_STRING_MAX, 1000),
    V(_SC_CLOCK_SELECTION, SYSCONF_POSIX), V(_SC_COLL_WEIGHTS_MAX, 255),
    V(_SC_CPUTIME, -1), /* no CPU-time clocks yet */
    V(_SC_EXPR_NEST_MAX, 32), V(_SC_HOST_NAME_MAX, ARAMID_HOSTNAME_MAX), V(_SC_IOV_MAX, 1024),
    V(_SC_IPV6, -1), V(_SC_LINE_MAX, 2048), V(_SC_MONOTONIC_CLOCK, SYSCONF_POSIX),
    V(_SC_RAW_SOCKETS, -1), V(_SC_READER_WRITER_LOCKS, SYSCONF_POSIX), V(_SC_REGEXP, 1),
    V(_SC_RE_DUP_MAX, 32767), V(_SC_SHELL, 1), V(_SC_SPAWN, SYSCONF_POSIX),
    V(_SC_SPIN_LOCKS, SYSCONF_POSIX), V(_SC_SPORADIC_SERVER, -1), V(_SC_SS_REPL_MAX, -1),
    V(_SC_SYMLOOP_MAX, -1), V(_SC_THREAD_CPUTIME, -1), V(_SC_THREAD_SPORADIC_SERVER, -1),
    V(_SC_TIMEOUTS, SYSCONF_POSIX), V(_SC_TRACE, -1), V(_SC_TRACE_EVENT_FILTER, -1),
    V(_SC_TRACE_EVENT_NAME_MAX, -1), V(_SC_TRACE_INHERIT, -1), V(_SC_TRACE_LOG, -1),
    V(_SC_TRACE_NAME_MAX, -1), V(_SC_TRACE_SYS_MAX, -1), V(_SC_TRACE_USER_EVENT_MAX, -1),
    /* _SC_V6_* and _SC_XBS5_* are the same numbers as _SC_V7_*. */
    V(_SC_TYPED_MEMORY_OBJECTS, -1), V(_SC_V7_ILP32_OFF32, -1), V(_SC_V7_ILP32_OFFBIG, -1),
    V(_SC_V7_LP64_OFF64, 1), V(_SC_V7_LPBIG_OFFBIG, -1), V(_SC_XOPEN_CRYPT, -1), V(_SC_XOPEN_ENH_I18N, -1),
    V(_SC_XOPEN_LEGACY, -1), V(_SC_XOPEN_REALTIME, -1), V(_SC_STREAM_MAX, FOPEN_MAX),
    V(_SC_PRIORITY_SCHEDULING, -1), V(_SC_XOPEN_REALTIME_THREADS, -1), V(_SC_XOPEN_SHM, -1),
    V(_SC_XOPEN_STREAMS, -1), V(_SC_XOPEN_UNIX, -1), V(_SC_XOPEN_VERSION, -1),
    V(_SC_2_CHAR_TERM, SYSCONF_POSIX), V(_SC_2_C_BIND, SYSCONF_POSIX), V(_SC_2_C_DEV, -1),
    V(_SC_2_FORT_DEV, -1), V(_SC_2_FORT_RUN, -1), V(_SC_2_LOCALEDEF, -1), V(_SC_2_PBS, -1),
    V(_SC_2_PBS_ACCOUNTING, -1), V(_SC_2_PBS_CHECKPOINT, -1), V(_SC_2_PBS_LOCATE, -1),
    V(_SC_2_PBS_MESSAGE, -1), V(_SC_2_PBS_TRACK, -1), V(_SC_2_SW_DEV, -1), V(_SC_2_UPE, -1),
    V(_SC_2_VERSION, SYSCONF_POSIX), V(_SC_THREAD_ROBUST_PRIO_INHERIT, -1),
    V(_SC_THREAD_ROBUST_PRIO_PROTECT, -1), V(_SC_XOPEN_UUCP, -1),
    /* Caches: 0, what glibc says when it cannot tell. */
    V(_SC_LEVEL1_ICACHE_SIZE, 0), V(_SC_LEVEL1_ICACHE_ASSOC, 0),
    V(_SC_LEVEL1_ICACHE_LINESIZE, 0), V(_SC_LEVEL1_DCACHE_SIZE, 0),
    V(_SC_LEVEL1_DCACHE_ASSOC, 0), V(_SC_LEVEL1_DCACHE_LINESIZE, 0),
    V(_SC_LEVEL2_CACHE_SIZE, 0), V(_SC_LEVEL2_CACHE_ASSOC, 0), V(_SC_LEVEL2_CACHE_LINESIZE, 0),
    V(_SC_LEVEL3_CACHE_SIZE, 0), V(_SC_LEVEL3_CACHE_ASSOC, 0), V(_SC_LEVEL3_CACHE_LINESIZE, 0),
    V(_SC_LEVEL4_CACHE_SIZE, 0), V(_SC_LEVEL4_CACHE_ASSOC, 0), V(_SC_LEVEL4_CACHE_LINESIZE, 0),
    V(_SC_POSIX_26_VERSION, SYSCONF_POSIX),
};
#undef V
#undef C

/* A soft resource limit as sysconf reports it: -1 when unlimited. */
static long sysconf_limit(int resource)
{
    struct rlimit limit;
    if (getrlimit(resource, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
        return -1;
    return (long)limit.rlim_cur;
}

/* Physical memory in pages: all of it, or what is free. */
static long sysconf_memory(bool free_only)
{
    struct aramid_memory_stats stats;
    if (sys_kernel_stats(ARAMID_STATS_MEMORY, &stats, sizeof(stats)) < 0)
        return -1;
    return (long)(free_only ? stats.free_frames : stats.free_frames + stats.used_frames);
}

static long sysconf_computed(int name)
{
    switch (name) {
    case _SC_ARG_MAX:
        return ARAMID_PROC_STRINGS_MAX; /* argv and envp travel in one IPC buffer */
    case _SC_CHILD_MAX:
        return sysconf_limit(RLIMIT_NPROC);
    case _SC_OPEN_MAX:
        return fd_limit();
    case _SC_NPROCESSORS_CONF:
    case _SC_NPROCESSORS_ONLN:
        return 1; /* only the boot CPU runs (docs/status.md, SMP) */
    case _SC_PHYS_PAGES:
        return sysconf_memory(false);
    case _SC_AVPHYS_PAGES:
        return sysconf_memory(true);
    case _SC_SIGQUEUE_MAX:
        return sysconf_limit(RLIMIT_SIGPENDING);
    default:
        return -1;
    }
}

long sysconf(int name)
{
    if (name < 0 || (size_t)name >= sizeof(sysconf_table) / sizeof(sysconf_table[0]) ||
        sysconf_table[name].kind == SYSCONF_UNKNOWN)
        return shim_return(-EINVAL);
    if (sysconf_table[name].kind == SYSCONF_COMPUTED)
        return sysconf_computed(name);
    return sysconf_table[name].value;
}

int getpagesize(void)
{
    return (int)SHIM_PAGE_SIZE;
}

/* pathconf's answers: every file is on a tmpfs (or is a pipe or the console), as Linux's tmpfs
 * says them; -EINVAL for a name it does not know. */
static long pathconf_value(int name)
{
    switch (name) {
    case _PC_LINK_MAX:
        return 127;
    case _PC_MAX_CANON:
    case _PC_MAX_INPUT:
    case _PC_NAME_MAX:
        return 255;
    case _PC_PATH_MAX:
        return 4096;
    case _PC_PIPE_BUF:
        return 4096;
    case _PC_CHOWN_RESTRICTED:
    case _PC_NO_TRUNC:
    case _PC_2_SYMLINKS:
        return 1;
    case _PC_VDISABLE:
        return 0;
    case _PC_ASYNC_IO:
    case _PC_PRIO_IO:
    case _PC_SYNC_IO:
    case _PC_SYMLINK_MAX:
    case _PC_REC_INCR_XFER_SIZE:
    case _PC_REC_MAX_XFER_SIZE:
        return -1;
    case _PC_FILESIZEBITS:
        return 64;
    case _PC_ALLOC_SIZE_MIN:
    case _PC_REC_MIN_XFER_SIZE:
    case _PC_REC_XFER_ALIGN:
        return 4096;
    default:
        return -EINVAL;
    }
}

/* As glibc: the file is looked at first (ENOENT, EBADF...), then the name (EINVAL). */
long pathconf(const char *path, int name)
{
    struct stat status;
    if (stat(path, &status) != 0)
        return -1;
    long value = pathconf_value(name);
    return value == -EINVAL ? shim_return(value) : value;
}

long fpathconf(int descriptor, int name)
{
    if (fd_lookup(descriptor) == NULL)
        return shim_return(-EBADF);
    long value = pathconf_value(name);
    return value == -EINVAL ? shim_return(value) : value;
}
