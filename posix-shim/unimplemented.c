/* posix-shim calls whose servers do not exist yet: each returns -1 with errno ENOSYS
 * (docs/status.md). */
#include <errno.h>
#include <sys/dirent.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <unistd.h>

#include "shim.h"

/* Returns -1 with errno = ENOSYS. */
static int unimplemented(void)
{
    return (int)shim_return(-ENOSYS);
}

/* ---- VFS server: pipes, directories ---- */

int pipe(int fds[2])
{
    (void)fds;
    return unimplemented();
}

ssize_t getdents64(int fd, void *buffer, size_t length)
{
    (void)fd;
    (void)buffer;
    (void)length;
    return unimplemented();
}

/* ---- process server: priorities, power ---- */

int setpriority(int which, id_t who, int priority)
{
    (void)which;
    (void)who;
    (void)priority;
    return unimplemented();
}

/* Stopping the machine is the root task's exit today (the kernel stops when it ends). */
int reboot(int command)
{
    (void)command;
    return unimplemented();
}
