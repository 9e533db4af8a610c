/* Test program (root task): IPC for real servers — kept replies answered out of order, the death
 * of either side of a held call, cancellation by a signal and by a deadline, deadlines on every
 * wait, notification children and timers, minted badges, inherited handles and identity across
 * process_exec, and the regression test for the old reply-link use-after-free. */
#include <stdbool.h>

#include <aramid/errno.h>
#include <aramid/sys.h>

#define IPC_CHILD_FLAG (1ul << 63)
#define IPC_ROLE_SHIFT 56
#define IPC_INDEX_SHIFT 32
#define IPC_HANDLE_MASK 0xfffffffful
#define IPC_ROLE_CALLER 1ul   /* one call with words[0] = index; exit 0 if the reply is index+1000 */
#define IPC_ROLE_HOLDER 2ul   /* a server that takes calls and never answers them */
#define IPC_ROLE_ANSWERER 3ul /* a server that answers every call with index + 1000 */
#define IPC_ROLE_SIGNALLED 4ul /* registers an upcall, then calls; the reply must be -EINTR */
#define IPC_ROLE_DEADLINE 5ul  /* a call with a 30 ms deadline; the reply must be -ETIMEDOUT */
#define IPC_CLIENTS 100
#define IPC_HOLDER_CLIENTS 20
#define IPC_MS 1000000ul
#define IPC_TICK (10 * IPC_MS)
#define IPC_EXIT_EPIPE 32

static const struct aramid_bootinfo *ipc_bootinfo;
static unsigned long ipc_failures;

#define IPC_CHECK(condition, ...)                                                             \
    do {                                                                                      \
        if (!(condition)) {                                                                   \
            ipc_failures++;                                                                   \
            aramid_printf("ipc: FAIL " __VA_ARGS__);                                          \
        }                                                                                     \
    } while (0)

static struct aramid_ipc_stats ipc_stats(void)
{
    struct aramid_ipc_stats stats = {0};
    (void)sys_kernel_stats(ARAMID_STATS_IPC, &stats, sizeof(stats));
    return stats;
}

static unsigned long ipc_free_frames(void)
{
    struct aramid_memory_stats stats = {0};
    (void)sys_kernel_stats(ARAMID_STATS_MEMORY, &stats, sizeof(stats));
    return stats.free_frames;
}

/* ---- children (copies of this module) ---- */

static volatile unsigned long ipc_upcalls;

static void ipc_count_upcall(struct aramid_upcall_frame *frame, unsigned long bits)
{
    (void)frame;
    (void)bits;
    ipc_upcalls++;
}

static int ipc_child(unsigned long argument)
{
    unsigned long role = (argument >> IPC_ROLE_SHIFT) & 0x7f;
    unsigned long index = (argument >> IPC_INDEX_SHIFT) & 0xffffff;
    aramid_handle_t handle = (aramid_handle_t)(argument & IPC_HANDLE_MASK);
    struct aramid_message message = {.info = ARAMID_IPC_INFO(1, 0), .words = {index}};
    long result;
    switch (role) {
    case IPC_ROLE_CALLER:
        result = aramid_ipc_call(handle, &message);
        if (result == -ARAMID_EPIPE)
            return IPC_EXIT_EPIPE;
        return result == 0 && message.words[0] == index + 1000 ? 0 : 1;
    case IPC_ROLE_HOLDER:
        for (;;)
            (void)aramid_ipc_wait(handle, &message);
    case IPC_ROLE_ANSWERER:
        result = aramid_ipc_wait(handle, &message);
        for (;;) {
            if (result < 0)
                return 2;
            message.words[0] += 1000;
            message.info = ARAMID_IPC_INFO(1, 0);
            result = aramid_ipc_reply_wait(handle, &message);
        }
    case IPC_ROLE_SIGNALLED: {
        /* index is the handle of the upcall notification granted next to the endpoint */
        if (aramid_upcall_register((aramid_handle_t)index, ipc_count_upcall) < 0)
            return 3;
        message.words[0] = 0;
        result = aramid_ipc_call(handle, &message);
        return result == 0 && (long)message.words[0] == -ARAMID_EINTR && ipc_upcalls == 1 ? 0 : 4;
    }
    case IPC_ROLE_DEADLINE:
        message.info |= ARAMID_IPC_DEADLINE;
        message.deadline = (unsigned long)sys_clock_monotonic() + 30 * IPC_MS;
        result = aramid_ipc_call(handle, &message);
        return result == 0 && (long)message.words[0] == -110 ? 0 : 5;
    default:
        return 99;
    }
}

/* Spawns a copy with role and index, granting endpoint (SEND, or all rights for servers) and,
 * for the signalled role, the notification extra. */
static long ipc_spawn(unsigned long role, unsigned long index, aramid_handle_t endpoint,
                      aramid_handle_t extra, struct aramid_child *child)
{
    long result = aramid_spawn_load_module(ipc_bootinfo, "ipc_server", child);
    if (result < 0)
        return result;
    unsigned long rights = role == IPC_ROLE_HOLDER || role == IPC_ROLE_ANSWERER
                               ? ARAMID_RIGHTS_ALL
                               : ARAMID_RIGHT_SEND;
    long granted = sys_handle_grant(child->process, endpoint, rights);
    if (granted < 0)
        return granted;
    if (extra) {
        long notification = sys_handle_grant(child->process, extra, ARAMID_RIGHTS_ALL);
        if (notification < 0)
            return notification;
        index = (unsigned long)notification;
    }
    return aramid_spawn_start(child, IPC_CHILD_FLAG | role << IPC_ROLE_SHIFT |
                                         index << IPC_INDEX_SHIFT |
                                         ((unsigned long)granted & IPC_HANDLE_MASK));
}

/* Waits until the servers hold count calls more than base (callers that are still starting). */
static bool ipc_wait_held(unsigned long base, unsigned long count)
{
    for (int i = 0; i < 500; i++) {
        if (ipc_stats().held_calls >= base + count)
            return true;
        sys_sleep(IPC_MS);
    }
    return false;
}

/* ---- checks ---- */

/* A server keeps 100 calls and answers them in reverse order; each is answered once. */
static void ipc_check_kept_replies(void)
{
    static struct aramid_child children[IPC_CLIENTS];
    static unsigned long tokens[IPC_CLIENTS];
    long endpoint = sys_endpoint_create();
    unsigned long held = ipc_stats().held_calls;
    for (unsigned long i = 0; i < IPC_CLIENTS; i++)
        IPC_CHECK(ipc_spawn(IPC_ROLE_CALLER, i, endpoint, 0, &children[i]) == 0, "spawn %lu\n", i);
    for (unsigned long i = 0; i < IPC_CLIENTS; i++) {
        struct aramid_message message = {0};
        long result = aramid_ipc_wait(endpoint, &message);
        unsigned long index = message.words[0];
        IPC_CHECK(result == 0 && index < IPC_CLIENTS && tokens[index] == 0 && message.reply != 0,
                  "receive %lu: %ld index %lu\n", i, result, index);
        if (index < IPC_CLIENTS) {
            tokens[index] = message.reply;
            IPC_CHECK(message.sender == (unsigned long)sys_process_id(children[index].process) &&
                          message.badge == 0,
                      "sender %lu badge %lu of %lu\n", message.sender, message.badge, index);
        }
    }
    IPC_CHECK(ipc_stats().held_calls == held + IPC_CLIENTS, "held %lu\n", ipc_stats().held_calls);
    for (long i = IPC_CLIENTS - 1; i >= 0; i--) {
        struct aramid_message answer = {.info = ARAMID_IPC_INFO(1, 0), .words = {i + 1000}};
        IPC_CHECK(aramid_ipc_reply(tokens[i], &answer) == 0, "reply %ld\n", i);
        IPC_CHECK(aramid_ipc_reply(tokens[i], &answer) == -ARAMID_ESRCH, "second reply %ld\n", i);
    }
    struct aramid_message garbage = {0};
    IPC_CHECK(aramid_ipc_reply(0, &garbage) == -ARAMID_EINVAL, "token 0\n");
    IPC_CHECK(aramid_ipc_reply(~0ul, &garbage) == -ARAMID_EINVAL, "token ~0\n");
    for (unsigned long i = 0; i < IPC_CLIENTS; i++) {
        long code = sys_process_wait(children[i].process, 0);
        IPC_CHECK(code == 0, "client %lu exited %ld\n", i, code);
        aramid_child_close(&children[i]);
    }
    IPC_CHECK(ipc_stats().held_calls == held, "held after %lu\n", ipc_stats().held_calls);
    sys_handle_close(endpoint);
    aramid_printf("ipc: 100 kept calls answered in reverse order ok\n");
}

/* A server dies holding 20 calls: every caller gets -EPIPE. The endpoint, created here, outlives
 * it: a new server behind it serves the next caller. */
static void ipc_check_server_death(void)
{
    struct aramid_child holder, answerer, children[IPC_HOLDER_CLIENTS], late;
    long endpoint = sys_endpoint_create();
    unsigned long held = ipc_stats().held_calls;
    IPC_CHECK(ipc_spawn(IPC_ROLE_HOLDER, 0, endpoint, 0, &holder) == 0, "holder\n");
    for (unsigned long i = 0; i < IPC_HOLDER_CLIENTS; i++)
        IPC_CHECK(ipc_spawn(IPC_ROLE_CALLER, i, endpoint, 0, &children[i]) == 0, "caller %lu\n", i);
    IPC_CHECK(ipc_wait_held(held, IPC_HOLDER_CLIENTS), "the holder took %lu\n",
              ipc_stats().held_calls - held);
    IPC_CHECK(sys_process_kill(holder.process) == 0, "kill holder\n");
    for (unsigned long i = 0; i < IPC_HOLDER_CLIENTS; i++) {
        long code = sys_process_wait(children[i].process, 0);
        IPC_CHECK(code == IPC_EXIT_EPIPE, "caller %lu of a dead server exited %ld\n", i, code);
        aramid_child_close(&children[i]);
    }
    IPC_CHECK(ipc_stats().held_calls == held, "held after the death %lu\n", ipc_stats().held_calls);
    IPC_CHECK(ipc_spawn(IPC_ROLE_ANSWERER, 0, endpoint, 0, &answerer) == 0, "answerer\n");
    IPC_CHECK(ipc_spawn(IPC_ROLE_CALLER, 7, endpoint, 0, &late) == 0, "late caller\n");
    long code = sys_process_wait(late.process, 0);
    IPC_CHECK(code == 0, "caller of the restarted server exited %ld\n", code);
    sys_process_kill(answerer.process);
    aramid_child_close(&holder);
    aramid_child_close(&answerer);
    aramid_child_close(&late);
    sys_handle_close(endpoint);
    aramid_printf("ipc: server death wakes held callers with -EPIPE, endpoint outlives it ok\n");
}

/* A caller dies while its call is held: the reply is inert (-ESRCH) and the server goes on. */
static void ipc_check_client_death(void)
{
    struct aramid_child child, next;
    long endpoint = sys_endpoint_create();
    unsigned long held = ipc_stats().held_calls;
    IPC_CHECK(ipc_spawn(IPC_ROLE_CALLER, 1, endpoint, 0, &child) == 0, "caller\n");
    struct aramid_message message = {0};
    IPC_CHECK(aramid_ipc_wait(endpoint, &message) == 0, "receive\n");
    unsigned long token = message.reply;
    IPC_CHECK(sys_process_kill(child.process) == 0, "kill caller\n");
    (void)sys_process_wait(child.process, 0);
    IPC_CHECK(ipc_stats().held_calls == held, "held after the caller died\n");
    struct aramid_message answer = {.info = ARAMID_IPC_INFO(1, 0), .words = {1001}};
    IPC_CHECK(aramid_ipc_reply(token, &answer) == -ARAMID_ESRCH, "reply to a dead caller\n");
    IPC_CHECK(ipc_spawn(IPC_ROLE_CALLER, 2, endpoint, 0, &next) == 0, "next caller\n");
    IPC_CHECK(aramid_ipc_wait(endpoint, &message) == 0 && message.words[0] == 2, "next receive\n");
    answer.words[0] = 1002;
    IPC_CHECK(aramid_ipc_reply(message.reply, &answer) == 0, "next reply\n");
    IPC_CHECK(sys_process_wait(next.process, 0) == 0, "next caller's exit\n");
    aramid_child_close(&child);
    aramid_child_close(&next);
    sys_handle_close(endpoint);
    aramid_printf("ipc: a dead caller's reply is inert and the server goes on ok\n");
}

/* A signal for a thread blocked in a held call: the server gets a cancel notice naming the
 * call, answers it with -EINTR, and the caller's handler runs once. So does a deadline. */
static void ipc_check_cancellation(void)
{
    struct aramid_child child, late;
    long endpoint = sys_endpoint_create();
    long signals = sys_notification_create(0, 0);
    IPC_CHECK(ipc_spawn(IPC_ROLE_SIGNALLED, 0, endpoint, signals, &child) == 0, "signalled\n");
    struct aramid_message message = {0};
    IPC_CHECK(aramid_ipc_wait(endpoint, &message) == 0, "receive\n");
    unsigned long token = message.reply, sender = message.sender;
    IPC_CHECK(sys_notify_signal(signals, 1) == 0, "signal\n");
    IPC_CHECK(aramid_ipc_wait(endpoint, &message) == 0 && (message.info & ARAMID_IPC_CANCEL) &&
                  message.reply == token && message.sender == sender,
              "cancel notice info %lx reply %lx\n", message.info, message.reply);
    IPC_CHECK(sys_notify_signal(signals, 1) == 0, "second signal\n"); /* no second notice */
    struct aramid_message answer = {.info = ARAMID_IPC_INFO(1, 0),
                                    .words = {(unsigned long)-ARAMID_EINTR}};
    IPC_CHECK(aramid_ipc_reply(token, &answer) == 0, "answer the cancelled call\n");
    IPC_CHECK(aramid_ipc_reply(token, &answer) == -ARAMID_ESRCH, "answer it twice\n");
    long code = sys_process_wait(child.process, 0);
    IPC_CHECK(code == 0, "cancelled caller exited %ld\n", code);

    IPC_CHECK(ipc_spawn(IPC_ROLE_DEADLINE, 0, endpoint, 0, &late) == 0, "deadline caller\n");
    IPC_CHECK(aramid_ipc_wait(endpoint, &message) == 0, "receive deadline call\n");
    token = message.reply;
    unsigned long start = (unsigned long)sys_clock_monotonic();
    IPC_CHECK(aramid_ipc_wait(endpoint, &message) == 0 && (message.info & ARAMID_IPC_CANCEL) &&
                  message.reply == token,
              "deadline cancel notice\n");
    unsigned long waited = (unsigned long)sys_clock_monotonic() - start;
    IPC_CHECK(waited <= 30 * IPC_MS + IPC_TICK + IPC_MS, "deadline notice after %lu ns\n", waited);
    answer.words[0] = (unsigned long)-110;
    IPC_CHECK(aramid_ipc_reply(token, &answer) == 0, "answer the timed-out call\n");
    code = sys_process_wait(late.process, 0);
    IPC_CHECK(code == 0, "deadline caller exited %ld\n", code);
    aramid_child_close(&child);
    aramid_child_close(&late);
    sys_handle_close(signals);
    sys_handle_close(endpoint);
    aramid_printf("ipc: a signal and a deadline cancel a held call, answered once ok\n");
}

/* Measures a wait that must end with -ETIMEDOUT at deadline, within one timer tick. */
static void ipc_expect_timeout(const char *what, long result, unsigned long start,
                               unsigned long wanted)
{
    unsigned long waited = (unsigned long)sys_clock_monotonic() - start;
    IPC_CHECK(result == -110, "%s returned %ld\n", what, result);
    IPC_CHECK(waited >= wanted && waited <= wanted + IPC_TICK + IPC_MS, "%s waited %lu ns\n", what,
              waited);
}

static void ipc_check_deadlines(void)
{
    long endpoint = sys_endpoint_create();
    long notification = sys_notification_create(0, 0);
    struct aramid_message message = {0};
    unsigned long start = (unsigned long)sys_clock_monotonic();
    message.deadline = start + 30 * IPC_MS;
    ipc_expect_timeout("ipc_wait", aramid_ipc_wait_flags(endpoint, ARAMID_IPC_DEADLINE, &message),
                       start, 30 * IPC_MS);
    start = (unsigned long)sys_clock_monotonic();
    message.deadline = start; /* passed: do not block */
    ipc_expect_timeout("ipc_wait now", aramid_ipc_wait_flags(endpoint, ARAMID_IPC_DEADLINE, &message),
                       start, 0);
    IPC_CHECK(aramid_ipc_wait_flags(endpoint, 0x4, &message) == -ARAMID_EINVAL, "bad flags\n");
    start = (unsigned long)sys_clock_monotonic();
    message = (struct aramid_message){.info = ARAMID_IPC_INFO(1, 0) | ARAMID_IPC_DEADLINE,
                                      .deadline = start + 20 * IPC_MS};
    ipc_expect_timeout("ipc_call", aramid_ipc_call(endpoint, &message), start, 20 * IPC_MS);
    start = (unsigned long)sys_clock_monotonic();
    ipc_expect_timeout("notify_wait", aramid_notify_wait(notification, start + 25 * IPC_MS, 0),
                       start, 25 * IPC_MS);
    IPC_CHECK(sys_notify_signal(notification, 8) == 0, "signal\n");
    IPC_CHECK(aramid_notify_wait(notification, 1, 0) == 8, "pending bits beat a passed deadline\n");
    /* A periodic timer: three periods, then stopped. */
    start = (unsigned long)sys_clock_monotonic();
    IPC_CHECK(sys_timer_set(notification, start + 10 * IPC_MS, 10 * IPC_MS, 2) == 0, "timer\n");
    for (int i = 0; i < 3; i++)
        IPC_CHECK(sys_notify_wait(notification) == 2, "period %d\n", i);
    unsigned long waited = (unsigned long)sys_clock_monotonic() - start;
    IPC_CHECK(waited >= 30 * IPC_MS && waited <= 30 * IPC_MS + IPC_TICK + IPC_MS,
              "three periods took %lu ns\n", waited);
    IPC_CHECK(sys_timer_set(notification, 0, 0, 0) == 0, "stop timer\n");
    (void)sys_notify_poll(notification);
    start = (unsigned long)sys_clock_monotonic();
    ipc_expect_timeout("stopped timer", aramid_notify_wait(notification, start + 30 * IPC_MS, 0),
                       start, 30 * IPC_MS);
    IPC_CHECK(sys_timer_set(notification, start + IPC_MS, 0, 0) == -ARAMID_EINVAL, "no bits\n");
    IPC_CHECK(sys_timer_set(endpoint, start + IPC_MS, 0, 1) == -ARAMID_EBADF, "not a notification\n");
    /* A sleep wakes at the first tick after its deadline. */
    start = (unsigned long)sys_clock_monotonic();
    sys_sleep(15 * IPC_MS);
    waited = (unsigned long)sys_clock_monotonic() - start;
    IPC_CHECK(waited >= 15 * IPC_MS && waited <= 15 * IPC_MS + IPC_TICK + IPC_MS, "sleep %lu\n",
              waited);
    sys_handle_close(notification);
    sys_handle_close(endpoint);
    aramid_printf("ipc: deadlines on calls, waits, sleeps and timers within one tick ok\n");
}

/* Children report to a parent one at a time with their keys; the cost of finding the ready one
 * does not depend on how many there are. */
static void ipc_check_notification_children(void)
{
    enum { CHILDREN = 1000 };
    static long children[CHILDREN];
    long parent = sys_notification_create(0, 0);
    for (int i = 0; i < CHILDREN; i++) {
        children[i] = sys_notification_create(parent, (unsigned long)i + 100);
        IPC_CHECK(children[i] > 0, "child %d: %ld\n", i, children[i]);
    }
    IPC_CHECK(sys_notification_create(children[0], 1) == -ARAMID_EINVAL, "grandchild\n");
    IPC_CHECK(sys_notification_create(0, 5) == -ARAMID_EINVAL, "key without parent\n");
    unsigned long key = 0;
    IPC_CHECK(sys_notify_signal(children[700], 4) == 0 && sys_notify_signal(children[3], 1) == 0 &&
                  sys_notify_signal(children[700], 8) == 0,
              "signal children\n");
    IPC_CHECK(aramid_notify_wait(parent, 0, &key) == 12 && key == 800, "first ready %lu\n", key);
    IPC_CHECK(aramid_notify_wait(parent, 0, &key) == 1 && key == 103, "second ready %lu\n", key);
    IPC_CHECK(aramid_notify_poll(parent, &key) == 0, "nothing left\n");
    /* Bound to an IPC wait, a child ends the wait with its key in mr1. */
    long endpoint = sys_endpoint_create();
    IPC_CHECK(sys_notify_bind(parent) == 0, "bind\n");
    IPC_CHECK(sys_notify_signal(children[999], 16) == 0, "signal 999\n");
    struct aramid_message message = {0};
    IPC_CHECK(aramid_ipc_wait(endpoint, &message) == 0 && (message.info & ARAMID_IPC_NOTIFIED) &&
                  message.words[0] == 16 && message.words[1] == 1099,
              "bound child: info %lx bits %lu key %lu\n", message.info, message.words[0],
              message.words[1]);
    IPC_CHECK(sys_notify_bind(0) == 0, "unbind\n");
    for (int i = 0; i < CHILDREN; i++)
        sys_handle_close(children[i]);
    sys_handle_close(parent);
    sys_handle_close(endpoint);
    aramid_printf("ipc: notification children report once each with their keys ok\n");
}

/* A minted handle's calls carry its badge; only the receiving side may mint. */
static void ipc_check_minted_badges(void)
{
    struct aramid_child child;
    long endpoint = sys_endpoint_create();
    long minted = sys_endpoint_mint(endpoint, 0x55, ARAMID_RIGHT_SEND | ARAMID_RIGHT_GRANT);
    IPC_CHECK(minted > 0, "mint %ld\n", minted);
    long send_only = sys_handle_duplicate(endpoint, ARAMID_RIGHT_SEND);
    IPC_CHECK(sys_endpoint_mint(send_only, 1, ARAMID_RIGHT_SEND) == -ARAMID_EPERM, "mint, no recv\n");
    IPC_CHECK(sys_endpoint_mint(endpoint, 1, ARAMID_RIGHT_RECEIVE) == -ARAMID_EINVAL,
              "mint with receive\n");
    IPC_CHECK(sys_endpoint_mint(12345, 1, ARAMID_RIGHT_SEND) == -ARAMID_EBADF, "mint garbage\n");
    IPC_CHECK(ipc_spawn(IPC_ROLE_CALLER, 3, minted, 0, &child) == 0, "caller\n");
    struct aramid_message message = {0};
    IPC_CHECK(aramid_ipc_wait(endpoint, &message) == 0 && message.badge == 0x55 &&
                  message.sender == (unsigned long)sys_process_id(child.process),
              "minted badge %lx\n", message.badge);
    struct aramid_message answer = {.info = ARAMID_IPC_INFO(1, 0), .words = {1003}};
    IPC_CHECK(aramid_ipc_reply(message.reply, &answer) == 0, "reply\n");
    IPC_CHECK(sys_process_wait(child.process, 0) == 0, "caller exit\n");
    aramid_child_close(&child);
    sys_handle_close(minted);
    sys_handle_close(send_only);
    sys_handle_close(endpoint);
    aramid_printf("ipc: minted badges ok\n");
}

/* ---- inherited handles and process_exec ---- */

static _Alignas(16) unsigned char ipc_clone_stack[8192];
static long ipc_clone_kept, ipc_clone_private;

/* Runs in a clone of this space: calls through the inherited handle, and reports what the
 * private handle's value does there. */
static void ipc_clone_child(void)
{
    struct aramid_message message = {.info = ARAMID_IPC_INFO(1, 0)};
    struct aramid_message probe = {.info = ARAMID_IPC_INFO(1, 0)};
    message.words[1] = (unsigned long)aramid_ipc_call(ipc_clone_private, &probe);
    (void)aramid_ipc_call(ipc_clone_kept, &message);
    sys_thread_exit();
}

static long ipc_start_clone_thread(aramid_handle_t process)
{
    unsigned long stack = (unsigned long)(ipc_clone_stack + sizeof(ipc_clone_stack)) - 8;
    long thread = sys_thread_create(process, (unsigned long)ipc_clone_child, stack, 0);
    if (thread > 0)
        sys_handle_close(thread);
    return thread;
}

static void ipc_check_inherit_and_exec(void)
{
    long endpoint = sys_endpoint_create();
    long other = sys_endpoint_create();
    ipc_clone_kept = sys_handle_duplicate(endpoint, ARAMID_RIGHT_SEND | ARAMID_RIGHT_INHERIT);
    ipc_clone_private = sys_handle_duplicate(other, ARAMID_RIGHT_SEND);
    IPC_CHECK(ipc_clone_kept > 0 && ipc_clone_private > 0, "duplicates\n");
    long clone = sys_space_clone(ipc_bootinfo->self_space);
    long process = sys_process_create(clone, ipc_bootinfo->self_process);
    IPC_CHECK(process > 0, "process_create with a source: %ld\n", process);
    IPC_CHECK(sys_process_create(clone, endpoint) == -ARAMID_EBADF, "source not a process\n");
    IPC_CHECK(ipc_start_clone_thread(process) > 0, "thread\n");
    struct aramid_message message = {0};
    IPC_CHECK(aramid_ipc_wait(endpoint, &message) == 0, "receive from the child\n");
    unsigned long sender = message.sender;
    IPC_CHECK(sender == (unsigned long)sys_process_id(process), "sender %lu\n", sender);
    IPC_CHECK((long)message.words[1] == -ARAMID_EBADF, "private handle in the child: %ld\n",
              (long)message.words[1]);
    struct aramid_message answer = {.info = ARAMID_IPC_INFO(1, 0)};
    IPC_CHECK(aramid_ipc_reply(message.reply, &answer) == 0, "reply\n");
    /* A new image on a fresh clone: same id, the inherited handle still there. */
    long second = sys_space_clone(ipc_bootinfo->self_space);
    IPC_CHECK(sys_process_exec(process, second) == 0, "process_exec\n");
    IPC_CHECK(sys_process_exec(ipc_bootinfo->self_process, second) == -ARAMID_EINVAL, "exec self\n");
    IPC_CHECK(sys_process_exec(process, endpoint) == -ARAMID_EBADF, "exec on a non-space\n");
    IPC_CHECK(ipc_start_clone_thread(process) > 0, "thread after exec\n");
    IPC_CHECK(aramid_ipc_wait(endpoint, &message) == 0 && message.sender == sender,
              "sender after exec %lu (was %lu)\n", message.sender, sender);
    IPC_CHECK(aramid_ipc_reply(message.reply, &answer) == 0, "reply after exec\n");
    sys_process_kill(process);
    sys_handle_close(process);
    sys_handle_close(clone);
    sys_handle_close(second);
    sys_handle_close(ipc_clone_kept);
    sys_handle_close(ipc_clone_private);
    sys_handle_close(endpoint);
    sys_handle_close(other);
    aramid_printf("ipc: inherited handles and identity across process_exec ok\n");
}

/* ---- the old reply-link use-after-free, driven to the end ---- */

static long ipc_uaf_endpoint;

/* A server thread that takes two calls, keeps both and exits. */
static void ipc_uaf_server(unsigned long argument)
{
    (void)argument;
    struct aramid_message message = {0};
    (void)aramid_ipc_wait(ipc_uaf_endpoint, &message);
    (void)aramid_ipc_wait(ipc_uaf_endpoint, &message);
}

static void ipc_uaf_nothing(unsigned long argument)
{
    (void)argument;
}

/* One round of the sequence; caches warm up in the first. */
static void ipc_reply_link_round(unsigned long *frames_out, struct aramid_ipc_stats *stats_out)
{
    static _Alignas(16) unsigned char stacks[9][4096];
    struct aramid_child first, second;
    struct aramid_ipc_stats before = ipc_stats();
    ipc_uaf_endpoint = sys_endpoint_create();
    IPC_CHECK(ipc_spawn(IPC_ROLE_CALLER, 1, ipc_uaf_endpoint, 0, &first) == 0, "first\n");
    IPC_CHECK(ipc_spawn(IPC_ROLE_CALLER, 2, ipc_uaf_endpoint, 0, &second) == 0, "second\n");
    long server = aramid_thread_start(ipc_bootinfo->self_process, ipc_uaf_server, 0, stacks[0],
                                      sizeof(stacks[0]));
    IPC_CHECK(server > 0, "server thread\n");
    IPC_CHECK(ipc_wait_held(before.held_calls, 2), "two held calls\n");
    sys_handle_close(server);
    /* New threads take the dead server thread's slab slot. */
    for (int i = 1; i < 9; i++) {
        long thread = aramid_thread_start(ipc_bootinfo->self_process, ipc_uaf_nothing, 0, stacks[i],
                                          sizeof(stacks[i]));
        if (thread > 0)
            sys_handle_close(thread);
    }
    sys_sleep(5 * IPC_MS);
    /* The orphaned callers die: with the old link, this wrote into the freed thread. */
    sys_process_kill(first.process);
    sys_process_kill(second.process);
    (void)sys_process_wait(first.process, 0);
    (void)sys_process_wait(second.process, 0);
    aramid_child_close(&first);
    aramid_child_close(&second);
    sys_handle_close(ipc_uaf_endpoint);
    sys_sleep(5 * IPC_MS);
    struct aramid_ipc_stats after = ipc_stats();
    IPC_CHECK(after.held_calls == before.held_calls && after.reply_slots == before.reply_slots &&
                  after.threads == before.threads,
              "objects before %lu/%lu/%lu after %lu/%lu/%lu\n", before.threads, before.reply_slots,
              before.held_calls, after.threads, after.reply_slots, after.held_calls);
    *frames_out = ipc_free_frames();
    *stats_out = after;
}

static void ipc_check_reply_link_regression(void)
{
    unsigned long frames_first, frames_second;
    struct aramid_ipc_stats first, second;
    ipc_reply_link_round(&frames_first, &first);
    ipc_reply_link_round(&frames_second, &second);
    IPC_CHECK(frames_first == frames_second, "free frames %lu after one round, %lu after two\n",
              frames_first, frames_second);
    aramid_printf("ipc: reply-link regression: no leak, no use after free ok\n");
}

int aramid_main(unsigned long argument)
{
    if (argument & IPC_CHILD_FLAG)
        return ipc_child(argument);
    ipc_bootinfo = (const struct aramid_bootinfo *)argument;
    if (!ipc_bootinfo || ipc_bootinfo->magic != ARAMID_BOOTINFO_MAGIC) {
        aramid_printf("ipc: bad bootinfo\n");
        return 1;
    }
    ipc_check_kept_replies();
    ipc_check_server_death();
    ipc_check_client_death();
    ipc_check_cancellation();
    ipc_check_deadlines();
    ipc_check_notification_children();
    ipc_check_minted_badges();
    ipc_check_inherit_and_exec();
    ipc_check_reply_link_regression();
    if (ipc_failures) {
        aramid_printf("ipc: %lu failures\n", ipc_failures);
        return 1;
    }
    aramid_printf("ipc: all checks passed\n");
    return 0;
}
