/* Alternate signal stacks: a stack overflow (SIGSEGV on the page below the stack) caught by an
 * SA_ONSTACK handler on the sigaltstack, SS_ONSTACK while on it, handlers without SA_ONSTACK on
 * the interrupted stack, the stack per thread (a new thread has none), and it again after the
 * handler left by siglongjmp. */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>

#include "contract.h"

static char alternate[64 * 1024] __attribute__((aligned(16)));
static char thread_alternate[64 * 1024] __attribute__((aligned(16)));
static sigjmp_buf jump, thread_jump;
/* Each thread's own: the stack it set and where its handler jumps. */
static __thread char *my_alternate;
static __thread sigjmp_buf *my_jump;
static volatile int on_alternate, flags_inside, depth_reached, stop_recursion;

static int in_alternate(const void *address)
{
    uintptr_t a = (uintptr_t)address, base = (uintptr_t)my_alternate;
    return a >= base && a < base + sizeof(alternate);
}

static void overflow_handler(int n)
{
    int local;
    stack_t now;
    on_alternate = in_alternate(&local);
    sigaltstack(NULL, &now);
    flags_inside = now.ss_flags;
    siglongjmp(*my_jump, n);
}

static void plain_handler(int n)
{
    int local;
    (void)n;
    on_alternate = in_alternate(&local);
}

static int recurse(int depth)
{
    volatile char buffer[256];
    buffer[0] = (char)depth;
    buffer[255] = (char)depth;
    if (depth > depth_reached)
        depth_reached = depth;
    if (stop_recursion)
        return 0;
    return recurse(depth + 1) + buffer[0] + buffer[255];
}

static const char *flag_name(int flags)
{
    return flags == SS_ONSTACK ? "SS_ONSTACK" : flags == SS_DISABLE ? "SS_DISABLE"
                                            : flags == 0            ? "0"
                                                                    : "other";
}

/* A thread: none at first; its own stack catches its own overflow (its guard page). */
static void *thread_view(void *argument)
{
    (void)argument;
    stack_t now;
    sigaltstack(NULL, &now);
    printf("a new thread's alternate stack: %s\n", flag_name(now.ss_flags));
    stack_t own = {.ss_sp = thread_alternate, .ss_size = sizeof(thread_alternate)};
    sigaltstack(&own, NULL);
    my_alternate = thread_alternate;
    my_jump = &thread_jump;
    on_alternate = 0;
    depth_reached = 0;
    if (sigsetjmp(thread_jump, 1) == 0) {
        recurse(0);
        printf("thread recursion ended: wrong\n");
    } else {
        printf("thread overflow caught: on its own alternate stack %s, flags inside %s, deep %s\n",
               on_alternate ? "yes" : "no", flag_name(flags_inside),
               depth_reached > 100 ? "yes" : "no");
    }
    return NULL;
}

int main(void)
{
    contract_start();
    my_alternate = alternate;
    my_jump = &jump;
    stack_t stack = {.ss_sp = alternate, .ss_size = sizeof(alternate), .ss_flags = 0}, now;
    R(sigaltstack(&stack, NULL));
    sigaltstack(NULL, &now);
    printf("set: sp matches %s, size matches %s, flags %s\n", now.ss_sp == alternate ? "yes" : "no",
           now.ss_size == sizeof(alternate) ? "yes" : "no", flag_name(now.ss_flags));

    struct sigaction action = {.sa_handler = overflow_handler, .sa_flags = SA_ONSTACK};
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, NULL);
    for (int round = 1; round <= 2; round++) {
        on_alternate = 0;
        flags_inside = -1;
        if (sigsetjmp(jump, 1) == 0) {
            recurse(0);
            printf("recursion ended: wrong\n");
        } else {
            printf("overflow %d caught: %s, on the alternate stack %s, flags inside %s, deep %s\n",
                   round, signal_name(SIGSEGV), on_alternate ? "yes" : "no",
                   flag_name(flags_inside), depth_reached > 1000 ? "yes" : "no");
        }
    }
    sigaltstack(NULL, &now);
    printf("after leaving the handler: %s\n", flag_name(now.ss_flags));

    struct sigaction plain = {.sa_handler = plain_handler};
    sigemptyset(&plain.sa_mask);
    sigaction(SIGUSR1, &plain, NULL);
    on_alternate = -1;
    raise(SIGUSR1);
    printf("handler without SA_ONSTACK on the alternate stack: %s\n", on_alternate ? "yes" : "no");
    plain.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR1, &plain, NULL);
    raise(SIGUSR1);
    printf("handler with SA_ONSTACK on the alternate stack: %s\n", on_alternate ? "yes" : "no");

    pthread_t thread;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    pthread_create(&thread, &attr, thread_view, NULL);
    pthread_join(thread, NULL);
    sigaltstack(NULL, &now);
    printf("the main thread's is still its own: %s\n",
           now.ss_sp == alternate && now.ss_flags == 0 ? "yes" : "no");

    stack_t off = {.ss_flags = SS_DISABLE};
    R(sigaltstack(&off, &now));
    printf("the old one: flags %s\n", flag_name(now.ss_flags));
    sigaltstack(NULL, &now);
    printf("disabled: %s\n", flag_name(now.ss_flags));
    return contract_pass();
}
