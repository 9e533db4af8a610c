/* Errors: bad arguments that every implementation must reject with EINVAL. */
#include <fcntl.h>
#include <sys/mman.h>
#include <time.h>

#include "contract.h"

int main(void)
{
    contract_start();
    struct timespec t = {0, 2000000000};
    sigset_t set;
    sigemptyset(&set);
    contract_result("fcntl(1, 9999)", (long)fcntl(1, 9999));
    contract_result("fcntl(1, F_DUPFD, -1)", (long)fcntl(1, F_DUPFD, -1));
    contract_result("nanosleep(tv_nsec = 2e9)", (long)nanosleep(&t, NULL));
    contract_result("clock_gettime(-5)", (long)clock_gettime((clockid_t)-5, &t));
    contract_result("sigprocmask(12345)", (long)sigprocmask(12345, &set, NULL));
    contract_result("kill(self, -1)", (long)kill(getpid(), -1));
    contract_result("kill(self, 1000)", (long)kill(getpid(), 1000));
    contract_result("mprotect(unaligned)", (long)mprotect((void *)4097, 4096, PROT_READ));
    errno = 0;
    void *p = mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap(length 0) = %s %s\n", p == MAP_FAILED ? "MAP_FAILED" : "mapped", errno_name(errno));
    return contract_pass();
}
