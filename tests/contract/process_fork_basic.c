/* Processes: fork returns 0 in the child and the child's pid in the parent; wait gets its status. */
#include <sys/mman.h>

#include "contract.h"

int main(void)
{
    contract_start();
    pid_t parent = getpid();
    volatile pid_t *seen = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                                -1, 0);
    pid_t child = contract_fork();
    if (child == 0) {
        seen[0] = getpid();
        seen[1] = getppid();
        printf("child: fork returned 0\n");
        _exit(7);
    }
    contract_reap("child", child);
    printf("fork returned the child's pid: %s\n", seen[0] == child ? "yes" : "no");
    printf("child's parent is us: %s\n", seen[1] == parent ? "yes" : "no");
    printf("child pid differs from ours: %s\n", child != parent ? "yes" : "no");
    return contract_pass();
}
