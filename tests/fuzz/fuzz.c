/* System-call fuzzer (run by init under proc): several worker processes drive random system
 * calls (every number, boundary and random arguments, live, recycled and forged handles) and
 * random messages at proc's and vfs's endpoints from one seed; the coordinator reports what it saw.
 * argv: fuzz CALLS SEED [WORKERS]. tools/fuzz boots it and judges the console. */
#include <aramid/infopage.h>
#include <aramid/proto/proc.h>
#include <aramid/proto/vfs.h>
#include <aramid/sys.h>

#include "kstring.h"

#define FUZZ_WORKERS_DEFAULT 4
#define FUZZ_WORKERS_MAX 8
#define FUZZ_POOL 48          /* live handles a worker keeps; more are closed at random */
#define FUZZ_RECYCLED 16      /* closed handle values kept to be used again */
#define FUZZ_PAGE 4096ul
#define FUZZ_SANDBOX 0x500000000000ul /* the only part of its own space a worker maps or writes */
#define FUZZ_SANDBOX_PAGES 256ul
#define FUZZ_SCRATCH 8192ul
#define FUZZ_OBJECT_MAX (16ul << 20)
#define FUZZ_WAIT_NS 1000000ul /* every wait gets a deadline this far ahead: nothing hangs */
#define FUZZ_PROC_LABELS 16    /* labels tried at proc: its messages and unknown ones */
#define FUZZ_REPORT_EVERY 50000ul

/* ---- a seeded generator (xorshift64*) ---- */

struct fuzz_random {
    unsigned long state;
};

static unsigned long fuzz_next(struct fuzz_random *r)
{
    r->state ^= r->state >> 12;
    r->state ^= r->state << 25;
    r->state ^= r->state >> 27;
    return r->state * 0x2545f4914f6cdd1dul;
}

static unsigned long fuzz_below(struct fuzz_random *r, unsigned long n)
{
    return n ? fuzz_next(r) % n : 0;
}

static int fuzz_chance(struct fuzz_random *r, unsigned percent)
{
    return fuzz_below(r, 100) < percent;
}

/* ---- a system call with every register the ABI reads ---- */

struct fuzz_registers {
    unsigned long rdi, rsi, rdx, r10, r8, r9, r12, r13, r15;
};

static long fuzz_syscall(unsigned long number, struct fuzz_registers *a)
{
    register unsigned long r10 __asm__("r10") = a->r10;
    register unsigned long r8 __asm__("r8") = a->r8;
    register unsigned long r9 __asm__("r9") = a->r9;
    register unsigned long r12 __asm__("r12") = a->r12;
    register unsigned long r13 __asm__("r13") = a->r13;
    register unsigned long r15 __asm__("r15") = a->r15;
    unsigned long rdi = a->rdi, rsi = a->rsi, rdx = a->rdx;
    __asm__ volatile("syscall"
                     : "+a"(number), "+D"(rdi), "+S"(rsi), "+d"(rdx), "+r"(r10), "+r"(r8),
                       "+r"(r9), "+r"(r12), "+r"(r13), "+r"(r15)
                     :
                     : "rcx", "r11", "r14", "memory");
    return (long)number;
}

/* ---- worker state ---- */

struct fuzz_worker {
    struct fuzz_random random;
    long pool[FUZZ_POOL];   /* handles it made (0: empty slot) */
    long recycled[FUZZ_RECYCLED];
    unsigned recycled_next;
    long processes[FUZZ_POOL]; /* process handles it made, killed at the end */
    unsigned long calls;
    unsigned long errors;
    unsigned long by_number[SYS_COUNT + 1];
};

static _Alignas(4096) unsigned char fuzz_scratch[FUZZ_SCRATCH];
static _Alignas(16) unsigned char fuzz_thread_stack[4096];

/* The handles proc gave this process: never closed, granted away or killed. */
static int fuzz_protected(long value)
{
    const struct aramid_proc_self *self = &aramid_proc_self;
    return value == self->space || value == self->process || value == self->endpoint ||
           value == self->notification || value == self->signals ||
           (self->vfs > 0 && value == self->vfs);
}

/* Entry of threads made in the worker's own process: they end at once. */
static void fuzz_thread_park(void)
{
    sys_thread_exit();
}

static void fuzz_pool_add(struct fuzz_worker *w, unsigned long number, long handle)
{
    if (handle <= 0 || fuzz_protected(handle))
        return;
    unsigned slot = (unsigned)fuzz_below(&w->random, FUZZ_POOL);
    if (w->pool[slot] > 0) {
        /* Full slot: its handle is closed and remembered as a recycled value. */
        (void)sys_handle_close(w->pool[slot]);
        w->recycled[w->recycled_next++ % FUZZ_RECYCLED] = w->pool[slot];
    }
    w->pool[slot] = handle;
    if (number == SYS_process_create)
        for (unsigned i = 0; i < FUZZ_POOL; i++)
            if (w->processes[i] <= 0) {
                w->processes[i] = sys_handle_duplicate(handle, ARAMID_RIGHTS_ALL);
                break;
            }
}

static void fuzz_pool_forget(struct fuzz_worker *w, long handle)
{
    for (unsigned i = 0; i < FUZZ_POOL; i++)
        if (w->pool[i] == handle) {
            w->pool[i] = 0;
            w->recycled[w->recycled_next++ % FUZZ_RECYCLED] = handle;
        }
}

/* Values at the edges of what the kernel checks. */
static unsigned long fuzz_boundary(struct fuzz_random *r)
{
    static const unsigned long values[] = {
        0, 1, 2, 7, 8, 0xff, 0x1000, 0xfff, 0x1001, 0x7fffffff, 0x80000000, 0xffffffff,
        1ul << 32, (1ul << 32) + 1, 1ul << 47, (1ul << 47) - 1, ARAMID_USER_TOP,
        ARAMID_USER_TOP - 1, ARAMID_USER_TOP - FUZZ_PAGE, ARAMID_USER_BASE, ARAMID_INFO_PAGE_ADDRESS,
        0x0000800000000000ul, 0xffff800000000000ul, 0xffffffff80000000ul, 1ul << 62, 1ul << 63,
        ~0ul, ~0ul - 1, -FUZZ_PAGE, 4096 + 1, ARAMID_IPC_BUFFER_SIZE + 1, 1ul << 20,
        (1ul << 20) + 1,
    };
    return values[fuzz_below(r, sizeof(values) / sizeof(values[0]))];
}

/* A handle: live (mostly), recycled, forged or a boundary value; never a protected one. */
static unsigned long fuzz_handle(struct fuzz_worker *w)
{
    unsigned long pick = fuzz_below(&w->random, 100);
    long value;
    if (pick < 70) {
        value = w->pool[fuzz_below(&w->random, FUZZ_POOL)];
    } else if (pick < 80) {
        value = w->recycled[fuzz_below(&w->random, FUZZ_RECYCLED)];
    } else if (pick < 90) {
        /* A live slot index with a wrong generation, or a random one. */
        value = (long)((fuzz_next(&w->random) & 0x7ffff000ul) |
                       (fuzz_below(&w->random, 64) & 0xfff));
    } else {
        value = (long)fuzz_boundary(&w->random);
    }
    return fuzz_protected(value) ? 0 : (unsigned long)value;
}

/* A user pointer: the scratch buffer (mostly), the sandbox, or a boundary value. */
static unsigned long fuzz_pointer(struct fuzz_worker *w)
{
    unsigned long pick = fuzz_below(&w->random, 100);
    if (pick < 60)
        return (unsigned long)fuzz_scratch + fuzz_below(&w->random, FUZZ_SCRATCH);
    if (pick < 75)
        return FUZZ_SANDBOX + fuzz_below(&w->random, FUZZ_SANDBOX_PAGES * FUZZ_PAGE);
    unsigned long value = fuzz_boundary(&w->random);
    return value >= ARAMID_USER_BASE && value < ARAMID_USER_TOP ? 0 : value;
}

/* A length: small (mostly), page multiples, or a boundary value. */
static unsigned long fuzz_length(struct fuzz_worker *w)
{
    unsigned long pick = fuzz_below(&w->random, 100);
    if (pick < 50)
        return fuzz_below(&w->random, 256);
    if (pick < 80)
        return FUZZ_PAGE * (1 + fuzz_below(&w->random, 8));
    return fuzz_boundary(&w->random);
}

/* A page of the sandbox, sometimes off by a byte, or a boundary value. */
static unsigned long fuzz_sandbox_address(struct fuzz_worker *w)
{
    unsigned long pick = fuzz_below(&w->random, 100);
    unsigned long page = FUZZ_SANDBOX + FUZZ_PAGE * fuzz_below(&w->random, FUZZ_SANDBOX_PAGES);
    if (pick < 85)
        return page;
    if (pick < 90)
        return page + 1;
    unsigned long value = fuzz_boundary(&w->random);
    return value >= ARAMID_USER_BASE && value < ARAMID_USER_TOP ? page : value;
}

/* A mapping length that stays inside the sandbox from address (or a boundary value). */
static unsigned long fuzz_sandbox_length(struct fuzz_worker *w, unsigned long address)
{
    if (address >= FUZZ_SANDBOX && address < FUZZ_SANDBOX + FUZZ_SANDBOX_PAGES * FUZZ_PAGE) {
        unsigned long left = FUZZ_SANDBOX + FUZZ_SANDBOX_PAGES * FUZZ_PAGE - address;
        if (fuzz_chance(&w->random, 90)) {
            unsigned long pages = 1 + fuzz_below(&w->random, 16);
            return pages * FUZZ_PAGE < left ? pages * FUZZ_PAGE : left & ~(FUZZ_PAGE - 1);
        }
    }
    unsigned long value = fuzz_boundary(&w->random);
    return value <= FUZZ_PAGE * FUZZ_SANDBOX_PAGES ? 0 : value; /* 0 or absurd */
}

static unsigned long fuzz_deadline(struct fuzz_worker *w)
{
    return aramid_clock_monotonic_ns() + fuzz_below(&w->random, FUZZ_WAIT_NS);
}

/* A space argument: one it made (anything goes), or its own (only sandbox addresses). */
static unsigned long fuzz_space(struct fuzz_worker *w, int *own)
{
    *own = fuzz_chance(&w->random, 40);
    return *own ? (unsigned long)aramid_proc_self.space : fuzz_handle(w);
}

/* Random words and buffer bytes at proc: every message except those that would end or fork
 * the worker (exit, fork) or signal another process (kill with a signal). */
static void fuzz_server_message(struct fuzz_worker *w, struct fuzz_registers *a)
{
    unsigned long label;
    int to_vfs = aramid_proc_self.vfs > 0 && fuzz_chance(&w->random, 50);
    if (to_vfs) {
        label = fuzz_below(&w->random, ARAMID_VFS_LABEL_END + 3); /* every message, unknown ones */
    } else {
        do
            label = fuzz_below(&w->random, FUZZ_PROC_LABELS);
        while (label == ARAMID_PROC_fork || label == ARAMID_PROC_exit);
    }
    unsigned long bytes = fuzz_chance(&w->random, 50) ? fuzz_below(&w->random, 300) : 0;
    if (fuzz_chance(&w->random, 2))
        bytes = ARAMID_IPC_BUFFER_SIZE;
    unsigned char *buffer = (unsigned char *)sys_ipc_buffer();
    for (unsigned long i = 0; i < bytes; i++)
        buffer[i] = (unsigned char)fuzz_next(&w->random);
    /* Short strings of path characters now and then, so that paths are sometimes valid. */
    if (bytes > 0 && bytes < 300 && fuzz_chance(&w->random, 50))
        for (unsigned long i = 0; i < bytes; i++)
            buffer[i] = "/tmp/ab."[fuzz_below(&w->random, 8)];
    a->rdi = (unsigned long)(to_vfs ? aramid_proc_self.vfs : aramid_proc_self.endpoint);
    a->rsi = ARAMID_IPC_INFO(label, bytes) | ARAMID_IPC_DEADLINE;
    if (fuzz_chance(&w->random, 10)) {
        a->rsi |= ARAMID_IPC_GRANT;
        a->r13 = fuzz_handle(w);
    }
    if (!to_vfs && label == ARAMID_PROC_kill)
        a->r10 = 0; /* signal 0: only asks whether the pid exists */
    if (to_vfs && fuzz_chance(&w->random, 50))
        a->rdx = fuzz_below(&w->random, 16); /* small numbers: descriptions it may hold */
    a->r15 = fuzz_deadline(w);
}

/* Fills the registers for one call of number; returns 0 to skip it (it would end the worker). */
static int fuzz_arguments(struct fuzz_worker *w, unsigned long number, struct fuzz_registers *a)
{
    struct fuzz_random *r = &w->random;
    int own = 0;
    a->rdi = fuzz_next(r);
    a->rsi = fuzz_next(r);
    a->rdx = fuzz_boundary(r);
    a->r10 = fuzz_boundary(r);
    a->r8 = fuzz_handle(w);
    a->r9 = fuzz_boundary(r);
    a->r12 = fuzz_next(r);
    a->r13 = fuzz_handle(w);
    a->r15 = fuzz_deadline(w);
    switch (number) {
    case SYS_process_exit:
    case SYS_thread_exit:
        return 0;
    case SYS_debug_write: /* only refusals: the console is the report */
        a->rdi = fuzz_chance(r, 50) ? fuzz_boundary(r) : (unsigned long)fuzz_scratch;
        a->rsi = a->rdi == (unsigned long)fuzz_scratch ? (fuzz_chance(r, 50) ? 0 : ~0ul)
                                                       : fuzz_length(w);
        if (a->rdi >= ARAMID_USER_BASE && a->rdi < ARAMID_USER_TOP && a->rsi && a->rsi != ~0ul)
            a->rsi = 0;
        return 1;
    case SYS_sleep:
        a->rdi = fuzz_below(r, FUZZ_WAIT_NS);
        return 1;
    case SYS_handle_close:
    case SYS_handle_duplicate:
    case SYS_notify_signal:
    case SYS_notify_poll:
    case SYS_notify_bind:
    case SYS_process_id:
    case SYS_fault_handler_set:
        a->rdi = fuzz_handle(w);
        a->rsi = fuzz_chance(r, 50) ? fuzz_next(r) : fuzz_handle(w);
        return 1;
    case SYS_notification_create:
        a->rdi = fuzz_chance(r, 50) ? 0 : fuzz_handle(w);
        a->rsi = fuzz_chance(r, 50) ? 0 : fuzz_next(r);
        return 1;
    case SYS_ipc_call:
        if (fuzz_chance(r, 50)) {
            fuzz_server_message(w, a);
            return 1;
        }
        a->rdi = fuzz_handle(w);
        a->rsi = (fuzz_chance(r, 80) ? ARAMID_IPC_INFO(fuzz_next(r), fuzz_below(r, 4200))
                                     : fuzz_next(r)) |
                 ARAMID_IPC_DEADLINE;
        return 1;
    case SYS_ipc_reply_wait:
    case SYS_ipc_wait:
        a->rdi = fuzz_handle(w);
        a->rsi = fuzz_chance(r, 90) ? ARAMID_IPC_DEADLINE | fuzz_below(r, 2) : fuzz_next(r);
        a->rsi |= ARAMID_IPC_DEADLINE;
        return 1;
    case SYS_notify_wait:
        a->rdi = fuzz_handle(w);
        a->rsi = fuzz_deadline(w);
        return 1;
    case SYS_vm_map:
    case SYS_vm_unmap:
    case SYS_vm_protect:
        a->rdi = fuzz_space(w, &own);
        a->rsi = own ? fuzz_sandbox_address(w) : fuzz_pointer(w) & ~(FUZZ_PAGE - 1);
        a->rdx = own ? fuzz_sandbox_length(w, a->rsi) : fuzz_length(w);
        a->r10 = fuzz_chance(r, 90) ? fuzz_below(r, 8) : fuzz_boundary(r);
        a->r8 = fuzz_chance(r, 50) ? 0 : fuzz_handle(w);
        a->r9 = fuzz_chance(r, 80) ? FUZZ_PAGE * fuzz_below(r, 4) : fuzz_boundary(r);
        return 1;
    case SYS_vm_write:
        a->rdi = fuzz_space(w, &own);
        a->rsi = own ? fuzz_sandbox_address(w) + fuzz_below(r, FUZZ_PAGE) : fuzz_pointer(w);
        a->rdx = fuzz_pointer(w);
        a->r10 = fuzz_chance(r, 80) ? fuzz_below(r, 2 * FUZZ_PAGE) : fuzz_boundary(r);
        if (own && a->rsi >= FUZZ_SANDBOX && a->rsi < FUZZ_SANDBOX + FUZZ_SANDBOX_PAGES * FUZZ_PAGE &&
            a->r10 > FUZZ_SANDBOX + FUZZ_SANDBOX_PAGES * FUZZ_PAGE - a->rsi)
            a->r10 = FUZZ_SANDBOX + FUZZ_SANDBOX_PAGES * FUZZ_PAGE - a->rsi;
        return 1;
    case SYS_memory_object_create:
        /* Mostly small; huge ones (up to 4 GiB) meet the worker's memory quota. */
        a->rdi = fuzz_chance(r, 90) ? 1 + fuzz_below(r, FUZZ_OBJECT_MAX) : fuzz_boundary(r);
        return 1;
    case SYS_space_clone:
    case SYS_process_create:
        a->rdi = fuzz_chance(r, 20) ? (unsigned long)aramid_proc_self.space : fuzz_handle(w);
        a->rsi = fuzz_chance(r, 50) ? 0 : fuzz_handle(w);
        if (number == SYS_process_create && a->rdi == (unsigned long)aramid_proc_self.space)
            a->rdi = fuzz_handle(w); /* a process on its own space could run its code */
        return 1;
    case SYS_thread_create:
        if (fuzz_chance(r, 30)) {
            a->rdi = (unsigned long)aramid_proc_self.process;
            a->rsi = (unsigned long)fuzz_thread_park;
            a->rdx = (unsigned long)(fuzz_thread_stack + sizeof(fuzz_thread_stack)) - 8;
        } else {
            /* In a process it made: never its own code, so such threads fault and die. */
            a->rdi = fuzz_handle(w);
            a->rsi = fuzz_chance(r, 50) ? fuzz_boundary(r) : FUZZ_SANDBOX + fuzz_below(r, 1 << 20);
            a->rdx = fuzz_pointer(w);
        }
        return 1;
    case SYS_process_kill:
    case SYS_process_exec:
    case SYS_process_notify_exit:
    case SYS_handle_grant:
        a->rdi = fuzz_handle(w);
        a->rsi = fuzz_handle(w);
        a->rdx = fuzz_chance(r, 50) ? fuzz_next(r) : fuzz_below(r, 8);
        return 1;
    case SYS_process_wait:
        /* Mostly processes it killed (or bad values); a live one (a copy of a handle it did
         * not track) is waited for until the deadline only. */
        a->rdi = fuzz_chance(r, 50) ? fuzz_boundary(r) : fuzz_handle(w);
        a->rsi = fuzz_deadline(w);
        for (unsigned i = 0; i < FUZZ_POOL; i++)
            if (w->processes[i] > 0 && (unsigned long)w->processes[i] == a->rdi)
                (void)sys_process_kill(w->processes[i]);
        for (unsigned i = 0; i < FUZZ_POOL; i++)
            if ((unsigned long)w->pool[i] == a->rdi)
                (void)sys_process_kill(w->pool[i]);
        return 1;
    case SYS_kernel_stats:
        a->rdi = fuzz_chance(r, 80) ? fuzz_below(r, 4) : fuzz_next(r);
        a->rsi = fuzz_pointer(w);
        a->rdx = fuzz_length(w);
        if (a->rsi >= (unsigned long)fuzz_scratch &&
            a->rsi < (unsigned long)fuzz_scratch + FUZZ_SCRATCH &&
            a->rdx > (unsigned long)fuzz_scratch + FUZZ_SCRATCH - a->rsi)
            a->rdx = (unsigned long)fuzz_scratch + FUZZ_SCRATCH - a->rsi;
        return 1;
    case SYS_upcall_set: /* only unregistering or refused entries: an upcall would run garbage */
        a->rdi = fuzz_chance(r, 50) ? 0 : fuzz_boundary(r);
        if (a->rdi >= ARAMID_USER_BASE && a->rdi < ARAMID_USER_TOP)
            a->rdi = 0;
        a->rsi = fuzz_handle(w);
        return 1;
    case SYS_upcall_return: /* only frames the kernel must refuse */
        a->rdi = fuzz_boundary(r);
        if (a->rdi >= ARAMID_USER_BASE && a->rdi < ARAMID_USER_TOP)
            a->rdi = 0;
        return 1;
    case SYS_ipc_reply:
        a->rdi = fuzz_chance(r, 50) ? fuzz_next(r) : fuzz_boundary(r);
        a->rsi = fuzz_next(r) & ~ARAMID_IPC_GRANT;
        return 1;
    case SYS_timer_set:
        a->rdi = fuzz_handle(w);
        a->rsi = fuzz_chance(r, 30) ? 0 : fuzz_deadline(w);
        a->rdx = fuzz_chance(r, 70) ? 0 : FUZZ_WAIT_NS + fuzz_below(r, FUZZ_WAIT_NS);
        a->r10 = fuzz_next(r);
        return 1;
    case SYS_endpoint_mint:
        a->rdi = fuzz_handle(w);
        a->rsi = fuzz_next(r);
        a->rdx = fuzz_chance(r, 70) ? fuzz_below(r, 1 << 12) : fuzz_next(r);
        return 1;
    default:
        return 1; /* the rest take garbage happily, and unknown numbers get -ENOSYS */
    }
}

/* Calls whose positive result is a new handle in the caller's table. */
static int fuzz_returns_handle(unsigned long number)
{
    switch (number) {
    case SYS_handle_duplicate:
    case SYS_endpoint_create:
    case SYS_notification_create:
    case SYS_memory_object_create:
    case SYS_space_create:
    case SYS_space_clone:
    case SYS_process_create:
    case SYS_thread_create:
    case SYS_endpoint_mint:
        return 1;
    default:
        return 0;
    }
}

static void fuzz_one(struct fuzz_worker *w)
{
    /* Every number, a few past the end, and now and then a huge one. */
    unsigned long number = fuzz_chance(&w->random, 2) ? fuzz_next(&w->random)
                                                      : fuzz_below(&w->random, SYS_COUNT + 4);
    struct fuzz_registers a;
    if (!fuzz_arguments(w, number < SYS_COUNT ? number : SYS_COUNT, &a))
        return;
    long result = fuzz_syscall(number, &a);
    w->calls++;
    w->by_number[number < SYS_COUNT ? number : SYS_COUNT]++;
    if (result < 0)
        w->errors++;
    if (result > 0 && fuzz_returns_handle(number))
        fuzz_pool_add(w, number, result);
    if (result == 0 && number == SYS_handle_close)
        fuzz_pool_forget(w, (long)a.rdi);
    if (result == 0 && number == SYS_ipc_call && (a.rsi & ARAMID_IPC_GRANT))
        fuzz_pool_forget(w, (long)a.r13); /* the handle moved */
}

/* Ends what the worker made: its processes are killed and its handles closed. */
static void fuzz_worker_cleanup(struct fuzz_worker *w)
{
    for (unsigned i = 0; i < FUZZ_POOL; i++) {
        if (w->processes[i] > 0) {
            (void)sys_process_kill(w->processes[i]);
            (void)sys_handle_close(w->processes[i]);
        }
        if (w->pool[i] > 0)
            (void)sys_handle_close(w->pool[i]);
    }
    (void)sys_notify_bind(0);
    (void)sys_vm_unmap(aramid_proc_self.space, FUZZ_SANDBOX, FUZZ_SANDBOX_PAGES * FUZZ_PAGE);
}

static int fuzz_worker_run(unsigned long index, unsigned long calls, unsigned long seed)
{
    static struct fuzz_worker worker;
    struct fuzz_worker *w = &worker;
    memset(w, 0, sizeof(*w));
    w->random.state = (seed + 1) * 0x9e3779b97f4a7c15ul + index * 0xbf58476d1ce4e5b9ul;
    if (w->random.state == 0)
        w->random.state = 1;
    /* A real vfs session first, so that vfs's messages reach its logic, not only its guards. */
    if (aramid_proc_self.vfs > 0) {
        long own = sys_handle_duplicate(aramid_proc_self.process,
                                        ARAMID_RIGHT_READ | ARAMID_RIGHT_MANAGE | ARAMID_RIGHT_GRANT);
        struct aramid_message message = {.info = ARAMID_IPC_INFO(ARAMID_VFS_session, 0) |
                                                 ARAMID_IPC_GRANT};
        message.words[5] = (unsigned long)own;
        long result = aramid_ipc_call(aramid_proc_self.vfs, &message);
        if (result != 0 || (long)message.words[0] < 0)
            aramid_printf("fuzz: worker %lu: vfs session %ld/%ld\n", index, result,
                          (long)message.words[0]);
    }
    unsigned long next_report = FUZZ_REPORT_EVERY;
    while (w->calls < calls) {
        fuzz_one(w);
        if (w->calls >= next_report) {
            aramid_printf("fuzz: worker %lu: %lu calls\n", index, w->calls);
            next_report += FUZZ_REPORT_EVERY;
        }
    }
    fuzz_worker_cleanup(w);
    unsigned long covered = 0;
    for (unsigned long n = 0; n < SYS_COUNT; n++)
        covered += w->by_number[n] > 0;
    aramid_printf("fuzz: worker %lu done: %lu calls, %lu errors, %lu of %d numbers, %lu unknown\n",
                  index, w->calls, w->errors, covered, SYS_COUNT, w->by_number[SYS_COUNT]);
    return 0;
}

static unsigned long fuzz_parse(const char *text)
{
    unsigned long value = 0;
    for (; text && *text >= '0' && *text <= '9'; text++)
        value = value * 10 + (unsigned long)(*text - '0');
    return value;
}

/* Whether the server behind endpoint still answers: an unknown label gets a reply (its
 * -ENOSYS); a dead server's endpoint gives -EPIPE. */
static int fuzz_server_alive(aramid_handle_t endpoint)
{
    struct aramid_message message = {.info = ARAMID_IPC_INFO(0x7fff, 0)};
    return aramid_ipc_call(endpoint, &message) == 0;
}

static void fuzz_memory(struct aramid_memory_stats *stats)
{
    memset(stats, 0, sizeof(*stats));
    (void)sys_kernel_stats(ARAMID_STATS_MEMORY, stats, sizeof(*stats));
}

int aramid_main(unsigned long argument)
{
    struct aramid_startinfo info;
    if (aramid_start(argument, &info) < 0) {
        aramid_printf("fuzz: bad start block\n");
        return 100;
    }
    unsigned long calls = info.argc > 1 ? fuzz_parse(info.argv[1]) : 10000;
    unsigned long seed = info.argc > 2 ? fuzz_parse(info.argv[2]) : 1;
    unsigned long workers = info.argc > 3 ? fuzz_parse(info.argv[3]) : FUZZ_WORKERS_DEFAULT;
    if (workers == 0 || workers > FUZZ_WORKERS_MAX)
        workers = FUZZ_WORKERS_DEFAULT;
    struct aramid_memory_stats before, after;
    fuzz_memory(&before);
    aramid_printf("fuzz: seed %lu, %lu calls in %lu workers\n", seed, calls, workers);
    aramid_printf("fuzz: before: %lu free frames, %lu kernel heap pages\n", before.free_frames,
                  before.heap_pages);
    unsigned long started_ns = aramid_clock_monotonic_ns();
    long pids[FUZZ_WORKERS_MAX];
    for (unsigned long i = 0; i < workers; i++) {
        unsigned long share = calls / workers + (i < calls % workers);
        pids[i] = aramid_proc_fork();
        if (pids[i] == 0)
            aramid_proc_exit(fuzz_worker_run(i, share, seed));
        if (pids[i] < 0)
            aramid_printf("fuzz: fork of worker %lu failed: %ld\n", i, pids[i]);
    }
    unsigned long deaths = 0;
    for (unsigned long i = 0; i < workers; i++) {
        int status = 0;
        if (pids[i] <= 0)
            continue;
        long reaped = aramid_proc_wait4(pids[i], &status, 0);
        if (reaped != pids[i] || status != 0) {
            deaths++;
            aramid_printf("fuzz: worker %lu: wait4 %ld, status %#x\n", i, reaped, status);
        }
    }
    unsigned long elapsed_ms = (aramid_clock_monotonic_ns() - started_ns) / 1000000;
    /* Killed processes may still be on their way out: let the reaper run. */
    sys_sleep(20 * 1000 * 1000);
    fuzz_memory(&after);
    long proc_alive = aramid_proc_getpid();
    int vfs_alive = info.self.vfs <= 0 || fuzz_server_alive(info.self.vfs);
    if (info.self.vfs > 0)
        aramid_printf("fuzz: vfs %s\n", vfs_alive ? "alive" : "gone");
    aramid_printf("fuzz: after: %lu free frames, %lu kernel heap pages\n", after.free_frames,
                  after.heap_pages);
    aramid_printf("fuzz: %lu calls in %lu ms, %lu workers died, proc %s\n", calls, elapsed_ms,
                  deaths, proc_alive == info.self.pid ? "alive" : "gone");
    return deaths == 0 && proc_alive == info.self.pid && vfs_alive ? 0 : 1;
}
