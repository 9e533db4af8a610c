/* System-call dispatch: one handler per entry of ARAMID_SYSCALLS (libsys/include/aramid/syscall.h),
 * each validating its arguments. Handlers return the value for rax; blocking ones may not return
 * (their result reaches the frame when they are woken). */
#include <stdint.h>

#include "aramid/syscall.h"
#include "console.h"
#include "cputime.h"
#include "console_input.h"
#include "entry.h"
#include "futex.h"
#include "handle.h"
#include "ipc.h"
#include "kerrno.h"
#include "kstring.h"
#include "layout.h"
#include "machine.h"
#include "memory.h"
#include "object.h"
#include "percpu.h"
#include "process.h"
#include "quota.h"
#include "reply.h"
#include "sched.h"
#include "serial.h"
#include "thread.h"
#include "timer.h"
#include "uaccess.h"
#include "upcall.h"
#include "vm.h"

#define DEBUG_WRITE_MAX (1ul << 20)
/* Bytes one debug_write prints at most (interrupts are off meanwhile); the call returns that
 * short count, as write(2) may. Above a stderr frame's size, so frames are never cut. */
#define DEBUG_WRITE_CHUNK_MAX 8192ul
/* Bytes one vm_write entry copies at most; the rest is done by restarting the call. */
#define VM_WRITE_CHUNK_MAX (64ul * 1024)
/* SYSCALL is 0f 05: rewinding the saved RIP by this re-executes it. */
#define SYSCALL_INSTRUCTION_LENGTH 2
#define MEMORY_OBJECT_MAX (1ul << 32)
#define COPY_CHUNK 512

/* Rights a creator gets on a new object of each kind. */
#define RIGHTS_ENDPOINT                                                                       \
    (HANDLE_RIGHT_SEND | HANDLE_RIGHT_RECEIVE | HANDLE_RIGHT_GRANT | HANDLE_RIGHT_DUPLICATE)
#define RIGHTS_NOTIFICATION                                                                   \
    (HANDLE_RIGHT_SIGNAL | HANDLE_RIGHT_WAIT | HANDLE_RIGHT_GRANT | HANDLE_RIGHT_DUPLICATE)
#define RIGHTS_MEMORY_OBJECT                                                                  \
    (HANDLE_RIGHT_READ | HANDLE_RIGHT_WRITE | HANDLE_RIGHT_EXECUTE | HANDLE_RIGHT_MAP |        \
     HANDLE_RIGHT_GRANT | HANDLE_RIGHT_DUPLICATE | HANDLE_RIGHT_MANAGE /* resize */)
#define RIGHTS_MANAGED                                                                        \
    (HANDLE_RIGHT_READ | HANDLE_RIGHT_WRITE | HANDLE_RIGHT_MANAGE | HANDLE_RIGHT_GRANT |       \
     HANDLE_RIGHT_DUPLICATE)

static struct process *current_process(void)
{
    return sched_current()->process;
}

static struct handle_table *current_handles(void)
{
    return &current_process()->handles;
}

static int lookup(uint64_t handle, enum handle_type type, uint32_t rights, void **object)
{
    return handle_lookup(current_handles(), (handle_t)handle, type, rights, object);
}

/* Installs object in the caller's table, dropping the creation reference if that fails. */
static long install(void *object, enum handle_type type, uint32_t rights)
{
    handle_t handle = handle_install(current_handles(), object, type, rights);
    if (handle < 0)
        object_put(object, type);
    return handle;
}

static long sys_debug_write(struct trap_frame *f)
{
    uint64_t text = f->rdi, length = f->rsi;
    char chunk[COPY_CHUNK];
    if (length > DEBUG_WRITE_MAX)
        return -EINVAL;
    if (length > DEBUG_WRITE_CHUNK_MAX)
        length = DEBUG_WRITE_CHUNK_MAX;
    for (uint64_t done = 0; done < length;) {
        size_t n = length - done < COPY_CHUNK ? length - done : COPY_CHUNK;
        int err = copy_from_user(chunk, text + done, n);
        if (err)
            return done ? (long)done : err;
        for (size_t i = 0; i < n; i++)
            serial_put_char(chunk[i]);
        done += n;
    }
    return (long)length;
}

static long sys_process_exit(struct trap_frame *f)
{
    process_exit_current((int)(f->rdi & 0xff));
}

static long sys_thread_exit(struct trap_frame *f)
{
    (void)f;
    process_exit_current_thread();
}

static long sys_yield(struct trap_frame *f)
{
    f->rax = 0;
    sched_yield_current();
}

static long sys_sleep(struct trap_frame *f)
{
    uint64_t nanoseconds = f->rdi;
    if (nanoseconds == 0)
        return 0;
    uint64_t now = timer_nanoseconds();
    uint64_t deadline = nanoseconds > UINT64_MAX - now ? UINT64_MAX : now + nanoseconds;
    f->rax = 0;
    sched_sleep_until(deadline);
}

static long sys_clock_monotonic(struct trap_frame *f)
{
    (void)f;
    return (long)timer_nanoseconds();
}

static long sys_handle_close(struct trap_frame *f)
{
    void *object;
    enum handle_type type;
    int err = handle_close(current_handles(), (handle_t)f->rdi, &object, &type);
    if (err)
        return err;
    object_put(object, type);
    return 0;
}

static long sys_handle_duplicate(struct trap_frame *f)
{
    struct handle_info info;
    int err = handle_get_info(current_handles(), (handle_t)f->rdi, &info);
    if (err)
        return err;
    handle_t handle = handle_duplicate(current_handles(), (handle_t)f->rdi, (uint32_t)f->rsi);
    if (handle > 0)
        object_get(info.object, info.type);
    return handle;
}

static long sys_endpoint_create(struct trap_frame *f)
{
    (void)f;
    struct endpoint *endpoint = endpoint_create(current_process());
    if (!endpoint)
        return -ENOMEM;
    if (endpoint_charge(endpoint, current_process()->quota) != 0) {
        endpoint_put(endpoint);
        return -ENOMEM;
    }
    return install(endpoint, HANDLE_TYPE_ENDPOINT, RIGHTS_ENDPOINT);
}

static long sys_notification_create(struct trap_frame *f)
{
    struct notification *parent = NULL;
    if (f->rdi) {
        int err = lookup(f->rdi, HANDLE_TYPE_NOTIFICATION, HANDLE_RIGHT_WAIT, (void **)&parent);
        if (err)
            return err;
        if (parent->parent)
            return -EINVAL; /* one level: a child cannot be a parent */
    } else if (f->rsi) {
        return -EINVAL; /* a key without a parent */
    }
    struct notification *notification = notification_create(parent, f->rsi);
    if (!notification)
        return -ENOMEM;
    if (notification_charge(notification, current_process()->quota) != 0) {
        notification_put(notification);
        return -ENOMEM;
    }
    return install(notification, HANDLE_TYPE_NOTIFICATION, RIGHTS_NOTIFICATION);
}

static long sys_ipc_call(struct trap_frame *f)
{
    return ipc_call(f);
}

static long sys_ipc_reply_wait(struct trap_frame *f)
{
    return ipc_reply_wait(f);
}

static long sys_ipc_wait(struct trap_frame *f)
{
    return ipc_wait(f);
}

static long sys_notify_signal(struct trap_frame *f)
{
    return ipc_notify_signal(f);
}

static long sys_notify_wait(struct trap_frame *f)
{
    return ipc_notify_wait(f);
}

static long sys_notify_poll(struct trap_frame *f)
{
    return ipc_notify_poll(f);
}

static int lookup_space(uint64_t handle, struct address_space **space)
{
    return lookup(handle, HANDLE_TYPE_ADDRESS_SPACE, HANDLE_RIGHT_MANAGE, (void **)space);
}

static int prot_valid(uint64_t prot)
{
    return (prot & ~(uint64_t)(ARAMID_PROT_READ | ARAMID_PROT_WRITE | ARAMID_PROT_EXEC)) == 0;
}

/* The most a mapping through memory-object handle may allow, kept for vm_protect: MAP gives
 * read, WRITE and EXECUTE add write and execute. */
static int memory_rights_max_prot(struct handle_table *handles, uint64_t handle)
{
    struct handle_info info;
    if (handle_get_info(handles, (handle_t)handle, &info) != 0)
        return 0;
    return VM_PROT_READ | (info.rights & HANDLE_RIGHT_WRITE ? VM_PROT_WRITE : 0) |
           (info.rights & HANDLE_RIGHT_EXECUTE ? VM_PROT_EXEC : 0);
}

static long sys_vm_map(struct trap_frame *f)
{
    struct address_space *space;
    struct memory_object *object = NULL;
    int err = lookup_space(f->rdi, &space);
    if (err)
        return err;
    if (!prot_valid(f->r10 & ~(uint64_t)(f->r8 ? ARAMID_MAP_PAST_END | ARAMID_MAP_PRIVATE : 0)))
        return -EINVAL;
    int max_prot = VM_PROT_ALL; /* anonymous memory: the caller's own */
    if (f->r8) {
        /* A private mapping writes its own copies: the object needs no write right. */
        bool private = (f->r10 & ARAMID_MAP_PRIVATE) != 0;
        uint32_t rights = HANDLE_RIGHT_MAP;
        if ((f->r10 & ARAMID_PROT_WRITE) && !private)
            rights |= HANDLE_RIGHT_WRITE;
        if (f->r10 & ARAMID_PROT_EXEC)
            rights |= HANDLE_RIGHT_EXECUTE;
        err = lookup(f->r8, HANDLE_TYPE_MEMORY_OBJECT, rights, (void **)&object);
        if (err)
            return err;
        max_prot = memory_rights_max_prot(current_handles(), f->r8) | (private ? VM_PROT_WRITE : 0);
    }
    return vm_map_limited(space, f->rsi, f->rdx, (int)f->r10, max_prot, object, f->r9);
}

_Static_assert(VM_MAP_PAST_END == ARAMID_MAP_PAST_END, "vm_map's past-the-end flag");
_Static_assert(VM_MAP_PRIVATE == ARAMID_MAP_PRIVATE, "vm_map's private flag");

static long sys_memory_object_resize(struct trap_frame *f)
{
    struct memory_object *object;
    int err = lookup(f->rdi, HANDLE_TYPE_MEMORY_OBJECT, HANDLE_RIGHT_MANAGE, (void **)&object);
    if (err)
        return err;
    if (f->rsi > MEMORY_OBJECT_MAX)
        return -EINVAL;
    return memory_object_resize(object, f->rsi);
}

static long sys_vm_unmap(struct trap_frame *f)
{
    struct address_space *space;
    int err = lookup_space(f->rdi, &space);
    return err ? err : vm_unmap(space, f->rsi, f->rdx);
}

static long sys_vm_discard(struct trap_frame *f)
{
    struct address_space *space;
    int err = lookup_space(f->rdi, &space);
    return err ? err : vm_discard(space, f->rsi, f->rdx);
}

static long sys_vm_protect(struct trap_frame *f)
{
    struct address_space *space;
    int err = lookup_space(f->rdi, &space);
    if (err)
        return err;
    if (!prot_valid(f->r10))
        return -EINVAL;
    return vm_protect(space, f->rsi, f->rdx, (int)f->r10);
}

static long sys_memory_object_create(struct trap_frame *f)
{
    if (f->rdi == 0 || f->rdi > MEMORY_OBJECT_MAX)
        return -EINVAL;
    struct memory_object *object = memory_object_create(f->rdi);
    if (!object)
        return -ENOMEM;
    if (memory_object_charge_to(object, current_process()->quota) != 0) {
        memory_object_put(object);
        return -ENOMEM;
    }
    return install(object, HANDLE_TYPE_MEMORY_OBJECT, RIGHTS_MEMORY_OBJECT);
}

static long sys_memory_object_discard(struct trap_frame *f)
{
    struct memory_object *object;
    int err = lookup(f->rdi, HANDLE_TYPE_MEMORY_OBJECT, HANDLE_RIGHT_MANAGE, (void **)&object);
    if (err)
        return err;
    return memory_object_discard(object, f->rsi, f->rdx);
}

/* 0 when the caller has the creation authority (syscall.h), else -EPERM. */
static int require_creation_authority(void)
{
    return current_process()->may_create ? 0 : -EPERM;
}

static long sys_space_create(struct trap_frame *f)
{
    (void)f;
    int err = require_creation_authority();
    if (err)
        return err;
    struct address_space *space = address_space_create();
    if (!space)
        return -ENOMEM;
    (void)address_space_charge_to(space, current_process()->quota); /* nothing to charge yet */
    return install(space, HANDLE_TYPE_ADDRESS_SPACE, RIGHTS_MANAGED);
}

static long sys_space_clone(struct trap_frame *f)
{
    struct address_space *space;
    int err = require_creation_authority();
    if (!err)
        err = lookup_space(f->rdi, &space);
    if (err)
        return err;
    struct address_space *copy = address_space_clone(space);
    if (!copy)
        return -ENOMEM;
    if (address_space_charge_to(copy, current_process()->quota) != 0) {
        address_space_put(copy);
        return -ENOMEM;
    }
    return install(copy, HANDLE_TYPE_ADDRESS_SPACE, RIGHTS_MANAGED);
}

/* Half of physical memory: the limit of a process whose creator passes none on. */
static uint64_t quota_default_pages(void)
{
    return (frame_free_count(&memory_frames) + frame_used_count(&memory_frames)) / 2;
}

/* Gives a new process its quota (the limit of source's, else the default) and moves its
 * space's charge to it when the creator's own quota carried it. */
static int process_quota_start(struct process *process, struct process *source,
                               struct address_space *space)
{
    struct quota *creator = current_process()->quota;
    struct quota *inherited = source ? source->quota : creator;
    process->quota = quota_create(inherited ? inherited->limit : quota_default_pages());
    if (!process->quota)
        return -ENOMEM;
    return address_space_move_charge(space, creator, process->quota);
}

static long sys_process_create(struct trap_frame *f)
{
    struct address_space *space;
    int err = require_creation_authority();
    if (!err)
        err = lookup_space(f->rdi, &space);
    if (err)
        return err;
    struct process *source = NULL;
    if (f->rsi) {
        err = lookup(f->rsi, HANDLE_TYPE_PROCESS, HANDLE_RIGHT_MANAGE, (void **)&source);
        if (err)
            return err;
        if (source->exited)
            return -ESRCH;
    }
    struct process *process = process_create(space, source);
    if (!process)
        return -ENOMEM;
    err = process_quota_start(process, source, space);
    if (err) {
        process_terminate(process, PROCESS_EXIT_FAULT_BASE + 9);
        process_put(process);
        return err;
    }
    return install(process, HANDLE_TYPE_PROCESS, RIGHTS_MANAGED);
}

static long sys_thread_create(struct trap_frame *f)
{
    struct process *process;
    int err = lookup(f->rdi, HANDLE_TYPE_PROCESS, HANDLE_RIGHT_MANAGE, (void **)&process);
    if (!err && process != current_process())
        err = require_creation_authority();
    if (err)
        return err;
    if (process->exited)
        return -ESRCH;
    if (!uaccess_range_ok(f->rsi, 1) || !uaccess_range_ok(f->rdx, 0))
        return -EINVAL;
    /* Linux's pthread_create gives EAGAIN for both: a thread limit, or no memory for one. */
    if (process->live_threads >= PROCESS_THREADS_MAX ||
        !quota_fits(process->quota, PROCESS_THREAD_QUOTA_PAGES))
        return -EAGAIN;
    struct thread *thread = thread_create_user(process, f->rsi, f->rdx, f->r10);
    if (!thread)
        return -ENOMEM;
    /* The handle holds one reference, the thread's own life the other. */
    handle_t handle = handle_install(current_handles(), thread, HANDLE_TYPE_THREAD,
                                     HANDLE_RIGHT_READ | HANDLE_RIGHT_MANAGE);
    if (handle < 0) {
        thread_kill(thread);
        return handle;
    }
    thread_get(thread);
    sched_wake(thread);
    return handle;
}

static long sys_process_kill(struct trap_frame *f)
{
    struct process *process;
    int err = lookup(f->rdi, HANDLE_TYPE_PROCESS, HANDLE_RIGHT_MANAGE, (void **)&process);
    if (err)
        return err;
    if (process == current_process())
        process_exit_current(PROCESS_EXIT_FAULT_BASE + 9);
    process_terminate(process, PROCESS_EXIT_FAULT_BASE + 9);
    return 0;
}

/* (process, stop): MANAGE. Not the caller's own (-EINVAL: nothing could continue it), not an
 * exited one (-ESRCH). */
static long sys_process_stop(struct trap_frame *f)
{
    struct process *process;
    int err = lookup(f->rdi, HANDLE_TYPE_PROCESS, HANDLE_RIGHT_MANAGE, (void **)&process);
    if (err)
        return err;
    if (process == current_process() || f->rsi > 1)
        return -EINVAL;
    if (process->exited)
        return -ESRCH;
    process_stop(process, f->rsi == 1);
    return 0;
}

static long sys_process_wait(struct trap_frame *f)
{
    struct process *process;
    int err = lookup(f->rdi, HANDLE_TYPE_PROCESS, HANDLE_RIGHT_READ, (void **)&process);
    if (err)
        return err;
    if (process->exited)
        return process->exit_code;
    if (process == current_process())
        return -EDEADLK;
    uint64_t deadline = f->rsi; /* 0: forever */
    if (deadline && sched_deadline_passed(deadline))
        return -ETIMEDOUT;
    struct thread *self = sched_current();
    process_get(process); /* dropped by whoever takes self off the wait list */
    list_push_back(&process->exit_waiters, &self->wait_link);
    if (deadline)
        sched_set_timeout(self, deadline);
    sched_block_current(WAIT_PROCESS_EXIT, process);
}

static long sys_kernel_stats(struct trap_frame *f)
{
    union {
        struct aramid_memory_stats memory;
        struct aramid_stack_cache_stats stacks;
        struct aramid_ipc_stats ipc;
        struct aramid_system_process_stats system[ARAMID_STATS_SYSTEM_MAX];
    } out;
    size_t size;
    switch (f->rdi) {
    case ARAMID_STATS_MEMORY:
        out.memory.free_frames = frame_free_count(&memory_frames);
        out.memory.used_frames = frame_used_count(&memory_frames);
        out.memory.heap_pages = memory_heap_pages();
        out.memory.heap_cached_pages = memory_heap_cached_pages();
        out.memory.object_frames = memory_object_frames;
        out.memory.stack_cache_frames = stack_cache_bytes(&this_cpu()->stack_cache) / 4096;
        size = sizeof(out.memory);
        break;
    case ARAMID_STATS_STACK_CACHE: {
        struct stack_cache_stats stats;
        stack_cache_get_stats(&this_cpu()->stack_cache, KERNEL_STACK_SIZE, &stats);
        out.stacks.hits = stats.hits;
        out.stacks.misses = stats.misses;
        out.stacks.overflows = stats.overflows;
        out.stacks.cached = stats.cached;
        size = sizeof(out.stacks);
        break;
    }
    case ARAMID_STATS_IPC:
        out.ipc.threads = thread_count_alive();
        out.ipc.reply_slots = reply_slots_used();
        out.ipc.held_calls = reply_calls_held();
        size = sizeof(out.ipc);
        break;
    case ARAMID_STATS_SYSTEM: {
        unsigned fit = (unsigned)(f->rdx / sizeof(out.system[0]) < ARAMID_STATS_SYSTEM_MAX
                                      ? f->rdx / sizeof(out.system[0])
                                      : ARAMID_STATS_SYSTEM_MAX);
        if (fit == 0)
            return -EINVAL;
        size = process_system_stats(out.system, fit) * sizeof(out.system[0]);
        break;
    }
    default:
        return -EINVAL;
    }
    if (f->rdx < size)
        return -EINVAL;
    int err = copy_to_user(f->rsi, &out, size);
    return err ? err : (long)size;
}

static long sys_machine_exit(struct trap_frame *f)
{
    if (!current_process()->is_root)
        return -EPERM;
    kprintf("machine exit requested with code %lu\n", f->rdi & 0xff);
    machine_exit((uint8_t)f->rdi);
}

/* vm_write's mirror: length bytes at address in space (MANAGE) into the caller's buffer, at
 * most COPY_CHUNK (-EINVAL beyond: it is for small records, e.g. proc reading a process's
 * signal dispositions). */
static long sys_vm_read(struct trap_frame *f)
{
    struct address_space *space;
    uint64_t address = f->rsi, buffer = f->rdx, length = f->r10;
    char chunk[COPY_CHUNK];
    int err = lookup_space(f->rdi, &space);
    if (err)
        return err;
    if (length > COPY_CHUNK)
        return -EINVAL;
    if (!uaccess_range_ok(buffer, length) || !uaccess_range_ok(address, length))
        return -EFAULT;
    err = vm_read(space, address, chunk, length);
    if (!err)
        err = copy_to_user(buffer, chunk, length);
    return err;
}

static long sys_vm_write(struct trap_frame *f)
{
    struct address_space *space;
    uint64_t address = f->rsi, buffer = f->rdx, length = f->r10;
    char chunk[COPY_CHUNK];
    int err = lookup_space(f->rdi, &space);
    if (err)
        return err;
    if (!uaccess_range_ok(buffer, length) || !uaccess_range_ok(address, length))
        return -EFAULT;
    uint64_t bounded = length < VM_WRITE_CHUNK_MAX ? length : VM_WRITE_CHUNK_MAX;
    for (uint64_t done = 0; done < bounded;) {
        size_t n = bounded - done < COPY_CHUNK ? bounded - done : COPY_CHUNK;
        err = copy_from_user(chunk, buffer + done, n);
        if (!err)
            err = vm_write(space, address + done, chunk, n);
        if (err)
            return err;
        done += n;
    }
    if (bounded == length)
        return 0;
    /* The rest in a new entry: on the way there the thread passes through user mode, where a
     * pending interrupt (the timer, a preemption) is taken. Bytes already copied stay copied,
     * as with a fault part-way. */
    f->rsi = address + bounded;
    f->rdx = buffer + bounded;
    f->r10 = length - bounded;
    f->rip -= SYSCALL_INSTRUCTION_LENGTH;
    return SYS_vm_write;
}

static long sys_ipc_buffer(struct trap_frame *f)
{
    (void)f;
    return (long)sched_current()->ipc_buffer_address;
}

static long sys_fault_handler_set(struct trap_frame *f)
{
    (void)f;
    return -ENOSYS; /* unresolvable faults kill the process (docs/status.md) */
}

static long sys_handle_grant(struct trap_frame *f)
{
    struct process *target;
    struct handle_info info;
    int err = lookup(f->rdi, HANDLE_TYPE_PROCESS, HANDLE_RIGHT_MANAGE, (void **)&target);
    if (err)
        return err;
    err = handle_get_info(current_handles(), (handle_t)f->rsi, &info);
    if (err)
        return err;
    if (!(info.rights & HANDLE_RIGHT_GRANT))
        return -EPERM;
    if (target->exited)
        return -ESRCH;
    handle_t handle = handle_install_badged(&target->handles, info.object, info.type,
                                            info.rights & (uint32_t)f->rdx, info.badge);
    if (handle > 0) {
        object_get(info.object, info.type);
        if (info.object == target && !target->started)
            target->self_handles++; /* see process_put */
    }
    return handle;
}

static long sys_notify_bind(struct trap_frame *f)
{
    return ipc_notify_bind(f);
}

static long sys_process_notify_exit(struct trap_frame *f)
{
    struct process *process;
    struct notification *notification = NULL;
    int err = lookup(f->rdi, HANDLE_TYPE_PROCESS, HANDLE_RIGHT_MANAGE, (void **)&process);
    if (!err && f->rsi)
        err = lookup(f->rsi, HANDLE_TYPE_NOTIFICATION, HANDLE_RIGHT_SIGNAL, (void **)&notification);
    return err ? err : process_notify_exit(process, current_process(), notification, f->rdx);
}

static long sys_upcall_set(struct trap_frame *f)
{
    return upcall_set(f);
}

static long sys_upcall_return(struct trap_frame *f)
{
    return upcall_return(f);
}

static long sys_upcall_stack_set(struct trap_frame *f)
{
    return upcall_stack_set(f->rdi, f->rsi);
}

static long sys_process_id(struct trap_frame *f)
{
    struct process *process;
    int err = lookup(f->rdi, HANDLE_TYPE_PROCESS, HANDLE_RIGHT_READ, (void **)&process);
    return err ? err : (long)process->id;
}

static long sys_ipc_reply(struct trap_frame *f)
{
    return ipc_reply(f);
}

static long sys_timer_set(struct trap_frame *f)
{
    return ipc_timer_set(f);
}

static long sys_cpu_time(struct trap_frame *f)
{
    return cputime_sys_read(f);
}

static long sys_cpu_timer_set(struct trap_frame *f)
{
    return cputime_sys_timer_set(f);
}

#define RIGHTS_MINTED                                                                         \
    (HANDLE_RIGHT_SEND | HANDLE_RIGHT_GRANT | HANDLE_RIGHT_DUPLICATE | HANDLE_RIGHT_INHERIT)

static long sys_endpoint_mint(struct trap_frame *f)
{
    struct endpoint *endpoint;
    int err = lookup(f->rdi, HANDLE_TYPE_ENDPOINT, HANDLE_RIGHT_RECEIVE, (void **)&endpoint);
    if (err)
        return err;
    if (f->rdx & ~(uint64_t)RIGHTS_MINTED)
        return -EINVAL;
    handle_t handle = handle_install_badged(current_handles(), endpoint, HANDLE_TYPE_ENDPOINT,
                                            (uint32_t)f->rdx, f->rsi);
    if (handle > 0)
        endpoint_get(endpoint);
    return handle;
}

static long sys_process_exec(struct trap_frame *f)
{
    struct process *process;
    struct address_space *space;
    int err = require_creation_authority();
    if (!err)
        err = lookup(f->rdi, HANDLE_TYPE_PROCESS, HANDLE_RIGHT_MANAGE, (void **)&process);
    if (!err)
        err = lookup_space(f->rsi, &space);
    if (!err) /* the new image is its own (proc's loader, which made it, is gone) */
        err = address_space_charge_to(space, process->quota);
    return err ? err : process_exec(process, space);
}

/* The process named by handle (MANAGE), for a caller with the creation authority. */
static int lookup_managed_by_creator(uint64_t handle, struct process **process)
{
    int err = require_creation_authority();
    return err ? err : lookup(handle, HANDLE_TYPE_PROCESS, HANDLE_RIGHT_MANAGE, (void **)process);
}

static long sys_process_allow_create(struct trap_frame *f)
{
    struct process *process;
    int err = lookup_managed_by_creator(f->rdi, &process);
    if (err)
        return err;
    if (process->exited)
        return -ESRCH;
    process->may_create = true;
    /* ... and no limit: its own memory stops counting against the quota it was made with. */
    if (process->space)
        (void)address_space_charge_to(process->space, NULL);
    quota_put(process->quota);
    process->quota = NULL;
    return 0;
}

static long sys_process_set_system(struct trap_frame *f)
{
    struct process *process;
    if (!current_process()->system)
        return -EPERM;
    int err = lookup_managed_by_creator(f->rdi, &process);
    if (err)
        return err;
    if (process->exited)
        return -ESRCH;
    char name[PROCESS_NAME_MAX + 1] = "system";
    size_t length = f->rdx < PROCESS_NAME_MAX ? (size_t)f->rdx : PROCESS_NAME_MAX;
    if (length > 0) {
        if (copy_from_user(name, f->rsi, length) != 0)
            return -EFAULT;
        name[length] = '\0';
    }
    memcpy(process->name, name, sizeof(name));
    process->system = true;
    return 0;
}

static long sys_process_set_quota(struct trap_frame *f)
{
    struct process *process;
    int err = lookup_managed_by_creator(f->rdi, &process);
    if (err)
        return err;
    if (!process->quota)
        return -EINVAL; /* unlimited by design: the root task and trusted servers */
    process->quota->limit = f->rsi;
    return (long)process->quota->used;
}

static long sys_thread_self(struct trap_frame *f)
{
    (void)f;
    return sched_current()->id;
}

static long sys_futex_wait(struct trap_frame *f)
{
    return futex_wait(f);
}

static long sys_futex_wake(struct trap_frame *f)
{
    return futex_wake(f);
}

static long sys_thread_tls_set(struct trap_frame *f)
{
    return thread_tls_set(sched_current(), f->rdi);
}

static long sys_thread_exit_wake(struct trap_frame *f)
{
    return futex_thread_exit_wake(f);
}

static long sys_robust_list_set(struct trap_frame *f)
{
    return futex_robust_list_set(f);
}

static long sys_console_bind(struct trap_frame *f)
{
    void *console;
    struct notification *notification;
    int err = lookup(f->rdi, HANDLE_TYPE_CONSOLE, HANDLE_RIGHT_READ, &console);
    if (!err)
        err = lookup(f->rsi, HANDLE_TYPE_NOTIFICATION, HANDLE_RIGHT_SIGNAL, (void **)&notification);
    return err ? err : console_input_bind(notification, f->rdx);
}

static long sys_console_read(struct trap_frame *f)
{
    void *console;
    int err = lookup(f->rdi, HANDLE_TYPE_CONSOLE, HANDLE_RIGHT_READ, &console);
    return err ? err : console_input_read(f->rsi, f->rdx);
}

typedef long (*syscall_handler)(struct trap_frame *frame);

#define SYSCALL_TABLE_ENTRY(number, name, args) [number] = sys_##name,
static const syscall_handler syscall_table[SYS_COUNT] = { ARAMID_SYSCALLS(SYSCALL_TABLE_ENTRY) };
#undef SYSCALL_TABLE_ENTRY

_Static_assert(ENTRY_SYS_IPC_CALL == SYS_ipc_call && ENTRY_SYS_IPC_REPLY_WAIT == SYS_ipc_reply_wait,
               "entry.S sends these two to the IPC fastpath");

/* The IPC fastpath has already been tried (entry.S) for ipc_call and ipc_reply_wait. */
void syscall_dispatch(struct trap_frame *frame)
{
    uint64_t number = frame->rax;
    if (number < SYS_COUNT && syscall_table[number]) /* the table has unassigned numbers */
        frame->rax = (uint64_t)syscall_table[number](frame);
    else
        frame->rax = (uint64_t)-ENOSYS;
    /* Work before returning to user mode, both rare: a reschedule, an upcall. */
    struct percpu *cpu = this_cpu();
    if (__builtin_expect(cpu->need_resched, 0))
        sched_preempt_point();
    upcall_deliver_if_pending(cpu->current);
}
