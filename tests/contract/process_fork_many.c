/* Processes: 20 children forked and reaped in turn each report their own exit status. */
#include "contract.h"

int main(void)
{
    contract_start();
    int right = 0;
    for (int i = 0; i < 20; i++) {
        pid_t child = contract_fork();
        if (child == 0)
            _exit(i * 3);
        int status;
        if (waitpid(child, &status, 0) == child && WIFEXITED(status) &&
            WEXITSTATUS(status) == i * 3)
            right++;
    }
    printf("children with the right status: %d of 20\n", right);
    pid_t children[10];
    for (int i = 0; i < 10; i++) {
        children[i] = contract_fork();
        if (children[i] == 0)
            _exit(100 + i);
    }
    right = 0;
    for (int i = 9; i >= 0; i--) {
        int status;
        if (waitpid(children[i], &status, 0) == children[i] && WEXITSTATUS(status) == 100 + i)
            right++;
    }
    printf("10 concurrent children reaped in reverse: %d right\n", right);
    return contract_pass();
}
