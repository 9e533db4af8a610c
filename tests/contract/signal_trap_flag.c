/* Signals: a single-step trap (the TF flag) delivers SIGTRAP to its handler, each step; and
 * kills a process without one with SIGTRAP. */
#include "contract.h"

static volatile sig_atomic_t traps, other;

static void handler(int signal)
{
    if (signal == SIGTRAP)
        traps++;
    else
        other++;
}

/* Sets TF, runs a few instructions, clears TF: every instruction in between traps. */
static void single_step(void)
{
    __asm__ volatile("pushfq\n\t"
                     "orq $0x100, (%%rsp)\n\t"
                     "popfq\n\t"
                     "nop\n\t"
                     "nop\n\t"
                     "pushfq\n\t"
                     "andq $~0x100, (%%rsp)\n\t"
                     "popfq\n\t" ::
                         : "memory", "cc");
}

int main(void)
{
    contract_start();
    struct sigaction action = {0};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    R(sigaction(SIGTRAP, &action, NULL));
    R(sigaction(SIGSEGV, &action, NULL));
    single_step();
    printf("SIGTRAP handled: %s\n", traps > 0 ? "yes" : "no");
    printf("single steps trapped: %d\n", (int)traps);
    printf("other signals: %d\n", (int)other);
    pid_t child = contract_fork();
    if (child == 0) {
        signal(SIGTRAP, SIG_DFL);
        single_step();
        _exit(0);
    }
    contract_reap("TF without a handler", child);
    return contract_pass();
}
