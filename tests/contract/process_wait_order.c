/* Processes: wait(-1) returns children in the order they exit, each with its own status. */
#include <sys/mman.h>
#include <time.h>

#include "contract.h"

int main(void)
{
    contract_start();
    volatile int *turn = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                              -1, 0);
    struct timespec tick = {0, 2000000};
    pid_t children[3];
    for (int i = 0; i < 3; i++) {
        children[i] = contract_fork();
        if (children[i] == 0) {
            while (*turn != 3 - i)
                nanosleep(&tick, NULL);
            _exit(10 + i);
        }
    }
    for (int round = 3; round >= 1; round--) {
        *turn = round;
        int status;
        pid_t got = wait(&status);
        int index = -1;
        for (int i = 0; i < 3; i++)
            if (children[i] == got)
                index = i;
        char what[32];
        snprintf(what, sizeof what, "wait returned child %d", index);
        contract_status(what, status);
    }
    int status;
    contract_result("wait with no children left", (long)wait(&status));
    return contract_pass();
}
