/* Wait-on-address (futex-like) system calls (see syscall.h). */
#ifndef ARAMID_FUTEX_H
#define ARAMID_FUTEX_H

#include <stdbool.h>

#include "thread.h"
#include "trap.h"

long futex_wait(struct trap_frame *frame);
long futex_wake(struct trap_frame *frame);
long futex_thread_exit_wake(struct trap_frame *frame);
/* Takes a thread blocked in futex_wait off its queue (interrupt, timeout, death); false when
 * it was on none. */
bool futex_leave(struct thread *thread);
void futex_init(void);

#endif
