/* posix-shim calls whose servers do not exist yet: each returns -1 with errno ENOSYS
 * (docs/status.md). */
#include <errno.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

/* Returns -1 with errno = ENOSYS. */
static int unimplemented(void)
{
    return (int)shim_return(-ENOSYS);
}

/* ---- process server: priorities, power ---- */

int setpriority(int which, id_t who, int priority)
{
    (void)which;
    (void)who;
    (void)priority;
    return unimplemented();
}

/* Setting a clock: the kernel's real time comes from the CMOS clock at boot and cannot be set
 * yet. */
int clock_settime(clockid_t clock, const struct timespec *time)
{
    (void)clock;
    (void)time;
    return unimplemented();
}

/* Stopping the machine is the root task's exit today (the kernel stops when it ends). */
int reboot(int command)
{
    (void)command;
    return unimplemented();
}
