/* Time: CLOCK_MONOTONIC never goes back and its nanoseconds stay in range. */
#include <time.h>

#include "contract.h"

int main(void)
{
    contract_start();
    struct timespec previous, now;
    contract_result("clock_gettime(CLOCK_MONOTONIC)", (long)clock_gettime(CLOCK_MONOTONIC, &previous));
    int monotonic = 1, in_range = 1;
    for (int i = 0; i < 100000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_nsec < 0 || now.tv_nsec >= 1000000000)
            in_range = 0;
        if (now.tv_sec < previous.tv_sec ||
            (now.tv_sec == previous.tv_sec && now.tv_nsec < previous.tv_nsec))
            monotonic = 0;
        previous = now;
    }
    printf("monotonic non-decreasing: %s\n", monotonic ? "yes" : "no");
    printf("nanoseconds in range: %s\n", in_range ? "yes" : "no");
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    do
        clock_gettime(CLOCK_MONOTONIC, &now);
    while (now.tv_sec == start.tv_sec && now.tv_nsec == start.tv_nsec);
    printf("monotonic advances: yes\n");
    return contract_pass();
}
