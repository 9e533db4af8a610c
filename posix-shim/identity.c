/* posix-shim identity calls answered without a server: uname, user and group ids, gettid, priority,
 * sched_yield. */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "shim.h"

/* meson passes the project version (meson.build); uname's release. */
#ifndef ARAMID_VERSION
#error "ARAMID_VERSION must be defined by the build"
#endif

/* What uname reports: filled at compile time but for nodename, the host name (hostname.c). */
static const struct utsname identity_system = {
    .sysname = "Aramid",
    .release = ARAMID_VERSION,
    .version = "Aramid " ARAMID_VERSION,
    .machine = "x86_64",
    .domainname = "(none)",
};

/* identity_system with the nodename of host-name generation identity_generation: made again
 * only when the name changes (a fork child keeps it). */
static struct utsname identity_answer;
static unsigned long identity_generation;
static bool identity_made;

int uname(struct utsname *name)
{
    unsigned long generation;
    const char *node = hostname_current(&generation);
    if (!identity_made || generation != identity_generation) {
        identity_answer = identity_system;
        strncpy(identity_answer.nodename, node, sizeof(identity_answer.nodename) - 1);
        identity_generation = generation;
        identity_made = true;
    }
    return (int)shim_return(shim_copy_out(name, &identity_answer, sizeof(identity_answer)));
}

/* One user and one group: everything runs as root (0) until there are users. */
uid_t getuid(void)
{
    return 0;
}

uid_t geteuid(void)
{
    return 0;
}

gid_t getgid(void)
{
    return 0;
}

gid_t getegid(void)
{
    return 0;
}

/* The kernel's id of the calling thread (sys_thread_self). */
pid_t gettid(void)
{
    return (pid_t)shim_return(shim_error_from_sys(sys_thread_self()));
}

/* Every process has nice value 0: there is no setpriority yet (it returns ENOSYS). The only
 * process is this one, reachable as who 0 or its pid, in process group and user 0. */
int getpriority(int which, id_t who)
{
    switch (which) {
    case PRIO_PROCESS:
        if (who != 0 && who != (id_t)getpid())
            return (int)shim_return(-ESRCH);
        return 0;
    case PRIO_PGRP:
    case PRIO_USER:
        if (who != 0)
            return (int)shim_return(-ESRCH);
        return 0;
    default:
        return (int)shim_return(-EINVAL);
    }
}

int sched_yield(void)
{
    return (int)shim_return(shim_error_from_sys(sys_yield()));
}
