/* System-call fuzzer (run by init under proc): several worker processes drive random system
 * calls (every number, boundary and random arguments, live, recycled and forged handles) and
 * random messages at every server (proc, vfs, event, sock: their plain endpoints and the objects
 * they hand out), with garbage over the memory each shares with the client, from one seed; the
 * coordinator probes every server while they run and reports what it saw.
 * argv: fuzz CALLS SEED [WORKERS], or fuzz exhaust [HOGS] (memory exhausted by hostile
 * clients; every server must still work). tools/fuzz boots it and judges the console. */
#include <aramid/infopage.h>
#include <aramid/proto/event.h>
#include <aramid/proto/ipc.h>
#include <aramid/proto/proc.h>
#include <aramid/proto/ready.h>
#include <aramid/proto/sock.h>
#include <aramid/proto/vfs.h>
#include <aramid/sys.h>

#include "fuzz_random.h"
#include "fuzz_ring.h"
#include "kstring.h"

#define FUZZ_WORKERS_DEFAULT 4
#define FUZZ_WORKERS_MAX 8
/* The warm-up campaign before memory is measured: its calls and what its seed differs by. */
#define FUZZ_WARMUP_CALLS 20000ul
#define FUZZ_WARMUP_SEED 0x5741524dul
#define FUZZ_POOL 48          /* live handles a worker keeps; more are closed at random */
#define FUZZ_RECYCLED 16      /* closed handle values kept to be used again */
#define FUZZ_PAGE 4096ul
#define FUZZ_SANDBOX 0x500000000000ul /* the only part of its own space a worker maps or writes */
#define FUZZ_SANDBOX_PAGES 256ul
#define FUZZ_SCRATCH 8192ul
#define FUZZ_OBJECT_MAX (16ul << 20)
#define FUZZ_WAIT_NS 1000000ul /* every wait gets a deadline this far ahead: nothing hangs */
#define FUZZ_REPORT_EVERY 50000ul
#define FUZZ_OBJECTS 32       /* server objects (minted handles from replies) a worker keeps */
#define FUZZ_SHARED 0x510000000000ul /* where a worker maps the memory servers share with it */
#define FUZZ_SHARED_SLOTS 16ul /* pages there, one per shared object (its first page) */
#define FUZZ_PROBE_NS (5ul * 1000 * 1000 * 1000) /* a server that does not answer in 5 s hangs */
#define FUZZ_PROBE_EVERY_NS (500ul * 1000 * 1000)
#define FUZZ_UNKNOWN_LABEL 0x7fff
#define FUZZ_MESSAGE_PERCENT 25 /* calls that are ipc_calls (most of them server messages) */
#define FUZZ_RING_EVERY 400ul   /* calls between a worker's rounds on a data ring (fuzz_ring.c) */

/* ---- the servers and their protocols, from the X-macro lists (new labels come for free) ---- */

enum fuzz_server { FUZZ_PROC, FUZZ_VFS, FUZZ_EVENT, FUZZ_SOCK, FUZZ_IPC, FUZZ_SERVERS };

static const char *const fuzz_server_names[FUZZ_SERVERS] = {"proc", "vfs", "event", "sock",
                                                            "ipc"};

#define FUZZ_LABEL(label, name, request, reply) label,
static const unsigned fuzz_proc_labels[] = {ARAMID_PROC_MESSAGES(FUZZ_LABEL)};
static const unsigned fuzz_vfs_labels[] = {ARAMID_VFS_MESSAGES(FUZZ_LABEL) ARAMID_READY_POLL,
                                           ARAMID_READY_WATCH, ARAMID_READY_UNWATCH};
static const unsigned fuzz_event_labels[] = {ARAMID_EVENT_MESSAGES(FUZZ_LABEL) ARAMID_READY_POLL,
                                             ARAMID_READY_WATCH, ARAMID_READY_UNWATCH};
static const unsigned fuzz_sock_labels[] = {ARAMID_SOCK_MESSAGES(FUZZ_LABEL)};
static const unsigned fuzz_ipc_labels[] = {ARAMID_IPCS_MESSAGES(FUZZ_LABEL) ARAMID_READY_POLL,
                                           ARAMID_READY_WATCH, ARAMID_READY_UNWATCH};
#undef FUZZ_LABEL

struct fuzz_protocol {
    const unsigned *labels;
    unsigned count;
};

static const struct fuzz_protocol fuzz_protocols[FUZZ_SERVERS] = {
    {fuzz_proc_labels, sizeof(fuzz_proc_labels) / sizeof(fuzz_proc_labels[0])},
    {fuzz_vfs_labels, sizeof(fuzz_vfs_labels) / sizeof(fuzz_vfs_labels[0])},
    {fuzz_event_labels, sizeof(fuzz_event_labels) / sizeof(fuzz_event_labels[0])},
    {fuzz_sock_labels, sizeof(fuzz_sock_labels) / sizeof(fuzz_sock_labels[0])},
    {fuzz_ipc_labels, sizeof(fuzz_ipc_labels) / sizeof(fuzz_ipc_labels[0])},
};

/* A server's plain endpoint in this process (0: not booted with it). */
static long fuzz_server_endpoint(const struct aramid_proc_self *self, unsigned server)
{
    switch (server) {
    case FUZZ_PROC:
        return self->endpoint;
    case FUZZ_VFS:
        return self->vfs;
    case FUZZ_EVENT:
        return self->event;
    case FUZZ_SOCK:
        return self->sock;
    case FUZZ_IPC:
        return self->ipc;
    default:
        return 0;
    }
}

/* ---- a system call with every register the ABI reads; a holds what it returns after ---- */

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
    /* What the kernel returns in them (a reply's info, words and granted handle). */
    a->rdi = rdi, a->rsi = rsi, a->rdx = rdx, a->r10 = r10, a->r8 = r8, a->r9 = r9;
    a->r12 = r12, a->r13 = r13, a->r15 = r15;
    return (long)number;
}

/* ---- worker state ---- */

#define FUZZ_NAMED_MAX 256 /* named objects a worker remembers (more are not removed) */
#define FUZZ_SYSV_MAX 256  /* System V ids a worker remembers */
#define FUZZ_IPC_RMID 0    /* Linux's IPC_RMID */
#define FUZZ_PASSES_MAX 512 /* event pass tokens a worker remembers */
#define FUZZ_EVENT_PASS 0x10000u /* fuzz_named.label of an event pass (no ipc label) */
#define FUZZ_VFS_HANDOFF 0x10001u /* fuzz_named.label of a vfs handoff */
#define FUZZ_HANDOFFS_MAX 256 /* vfs handoff tokens a worker remembers */

/* A name shm_open or mq_open accepted (its bytes and NUL), sent again to unlink it. */
struct fuzz_named {
    unsigned label; /* ARAMID_IPCS_shm_open or ARAMID_IPCS_mq_open */
    unsigned bytes; /* 2..ARAMID_IPCS_NAME_MAX + 1: the name and its NUL */
    char name[ARAMID_IPCS_NAME_MAX + 1];
};

/* A System V object sysv_get gave: its kind and id. */
struct fuzz_sysv {
    unsigned long kind, id;
};

struct fuzz_worker {
    struct fuzz_random random;
    long pool[FUZZ_POOL];   /* handles it made (0: empty slot) */
    long recycled[FUZZ_RECYCLED];
    unsigned recycled_next;
    long processes[FUZZ_POOL]; /* process handles it made, killed at the end */
    long objects[FUZZ_OBJECTS]; /* handles servers granted in replies (0: empty) */
    unsigned char object_server[FUZZ_OBJECTS]; /* whose; FUZZ_SERVERS: unknown */
    unsigned long shared_bytes[FUZZ_SHARED_SLOTS]; /* mapped at FUZZ_SHARED + slot pages (0: none) */
    unsigned long messages[FUZZ_SERVERS];
    unsigned long scribbles;
    unsigned last_server; /* whom the last ipc_call went to (FUZZ_SERVERS: unknown) */
    unsigned long calls;
    unsigned long errors;
    unsigned long by_number[SYS_COUNT + 1];
    /* The ipc server's objects its calls made (or opened): removed before it exits, as a test
     * harness would, so that the campaign leaves no names behind (the memory criterion). */
    unsigned named_count;
    unsigned long ipc_unlinked, ipc_removed; /* names unlinked, System V objects removed */
    struct fuzz_named named[FUZZ_NAMED_MAX];
    unsigned sysv_count;
    struct fuzz_sysv sysv[FUZZ_SYSV_MAX];
    /* Pass tokens event's `pass` gave (SCM_RIGHTS in flight that nobody will adopt): an
     * object with a pass lives until it is dropped, so the worker drops them before it exits. */
    unsigned pass_count;
    unsigned long passes_dropped;
    unsigned long passes[FUZZ_PASSES_MAX];
    /* Tokens of vfs handoffs its messages made: one nobody adopts holds the worker's
     * descriptions (and what hangs on them) for good, so the worker adopts its own (a cancel). */
    unsigned handoff_count;
    unsigned long handoffs_cancelled;
    unsigned long handoffs[FUZZ_HANDOFFS_MAX];
    struct fuzz_ring_counts rings; /* its rounds on pipe and socketpair rings (fuzz_ring.c) */
};

static _Alignas(4096) unsigned char fuzz_scratch[FUZZ_SCRATCH];
static _Alignas(16) unsigned char fuzz_thread_stack[4096];

/* The handles proc gave this process: never closed, granted away or killed. */
static int fuzz_protected(long value)
{
    const struct aramid_proc_self *self = &aramid_proc_self;
    return value == self->space || value == self->process || value == self->endpoint ||
           value == self->notification || value == self->signals ||
           (self->vfs > 0 && value == self->vfs) || (self->event > 0 && value == self->event) ||
           (self->sock > 0 && value == self->sock) || (self->ipc > 0 && value == self->ipc) ||
           (self->console > 0 && value == self->console);
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

/* A granted handle: a memory object is mapped (its first page) into a free shared slot, so that
 * garbage can be written over it; anything else becomes a server object to send messages to. */
static void fuzz_granted(struct fuzz_worker *w, long handle, unsigned server)
{
    if (handle <= 0 || fuzz_protected(handle))
        return;
    unsigned slot = (unsigned)fuzz_below(&w->random, FUZZ_SHARED_SLOTS);
    unsigned long address = FUZZ_SHARED + slot * FUZZ_PAGE;
    if (w->shared_bytes[slot])
        (void)sys_vm_unmap(aramid_proc_self.space, address, FUZZ_PAGE);
    w->shared_bytes[slot] = 0;
    if (sys_vm_map(aramid_proc_self.space, address, FUZZ_PAGE,
                   ARAMID_PROT_READ | ARAMID_PROT_WRITE, handle, 0) == 0) {
        w->shared_bytes[slot] = FUZZ_PAGE;
        (void)sys_handle_close(handle); /* the mapping keeps the object */
        return;
    }
    unsigned index = (unsigned)fuzz_below(&w->random, FUZZ_OBJECTS);
    if (w->objects[index] > 0)
        (void)sys_handle_close(w->objects[index]);
    w->objects[index] = handle;
    w->object_server[index] = (unsigned char)server;
}

/* Garbage over one shared page: random bytes or boundary words at random offsets. */
static void fuzz_scribble(struct fuzz_worker *w)
{
    unsigned slot = (unsigned)fuzz_below(&w->random, FUZZ_SHARED_SLOTS);
    if (!w->shared_bytes[slot])
        return;
    unsigned long *words = (unsigned long *)(FUZZ_SHARED + slot * FUZZ_PAGE);
    unsigned long count = 1 + fuzz_below(&w->random, 8);
    for (unsigned long i = 0; i < count; i++) {
        /* The first words most often: they are the event page's counter, flags and lists. */
        unsigned long at = fuzz_chance(&w->random, 60) ? fuzz_below(&w->random, 4)
                                                       : fuzz_below(&w->random, FUZZ_PAGE / 8);
        words[at] = fuzz_chance(&w->random, 50) ? fuzz_next(&w->random) : fuzz_boundary(&w->random);
    }
    w->scribbles++;
}

/* A label of server's protocol (mostly), an unknown one or a boundary value. proc's fork and
 * exit would end or split the worker: never sent to proc. */
static unsigned long fuzz_label(struct fuzz_worker *w, unsigned server)
{
    unsigned long label;
    do {
        unsigned long pick = fuzz_below(&w->random, 100);
        if (server < FUZZ_SERVERS && pick < 90) {
            const struct fuzz_protocol *protocol = &fuzz_protocols[server];
            label = protocol->labels[fuzz_below(&w->random, protocol->count)];
        } else if (pick < 95) {
            label = fuzz_below(&w->random, 80); /* every small label, known or not */
        } else {
            label = fuzz_boundary(&w->random) & 0xffffffffu;
        }
    } while (server == FUZZ_PROC && (label == ARAMID_PROC_fork || label == ARAMID_PROC_exit));
    return label;
}

/* Random words and buffer bytes at a server: its plain endpoint or one of the objects it handed
 * out, with a label of its protocol; sometimes garbage over a shared page first. Returns which
 * server it is (FUZZ_SERVERS: unknown). */
static unsigned fuzz_server_message(struct fuzz_worker *w, struct fuzz_registers *a)
{
    const struct aramid_proc_self *self = &aramid_proc_self;
    unsigned server = (unsigned)fuzz_below(&w->random, FUZZ_SERVERS);
    long target = fuzz_server_endpoint(self, server);
    unsigned index = (unsigned)fuzz_below(&w->random, FUZZ_OBJECTS);
    if (w->objects[index] > 0 && fuzz_chance(&w->random, 50)) {
        target = w->objects[index];
        server = w->object_server[index];
    }
    if (target <= 0) {
        server = FUZZ_PROC;
        target = self->endpoint;
    }
    unsigned long label = fuzz_label(w, server < FUZZ_SERVERS ? server
                                                              : (unsigned)fuzz_below(&w->random,
                                                                                     FUZZ_SERVERS));
    if (fuzz_chance(&w->random, 20))
        fuzz_scribble(w);
    unsigned long bytes = fuzz_chance(&w->random, 50) ? fuzz_below(&w->random, 300) : 0;
    if (fuzz_chance(&w->random, 2))
        bytes = fuzz_chance(&w->random, 50) ? ARAMID_IPC_BUFFER_SIZE : ARAMID_IPC_BUFFER_SIZE + 1;
    unsigned long filled = bytes < ARAMID_IPC_BUFFER_SIZE ? bytes : ARAMID_IPC_BUFFER_SIZE;
    unsigned char *buffer = (unsigned char *)sys_ipc_buffer();
    for (unsigned long i = 0; i < filled; i++)
        buffer[i] = (unsigned char)fuzz_next(&w->random);
    /* Short strings of path characters now and then, so that paths are sometimes valid; a
     * sockaddr_un (family 1) now and then, so that sock's names are too. */
    if (filled > 0 && filled < 300 && fuzz_chance(&w->random, 50))
        for (unsigned long i = 0; i < filled; i++)
            buffer[i] = "/tmp/ab."[fuzz_below(&w->random, 8)];
    if (server == FUZZ_SOCK && filled >= 2 && fuzz_chance(&w->random, 50)) {
        buffer[0] = ARAMID_AF_UNIX;
        buffer[1] = 0;
    }
    a->rdi = (unsigned long)target;
    a->rsi = ARAMID_IPC_INFO(label, bytes) | ARAMID_IPC_DEADLINE;
    if (fuzz_chance(&w->random, 10)) {
        a->rsi |= ARAMID_IPC_GRANT;
        a->r13 = fuzz_chance(&w->random, 50) || w->objects[index] <= 0 ? fuzz_handle(w)
                                                                        : (unsigned long)w->objects[index];
    }
    /* Small numbers in the first words half the time: descriptions, domains, types, flags
     * and ids the server may hold or accept. */
    if (fuzz_chance(&w->random, 50))
        a->rdx = fuzz_below(&w->random, 16);
    if (fuzz_chance(&w->random, 50))
        a->r10 = fuzz_below(&w->random, 8);
    if (fuzz_chance(&w->random, 30))
        a->r8 = fuzz_below(&w->random, 8);
    if (server == FUZZ_PROC && (label == ARAMID_PROC_kill || label == ARAMID_PROC_sigqueue))
        a->r10 = 0; /* signal 0: only asks whether the pid exists */
    a->r15 = fuzz_deadline(w);
    return server;
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
        if (fuzz_chance(r, 60)) {
            w->last_server = fuzz_server_message(w, a);
            w->messages[w->last_server < FUZZ_SERVERS ? w->last_server : FUZZ_PROC]++;
            return 1;
        }
        w->last_server = FUZZ_SERVERS;
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
    case SYS_vm_discard:
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

/* Whether handle is one of the event server's objects the worker holds. */
static int fuzz_event_object(const struct fuzz_worker *w, unsigned long handle)
{
    for (unsigned i = 0; i < FUZZ_OBJECTS; i++)
        if (w->objects[i] > 0 && (unsigned long)w->objects[i] == handle &&
            w->object_server[i] == FUZZ_EVENT)
            return 1;
    return 0;
}

/* Whether an ipc_call (first, info) is one that may leave something behind in a server after
 * the worker exits: shm_open, mq_open or sysv_get at the ipc server's plain endpoint (a name's
 * bytes are copied into name before the call overwrites the buffer), or event's pass on one of
 * its objects. */
static int fuzz_ipc_making(const struct fuzz_worker *w, unsigned long first, unsigned long info,
                           struct fuzz_named *name)
{
    long ipc = aramid_proc_self.ipc;
    unsigned label = ARAMID_IPC_LABEL(info), bytes = ARAMID_IPC_BUFFER_BYTES(info);
    if (label == ARAMID_EVENT_pass && aramid_proc_self.event > 0 && fuzz_event_object(w, first)) {
        name->label = FUZZ_EVENT_PASS;
        return 1;
    }
    if ((label & 0xffffu) == ARAMID_VFS_handoff && aramid_proc_self.vfs > 0 &&
        first == (unsigned long)aramid_proc_self.vfs) {
        name->label = FUZZ_VFS_HANDOFF;
        return 1;
    }
    if (ipc <= 0 || first != (unsigned long)ipc)
        return 0;
    if (label == ARAMID_IPCS_sysv_get) {
        name->label = label;
        return 1;
    }
    if ((label != ARAMID_IPCS_shm_open && label != ARAMID_IPCS_mq_open) || bytes == 0)
        return 0;
    /* The server's name ends at the first NUL (ipc_name_read): the name is what comes before
     * it, at most ARAMID_IPCS_NAME_MAX bytes, however long the buffer sent. */
    const char *buffer = (const char *)sys_ipc_buffer();
    unsigned length = 0;
    while (length < bytes && length < sizeof(name->name) && buffer[length] != 0)
        length++;
    if (length == 0 || length >= bytes || length >= sizeof(name->name))
        return 0; /* no name, or no NUL within the bound: the server refuses it */
    name->label = label;
    name->bytes = length + 1;
    memcpy(name->name, buffer, length + 1);
    return 1;
}

/* Notes an object the ipc server made or opened for the worker (once each). */
static void fuzz_ipc_remember(struct fuzz_worker *w, const struct fuzz_named *name,
                              unsigned long kind, unsigned long id)
{
    if (name->label == FUZZ_EVENT_PASS) {
        if (w->pass_count < FUZZ_PASSES_MAX)
            w->passes[w->pass_count++] = id; /* each token is new */
        return;
    }
    if (name->label == FUZZ_VFS_HANDOFF) {
        if (w->handoff_count < FUZZ_HANDOFFS_MAX)
            w->handoffs[w->handoff_count++] = id;
        return;
    }
    if (name->label == ARAMID_IPCS_sysv_get) {
        for (unsigned i = 0; i < w->sysv_count; i++)
            if (w->sysv[i].kind == kind && w->sysv[i].id == id)
                return;
        if (w->sysv_count < FUZZ_SYSV_MAX)
            w->sysv[w->sysv_count++] = (struct fuzz_sysv){kind, id};
        return;
    }
    for (unsigned i = 0; i < w->named_count; i++)
        if (w->named[i].label == name->label && w->named[i].bytes == name->bytes &&
            memcmp(w->named[i].name, name->name, name->bytes) == 0)
            return;
    if (w->named_count < FUZZ_NAMED_MAX)
        w->named[w->named_count++] = *name;
}

/* Unlinks every name and removes every System V object the worker noted (another worker or
 * an earlier unlink may have removed it already: -ENOENT, -EINVAL are fine), and drops its
 * event passes (one adopted meanwhile: -EBADF). */
static void fuzz_ipc_remove(struct fuzz_worker *w)
{
    long ipc = aramid_proc_self.ipc;
    unsigned long unlinked = 0, removed = 0;
    for (unsigned i = 0; ipc > 0 && i < w->named_count; i++) {
        const struct fuzz_named *name = &w->named[i];
        unsigned label = name->label == ARAMID_IPCS_shm_open ? ARAMID_IPCS_shm_unlink
                                                              : ARAMID_IPCS_mq_unlink;
        memcpy((void *)sys_ipc_buffer(), name->name, name->bytes);
        struct aramid_message message = {.info = ARAMID_IPC_INFO(label, name->bytes)};
        unlinked += aramid_ipc_call(ipc, &message) == 0 && (long)message.words[0] == 0;
    }
    for (unsigned i = 0; ipc > 0 && i < w->sysv_count; i++) {
        struct aramid_message message = {.info = ARAMID_IPC_INFO(ARAMID_IPCS_sysv_ctl, 0)};
        message.words[0] = w->sysv[i].kind;
        message.words[1] = w->sysv[i].id;
        message.words[2] = FUZZ_IPC_RMID;
        removed += aramid_ipc_call(ipc, &message) == 0 && (long)message.words[0] == 0;
    }
    for (unsigned i = 0; aramid_proc_self.event > 0 && i < w->pass_count; i++) {
        struct aramid_message message = {.info = ARAMID_IPC_INFO(ARAMID_EVENT_pass_drop, 0)};
        message.words[0] = w->passes[i];
        w->passes_dropped +=
            aramid_ipc_call(aramid_proc_self.event, &message) == 0 && (long)message.words[0] == 0;
    }
    /* A fuzzed release may have ended its vfs session: a new one, so that the adopts below
     * work and its exit ends what it holds at the vfs (the readiness watches it made after a
     * release would stay otherwise: reported, docs/status.md). */
    if (aramid_proc_self.vfs > 0)
        (void)fuzz_ring_session_again();
    for (unsigned i = 0; aramid_proc_self.vfs > 0 && i < w->handoff_count; i++) {
        /* The giver adopting its own handoff cancels it (-EINVAL: adopted or cancelled). */
        struct aramid_vfs_adopt_request request = {.token = (long)w->handoffs[i]};
        struct aramid_vfs_adopt_reply reply;
        w->handoffs_cancelled += aramid_vfs_call_adopt(&request, 0, &reply, NULL) >= 0;
    }
    w->named_count = w->sysv_count = w->pass_count = w->handoff_count = 0;
    w->ipc_unlinked += unlinked;
    w->ipc_removed += removed;
}

static void fuzz_one(struct fuzz_worker *w)
{
    /* Every number, a few past the end, and now and then a huge one. */
    unsigned long number = fuzz_chance(&w->random, 2) ? fuzz_next(&w->random)
                                                      : fuzz_below(&w->random, SYS_COUNT + 4);
    if (fuzz_chance(&w->random, FUZZ_MESSAGE_PERCENT))
        number = SYS_ipc_call;
    struct fuzz_registers a;
    if (!fuzz_arguments(w, number < SYS_COUNT ? number : SYS_COUNT, &a))
        return;
    unsigned long first = a.rdi, info = a.rsi, sent = a.r13, kind = a.rdx, reply_info;
    struct fuzz_named name;
    int ipc_made = number == SYS_ipc_call && fuzz_ipc_making(w, first, info, &name);
    long result = fuzz_syscall(number, &a);
    reply_info = a.rsi;
    if (ipc_made && result == 0 && (long)a.rdx == 0)
        fuzz_ipc_remember(w, &name, kind, a.r10);
    w->calls++;
    w->by_number[number < SYS_COUNT ? number : SYS_COUNT]++;
    if (result < 0)
        w->errors++;
    if (result > 0 && fuzz_returns_handle(number))
        fuzz_pool_add(w, number, result);
    if (result == 0 && number == SYS_handle_close)
        fuzz_pool_forget(w, (long)first);
    if (result == 0 && number == SYS_ipc_call && (info & ARAMID_IPC_GRANT))
        fuzz_pool_forget(w, (long)sent); /* the handle moved */
    if (result == 0 && number == SYS_ipc_call && (reply_info & ARAMID_IPC_GRANT))
        fuzz_granted(w, (long)a.r13, w->last_server); /* the reply granted a handle */
}

/* Ends what the worker made: its processes are killed, its handles closed and the ipc
 * server's named and System V objects it made removed. */
static void fuzz_worker_cleanup(struct fuzz_worker *w)
{
    fuzz_ipc_remove(w);
    for (unsigned i = 0; i < FUZZ_POOL; i++) {
        if (w->processes[i] > 0) {
            (void)sys_process_kill(w->processes[i]);
            (void)sys_handle_close(w->processes[i]);
        }
        if (w->pool[i] > 0)
            (void)sys_handle_close(w->pool[i]);
    }
    for (unsigned i = 0; i < FUZZ_OBJECTS; i++)
        if (w->objects[i] > 0)
            (void)sys_handle_close(w->objects[i]);
    (void)sys_notify_bind(0);
    (void)sys_vm_unmap(aramid_proc_self.space, FUZZ_SANDBOX, FUZZ_SANDBOX_PAGES * FUZZ_PAGE);
    (void)sys_vm_unmap(aramid_proc_self.space, FUZZ_SHARED, FUZZ_SHARED_SLOTS * FUZZ_PAGE);
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
        else if (message.info & ARAMID_IPC_GRANT)
            fuzz_granted(w, (long)message.words[5], FUZZ_VFS); /* the shared data buffer */
    }
    /* An eventfd, an epoll set and a socket pair, so that object calls and shared pages are
     * there from the start (the campaign makes more when its messages happen to). */
    static const unsigned long openers[][3] = {
        {FUZZ_EVENT, ARAMID_EVENT_eventfd_create, 0},
        {FUZZ_EVENT, ARAMID_EVENT_epoll_create, 0},
        {FUZZ_SOCK, ARAMID_SOCK_socketpair, ARAMID_SOCK_STREAM},
        {FUZZ_SOCK, ARAMID_SOCK_socket, ARAMID_SOCK_DGRAM},
    };
    for (unsigned i = 0; i < sizeof(openers) / sizeof(openers[0]); i++) {
        long endpoint = fuzz_server_endpoint(&aramid_proc_self, (unsigned)openers[i][0]);
        struct aramid_message message = {.info = ARAMID_IPC_INFO(openers[i][1], 0)};
        message.words[0] = openers[i][0] == FUZZ_SOCK ? ARAMID_AF_UNIX : 0;
        message.words[1] = openers[i][2];
        if (endpoint <= 0 || aramid_ipc_call(endpoint, &message) != 0 ||
            (long)message.words[0] < 0 || !(message.info & ARAMID_IPC_GRANT))
            continue;
        long object = (long)message.words[5];
        fuzz_granted(w, object, (unsigned)openers[i][0]);
        if (openers[i][0] == FUZZ_EVENT) {
            struct aramid_message map = {.info = ARAMID_IPC_INFO(ARAMID_EVENT_map, 0)};
            if (aramid_ipc_call(object, &map) == 0 && (map.info & ARAMID_IPC_GRANT))
                fuzz_granted(w, (long)map.words[5], FUZZ_EVENT); /* the shared page */
        }
    }
    unsigned long next_report = FUZZ_REPORT_EVERY;
    unsigned long next_ring = FUZZ_RING_EVERY / 2;
    while (w->calls < calls) {
        fuzz_one(w);
        if (w->calls >= next_ring) {
            fuzz_ring_round(&w->random, &w->rings);
            next_ring = w->calls + FUZZ_RING_EVERY;
        }
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
    aramid_printf("fuzz: worker %lu messages: proc %lu, vfs %lu, event %lu, sock %lu, ipc %lu; "
                  "%lu scribbles over shared pages\n",
                  index, w->messages[FUZZ_PROC], w->messages[FUZZ_VFS], w->messages[FUZZ_EVENT],
                  w->messages[FUZZ_SOCK], w->messages[FUZZ_IPC], w->scribbles);
    aramid_printf("fuzz: worker %lu rings: %lu rounds (%lu with a forked child), %lu refused, "
                  "%lu transfers, %lu scribbles, %lu waits, %lu failures\n",
                  index, w->rings.rounds, w->rings.forks, w->rings.refused, w->rings.transfers,
                  w->rings.scribbles, w->rings.waits, w->rings.unbounded);
    aramid_printf("fuzz: worker %lu removed %lu ipc names and %lu System V objects it made, "
                  "dropped %lu event passes, cancelled %lu vfs handoffs\n",
                  index, w->ipc_unlinked, w->ipc_removed, w->passes_dropped,
                  w->handoffs_cancelled);
    return 0;
}

static unsigned long fuzz_parse(const char *text)
{
    unsigned long value = 0;
    for (; text && *text >= '0' && *text <= '9'; text++)
        value = value * 10 + (unsigned long)(*text - '0');
    return value;
}

/* Whether a server still answers: proc's getpid, or an unknown label (the server's -ENOSYS),
 * with a deadline. 0: it answered; -ETIMEDOUT: it did not in time (hung); -EPIPE: gone; 1: not
 * booted with this server. */
static long fuzz_probe(const struct aramid_proc_self *self, unsigned server)
{
    long endpoint = fuzz_server_endpoint(self, server);
    if (endpoint <= 0)
        return 1;
    struct fuzz_registers a = {0};
    a.rdi = (unsigned long)endpoint;
    a.rsi = ARAMID_IPC_INFO(server == FUZZ_PROC ? ARAMID_PROC_getpid : FUZZ_UNKNOWN_LABEL, 0) |
            ARAMID_IPC_DEADLINE;
    a.r15 = aramid_clock_monotonic_ns() + FUZZ_PROBE_NS;
    long result = fuzz_syscall(SYS_ipc_call, &a);
    return result == 0 && server == FUZZ_PROC && (long)a.rdx != self->pid ? -ARAMID_EPIPE : result;
}

struct fuzz_probes {
    unsigned long rounds;
    unsigned long failed[FUZZ_SERVERS];
    long last[FUZZ_SERVERS];
};

/* One liveness round over every server; a failure is printed as it is seen. */
static void fuzz_probe_all(const struct aramid_proc_self *self, struct fuzz_probes *probes)
{
    probes->rounds++;
    for (unsigned server = 0; server < FUZZ_SERVERS; server++) {
        long result = fuzz_probe(self, server);
        probes->last[server] = result;
        if (result < 0) {
            probes->failed[server]++;
            aramid_printf("fuzz: probe %lu: %s %s (%ld)\n", probes->rounds,
                          fuzz_server_names[server],
                          result == -ARAMID_ETIMEDOUT ? "hung" : "gone", result);
        }
    }
}

/* What the machine and each system process hold at one moment. */
struct fuzz_memory_state {
    struct aramid_memory_stats memory;
    struct aramid_stack_cache_stats stacks;
    struct aramid_ipc_stats ipc; /* kernel-heap objects by count: threads, reply slots, calls */
    struct aramid_system_process_stats system[ARAMID_STATS_SYSTEM_MAX];
    unsigned long system_count;
};

static void fuzz_memory(struct aramid_memory_stats *stats)
{
    memset(stats, 0, sizeof(*stats));
    (void)sys_kernel_stats(ARAMID_STATS_MEMORY, stats, sizeof(*stats));
}

static void fuzz_memory_state(struct fuzz_memory_state *state)
{
    memset(state, 0, sizeof(*state));
    fuzz_memory(&state->memory);
    (void)sys_kernel_stats(ARAMID_STATS_STACK_CACHE, &state->stacks, sizeof(state->stacks));
    (void)sys_kernel_stats(ARAMID_STATS_IPC, &state->ipc, sizeof(state->ipc));
    long bytes = sys_kernel_stats(ARAMID_STATS_SYSTEM, state->system, sizeof(state->system));
    state->system_count = bytes > 0 ? (unsigned long)bytes / sizeof(state->system[0]) : 0;
}

/* The lines tools/fuzz compares: the kernel's caches, then one per process (this one and every
 * system process). */
static void fuzz_memory_print(const char *when, const struct fuzz_memory_state *state)
{
    aramid_printf("fuzz: %s: %lu free frames, %lu kernel heap pages\n", when,
                  state->memory.free_frames, state->memory.heap_pages);
    aramid_printf("fuzz: %s: kernel: %lu cached empty slabs, %lu stack cache frames, %lu memory "
                  "object frames\n",
                  when, state->memory.heap_cached_pages, state->memory.stack_cache_frames,
                  state->memory.object_frames);
    aramid_printf("fuzz: %s: kernel objects: %lu threads, %lu reply slots, %lu held calls\n", when,
                  state->ipc.threads, state->ipc.reply_slots, state->ipc.held_calls);
    for (unsigned long i = 0; i < state->system_count; i++) {
        const struct aramid_system_process_stats *record = &state->system[i];
        aramid_printf("fuzz: %s: process %lu %.16s: %lu pages, %lu private (%lu image), %lu page "
                      "tables, %lu charged, %lu handles, %lu threads; handles: %lu thread, %lu "
                      "space, %lu endpoint, %lu notification, %lu memory, %lu process, %lu "
                      "console\n",
                      when, record->id,
                      record->flags & ARAMID_STATS_CALLER ? "fuzz" : record->name, record->pages,
                      record->private_pages, record->image_pages, record->page_tables,
                      record->charged, record->handles, record->threads,
                      record->handle_kinds[ARAMID_HANDLE_KIND_THREAD],
                      record->handle_kinds[ARAMID_HANDLE_KIND_SPACE],
                      record->handle_kinds[ARAMID_HANDLE_KIND_ENDPOINT],
                      record->handle_kinds[ARAMID_HANDLE_KIND_NOTIFICATION],
                      record->handle_kinds[ARAMID_HANDLE_KIND_MEMORY_OBJECT],
                      record->handle_kinds[ARAMID_HANDLE_KIND_PROCESS],
                      record->handle_kinds[ARAMID_HANDLE_KIND_CONSOLE]);
    }
}

/* ---- cleaning up: the files the campaign made, so that memory can be compared ---- */

#define FUZZ_KEEP_MAX 64     /* names a directory had before the campaign, kept */
#define FUZZ_NAME_MAX 256
#define FUZZ_CLEAN_MAX 20000 /* removals at most (the campaign makes a few hundred) */

struct fuzz_names {
    unsigned count;
    char names[FUZZ_KEEP_MAX][FUZZ_NAME_MAX];
};

static unsigned char *fuzz_vfs_buffer; /* the coordinator's session buffer, mapped */
static size_t fuzz_vfs_buffer_size;

static long fuzz_path_call(const char *path, size_t length, long (*call)(const char *, size_t))
{
    memcpy((void *)sys_ipc_buffer(), path, length);
    return call(path, length);
}

static long fuzz_call_open_dir(const char *path, size_t length)
{
    (void)path;
    struct aramid_vfs_open_request request = {.dir = VFS_AT_ROOT,
                                              /* never into a symlink: only what is there */
                                              .flags = VFS_O_RDONLY | VFS_O_DIRECTORY |
                                                       VFS_O_NOFOLLOW};
    struct aramid_vfs_open_reply reply;
    return aramid_vfs_call_open(&request, length, &reply, NULL);
}

static long fuzz_call_unlink(const char *path, size_t length)
{
    (void)path;
    struct aramid_vfs_unlink_request request = {.dir = VFS_AT_ROOT, .flags = 0};
    struct aramid_vfs_unlink_reply reply;
    long result = aramid_vfs_call_unlink(&request, length, &reply, NULL);
    if (result != -ARAMID_EISDIR && result != -ARAMID_EPERM)
        return result;
    request.flags = VFS_AT_REMOVEDIR;
    return aramid_vfs_call_unlink(&request, length, &reply, NULL);
}

/* The first entry of directory path other than ".", ".." and those in keep, into name;
 * 1 if there is one, 0 if none, -errno. */
static long fuzz_first_entry(const char *path, size_t length, const struct fuzz_names *keep,
                             char *name)
{
    long ofd = fuzz_path_call(path, length, fuzz_call_open_dir);
    if (ofd < 0)
        return ofd;
    long found = 0;
    for (;;) {
        struct aramid_vfs_getdents_request request = {.ofd = ofd,
                                                      .length = fuzz_vfs_buffer_size};
        struct aramid_vfs_getdents_reply reply;
        long bytes = aramid_vfs_call_getdents(&request, 0, &reply, NULL);
        if (bytes <= 0) {
            found = bytes;
            break;
        }
        for (long at = 0; at < bytes && found == 0;) {
            const struct aramid_vfs_dirent *entry =
                (const struct aramid_vfs_dirent *)(fuzz_vfs_buffer + at);
            if (entry->reclen == 0)
                break;
            at += entry->reclen;
            if (strcmp(entry->name, ".") == 0 || strcmp(entry->name, "..") == 0 ||
                strlen(entry->name) >= FUZZ_NAME_MAX)
                continue;
            int kept = 0;
            for (unsigned i = 0; keep != NULL && i < keep->count; i++)
                kept |= strcmp(keep->names[i], entry->name) == 0;
            if (!kept) {
                memcpy(name, entry->name, strlen(entry->name) + 1);
                found = 1;
            }
        }
        if (found)
            break;
    }
    struct aramid_vfs_close_request close = {.ofd = ofd};
    struct aramid_vfs_close_reply close_reply;
    (void)aramid_vfs_call_close(&close, 0, &close_reply, NULL);
    return found;
}

/* The names directory path holds now (at most FUZZ_KEEP_MAX). */
static void fuzz_names_take(const char *path, struct fuzz_names *names)
{
    names->count = 0;
    while (names->count < FUZZ_KEEP_MAX &&
           fuzz_first_entry(path, strlen(path), names, names->names[names->count]) == 1)
        names->count++;
}

/* Removes path (a file, or a directory with everything in it); how many names went. */
static unsigned long fuzz_remove(char *path, size_t length, unsigned long budget)
{
    unsigned long removed = 0;
    char name[FUZZ_NAME_MAX];
    while (removed < budget && length + 1 + FUZZ_NAME_MAX < ARAMID_IPC_BUFFER_SIZE &&
           fuzz_first_entry(path, length, NULL, name) == 1) {
        size_t name_length = strlen(name);
        path[length] = '/';
        memcpy(path + length + 1, name, name_length + 1);
        removed += fuzz_remove(path, length + 1 + name_length, budget - removed);
        path[length] = '\0';
    }
    if (fuzz_path_call(path, length, fuzz_call_unlink) == 0)
        removed++;
    return removed;
}

/* Removes what the campaign added to directory (those not in keep); how many names went. */
static unsigned long fuzz_clean(const char *directory, const struct fuzz_names *keep)
{
    static char path[ARAMID_IPC_BUFFER_SIZE];
    unsigned long removed = 0;
    size_t base = strlen(directory);
    char name[FUZZ_NAME_MAX];
    while (removed < FUZZ_CLEAN_MAX && fuzz_first_entry(directory, base, keep, name) == 1) {
        memcpy(path, directory, base);
        size_t at = base;
        if (at == 0 || path[at - 1] != '/')
            path[at++] = '/';
        memcpy(path + at, name, strlen(name) + 1);
        unsigned long gone = fuzz_remove(path, at + strlen(name), FUZZ_CLEAN_MAX - removed);
        if (gone == 0)
            break; /* cannot be removed: leave it */
        removed += gone;
    }
    return removed;
}

/* A vfs session with its buffer mapped, for the coordinator's own vfs calls; 0 or -errno. */
static long fuzz_vfs_open_session(const struct aramid_proc_self *self)
{
    aramid_handle_t own = sys_handle_duplicate(self->process, ARAMID_RIGHT_READ |
                                                                 ARAMID_RIGHT_MANAGE |
                                                                 ARAMID_RIGHT_GRANT);
    aramid_handle_t shared = 0;
    size_t size = 0;
    long result = aramid_vfs_session(own, &shared, &size);
    if (result < 0)
        return result;
    long address = aramid_memory_map(self->space, size, ARAMID_PROT_READ, shared, 0);
    if (address <= 0)
        return address < 0 ? address : -ARAMID_ENOMEM;
    fuzz_vfs_buffer = (unsigned char *)address;
    fuzz_vfs_buffer_size = size;
    return 0;
}

/* ---- exhaust: hostile clients take all the memory they can; every server must still work ---- */

#define FUZZ_HOGS_DEFAULT 3
#define FUZZ_HOG_CHUNK (64ul * 1024) /* one vm_write */
#define FUZZ_EXHAUST_ROUNDS 5        /* probe rounds while memory is exhausted */

/* Maps as much anonymous memory as its quota allows and fills it with vm_write (the kernel
 * allocates the frames, and gives -ENOMEM when only the reserve is left: no fault, so no OOM
 * kill relieves the pressure); then holds it until it is killed. */
_Noreturn static void fuzz_hog(void)
{
    static unsigned char chunk[FUZZ_HOG_CHUNK];
    memset(chunk, 0xa5, sizeof(chunk));
    aramid_handle_t space = aramid_proc_self.space;
    /* Ever smaller mappings until even one chunk does not fit the quota. */
    for (unsigned long bytes = 1ul << 30; bytes >= FUZZ_HOG_CHUNK;) {
        long address = aramid_memory_map(space, bytes, ARAMID_PROT_READ | ARAMID_PROT_WRITE, 0, 0);
        if (address <= 0) {
            bytes /= 2;
            continue;
        }
        for (unsigned long done = 0; done < bytes; done += FUZZ_HOG_CHUNK)
            if (sys_vm_write(space, (unsigned long)address + done, chunk, FUZZ_HOG_CHUNK) < 0)
                goto hold; /* only the reserve is left */
    }
hold:
    for (;;)
        sys_sleep(1000ul * 1000 * 1000);
}

/* An object made at an owner server (event, sock: the reply grants its handle) and closed
 * again; 0, or 1 (printed) when either call failed. */
static unsigned long fuzz_object_work(aramid_handle_t endpoint, const char *what,
                                      unsigned create, unsigned long word0, unsigned long word1,
                                      unsigned close)
{
    if (endpoint <= 0)
        return 0;
    struct aramid_message message = {.info = ARAMID_IPC_INFO(create, 0)};
    message.words[0] = word0;
    message.words[1] = word1;
    message.words[3] = (unsigned long)aramid_proc_self.pid;
    long result = aramid_ipc_call(endpoint, &message);
    long made = result == 0 ? (long)message.words[0] : result;
    long object = made == 0 && (message.info & ARAMID_IPC_GRANT) ? (long)message.words[5] : 0;
    long closed = -1;
    if (object > 0) {
        struct aramid_message close_message = {.info = ARAMID_IPC_INFO(close, 0)};
        result = aramid_ipc_call(object, &close_message);
        closed = result == 0 ? (long)close_message.words[0] : result;
        (void)sys_handle_close(object);
    }
    if (made == 0 && object > 0 && closed == 0)
        return 0;
    aramid_printf("fuzz: exhaust: %s %ld (handle %ld), close %ld\n", what, made, object, closed);
    return 1;
}

/* The vfs's part of fuzz_server_work: mkdir, open with O_CREAT, close, unlink and rmdir of
 * /tmp/exhaust.<round letter>; 0 or 1 (printed). */
static unsigned long fuzz_vfs_work(unsigned long round)
{
    unsigned long failed = 0;
    char *buffer = (char *)sys_ipc_buffer();
    static const char dir[] = "/tmp/exhaust.", file[] = "/f";
    size_t length = sizeof(dir) - 1;
    memcpy(buffer, dir, length);
    buffer[length++] = (char)('a' + round % 26);
    struct aramid_vfs_mkdir_request mkdir = {.dir = VFS_AT_ROOT, .mode = 0755};
    struct aramid_vfs_mkdir_reply mkdir_reply;
    long made = aramid_vfs_call_mkdir(&mkdir, length, &mkdir_reply, NULL);
    memcpy(buffer + length, file, sizeof(file) - 1);
    struct aramid_vfs_open_request open = {.dir = VFS_AT_ROOT,
                                           .flags = VFS_O_CREAT | VFS_O_RDWR, .mode = 0644};
    struct aramid_vfs_open_reply open_reply;
    long ofd = aramid_vfs_call_open(&open, length + sizeof(file) - 1, &open_reply, NULL);
    struct aramid_vfs_close_request close = {.ofd = ofd};
    struct aramid_vfs_close_reply close_reply;
    long closed = ofd >= 0 ? aramid_vfs_call_close(&close, 0, &close_reply, NULL) : ofd;
    memcpy(buffer, dir, sizeof(dir) - 1);
    buffer[sizeof(dir) - 1] = (char)('a' + round % 26);
    memcpy(buffer + length, file, sizeof(file) - 1);
    struct aramid_vfs_unlink_request unlink = {.dir = VFS_AT_ROOT, .flags = 0};
    struct aramid_vfs_unlink_reply unlink_reply;
    long unlinked = aramid_vfs_call_unlink(&unlink, length + sizeof(file) - 1, &unlink_reply, NULL);
    memcpy(buffer, dir, sizeof(dir) - 1);
    buffer[sizeof(dir) - 1] = (char)('a' + round % 26);
    unlink.flags = VFS_AT_REMOVEDIR;
    long removed = aramid_vfs_call_unlink(&unlink, length, &unlink_reply, NULL);
    if (made != 0 || ofd < 0 || closed != 0 || unlinked != 0 || removed != 0) {
        aramid_printf("fuzz: exhaust: vfs mkdir %ld, open %ld, close %ld, unlink %ld, rmdir %ld\n",
                      made, ofd, closed, unlinked, removed);
        failed++;
    }
    return failed;
}

/* Real work at every server (each allocates on its side) but skip: proc's getpid, vfs's mkdir,
 * open with O_CREAT, close, unlink and rmdir, an eventfd and a socket made and closed. Prints
 * what failed; returns how many did. */
static unsigned long fuzz_server_work(const struct aramid_proc_self *self, unsigned long round,
                                      unsigned skip)
{
    unsigned long failed = 0;
    long result = aramid_proc_getpid();
    if (result != self->pid) {
        aramid_printf("fuzz: exhaust: proc getpid %ld\n", result);
        failed++;
    }
    if (skip != FUZZ_VFS)
        failed += fuzz_vfs_work(round);
    if (skip != FUZZ_EVENT)
        failed += fuzz_object_work(self->event, "event eventfd", ARAMID_EVENT_eventfd_create, 1, 0,
                                   ARAMID_EVENT_close);
    if (skip != FUZZ_SOCK)
        failed += fuzz_object_work(self->sock, "sock socket", ARAMID_SOCK_socket, ARAMID_AF_UNIX,
                                   ARAMID_SOCK_STREAM, ARAMID_SOCK_close);
    return failed;
}

/* One process may hold at most ARAMID_SERVER_OBJECTS_PER_PROCESS sockets at sock (the event
 * server is bounded for all its clients together by its own handle table instead: status.md). A
 * forked child makes objects and closes each handle at once without telling the server (so the
 * server keeps them, as for a hostile client): exactly that many creations succeed, the next
 * gets -ENOMEM; its exit lets go of them all. Returns 0, or 1 (printed). */
static unsigned long fuzz_object_limit(aramid_handle_t endpoint, const char *what,
                                       unsigned create, unsigned long word0, unsigned long word1)
{
    if (endpoint <= 0)
        return 0;
    long pid = aramid_proc_fork();
    if (pid == 0) {
        unsigned long made = 0;
        long refused = 0;
        while (made <= ARAMID_SERVER_OBJECTS_PER_PROCESS) {
            struct aramid_message message = {.info = ARAMID_IPC_INFO(create, 0)};
            message.words[0] = word0;
            message.words[1] = word1;
            message.words[3] = (unsigned long)aramid_proc_self.pid;
            long result = aramid_ipc_call(endpoint, &message);
            refused = result == 0 ? (long)message.words[0] : result;
            if (refused != 0 || !(message.info & ARAMID_IPC_GRANT))
                break;
            (void)sys_handle_close((long)message.words[5]);
            made++;
        }
        aramid_printf("fuzz: exhaust: %s: %lu made, then %ld\n", what, made, refused);
        aramid_proc_exit(made == ARAMID_SERVER_OBJECTS_PER_PROCESS && refused == -ARAMID_ENOMEM
                             ? 0
                             : 1);
    }
    int status = 1;
    if (pid < 0 || aramid_proc_wait4(pid, &status, 0) != pid || status != 0) {
        aramid_printf("fuzz: exhaust: %s limit child %ld, status %#x\n", what, pid, status);
        return 1;
    }
    return 0;
}

/* fuzz exhaust [HOGS]: HOGS processes take all the memory they can; while free memory is at
 * the reserve, every server must still do real work; the hogs killed, memory comes back. */
static int fuzz_exhaust(struct aramid_startinfo *info)
{
    unsigned long hogs = info->argc > 2 ? fuzz_parse(info->argv[2]) : FUZZ_HOGS_DEFAULT;
    if (hogs == 0 || hogs > FUZZ_WORKERS_MAX)
        hogs = FUZZ_HOGS_DEFAULT;
    struct fuzz_probes probes;
    memset(&probes, 0, sizeof(probes));
    fuzz_probe_all(&info->self, &probes);
    long session = fuzz_vfs_open_session(&info->self);
    if (session < 0)
        aramid_printf("fuzz: exhaust: vfs session %ld\n", session);
    unsigned long failed = fuzz_server_work(&info->self, 0, FUZZ_SERVERS); /* the good calls first */
    failed += fuzz_object_limit(info->self.sock, "sockets", ARAMID_SOCK_socket, ARAMID_AF_UNIX,
                                ARAMID_SOCK_DGRAM);
    failed += fuzz_server_work(&info->self, 0, FUZZ_SERVERS); /* and the limit is per process: all is back */
    struct aramid_memory_stats before, now;
    sys_sleep(20 * 1000 * 1000);
    fuzz_memory(&before);
    aramid_printf("fuzz: exhaust: %lu hogs; before: %lu free frames, %lu kernel heap pages\n",
                  hogs, before.free_frames, before.heap_pages);
    long pids[FUZZ_WORKERS_MAX];
    for (unsigned long i = 0; i < hogs; i++) {
        pids[i] = aramid_proc_fork();
        if (pids[i] == 0)
            fuzz_hog();
    }
    /* Until free memory is down to the reserve (1/32 of memory; what was free before is a
     * little less than memory), at most about a minute. */
    unsigned long lowest = before.free_frames, reserve = before.free_frames / 32 + 512;
    for (int i = 0; i < 600 && lowest > reserve; i++) {
        sys_sleep(100ul * 1000 * 1000);
        fuzz_memory(&now);
        lowest = now.free_frames < lowest ? now.free_frames : lowest;
    }
    unsigned long exhausted = 0;
    for (unsigned long round = 1; round <= FUZZ_EXHAUST_ROUNDS; round++) {
        fuzz_memory(&now);
        exhausted += now.free_frames <= reserve;
        failed += fuzz_server_work(&info->self, round, FUZZ_SERVERS);
        fuzz_probe_all(&info->self, &probes);
    }
    fuzz_memory(&now);
    aramid_printf("fuzz: exhaust: %lu free frames at the lowest, %lu now; %lu of %d rounds at "
                  "the reserve\n",
                  lowest, now.free_frames, exhausted, FUZZ_EXHAUST_ROUNDS);
    unsigned long deaths = 0;
    for (unsigned long i = 0; i < hogs; i++) {
        int status = 0;
        if (pids[i] <= 0) {
            deaths++;
            continue;
        }
        (void)aramid_proc_kill(pids[i], ARAMID_SIGKILL);
        long reaped = aramid_proc_wait4(pids[i], &status, 0);
        if (reaped != pids[i])
            deaths++;
    }
    sys_sleep(20 * 1000 * 1000);
    failed += fuzz_server_work(&info->self, FUZZ_EXHAUST_ROUNDS + 1, FUZZ_SERVERS);
    fuzz_probe_all(&info->self, &probes);
    struct aramid_memory_stats after;
    fuzz_memory(&after);
    int servers_alive = 1;
    for (unsigned server = 0; server < FUZZ_SERVERS; server++) {
        if (probes.last[server] == 1)
            continue;
        aramid_printf("fuzz: server %s %s, %lu of %lu probes unanswered\n",
                      fuzz_server_names[server], probes.last[server] == 0 ? "alive" : "gone",
                      probes.failed[server], probes.rounds);
        servers_alive &= probes.last[server] == 0 && probes.failed[server] == 0;
    }
    aramid_printf("fuzz: after: %lu free frames, %lu kernel heap pages\n", after.free_frames,
                  after.heap_pages);
    aramid_printf("fuzz: exhaust: %lu server calls failed, %lu hogs not reaped\n", failed,
                  deaths);
    return failed == 0 && deaths == 0 && servers_alive && exhausted == FUZZ_EXHAUST_ROUNDS ? 0
                                                                                          : 1;
}

/* ---- crash: a real server is killed; its callers get errors and the rest goes on ---- */

/* Makes an object at the victim (a datagram socket, an eventfd, or a pipe) and calls it with a
 * request the server keeps (a blocking recv, a read of an empty eventfd or pipe): the call
 * returns only when init kills the server (kill=NAME). Returns the call's result; *object gets
 * the object (the pipe's write end for the vfs). */
static long fuzz_crash_held_call(const struct aramid_proc_self *self, unsigned victim,
                                 long *object)
{
    if (victim == FUZZ_VFS) {
        struct aramid_vfs_pipe_request pipe = {.flags = 0};
        struct aramid_vfs_pipe_reply pipe_reply;
        long read_end = aramid_vfs_call_pipe(&pipe, 0, &pipe_reply, NULL);
        if (read_end < 0)
            return read_end;
        *object = pipe_reply.write;
        struct aramid_vfs_read_request read = {.ofd = read_end, .length = 16};
        struct aramid_vfs_read_reply read_reply;
        aramid_printf("fuzz: crash: waiting in a call vfs keeps\n");
        return aramid_vfs_call_read(&read, 0, &read_reply, NULL);
    }
    if (victim == FUZZ_PROC) {
        long child = aramid_proc_fork();
        if (child == 0)
            for (;;)
                sys_sleep(1000ul * 1000 * 1000); /* never exits: the parent's wait4 is kept */
        if (child < 0)
            return child;
        *object = child;
        int status = 0;
        aramid_printf("fuzz: crash: waiting in a call proc keeps\n");
        return aramid_proc_wait4(child, &status, 0);
    }
    struct aramid_message message = {
        .info = ARAMID_IPC_INFO(victim == FUZZ_SOCK ? ARAMID_SOCK_socket
                                                    : ARAMID_EVENT_eventfd_create, 0)};
    message.words[0] = victim == FUZZ_SOCK ? ARAMID_AF_UNIX : 0;
    message.words[1] = victim == FUZZ_SOCK ? ARAMID_SOCK_DGRAM : 0;
    message.words[3] = (unsigned long)self->pid;
    long result = aramid_ipc_call(victim == FUZZ_SOCK ? self->sock : self->event, &message);
    if (result != 0 || (long)message.words[0] != 0 || !(message.info & ARAMID_IPC_GRANT))
        return result != 0 ? result : (long)message.words[0] != 0 ? (long)message.words[0]
                                                                   : -ARAMID_EBADF;
    *object = (long)message.words[5];
    message = (struct aramid_message){
        .info = ARAMID_IPC_INFO(victim == FUZZ_SOCK ? ARAMID_SOCK_recv : ARAMID_EVENT_eventfd_read,
                                0)};
    if (victim == FUZZ_SOCK)
        message.words[1] = 16; /* flags 0, length 16, blocking */
    aramid_printf("fuzz: crash: waiting in a call %s keeps\n", fuzz_server_names[victim]);
    return aramid_ipc_call(*object, &message);
}

/* After the vfs died: a call on the pipe's write end (close) and a new file's open; both get
 * the stubs' -EIO for a server that is gone. */
static void fuzz_crash_vfs_after(long write_end, long *on_object, long *at_endpoint)
{
    struct aramid_vfs_close_request close = {.ofd = write_end};
    struct aramid_vfs_close_reply close_reply;
    *on_object = aramid_vfs_call_close(&close, 0, &close_reply, NULL);
    static const char path[] = "/tmp/crash";
    memcpy((void *)sys_ipc_buffer(), path, sizeof(path) - 1);
    struct aramid_vfs_open_request open = {.dir = VFS_AT_ROOT,
                                           .flags = VFS_O_CREAT | VFS_O_RDWR, .mode = 0644};
    struct aramid_vfs_open_reply open_reply;
    *at_endpoint = aramid_vfs_call_open(&open, sizeof(path) - 1, &open_reply, NULL);
}

/* `fuzz crash NAME` (tools/fuzz --crash NAME boots it with init's kill=NAME): every server
 * works; a call the victim keeps, and every later call to it or its objects, gets -EPIPE (the
 * vfs's stubs: -EIO) when init kills it; the probes find it gone and every other server alive,
 * and they still do real work (a socketpair too when the vfs died). Returns 0 when all of that
 * holds. With proc the victim, init's wait4 for this program fails and init ends the machine
 * (tools/fuzz judges its message), so only the held call is reported here. */
static int fuzz_crash(const struct aramid_startinfo *info, const char *name)
{
    unsigned victim = FUZZ_SERVERS;
    for (unsigned server = 0; server < FUZZ_SERVERS; server++)
        if (strcmp(name, fuzz_server_names[server]) == 0)
            victim = server;
    if (victim != FUZZ_SOCK && victim != FUZZ_EVENT && victim != FUZZ_VFS && victim != FUZZ_PROC) {
        aramid_printf("fuzz: crash: %s: only proc, vfs, sock and event can be the victim\n", name);
        return 2;
    }
    struct fuzz_probes probes;
    memset(&probes, 0, sizeof(probes));
    fuzz_probe_all(&info->self, &probes);
    long session = fuzz_vfs_open_session(&info->self);
    unsigned long failed = session != 0 || fuzz_server_work(&info->self, 0, FUZZ_SERVERS) != 0;
    long object = 0;
    long held = fuzz_crash_held_call(&info->self, victim, &object);
    if (victim == FUZZ_PROC) {
        aramid_printf("fuzz: crash: proc: held call %ld\n", held);
        return held == -ARAMID_EPIPE || held == -ARAMID_EIO ? 0 : 1;
    }
    long on_object, at_endpoint, gone = -ARAMID_EPIPE;
    if (victim == FUZZ_VFS) {
        fuzz_crash_vfs_after(object, &on_object, &at_endpoint);
        gone = -ARAMID_EIO;
    } else {
        struct aramid_message message = {.info = ARAMID_IPC_INFO(
                                             victim == FUZZ_SOCK ? ARAMID_SOCK_close
                                                                 : ARAMID_EVENT_close, 0)};
        on_object = object > 0 ? aramid_ipc_call(object, &message) : -ARAMID_EBADF;
        message = (struct aramid_message){
            .info = ARAMID_IPC_INFO(victim == FUZZ_SOCK ? ARAMID_SOCK_socket
                                                        : ARAMID_EVENT_eventfd_create, 0)};
        at_endpoint =
            aramid_ipc_call(victim == FUZZ_SOCK ? info->self.sock : info->self.event, &message);
    }
    fuzz_probe_all(&info->self, &probes);
    unsigned long others_alive = 0;
    for (unsigned server = 0; server < FUZZ_SERVERS; server++)
        others_alive += server != victim && probes.last[server] == 0;
    unsigned long others_failed = fuzz_server_work(&info->self, 1, victim);
    if (victim == FUZZ_VFS)
        others_failed += fuzz_object_work(info->self.sock, "sock socketpair", ARAMID_SOCK_socketpair,
                                          ARAMID_AF_UNIX, ARAMID_SOCK_STREAM, ARAMID_SOCK_close);
    aramid_printf("fuzz: crash: %s: held call %ld, then on its object %ld, at its endpoint %ld; "
                  "probe %ld; %lu of %d other servers alive, %lu of their calls failed\n",
                  name, held, on_object, at_endpoint, probes.last[victim], others_alive,
                  FUZZ_SERVERS - 1, others_failed);
    return failed == 0 && held == gone && on_object == gone && at_endpoint == gone &&
                   probes.last[victim] == -ARAMID_EPIPE && others_alive == FUZZ_SERVERS - 1 &&
                   others_failed == 0
               ? 0
               : 1;
}

/* Forks workers that make `calls` random calls from seed between them, probe every server
 * while they run and reaps them; returns how many died or failed. */
static unsigned long fuzz_campaign(const struct aramid_proc_self *self, struct fuzz_probes *probes,
                                   unsigned long calls, unsigned long seed, unsigned long workers)
{
    long pids[FUZZ_WORKERS_MAX];
    unsigned long deaths = 0, running = 0;
    for (unsigned long i = 0; i < workers; i++) {
        unsigned long share = calls / workers + (i < calls % workers);
        pids[i] = aramid_proc_fork();
        if (pids[i] == 0)
            aramid_proc_exit(fuzz_worker_run(i, share, seed));
        if (pids[i] < 0) {
            aramid_printf("fuzz: fork of worker %lu failed: %ld\n", i, pids[i]);
            deaths++;
        }
        running += pids[i] > 0;
    }
    while (running > 0) {
        sys_sleep(FUZZ_PROBE_EVERY_NS);
        fuzz_probe_all(self, probes);
        for (unsigned long i = 0; i < workers; i++) {
            int status = 0;
            if (pids[i] <= 0)
                continue;
            long reaped = aramid_proc_wait4(pids[i], &status, ARAMID_WNOHANG);
            if (reaped == 0)
                continue;
            if (reaped != pids[i] || status != 0) {
                deaths++;
                aramid_printf("fuzz: worker %lu: wait4 %ld, status %#x\n", i, reaped, status);
            }
            pids[i] = 0;
            running--;
        }
    }
    return deaths;
}

/* Forks the bystander (fuzz_ring.c) with a page it shares with this process for its report;
 * its pid, or -errno (*report NULL). */
static long fuzz_bystander_start(struct fuzz_bystander **report, long *memory, unsigned long seed)
{
    *report = NULL;
    *memory = sys_memory_object_create(FUZZ_PAGE);
    if (*memory <= 0)
        return *memory < 0 ? *memory : -ARAMID_ENOMEM;
    long address = aramid_memory_map(aramid_proc_self.space, FUZZ_PAGE,
                                     ARAMID_PROT_READ | ARAMID_PROT_WRITE, *memory, 0);
    if (address <= 0) {
        (void)sys_handle_close(*memory);
        return address < 0 ? address : -ARAMID_ENOMEM;
    }
    *report = (struct fuzz_bystander *)address;
    memset(*report, 0, sizeof(**report));
    long pid = aramid_proc_fork();
    if (pid == 0)
        fuzz_bystander_run(*report, seed);
    return pid;
}

/* Stops the bystander, reaps it and prints its report; 1 when every byte it moved was right
 * (and some went through its rings), its calls all worked and it exited 0. */
static int fuzz_bystander_stop(struct fuzz_bystander *report, long memory, long pid)
{
    if (report == NULL || pid <= 0) {
        aramid_printf("fuzz: bystander: not started (%ld)\n", pid);
        return 0;
    }
    report->stop = 1;
    int status = 0;
    long reaped = aramid_proc_wait4(pid, &status, 0);
    aramid_printf("fuzz: bystander: %lu rounds, %lu bytes through its rings, %lu through the "
                  "servers, %lu without a ring, %lu wrong, %lu errors, checksum %#lx, exit %#x\n",
                  report->rounds, report->ring_bytes, report->server_bytes, report->no_ring,
                  report->wrong, report->errors, report->checksum, status);
    int ok = reaped == pid && status == 0 && report->done && report->wrong == 0 &&
             report->errors == 0 && report->ring_bytes > 0;
    (void)sys_vm_unmap(aramid_proc_self.space, (unsigned long)report, FUZZ_PAGE);
    (void)sys_handle_close(memory);
    return ok;
}

/* Removes what the workers added to / and /tmp; returns how many names. */
static unsigned long fuzz_clean_all(const struct fuzz_names *root_names,
                                    const struct fuzz_names *tmp_names)
{
    return fuzz_clean("/tmp", tmp_names) + fuzz_clean("/", root_names);
}

int aramid_main(unsigned long argument)
{
    struct aramid_startinfo info;
    if (aramid_start(argument, &info) < 0) {
        aramid_printf("fuzz: bad start block\n");
        return 100;
    }
    if (info.argc > 1 && strcmp(info.argv[1], "exhaust") == 0)
        return fuzz_exhaust(&info);
    if (info.argc > 2 && strcmp(info.argv[1], "crash") == 0)
        return fuzz_crash(&info, info.argv[2]);
    unsigned long calls = info.argc > 1 ? fuzz_parse(info.argv[1]) : 10000;
    unsigned long seed = info.argc > 2 ? fuzz_parse(info.argv[2]) : 1;
    unsigned long workers = info.argc > 3 ? fuzz_parse(info.argv[3]) : FUZZ_WORKERS_DEFAULT;
    if (workers == 0 || workers > FUZZ_WORKERS_MAX)
        workers = FUZZ_WORKERS_DEFAULT;
    /* Static: 2 x 16 records would deepen the stack of everything this calls (5 KiB). */
    static struct fuzz_memory_state before, after;
    /* Every server answers first: they start beside this program, and what they take while
     * starting must not count as what the campaign leaked. */
    struct fuzz_probes probes;
    memset(&probes, 0, sizeof(probes));
    fuzz_probe_all(&info.self, &probes);
    /* What / and /tmp hold now stays; what the workers add is removed before memory is
     * compared (files are what a campaign rightly leaves behind). */
    static struct fuzz_names root_names, tmp_names;
    long session = info.self.vfs > 0 ? fuzz_vfs_open_session(&info.self) : -ARAMID_ENOSYS;
    if (session == 0) {
        fuzz_names_take("/", &root_names);
        fuzz_names_take("/tmp", &tmp_names);
    }
    /* A short warm-up campaign of its own seed first: the servers' first heap chunks, the static
     * tables' pages and the kernel's caches that any campaign touches are in use before memory
     * is measured, so that before and after compare like with like (tools/fuzz). */
    unsigned long deaths = fuzz_campaign(&info.self, &probes, FUZZ_WARMUP_CALLS, seed ^ FUZZ_WARMUP_SEED,
                                         workers);
    if (session == 0)
        (void)fuzz_clean_all(&root_names, &tmp_names);
    aramid_printf("fuzz: warm-up: %lu calls, %lu workers died\n", (unsigned long)FUZZ_WARMUP_CALLS,
                  deaths);
    /* The vfs's pages made once, at the first call that needs them (the readiness words, the
     * terminal's state page): made now if the warm-up did not, so that they count as before. */
    if (session == 0) {
        aramid_handle_t object = 0;
        size_t count = 0;
        if (aramid_vfs_ready_map(&object, &count) == 0 && object > 0)
            (void)sys_handle_close(object);
        object = 0;
        if (aramid_vfs_tty_state(&object) == 0 && object > 0)
            (void)sys_handle_close(object);
    }
    sys_sleep(20 * 1000 * 1000);
    fuzz_memory_state(&before);
    aramid_printf("fuzz: seed %lu, %lu calls in %lu workers\n", seed, calls, workers);
    fuzz_memory_print("before", &before);
    unsigned long started_ns = aramid_clock_monotonic_ns();
    /* The bystander moves checksummed bytes through rings of its own all the while. */
    struct fuzz_bystander *bystander;
    long bystander_memory = 0;
    long bystander_pid = fuzz_bystander_start(&bystander, &bystander_memory, seed);
    deaths += fuzz_campaign(&info.self, &probes, calls, seed, workers);
    int bystander_ok = fuzz_bystander_stop(bystander, bystander_memory, bystander_pid);
    unsigned long elapsed_ms = (aramid_clock_monotonic_ns() - started_ns) / 1000000;
    if (session == 0)
        aramid_printf("fuzz: removed %lu names the workers made in / and /tmp\n",
                      fuzz_clean_all(&root_names, &tmp_names));
    /* Killed processes may still be on their way out: let the reaper run. */
    sys_sleep(20 * 1000 * 1000);
    fuzz_memory_state(&after);
    fuzz_probe_all(&info.self, &probes);
    int servers_alive = 1;
    for (unsigned server = 0; server < FUZZ_SERVERS; server++) {
        long last = probes.last[server];
        if (last == 1)
            continue;
        aramid_printf("fuzz: server %s %s, %lu of %lu probes unanswered\n",
                      fuzz_server_names[server],
                      last == 0 ? "alive" : last == -ARAMID_ETIMEDOUT ? "hung" : "gone",
                      probes.failed[server], probes.rounds);
        servers_alive &= last == 0 && probes.failed[server] == 0;
    }
    long proc_alive = probes.last[FUZZ_PROC] == 0 ? info.self.pid : 0;
    fuzz_memory_print("after", &after);
    aramid_printf("fuzz: %lu calls in %lu ms, %lu workers died, proc %s\n", calls, elapsed_ms,
                  deaths, proc_alive == info.self.pid ? "alive" : "gone");
    return deaths == 0 && servers_alive && bystander_ok ? 0 : 1;
}
