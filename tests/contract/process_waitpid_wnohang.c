/* Processes: WNOHANG returns 0 while the child runs, and the child's pid once it has exited. */
#include <sys/mman.h>
#include <time.h>

#include "contract.h"

int main(void)
{
    contract_start();
    volatile int *go = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                            -1, 0);
    struct timespec tick = {0, 5000000};
    pid_t child = contract_fork();
    if (child == 0) {
        while (!*go)
            nanosleep(&tick, NULL);
        _exit(9);
    }
    int status = 0;
    contract_result("waitpid(child, WNOHANG) while it runs", (long)waitpid(child, &status, WNOHANG));
    *go = 1;
    pid_t got;
    while ((got = waitpid(child, &status, WNOHANG)) == 0)
        nanosleep(&tick, NULL);
    printf("WNOHANG eventually returned the child: %s\n", got == child ? "yes" : "no");
    contract_status("child", status);
    return contract_pass();
}
