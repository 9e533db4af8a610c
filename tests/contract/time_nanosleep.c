/* Time: nanosleep sleeps at least as long as asked and rejects invalid requests with EINVAL. */
#include <time.h>

#include "contract.h"

static long long elapsed_ns(const struct timespec *a, const struct timespec *b)
{
    return (b->tv_sec - a->tv_sec) * 1000000000ll + (b->tv_nsec - a->tv_nsec);
}

int main(void)
{
    contract_start();
    long requests[] = {1000, 1000000, 20000000, 120000000};
    for (int i = 0; i < 4; i++) {
        struct timespec request = {0, requests[i]}, before, after, remaining = {7, 7};
        clock_gettime(CLOCK_MONOTONIC, &before);
        int result = nanosleep(&request, &remaining);
        clock_gettime(CLOCK_MONOTONIC, &after);
        printf("nanosleep(%ld ns) = %d, slept at least that long: %s\n", requests[i], result,
               elapsed_ns(&before, &after) >= requests[i] ? "yes" : "no");
    }
    struct timespec zero = {0, 0};
    contract_result("nanosleep(0)", (long)nanosleep(&zero, NULL));
    struct timespec bad = {0, 1000000000};
    contract_result("nanosleep(tv_nsec = 1e9)", (long)nanosleep(&bad, NULL));
    bad.tv_nsec = -1;
    contract_result("nanosleep(tv_nsec = -1)", (long)nanosleep(&bad, NULL));
    bad.tv_sec = -1;
    bad.tv_nsec = 0;
    contract_result("nanosleep(tv_sec = -1)", (long)nanosleep(&bad, NULL));
    return contract_pass();
}
