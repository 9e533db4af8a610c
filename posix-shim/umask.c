/* posix-shim's file mode creation mask: umask keeps the process's mask (022 at start, as Linux's
 * init gives it); a fork child has its parent's. Applying it at file creation is the VFS's job
 * (open, mkdir, mkfifo read umask_current). */
#include <sys/stat.h>

#include "shim.h"

static mode_t umask_mask = 022;

mode_t umask(mode_t mask)
{
    mode_t previous = umask_mask;
    umask_mask = mask & 0777;
    return previous;
}

mode_t umask_current(void)
{
    return umask_mask;
}
