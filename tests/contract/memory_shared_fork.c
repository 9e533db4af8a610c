/* Memory: a MAP_SHARED anonymous mapping stays shared between parent and child after fork. */
#include <sys/mman.h>

#include "contract.h"

int main(void)
{
    contract_start();
    volatile int *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                                -1, 0);
    shared[0] = 1;
    pid_t child = contract_fork();
    if (child == 0) {
        printf("child sees the parent's value: %d\n", shared[0]);
        shared[0] = 2;
        shared[1] = 3;
        _exit(0);
    }
    contract_reap("child", child);
    printf("parent sees the child's writes: %d %d\n", shared[0], shared[1]);
    return contract_pass();
}
