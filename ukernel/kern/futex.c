/* Wait-on-address: threads wait while a 32-bit user word holds a value, keyed by the word's
 * physical address so that processes sharing a mapping meet on it; plus the TLS base per thread,
 * the thread exit that clears a word and wakes its waiters (pthread_join's), and the robust
 * lists walked when a thread dies. */
#include <stdint.h>

#include "futex.h"
#include "futex_queue.h"
#include "kerrno.h"
#include "layout.h"
#include "memory.h"
#include "percpu.h"
#include "process.h"
#include "robust_list.h"
#include "sched.h"
#include "thread.h"
#include "timer.h"
#include "uaccess.h"
#include "vm.h"
#include "aramid/syscall.h"

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

long futex_robust_list_set(struct trap_frame *frame)
{
    uint64_t head = frame->rdi;
    if (head & 7)
        return -EINVAL;
    if (head != 0 && !uaccess_range_ok(head, sizeof(struct aramid_robust_head)))
        return -EFAULT;
    sched_current()->robust_head = head;
    return 0;
}

/* The thread whose list is walked, for the walk's reads and releases. */
struct futex_robust_walk {
    struct address_space *space;
    uint32_t id;
};

/* The 8-byte word at address (8-byte aligned) of the dying thread's space: 0 or -errno. */
static int futex_robust_read(void *context, uint64_t address, uint64_t *value)
{
    const struct futex_robust_walk *walk = context;
    uint64_t phys;
    if (address & 7)
        return -EINVAL;
    int err = vm_user_frame(walk->space, address, &phys);
    if (!err)
        *value = *(volatile uint64_t *)phys_to_virt(phys);
    return err;
}

/* The lock word at address, if the thread holds it: OWNER_DIED, and every waiter woken. Only
 * words whose owner bits are this thread's id change, so a stale or hostile entry touches
 * nothing another thread holds. */
static void futex_robust_release(void *context, uint64_t address)
{
    const struct futex_robust_walk *walk = context;
    uint64_t key;
    if ((address & 3) || vm_user_frame(walk->space, address, &key) != 0)
        return;
    volatile uint32_t *word = phys_to_virt(key);
    uint32_t seen = __atomic_load_n(word, __ATOMIC_ACQUIRE);
    /* Another CPU's waiter may set the waiters bit meanwhile: try again with what it left. */
    while ((seen & ARAMID_ROBUST_TID_MASK) == walk->id &&
           !__atomic_compare_exchange_n(word, &seen, ARAMID_ROBUST_OWNER_DIED, false,
                                        __ATOMIC_RELEASE, __ATOMIC_ACQUIRE))
        ;
    if ((seen & ARAMID_ROBUST_TID_MASK) == walk->id)
        futex_wake_key(key, UINT64_MAX);
}

/* The walk itself is robust_list.c's (bounded, next link first, then the pending one). */
void futex_robust_exit(struct thread *thread)
{
    uint64_t head = thread->robust_head;
    thread->robust_head = 0;
    struct futex_robust_walk walk = {
        .space = thread->process ? thread->process->space : NULL, .id = thread->id};
    if (head == 0 || walk.space == NULL)
        return;
    struct robust_list_access access = {
        .read = futex_robust_read, .release = futex_robust_release, .context = &walk};
    (void)robust_list_walk(head, ARAMID_ROBUST_LIST_MAX, &access);
}
