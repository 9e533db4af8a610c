/* Processes: wait statuses for exit codes 0, 1, 255, 256, abort, SIGKILL and SIGTERM. */
#include "contract.h"

int main(void)
{
    contract_start();
    int codes[] = {0, 1, 42, 255, 256, 257};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        pid_t child = contract_fork();
        if (child == 0)
            _exit(codes[i]);
        char what[32];
        snprintf(what, sizeof what, "_exit(%d)", codes[i]);
        contract_reap(what, child);
    }
    int signals[] = {SIGKILL, SIGTERM, SIGUSR1, SIGHUP};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        pid_t child = contract_fork();
        if (child == 0) {
            kill(getpid(), signals[i]);
            _exit(99);
        }
        char what[32];
        snprintf(what, sizeof what, "kill(self, %s)", signal_name(signals[i]));
        contract_reap(what, child);
    }
    pid_t child = contract_fork();
    if (child == 0)
        abort();
    contract_reap("abort()", child);
    return contract_pass();
}
