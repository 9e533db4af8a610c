/* Time: usleep and sleep wait at least as long as asked; sleep(0) returns 0 at once. */
#include <time.h>

#include "contract.h"

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000ll + t.tv_nsec;
}

int main(void)
{
    contract_start();
    long long start = now_ns();
    contract_result("usleep(30000)", (long)usleep(30000));
    printf("usleep waited at least 30 ms: %s\n", now_ns() - start >= 30000000 ? "yes" : "no");
    printf("sleep(0) = %u\n", sleep(0));
    start = now_ns();
    printf("sleep(1) = %u\n", sleep(1));
    printf("sleep waited at least 1 s: %s\n", now_ns() - start >= 1000000000 ? "yes" : "no");
    return contract_pass();
}
