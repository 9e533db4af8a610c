/* Processes: an exited child stays a zombie (kill 0 succeeds) until waited for, then is gone. */
#include <sys/mman.h>
#include <time.h>

#include "contract.h"

int main(void)
{
    contract_start();
    volatile int *exiting = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                                 -1, 0);
    pid_t child = contract_fork();
    if (child == 0) {
        *exiting = 1;
        _exit(6);
    }
    struct timespec tick = {0, 5000000};
    while (!*exiting)
        nanosleep(&tick, NULL);
    struct timespec settle = {0, 200000000};
    nanosleep(&settle, NULL); /* the child is a zombie by now; kill(0) must hold either way */
    printf("exited child still exists: %s\n", kill(child, 0) == 0 ? "yes" : "no");
    contract_reap("zombie", child);
    contract_result("kill(reaped child, 0)", (long)kill(child, 0));
    int status;
    contract_result("waitpid(reaped child)", (long)waitpid(child, &status, 0));
    return contract_pass();
}
