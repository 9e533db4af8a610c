/* Signals: default actions seen by a parent: terminate, ignore, and uncatchable SIGKILL. */
#include "contract.h"

int main(void)
{
    contract_start();
    int signals[] = {SIGTERM, SIGINT, SIGQUIT, SIGUSR2, SIGPIPE, SIGALRM, SIGCHLD, SIGURG,
                     SIGWINCH, SIGKILL};
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        pid_t child = contract_fork();
        if (child == 0) {
            kill(getpid(), signals[i]);
            _exit(0);
        }
        contract_reap(signal_name(signals[i]), child);
    }
    pid_t child = contract_fork();
    if (child == 0) {
        signal(SIGKILL, SIG_IGN);
        kill(getpid(), SIGKILL);
        _exit(0);
    }
    contract_reap("SIGKILL after signal(SIGKILL, SIG_IGN)", child);
    return contract_pass();
}
