/* Wait-on-address: threads wait while a 32-bit user word holds a value, keyed by the word's
 * physical address so that processes sharing a mapping meet on it; plus the TLS base per thread
 * and the thread exit that clears a word and wakes its waiters (pthread_join's). */
#include <stdint.h>

#include "futex.h"
#include "futex_queue.h"
#include "kerrno.h"
#include "layout.h"
#include "memory.h"
#include "percpu.h"
#include "process.h"
#include "sched.h"
#include "thread.h"
#include "timer.h"
#include "uaccess.h"
#include "vm.h"

/*
 * Invariants: a thread is on futex_waiters exactly while it is blocked with wait == WAIT_FUTEX
 * (futex.link is its queue link; its wait_link is unused then). Keys are physical addresses of
 * words inside a frame the waiter's space maps writable; a frame freed and reused while a thread
 * still waits on it can only cause a spurious wake-up (0), which callers allow for.
 */
static struct futex_queue futex_waiters;

void futex_init(void)
{
    futex_queue_init(&futex_waiters);
}

/* The key of the user word at address (4-byte aligned, writable in the caller's space). */
static int futex_key(uint64_t address, uint64_t *key)
{
    if (address & 3)
        return -EINVAL;
    if (!uaccess_range_ok(address, 4))
        return -EFAULT;
    return vm_user_frame(sched_current()->process->space, address, key);
}

static uint32_t futex_word(uint64_t key)
{
    return *(volatile uint32_t *)phys_to_virt(key);
}

/* futex_wait(address, value, deadline): blocks while the word is value. 0 when woken,
 * -EAGAIN when the word differs, -ETIMEDOUT, -EINTR (a signal), -EINVAL, -EFAULT. */
long futex_wait(struct trap_frame *frame)
{
    uint64_t key, deadline = frame->rdx;
    int err = futex_key(frame->rdi, &key);
    if (err)
        return err;
    if (frame->rsi > UINT32_MAX)
        return -EINVAL;
    if (futex_word(key) != (uint32_t)frame->rsi)
        return -EAGAIN;
    if (deadline && sched_deadline_passed(deadline))
        return -ETIMEDOUT;
    struct thread *self = sched_current();
    futex_queue_add(&futex_waiters, &self->futex, key);
    if (deadline)
        sched_set_timeout(self, deadline);
    frame->rax = 0;
    sched_block_current(WAIT_FUTEX, NULL);
}

static void futex_wake_one(struct futex_waiter *waiter, void *context)
{
    (void)context;
    struct thread *thread = list_entry(waiter, struct thread, futex);
    thread_user_frame(thread)->rax = 0;
    sched_wake(thread);
}

static long futex_wake_key(uint64_t key, uint64_t count)
{
    return (long)futex_queue_wake(&futex_waiters, key, count, futex_wake_one, NULL);
}

/* futex_wake(address, count): wakes up to count waiters of the word; returns how many. */
long futex_wake(struct trap_frame *frame)
{
    uint64_t key;
    int err = futex_key(frame->rdi, &key);
    return err ? err : futex_wake_key(key, frame->rsi);
}

/* thread_exit_wake(address, value): stores value in the word, wakes all its waiters and ends
 * the calling thread, which no longer touches its user stack (so a joiner may free it). */
long futex_thread_exit_wake(struct trap_frame *frame)
{
    uint64_t key;
    int err = futex_key(frame->rdi, &key);
    if (err)
        return err;
    if (frame->rsi > UINT32_MAX)
        return -EINVAL;
    *(volatile uint32_t *)phys_to_virt(key) = (uint32_t)frame->rsi;
    futex_wake_key(key, UINT64_MAX);
    process_exit_current_thread();
}

bool futex_leave(struct thread *thread)
{
    return futex_queue_remove(&futex_waiters, &thread->futex);
}
