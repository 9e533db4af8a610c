/* Signals: a handled signal interrupts nanosleep with EINTR and leaves the remaining time. */
#include <time.h>

#include "contract.h"

static void handler(int signal)
{
    (void)signal;
}

int main(void)
{
    contract_start();
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    action.sa_flags = SA_RESTART; /* nanosleep is never restarted, even so */
    sigemptyset(&action.sa_mask);
    sigaction(SIGUSR1, &action, NULL);
    pid_t parent = getpid();
    pid_t child = contract_fork();
    if (child == 0) {
        struct timespec t = {0, 200000000};
        nanosleep(&t, NULL);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    struct timespec request = {5, 0}, remaining = {0, 0};
    int result = nanosleep(&request, &remaining);
    printf("nanosleep(5 s) = %d %s\n", result, result < 0 ? errno_name(errno) : "");
    printf("remaining between 1 s and 5 s: %s\n",
           remaining.tv_sec >= 1 && remaining.tv_sec < 5 ? "yes" : "no");
    contract_reap("child", child);
    return contract_pass();
}
