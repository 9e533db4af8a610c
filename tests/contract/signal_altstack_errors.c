/* sigaltstack's errors as Linux gives them: EINVAL for unknown flags, ENOMEM below
 * MINSIGSTKSZ, EPERM for a change while running on it, EFAULT for bad pointers; each after the
 * good call succeeded, and a failed call leaves the stack as it was. */
#include <signal.h>

#include "contract.h"

static char alternate[32 * 1024] __attribute__((aligned(16)));
static volatile long inside_change = 99, inside_query = 99;
static volatile int inside_errno;

static void handler(int n)
{
    (void)n;
    stack_t other = {.ss_sp = alternate, .ss_size = sizeof(alternate)}, now;
    inside_query = sigaltstack(NULL, &now);
    inside_change = sigaltstack(&other, NULL);
    inside_errno = errno;
}

static const char *flag_name(int flags)
{
    return flags == SS_ONSTACK ? "SS_ONSTACK" : flags == SS_DISABLE ? "SS_DISABLE"
                                            : flags == 0            ? "0"
                                                                    : "other";
}

int main(void)
{
    contract_start();
    stack_t now;
    R(sigaltstack(NULL, &now));
    printf("at start: %s\n", flag_name(now.ss_flags));
    stack_t good = {.ss_sp = alternate, .ss_size = sizeof(alternate), .ss_flags = 0};
    R(sigaltstack(&good, NULL));
    stack_t bad_flags = good;
    bad_flags.ss_flags = 0x40;
    R(sigaltstack(&bad_flags, NULL));
    stack_t small = good;
    small.ss_size = 2047; /* the kernel's MINSIGSTKSZ, 2048 (glibc's macro may be larger) */
    R(sigaltstack(&small, NULL));
    small.ss_size = 2048;
    R(sigaltstack(&small, NULL));
    R(sigaltstack(&good, NULL));
    R(sigaltstack(contract_address(8), NULL));
    R(sigaltstack(NULL, contract_address(8)));
    sigaltstack(NULL, &now);
    printf("after the errors: size kept %s, flags %s\n",
           now.ss_size == sizeof(alternate) ? "yes" : "no", flag_name(now.ss_flags));
    stack_t disable_small = {.ss_sp = NULL, .ss_size = 1, .ss_flags = SS_DISABLE};
    R(sigaltstack(&disable_small, &now));
    R(sigaltstack(&good, NULL));

    struct sigaction action = {.sa_handler = handler, .sa_flags = SA_ONSTACK};
    sigemptyset(&action.sa_mask);
    sigaction(SIGUSR1, &action, NULL);
    raise(SIGUSR1);
    printf("query on the stack = %ld\n", inside_query);
    printf("change on the stack = %ld %s\n", inside_change, inside_change < 0 ? errno_name(inside_errno) : "");
    action.sa_flags = 0;
    sigaction(SIGUSR1, &action, NULL);
    raise(SIGUSR1);
    printf("change off the stack = %ld\n", inside_change);
    return contract_pass();
}
