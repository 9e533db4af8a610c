/* Thread creation and teardown: kernel stacks from the per-CPU stack cache, FPU save areas,
 * IPC buffer pages, and the initial user frame. */
#include <stdint.h>

#include "console.h"
#include "cpu.h"
#include "entry.h"
#include "fpu.h"
#include "frame.h"
#include "futex.h"
#include "gdt.h"
#include "ipc.h"
#include "kerrno.h"
#include "kstring.h"
#include "layout.h"
#include "memory.h"
#include "paging.h"
#include "percpu.h"
#include "process.h"
#include "quota.h"
#include "sched.h"
#include "slab.h"
#include "thread.h"
#include "uaccess.h"
#include "vm.h"
#include "aramid/syscall.h"

/* IPC buffers: one page per thread, at IPC_BUFFER_BASE + slot * PAGE_SIZE in its space. */
#define IPC_BUFFER_BASE 0x00007f0000000000ull
#define IPC_BUFFER_SLOTS 65536
#define IPC_BUFFER_PROBES 64
#define KERNEL_STACK_ORDER 2 /* 4 frames = KERNEL_STACK_SIZE */
#define STACK_CACHE_CAPACITY 16

_Static_assert((PAGE_SIZE << KERNEL_STACK_ORDER) == KERNEL_STACK_SIZE, "stack order");
_Static_assert(PROCESS_THREAD_QUOTA_PAGES == KERNEL_STACK_SIZE / PAGE_SIZE + 2,
               "a thread's charge: its stack, IPC buffer, thread and FPU state");

static struct slab_cache thread_cache;
static uint32_t next_thread_id = 1;
static uint32_t threads_alive;

static void *stack_backend_alloc(void *ctx, size_t size)
{
    (void)ctx;
    (void)size;
    uint64_t phys;
    if (frame_alloc(&memory_frames, KERNEL_STACK_ORDER, &phys) != 0)
        return NULL;
    return phys_to_virt(phys);
}

static void stack_backend_free(void *ctx, void *stack, size_t size)
{
    (void)ctx;
    (void)size;
    if (frame_free(&memory_frames, (uint64_t)stack - PHYS_MAP_BASE, KERNEL_STACK_ORDER) != 0)
        kernel_panic("thread: bad kernel stack %p", stack);
}

void thread_init_caches(void)
{
    static const struct stack_cache_class_config classes[] = {
        { KERNEL_STACK_SIZE, STACK_CACHE_CAPACITY },
    };
    static const struct stack_cache_backend backend = { stack_backend_alloc, stack_backend_free,
                                                        NULL };
    if (slab_cache_init(&thread_cache, "thread", sizeof(struct thread), 64,
                        &memory_page_source) != 0 ||
        stack_cache_init(&this_cpu()->stack_cache, classes, 1, &backend) != 0)
        kernel_panic("thread: cannot set up caches");
}

static struct thread *thread_alloc(uint8_t priority)
{
    struct thread *thread = slab_alloc(&thread_cache);
    if (!thread)
        return NULL;
    memset(thread, 0, sizeof(*thread));
    thread->kernel_stack = stack_cache_pop(&this_cpu()->stack_cache, KERNEL_STACK_SIZE);
    if (!thread->kernel_stack) {
        slab_free(&thread_cache, thread);
        return NULL;
    }
    thread->stack_top = (uint64_t)thread->kernel_stack + KERNEL_STACK_SIZE;
    rq_entry_init(&thread->run_link);
    list_node_init(&thread->process_link);
    list_node_init(&thread->wait_link);
    futex_waiter_init(&thread->futex);
    thread->reply_index = REPLY_NONE;
    thread->id = next_thread_id++;
    threads_alive++;
    thread->refcount = 1;
    thread->priority = priority;
    thread->better_priorities = (1u << priority) - 1;
    thread->state = THREAD_BLOCKED;
    return thread;
}

/* Gives thread an IPC buffer page in its process's space: a fresh zeroed frame mapped at a free
 * slot (slots are probed from one derived from the thread id, since several processes may
 * share a space). The thread keeps its own reference to the frame, the mapping another. */
static int thread_setup_ipc_buffer(struct thread *thread, struct process *process)
{
    uint64_t phys;
    if (frame_alloc(&memory_frames, 0, &phys) != 0)
        return -ENOMEM;
    memset(phys_to_virt(phys), 0, PAGE_SIZE);
    int err = -ENOMEM;
    for (uint32_t probe = 0; probe < IPC_BUFFER_PROBES; probe++) {
        uint64_t slot = (thread->id + probe) % IPC_BUFFER_SLOTS;
        uint64_t address = IPC_BUFFER_BASE + slot * PAGE_SIZE;
        err = vm_map_frame(process->space, address, phys, VM_PROT_READ | VM_PROT_WRITE);
        if (err == 0) {
            thread->ipc_buffer_phys = phys;
            thread->ipc_buffer_address = address;
            return 0;
        }
        if (err != -EINVAL) /* -EINVAL: the slot is taken; anything else is final */
            break;
    }
    paging_frame_put(phys);
    return err;
}

struct thread *thread_create_user(struct process *process, uint64_t entry, uint64_t stack,
                                  uint64_t argument)
{
    if (quota_charge(process->quota, PROCESS_THREAD_QUOTA_PAGES) != 0)
        return NULL;
    struct thread *thread = thread_alloc(THREAD_PRIORITY_DEFAULT);
    if (!thread) {
        quota_uncharge(process->quota, PROCESS_THREAD_QUOTA_PAGES);
        return NULL;
    }
    thread->fpu = fpu_state_create();
    if (!thread->fpu || ipc_thread_init(thread) != 0 ||
        thread_setup_ipc_buffer(thread, process) != 0) {
        ipc_thread_exit(thread);
        thread_release_resources(thread);
        slab_free(&thread_cache, thread);
        threads_alive--;
        quota_uncharge(process->quota, PROCESS_THREAD_QUOTA_PAGES);
        return NULL;
    }
    struct trap_frame *frame = thread_user_frame(thread);
    memset(frame, 0, sizeof(*frame));
    frame->rip = entry;
    frame->rsp = stack;
    frame->rdi = argument;
    frame->cs = GDT_USER_CODE;
    frame->ss = GDT_USER_DATA;
    frame->rflags = USER_RFLAGS_DEFAULT;
    thread->process = process;
    thread->handles = &process->handles;
    process_get(process);
    list_push_back(&process->threads, &thread->process_link);
    process->live_threads++;
    process->started = true;
    return thread;
}

struct thread *thread_create_kernel(void (*entry)(void), uint8_t priority)
{
    struct thread *thread = thread_alloc(priority);
    if (thread)
        thread->kernel_entry = entry;
    return thread;
}

void thread_kill(struct thread *thread)
{
    if (thread->state == THREAD_DEAD || thread->state == THREAD_RUNNING)
        return;
    sched_remove(thread);
    ipc_thread_exit(thread);
    futex_robust_exit(thread); /* off every queue, and its space is still there */
    thread->state = THREAD_DEAD;
    if (thread->process)
        process_thread_exited(thread->process, thread);
    thread_release_resources(thread);
    thread_put(thread);
}

uint32_t thread_count_alive(void)
{
    return threads_alive;
}

void thread_get(struct thread *thread)
{
    thread->refcount++;
}

void thread_release_resources(struct thread *thread)
{
    if (thread->kernel_stack &&
        stack_cache_push(&this_cpu()->stack_cache, thread->kernel_stack, KERNEL_STACK_SIZE) != 0)
        kernel_panic("thread: stack cache refused stack %p", thread->kernel_stack);
    thread->kernel_stack = NULL;
    thread->stack_top = 0;
    if (this_cpu()->fpu_owner == thread)
        this_cpu()->fpu_owner = NULL;
    fpu_state_destroy(thread->fpu);
    thread->fpu = NULL;
    if (thread->ipc_buffer_phys) {
        /* A terminated process has already dropped its space, and with it the mapping. */
        if (thread->process && thread->process->space)
            vm_unmap(thread->process->space, thread->ipc_buffer_address, PAGE_SIZE);
        paging_frame_put(thread->ipc_buffer_phys);
        thread->ipc_buffer_phys = 0;
    }
}

void thread_put(struct thread *thread)
{
    if (--thread->refcount != 0)
        return;
    if (thread->state != THREAD_DEAD)
        kernel_panic("thread: last reference to live thread %u dropped", thread->id);
    if (thread->process)
        process_put(thread->process);
    if (slab_free(&thread_cache, thread) != 0)
        kernel_panic("thread: bad thread object %p", (void *)thread);
    threads_alive--;
}

long thread_tls_set(struct thread *self, uint64_t base)
{
    if (base != 0 && !uaccess_range_ok(base, 0))
        return -EINVAL;
    self->fs_base = base;
    cpu_set_fs_base(base);
    return 0;
}
