/* posix-shim's file mode creation mask: umask keeps the process's mask (022 at start, as Linux's
 * init gives it); a fork child has its parent's, and a new image gets it with the working
 * directory in the vfs's exec handoff (vfs.c). Creating calls apply it to the mode they send
 * (open, mkdir, mkfifo, mknod, shm_open and mq_open read umask_current). */
#include <sys/stat.h>

#include "shim.h"

static mode_t umask_mask = 022;

mode_t umask(mode_t mask)
{
    return __atomic_exchange_n(&umask_mask, mask & 0777, __ATOMIC_SEQ_CST); /* threads */
}

mode_t umask_current(void)
{
    return __atomic_load_n(&umask_mask, __ATOMIC_SEQ_CST);
}
