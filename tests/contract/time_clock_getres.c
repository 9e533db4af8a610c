/* Time: clock_getres of the two clocks is positive and fine; unknown clocks give EINVAL. */
#include <time.h>

#include "contract.h"

int main(void)
{
    contract_start();
    clockid_t clocks[] = {CLOCK_MONOTONIC, CLOCK_REALTIME};
    const char *names[] = {"CLOCK_MONOTONIC", "CLOCK_REALTIME"};
    for (int i = 0; i < 2; i++) {
        struct timespec res = {99, 99};
        int result = clock_getres(clocks[i], &res);
        printf("clock_getres(%s) = %d, between 1 ns and 1 ms: %s\n", names[i], result,
               res.tv_sec == 0 && res.tv_nsec >= 1 && res.tv_nsec <= 1000000 ? "yes" : "no");
        contract_result("clock_getres(NULL)", (long)clock_getres(clocks[i], NULL));
    }
    struct timespec t;
    contract_result("clock_getres(12345)", (long)clock_getres((clockid_t)12345, &t));
    contract_result("clock_gettime(12345)", (long)clock_gettime((clockid_t)12345, &t));
    return contract_pass();
}
