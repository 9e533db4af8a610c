/* Aramid's system-call ABI: numbers, register conventions and flag values, shared by the kernel
 * and user space (libsys). The list is defined once, as an X-macro. */
#ifndef ARAMID_SYSCALL_H
#define ARAMID_SYSCALL_H

/*
 * Calling convention (SYSCALL instruction):
 *   rax = number; arguments in rdi, rsi, rdx, r10, r8, r9; result in rax (>= 0, or -errno with
 *   Linux's errno values). rcx and r11 are clobbered by the CPU; every other register is kept.
 * IPC calls also carry a short message in registers, see IPC below.
 */

/* X(number, name, argument count) */
#define ARAMID_SYSCALLS(X)                                                                    \
    X(0, debug_write, 2)          /* (const char *text, size_t length) -> length */          \
    X(1, process_exit, 1)         /* (int code): ends the calling process */                 \
    X(2, thread_exit, 0)          /* ends the calling thread */                              \
    X(3, yield, 0)                                                                           \
    X(4, sleep, 1)                /* (uint64 nanoseconds) */                                 \
    X(5, clock_monotonic, 0)      /* -> nanoseconds since boot */                            \
    X(6, handle_close, 1)         /* (handle) */                                             \
    X(7, handle_duplicate, 2)     /* (handle, rights mask) -> new handle */                  \
    X(8, endpoint_create, 0)      /* -> endpoint handle */                                   \
    X(9, notification_create, 2)  /* (parent or 0, key) -> notification handle */          \
    X(10, ipc_call, 2)            /* (endpoint, info) + message registers */                 \
    X(11, ipc_reply_wait, 2)      /* (endpoint, reply info) + message registers */           \
    X(12, ipc_wait, 2)            /* (endpoint, flags) -> message */                         \
    X(13, notify_signal, 2)       /* (notification, bits) */                                 \
    X(14, notify_wait, 2)         /* (notification, deadline) -> bits (waits, clears) */     \
    X(15, notify_poll, 1)         /* (notification) -> bits (never waits, clears) */         \
    X(16, vm_map, 6)              /* (space, address, length, prot, memory object or 0, offset) */ \
    X(17, vm_unmap, 3)            /* (space, address, length) */                            \
    X(18, vm_protect, 4)          /* (space, address, length, prot) */                       \
    X(19, memory_object_create, 1) /* (size in bytes) -> memory object handle */             \
    X(20, space_create, 0)        /* -> empty address space handle */                        \
    X(21, space_clone, 1)         /* (space) -> copy-on-write copy */                        \
    X(22, process_create, 2)      /* (space, source process or 0) -> process handle */       \
    X(23, thread_create, 4)       /* (process, entry, stack pointer, argument) -> thread */  \
    X(24, process_kill, 1)        /* (process) */                                            \
    X(25, process_wait, 2)        /* (process, deadline) -> exit code (blocks until exit) */ \
    X(26, kernel_stats, 3)        /* (which, buffer, length) -> bytes written */             \
    X(27, machine_exit, 1)        /* (code): root task only; powers the machine off */       \
    X(28, vm_write, 4)            /* (space, address, buffer, length): copy into a space */  \
    X(29, ipc_buffer, 0)          /* -> address of the calling thread's IPC buffer */        \
    X(30, fault_handler_set, 2)   /* (process, endpoint) */                                  \
    X(31, handle_grant, 3)        /* (process, handle, rights mask) -> handle in process */  \
    X(32, thread_self, 0)         /* -> id of the calling thread (not a handle) */            \
    X(33, notify_bind, 1)         /* (notification or 0): deliver its bits to the caller's IPC waits */ \
    X(34, process_notify_exit, 3) /* (process, notification or 0, bits): signal bits when it exits */ \
    X(35, upcall_set, 2)          /* (entry or 0, notification): upcalls to the calling thread */ \
    X(36, upcall_return, 1)       /* (struct aramid_upcall_frame *): resume the interrupted code */ \
    X(37, process_id, 1)          /* (process) -> its kernel id: the sender id its calls carry */ \
    X(38, ipc_reply, 2)           /* (reply token, info) + message registers: a kept reply */ \
    X(39, timer_set, 4)           /* (notification, deadline, period, bits) */              \
    X(40, endpoint_mint, 3)       /* (endpoint, badge, rights) -> badged send handle */      \
    X(41, process_exec, 2)        /* (process, space): new image, same id and handles */ \
    X(42, process_allow_create, 1) /* (process): hand on the creation authority (see below) */ \
    X(43, process_set_quota, 2)   /* (process, pages) -> pages charged now (see below) */ \
    X(44, futex_wait, 3)          /* (address, value, deadline): wait while *address == value */ \
    X(45, futex_wake, 2)          /* (address, count) -> threads woken */                     \
    X(46, thread_tls_set, 1)      /* (base): the calling thread's FS base */                  \
    X(47, thread_exit_wake, 2)    /* (address, value): *address = value, wake all, exit */ \
    X(48, cpu_time, 2)            /* (process or 0, struct aramid_cpu_time *): CPU time used */ \
    X(49, cpu_timer_set, 4)       /* (notification, kind, threshold, bits): CPU-time timer */ \
    X(50, vm_discard, 3)          /* (space, address, length): drop the pages' frames, keep the mapping */ \
    X(52, process_set_system, 3)  /* (process, name, length): a system process (see below) */ \
    X(56, upcall_stack_set, 2)    /* (base, size or 0): the calling thread's upcall stack */ \
    X(57, robust_list_set, 1)     /* (struct aramid_robust_head * or 0): walked when it dies */ \
    X(58, memory_object_resize, 2) /* (memory object, size): grow or shrink (see below) */ \
    X(60, console_bind, 3)        /* (console, notification, bits): signal on input; bits 0 unbinds */ \
    X(61, console_read, 3)        /* (console, buffer, length) -> bytes; -EAGAIN when none waits */ \
    X(62, process_stop, 2)        /* (process, stop): 1 stops its threads, 0 lets them go on */ \
    X(63, vm_read, 4)             /* (space, address, buffer, length): copy out of a space */ \
    X(65, memory_object_discard, 3) /* (memory object, offset, length): drop its frames there */

/*
 * Creation authority. space_create, space_clone, process_create, process_exec and
 * thread_create in a process other than the caller's need it (-EPERM otherwise): a process
 * cannot make processes, spaces or threads that the process server does not know. The root
 * task has it; process_allow_create(process) (MANAGE on process, and the caller has the
 * authority) hands it to process, which the root task does for proc. New processes never
 * start with it.
 *
 * Memory quotas. Each process made by process_create has a quota of pages: its anonymous
 * mappings (charged at vm_map, as Linux's strict overcommit accounting, uncharged at unmap),
 * the memory objects it makes (their whole size) and the spaces it clones; over the limit
 * these calls give -ENOMEM. The limit is the source process's (process_create's second
 * argument, as fork passes), else half of physical memory. process_set_quota(process, pages)
 * (creation authority, MANAGE) sets the limit and returns what is charged now. The root task
 * and processes given the creation authority have no limit. Also charged: each region's page
 * tables and kernel heap (3 pages, and an object mapping 1 more per 2 MiB), each live thread
 * (6 pages: its kernel stack, IPC buffer and state; past the quota thread_create gives
 * -EAGAIN).
 *
 * System processes. process_set_system(process, name, length) (MANAGE; the caller must be a
 * system process with the creation authority: the root task, which init is, and so does it for
 * proc and the servers) marks process as a system process named name (length bytes, at most
 * 15 kept; 0: "system"): the last free frames (a reserve of 1/32 of memory, 1 to 16 MiB) go
 * only to system processes and the kernel, the out-of-memory killer never picks one, so no
 * client can make proc or a server fail for want of memory, and when one ends the kernel says
 * so on the console ("kernel: system process 3 (vfs) ended: killed by signal 11"). 0; -EPERM
 * without that authority; -ESRCH when it has exited; -EFAULT for a bad name. New processes
 * are not system processes.
 */

/*
 * memory_object_discard(object, offset, length) (MANAGE: its creator) drops the object's frames
 * for the page-aligned range, at most 2 MiB a call, as fallocate's PUNCH_HOLE: the next touch
 * of a page there gives a zero-filled frame again. A mapping that has the page already keeps
 * its frame until it unmaps or vm_discards it (nothing is freed under a mapping; the object's
 * other users then no longer share that page with it), so the one who discards should hold
 * the only mapping, as the vfs does for its page object. The quota charge does not change.
 * 0; -EINVAL for an unaligned range, one past the object or over 2 MiB; -EBADF/-EPERM for the
 * handle.
 */

#define ARAMID_SYSCALL_NUMBER(number, name, args) SYS_##name = number,
enum aramid_syscall { ARAMID_SYSCALLS(ARAMID_SYSCALL_NUMBER) SYS_COUNT };
#undef ARAMID_SYSCALL_NUMBER

/* Handles are positive; 0 is never a valid handle. */
typedef long aramid_handle_t;

/*
 * vm_discard(space, address, length) (MANAGE on space) gives back the frames of the pages in a
 * fully mapped, page-aligned range and keeps the mapping, as Linux's madvise(MADV_DONTNEED):
 * an anonymous page reads as zero again at its next touch (demand-zero), a memory object's
 * page as the object holds it. Page tables it empties are freed. What is charged to the quota
 * does not change (it was charged when mapped). 0; -EINVAL for an unaligned or non-user range
 * or one with a kernel-owned page (the information page, an IPC buffer); -ENOMEM when part of
 * the range is not mapped (then nothing changes). Servers' heaps use it for what they free.
 */

/* Memory protection for vm_map / vm_protect (same bits as Linux's PROT_*). */
#define ARAMID_PROT_NONE 0x0
#define ARAMID_PROT_READ 0x1
#define ARAMID_PROT_WRITE 0x2
#define ARAMID_PROT_EXEC 0x4
/* vm_map of a memory object with prot | ARAMID_MAP_PAST_END: the mapping may run past the
 * object's end, as a file's mmap on Linux; touching a page past the object's size faults
 * with SIGBUS. memory_object_resize (needs manage: the creator's right, which handles given
 * out with explicit rights lack) makes the object size bytes: growing past what it ever held
 * charges the new pages to the quota it is charged to (-ENOMEM), and every mapping then
 * reaches them; shrinking only ends what faults of ARAMID_MAP_PAST_END mappings reach (any
 * other mapping, such as a server's, reaches every page the object holds). */
#define ARAMID_MAP_PAST_END 0x100
/* vm_map of a memory object with prot | ARAMID_MAP_PRIVATE: a private mapping, as Linux's
 * MAP_PRIVATE of a file: every page reads the object's bytes until this mapping writes it,
 * which copies it (copy-on-write; PROT_WRITE needs only the map right), so stores never reach
 * the object; charged to the quota as anonymous memory of that length. With
 * ARAMID_MAP_PAST_END, a shrink of the object takes its pages past the new size away, copies
 * too (SIGBUS at their next touch, as Linux's truncate). */
#define ARAMID_MAP_PRIVATE 0x200

/* User addresses are [ARAMID_USER_BASE, ARAMID_USER_TOP). */
#define ARAMID_USER_BASE 0x1000ul
#define ARAMID_USER_TOP 0x00007ffffffff000ul

/*
 * IPC. A message is an info word plus up to ARAMID_IPC_REGISTERS words in registers
 * (mr0..mr5 = rdx, r10, r8, r9, r12, r13) and, for larger messages, up to ARAMID_IPC_BUFFER_SIZE
 * bytes in the sender's IPC buffer (one page per thread, see SYS_ipc_buffer), copied to the
 * receiver's IPC buffer.
 *
 * info: bits 0..31 label (free for protocols), bits 32..44 buffer bytes (0..4096),
 * bit 48 ARAMID_IPC_GRANT: mr5 carries a handle that is moved to the receiver (the receiver sees
 * its new handle value in mr5), bit 50 ARAMID_IPC_DEADLINE: r15 holds a deadline for the call
 * or the wait (absolute clock_monotonic nanoseconds; one that has passed means "do not block").
 * The receiver sees only the label, byte count and grant bits of the sender's info.
 *
 * ipc_call(endpoint, info): sends and waits for the reply. Returns 0 and the reply in
 * rsi (info) and the message registers, or -errno: -EPIPE when the server died holding the
 * call or the endpoint died, -ETIMEDOUT when the deadline passed before a server took the call.
 * A call a server already holds is never abandoned: a deadline or a signal (see upcalls) sends
 * the server a cancel notice instead, and the call returns the server's answer.
 *
 * ipc_wait(endpoint, flags) and ipc_reply_wait(endpoint, reply info) receive. They return 0
 * with rdi = the badge of the handle the caller used (endpoint_mint; 0 for an unminted handle),
 * rsi = its info, its message, r14 = the reply token of the call, and r15 = the caller's
 * process id (set by the kernel; it cannot be forged and survives process_exec). ipc_wait's
 * flags: 0 or ARAMID_IPC_DEADLINE (deadline in r15); -ETIMEDOUT when it passes.
 *
 * Replies are capabilities. The token names one call; ipc_reply(token, info) answers it from any
 * thread of the receiving process, once (then -ESRCH: answered already, or its caller died;
 * -EINVAL for a value that was never a token). Any number of calls may be held, answered in any
 * order. ipc_reply_wait first answers the call its thread received last, if no one has, then
 * waits. When the receiving process dies, every call it holds returns -EPIPE.
 *
 * A cancel notice is a received message with info = ARAMID_IPC_CANCEL, r14 = the token of the
 * held call that a signal or a deadline wants back, rdi and r15 as for the call. The server
 * answers that token (its protocol's -EINTR, or a partial result) with ipc_reply.
 *
 * A thread may bind one notification (notify_bind). While it waits in ipc_wait or
 * ipc_reply_wait, signalling that notification ends the wait with info = ARAMID_IPC_NOTIFIED,
 * badge 0, token 0, the bits in mr0 (then cleared) and the key in mr1 (see notifications);
 * pending bits end the wait at once. This lets a server wait for calls and events in one place.
 *
 * Notifications. notification_create(0, 0) makes a plain one: a word of bits that signallers
 * OR into and a waiter takes (and clears). notification_create(parent, key) makes a child of
 * parent (WAIT right on parent): signalling the child queues it once on the parent's ready list
 * (O(1)) and wakes the parent's waiter, who takes one ready child at a time: its bits and key.
 * process_wait(process, deadline) takes a deadline the same way (0: forever).
 * notify_wait(notification, deadline) returns the bits in rax and the key in rdx (0 for the
 * notification's own bits); deadline 0 waits forever, -ETIMEDOUT when it passes.
 * timer_set(notification, deadline, period, bits) signals bits at deadline and then every period
 * nanoseconds (period 0: once); deadline 0 stops it. One timer per notification (SIGNAL right).
 *
 * endpoint_mint(endpoint, badge, rights) needs RECEIVE on endpoint and makes a new handle that
 * sends with badge; rights are limited to SEND, GRANT, DUPLICATE and INHERIT. Duplicates and
 * grants keep the badge.
 *
 * process_create(space, source): with a process handle source (MANAGE), the new process starts
 * with a copy of every handle of source that has ARAMID_RIGHT_INHERIT, at the same values.
 * process_exec(process, space) (MANAGE on both): every thread of process ends, its handles
 * without ARAMID_RIGHT_INHERIT close, and it gets space in place of its address space; its id,
 * its inheritable handles and its exit watch stay.
 */
#define ARAMID_IPC_REGISTERS 6
#define ARAMID_IPC_BUFFER_SIZE 4096
#define ARAMID_IPC_LABEL(info) ((unsigned)((info) & 0xffffffffu))
#define ARAMID_IPC_BUFFER_BYTES(info) ((unsigned)(((info) >> 32) & 0x1fffu))
#define ARAMID_IPC_GRANT (1ul << 48)
#define ARAMID_IPC_NOTIFIED (1ul << 49) /* set by the kernel only, see notify_bind */
#define ARAMID_IPC_DEADLINE (1ul << 50) /* r15 holds the deadline */
#define ARAMID_IPC_CANCEL (1ul << 51)   /* set by the kernel only: a cancel notice */
#define ARAMID_IPC_INFO(label, buffer_bytes) \
    ((unsigned long)(unsigned)(label) | ((unsigned long)(buffer_bytes) << 32))

/*
 * Upcalls (the base of POSIX signals). upcall_set(entry, notification) makes the calling thread
 * the upcall target of notification. Signalling it then (1) ends an interruptible wait of the
 * thread (ipc_call still queued, ipc_wait, sleep, notify_wait, process_wait; not a call whose
 * server already has it) with -EINTR, and (2) at the thread's next return to user mode, saves
 * its registers in a struct aramid_upcall_frame pushed on its stack (below a 128-byte red zone,
 * 16-byte aligned) and runs entry(frame, bits) with the notification's bits (then cleared).
 * upcall_return(frame) restores the registers (RIP and RSP must be user addresses; RFLAGS is
 * sanitized) and so returns into the interrupted code. If the frame cannot be written to the
 * stack, the process is killed with exit code 128 + 11.
 * A fault the kernel cannot resolve (bad access, invalid opcode, divide error...) in a thread
 * with an upcall registered is delivered the same way at once, with fault_signal set to the
 * POSIX signal Linux would send (11, 7, 8, 4, 5), fault_address (CR2 for page faults) and
 * fault_code (the CPU's error code); bits are then those pending, possibly 0. Returning without
 * changing the frame re-executes the faulting instruction. fault_signal is 0 otherwise.
 * The kernel keeps no state about a delivered upcall: code may also leave it for good (a
 * longjmp out of a signal handler) instead of calling upcall_return.
 * upcall_stack_set(base, size) gives the calling thread an upcall stack (sigaltstack): while
 * its rsp is outside (base, base + size], frames go just below base + size (no red zone);
 * while rsp is on it, below rsp as usual. size 0 removes it (base ignored); -EINVAL for a
 * range outside user space or smaller than 256 bytes. A new thread has none.
 */
/*
 * CPU time (ukernel/include/cputime.h says how it is measured). cpu_time(process, out) writes the
 * calling thread's user and system nanoseconds and those of process (a process handle with the
 * read right, or 0 for the caller's own process; a process's figures keep the time of its
 * threads that ended). cpu_timer_set(notification, kind, threshold, bits): when the caller's
 * process has run threshold nanoseconds of kind (VIRTUAL: user time; PROF: user + system),
 * bits are signalled on notification (signal right) once; threshold 0 disarms. One timer per
 * kind and process; measured at timer ticks, so it fires up to one tick late.
 */
struct aramid_cpu_time {
    unsigned long thread_user_ns, thread_system_ns;
    unsigned long process_user_ns, process_system_ns;
};
#define ARAMID_CPU_TIMER_VIRTUAL 0
#define ARAMID_CPU_TIMER_PROF 1

struct aramid_upcall_frame {
    unsigned long r15, r14, r13, r12, r11, r10, r9, r8;
    unsigned long rbp, rdi, rsi, rdx, rcx, rbx, rax;
    unsigned long rip, rflags, rsp;
    unsigned long fault_signal, fault_address, fault_code;
};

/*
 * Console input (the serial line's received bytes; ukernel/kern/console_input.c). The root task
 * gets a console handle in its bootinfo (rights read, grant, duplicate) unless the kernel runs
 * with console_input=off; it hands it on to whoever serves the terminal. Both calls need the
 * read right on the console handle (-EBADF for anything else, -EPERM without the right).
 *
 * console_read(console, buffer, length): moves up to length received bytes (oldest first) to
 * buffer and returns their count; 0 for length 0; -EAGAIN when none is waiting (never blocks);
 * -EFAULT for a buffer outside user space or not writable (then no byte is lost). The kernel
 * keeps at most 4096 unread bytes; while they are unread it takes no more from the serial
 * line, so the sender waits and nothing is lost.
 *
 * console_bind(console, notification, bits): with bits != 0, notification (needs the signal
 * right) is signalled with bits whenever input arrives while none was waiting, and at once
 * if input is waiting now; binding it again changes its bits. Up to 8 notifications may be
 * bound (-ENOSPC beyond; a binding whose notification has no other holder is reused). bits 0
 * removes the binding (-ENOENT if it was not bound). Signals come on the transition from no
 * input to some: a reader reads until -EAGAIN before it waits again.
 */

/*
 * Wait-on-address (the base of posix-shim's mutexes, condition variables and joins).
 * futex_wait(address, value, deadline): if the 32-bit word at address (4-byte aligned, in a
 * writable mapping) still holds value, blocks until futex_wake on the same word, a signal
 * (-EINTR, see upcalls) or the deadline (absolute clock_monotonic nanoseconds; 0 waits forever,
 * one that has passed gives -ETIMEDOUT at once). 0 when woken (possibly spuriously), -EAGAIN
 * when the word differs. Waiters are keyed by the word's physical address, so processes that
 * map the same memory object (MAP_SHARED) wait and wake across processes.
 * futex_wake(address, count) -> how many waiters of the word it woke, oldest first.
 * thread_exit_wake(address, value) stores value in the word, wakes all its waiters and ends the
 * calling thread (pthread_join waits for that word, then may free the thread's stack).
 * thread_tls_set(base) sets the calling thread's FS base (user address or 0; -EINVAL else);
 * a new thread starts with 0.
 * All of them: -EINVAL for a misaligned address, -EFAULT for one not mapped writable.
 *
 * Robust mutexes (posix-shim's PTHREAD_MUTEX_ROBUST, as Linux's robust futex lists):
 * robust_list_set(head) registers the calling thread's list head (8-byte aligned user address,
 * -EINVAL else; -EFAULT outside user space; 0 removes it; a new thread has none). When the
 * thread ends by any means (thread_exit, its process's exit or kill, execve's new image), the
 * kernel walks the list in the thread's space: from first, each entry is a mutex address m,
 * the next one's address is the 8 bytes at m + next_offset, its 32-bit lock word is at
 * m + word_offset; then pending (a mutex being locked or unlocked, 0: none). A lock word whose
 * low 30 bits (ARAMID_ROBUST_TID_MASK) are the thread's id (thread_self) becomes
 * ARAMID_ROBUST_OWNER_DIED and all its waiters are woken; other words stay as they are. At most
 * ARAMID_ROBUST_LIST_MAX entries; an entry that cannot be read ends the walk.
 */
struct aramid_robust_head {
    unsigned long first;
    long next_offset;
    long word_offset;
    unsigned long pending;
};
#define ARAMID_ROBUST_OWNER_DIED (1u << 30)
#define ARAMID_ROBUST_WAITERS (1u << 31)
#define ARAMID_ROBUST_TID_MASK (ARAMID_ROBUST_OWNER_DIED - 1)
#define ARAMID_ROBUST_LIST_MAX 2048

/* kernel_stats "which" values and their layouts. */
#define ARAMID_STATS_MEMORY 1 /* struct aramid_memory_stats */
#define ARAMID_STATS_STACK_CACHE 2 /* struct aramid_stack_cache_stats */
#define ARAMID_STATS_IPC 3 /* struct aramid_ipc_stats */
#define ARAMID_STATS_SYSTEM 4 /* struct aramid_system_process_stats[], one per system process */

struct aramid_memory_stats {
    unsigned long free_frames;
    unsigned long used_frames;
    unsigned long heap_pages; /* pages the kernel heap holds (objects, tables, cached slabs) */
    unsigned long heap_cached_pages;  /* of heap_pages: empty slabs kept for reuse (one a class) */
    unsigned long object_frames;      /* frames memory objects hold (their touched pages) */
    unsigned long stack_cache_frames; /* frames of the kernel stacks the stack cache keeps */
};

struct aramid_ipc_stats {
    unsigned long threads;      /* thread objects alive (dead ones not yet freed included) */
    unsigned long reply_slots;  /* reply slots in use (one per user thread) */
    unsigned long held_calls;   /* calls held by servers and not answered yet */
};

/* What a live system process (init, proc, the servers) and the caller hold: one record each,
 * the caller's first (flags: ARAMID_STATS_CALLER, and ARAMID_STATS_SYSTEM_PROCESS for a system
 * process), as many as fit in the buffer (at most ARAMID_STATS_SYSTEM_MAX; -EINVAL when not
 * even one fits). The page counts come from a walk of its page tables: pages = user pages
 * mapped; private_pages = those no other mapping or memory object holds (what its death
 * would free), image_pages = the part of them below ARAMID_STATS_IMAGE_END (programs are
 * linked there, small code model: their data and bss; libsys maps its heap and everything else
 * above); page_tables = its page tables and PML4; charged = what its space is charged
 * (anonymous pages and each region's cost, quota.h's unit). */
#define ARAMID_STATS_SYSTEM_MAX 16
#define ARAMID_STATS_IMAGE_END 0x80000000ul
#define ARAMID_STATS_CALLER 1ul
#define ARAMID_STATS_SYSTEM_PROCESS 2ul
#define ARAMID_STATS_HANDLE_KINDS 8
#define ARAMID_HANDLE_KIND_THREAD 1
#define ARAMID_HANDLE_KIND_SPACE 2
#define ARAMID_HANDLE_KIND_ENDPOINT 3
#define ARAMID_HANDLE_KIND_NOTIFICATION 4
#define ARAMID_HANDLE_KIND_MEMORY_OBJECT 5
#define ARAMID_HANDLE_KIND_PROCESS 6
#define ARAMID_HANDLE_KIND_CONSOLE 7
struct aramid_system_process_stats {
    unsigned long id;
    unsigned long flags;
    char name[16]; /* a system process's name; "" for others */
    unsigned long pages;
    unsigned long private_pages;
    unsigned long image_pages;
    unsigned long page_tables;
    unsigned long charged;
    unsigned long handles;
    unsigned long threads;
    /* Of handles, by the kind of object each names (index ARAMID_HANDLE_KIND_*; 0 unused). */
    unsigned long handle_kinds[ARAMID_STATS_HANDLE_KINDS];
};

struct aramid_stack_cache_stats {
    unsigned long hits;
    unsigned long misses;
    unsigned long overflows;
    unsigned long cached;
};

#endif
