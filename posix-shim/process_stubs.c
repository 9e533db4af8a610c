/* posix-shim process and signal calls that wait for the process server: ENOSYS (or ECHILD)
 * stand-ins, kept together so they can be replaced. */
#include <errno.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "shim.h"

/* Handlers live in newlib's signal() table; sigaction (masks, flags, siginfo) needs the
 * process server's signal delivery. */
int sigaction(int signal_number, const struct sigaction *action, struct sigaction *old)
{
    (void)signal_number;
    (void)action;
    (void)old;
    return (int)shim_return(-ENOSYS);
}

/* As wait and waitpid (process.c): without fork a process never has children. */
int waitid(idtype_t type, id_t id, siginfo_t *info, int options)
{
    (void)id;
    (void)info;
    if (type != P_ALL && type != P_PID && type != P_PGID && type != P_PIDFD)
        return (int)shim_return(-EINVAL);
    if ((options & (WEXITED | WSTOPPED | WCONTINUED)) == 0 ||
        (options & ~(WEXITED | WSTOPPED | WCONTINUED | WNOHANG | WNOWAIT)) != 0)
        return (int)shim_return(-EINVAL);
    return (int)shim_return(-ECHILD);
}
