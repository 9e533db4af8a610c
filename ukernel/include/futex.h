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
/* robust_list_set(head): the calling thread's robust list head (syscall.h). */
long futex_robust_list_set(struct trap_frame *frame);
/* thread is ending while its process's space still exists: the robust mutexes its list names
 * are released with their owner dead (once; a thread without a list costs nothing). */
void futex_robust_exit(struct thread *thread);

#endif
