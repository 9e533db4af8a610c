/* Processes: a grandchild whose parent exits is reparented, and the grandparent cannot wait for it. */
#include <sys/mman.h>
#include <time.h>

#include "contract.h"

int main(void)
{
    contract_start();
    volatile int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                                -1, 0);
    struct timespec tick = {0, 5000000};
    pid_t middle = contract_fork();
    if (middle == 0) {
        pid_t grandchild = fork();
        if (grandchild == 0) {
            pid_t original = getppid();
            shared[1] = 1;
            while (getppid() == original)
                nanosleep(&tick, NULL);
            shared[2] = getppid() != original;
            shared[0] = grandchild == 0 ? getpid() : 0;
            shared[3] = 1;
            _exit(0);
        }
        while (!shared[1])
            nanosleep(&tick, NULL);
        _exit(grandchild > 0 ? 0 : 1);
    }
    contract_reap("middle child", middle);
    while (!shared[3])
        nanosleep(&tick, NULL);
    printf("grandchild reparented: %s\n", shared[2] ? "yes" : "no");
    int status;
    contract_result("waitpid(grandchild)", (long)waitpid(shared[0], &status, 0));
    return contract_pass();
}
