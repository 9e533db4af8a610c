/* getrlimit, setrlimit, prlimit: resource limits kept by proc; RLIMIT_NOFILE also here, where
 * descriptors are allocated (fd.c). */
#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>

#include "fd.h"
#include "shim.h"

/* Linux's prlimit64 order: the new limit is read first (EFAULT), then proc checks the resource
 * (EINVAL), the process (ESRCH) and the values (EINVAL, EPERM); the old limit is written last,
 * so a set that succeeded stays even when old_limit is a bad pointer (EFAULT). */
int prlimit(pid_t pid, int resource, const struct rlimit *new_limit, struct rlimit *old_limit)
{
    struct rlimit wanted = {0, 0};
    if (new_limit != NULL && shim_copy_in(&wanted, new_limit, sizeof(wanted)) < 0)
        return (int)shim_return(-EFAULT);
    if (!shim_started_by_proc)
        return (int)shim_return(-ENOSYS); /* the root task: no proc keeps its limits */
    bool self = pid == 0 || (long)pid == aramid_proc_self.pid;
    struct aramid_proc_prlimit_request request = {
        .pid = self ? 0 : pid,
        .resource = resource,
        .set = new_limit != NULL,
        .soft = (long)wanted.rlim_cur,
        .hard = (long)wanted.rlim_max,
    };
    struct aramid_proc_prlimit_reply reply;
    long result = shim_error_from_sys(aramid_proc_call_prlimit(&request, 0, &reply));
    if (result < 0)
        return (int)shim_return(result);
    if (self && new_limit != NULL && resource == RLIMIT_NOFILE)
        fd_limit_set(wanted.rlim_cur);
    struct rlimit old = {(rlim_t)reply.soft, (rlim_t)reply.hard};
    if (old_limit != NULL && shim_copy_out(old_limit, &old, sizeof(old)) < 0)
        return (int)shim_return(-EFAULT);
    return 0;
}

/* As glibc: both are prlimit on the caller, so a NULL limit is "nothing to read or write". */
int getrlimit(int resource, struct rlimit *limit)
{
    return prlimit(0, resource, NULL, limit);
}

int setrlimit(int resource, const struct rlimit *limit)
{
    return prlimit(0, resource, limit, NULL);
}
