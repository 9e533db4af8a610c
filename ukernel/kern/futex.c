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

/* The 8-byte word at address (8-byte aligned) of space, into *value: 0 or -errno. */
static int futex_robust_read(struct address_space *space, uint64_t address, uint64_t *value)
{
    uint64_t phys;
    if (address & 7)
        return -EINVAL;
    int err = vm_user_frame(space, address, &phys);
    if (!err)
        *value = *(volatile uint64_t *)phys_to_virt(phys);
    return err;
}

/* The lock word at address, if thread id holds it: OWNER_DIED, and every waiter woken. */
static void futex_robust_release(struct address_space *space, uint64_t address, uint32_t id)
{
    uint64_t key;
    if ((address & 3) || vm_user_frame(space, address, &key) != 0)
        return;
    volatile uint32_t *word = phys_to_virt(key);
    uint32_t seen = __atomic_load_n(word, __ATOMIC_ACQUIRE);
    /* Another CPU's waiter may set the waiters bit meanwhile: try again with what it left. */
    while ((seen & ARAMID_ROBUST_TID_MASK) == id &&
           !__atomic_compare_exchange_n(word, &seen, ARAMID_ROBUST_OWNER_DIED, false,
                                        __ATOMIC_RELEASE, __ATOMIC_ACQUIRE))
        ;
    if ((seen & ARAMID_ROBUST_TID_MASK) == id)
        futex_wake_key(key, UINT64_MAX);
}

/*
 * The walk reads each mutex's next address before its word is released (once released,
 * another process may take the mutex and link it into its own list), follows at most
 * ARAMID_ROBUST_LIST_MAX of them (a cycle or a scribbled list ends there) and stops at the first
 * word that cannot be read; then the pending one. Only words whose owner bits are this thread's
 * id change, so a stale or hostile entry touches nothing another thread holds.
 */
void futex_robust_exit(struct thread *thread)
{
    uint64_t head = thread->robust_head;
    thread->robust_head = 0;
    struct address_space *space = thread->process ? thread->process->space : NULL;
    if (head == 0 || space == NULL)
        return;
    uint64_t first, next_offset, word_offset, pending;
    if (futex_robust_read(space, head, &first) != 0 ||
        futex_robust_read(space, head + 8, &next_offset) != 0 ||
        futex_robust_read(space, head + 16, &word_offset) != 0 ||
        futex_robust_read(space, head + 24, &pending) != 0)
        return;
    uint64_t mutex = first;
    for (unsigned n = 0; mutex != 0 && n < ARAMID_ROBUST_LIST_MAX; n++) {
        uint64_t next;
        if (futex_robust_read(space, mutex + next_offset, &next) != 0)
            break;
        futex_robust_release(space, mutex + word_offset, thread->id);
        mutex = next;
    }
    if (pending != 0)
        futex_robust_release(space, pending + word_offset, thread->id);
}
