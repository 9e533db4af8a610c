/* Non-local exits: siglongjmp out of a handler restores the mask saved by sigsetjmp(env, 1),
 * sigsetjmp(env, 0) and _longjmp leave the handler's mask, longjmp(env, 0) returns 1, and a
 * fault handler jumps out over the faulting instruction, many times over. */
#include <setjmp.h>
#include <signal.h>

#include "contract.h"

static sigjmp_buf jump;
static jmp_buf plain;
static volatile int handled;

static void jump_out(int n)
{
    handled = n;
    siglongjmp(jump, n);
}

static void plain_out(int n)
{
    handled = n;
    _longjmp(plain, 7);
}

static void show_mask(const char *when)
{
    sigset_t mask;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    printf("%s: SIGUSR1 %s, SIGUSR2 %s\n", when, sigismember(&mask, SIGUSR1) ? "blocked" : "open",
           sigismember(&mask, SIGUSR2) ? "blocked" : "open");
}

int main(void)
{
    contract_start();
    struct sigaction action = {.sa_handler = jump_out};
    sigemptyset(&action.sa_mask);
    sigaddset(&action.sa_mask, SIGUSR2); /* blocked while the handler runs */
    sigaction(SIGUSR1, &action, NULL);
    sigaction(SIGSEGV, &action, NULL);

    int value = sigsetjmp(jump, 1);
    if (value == 0) {
        show_mask("before raise");
        raise(SIGUSR1);
        printf("raise returned: wrong\n");
    } else {
        printf("sigsetjmp(jump, 1) came back with %s\n", signal_name(value));
        show_mask("after siglongjmp with the mask saved");
    }

    value = sigsetjmp(jump, 0);
    if (value == 0) {
        raise(SIGUSR1);
        printf("raise returned: wrong\n");
    } else {
        printf("sigsetjmp(jump, 0) came back with %s\n", signal_name(value));
        show_mask("after siglongjmp without the mask");
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    /* A fault: the handler leaves, the instruction is never retried. */
    volatile int faults = 0;
    for (volatile int round = 0; round < 100; round++) {
        if (sigsetjmp(jump, 1) == 0) {
            *(volatile int *)contract_address(8) = round;
            printf("store to 8 succeeded: wrong\n");
        } else {
            faults++;
        }
    }
    printf("faults caught and left: %d\n", faults);
    show_mask("after the faults");

    struct sigaction plain_action = {.sa_handler = plain_out};
    sigemptyset(&plain_action.sa_mask);
    sigaction(SIGUSR2, &plain_action, NULL);
    value = _setjmp(plain);
    if (value == 0) {
        raise(SIGUSR2);
        printf("raise returned: wrong\n");
    } else {
        printf("_setjmp came back with %d after %s\n", value, signal_name(handled));
        show_mask("after _longjmp");
    }
    sigprocmask(SIG_SETMASK, &none, NULL);

    volatile int counter = 0;
    value = setjmp(plain);
    counter++;
    if (value == 0)
        longjmp(plain, 0);
    printf("longjmp(plain, 0): setjmp returned %d, counter %d\n", value, counter);
    return contract_pass();
}
