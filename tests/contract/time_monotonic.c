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
    /* Bounded: a clock that never moves prints "no" instead of hanging. */
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int advances = 0;
    for (long i = 0; i < 100000000 && !advances; i++) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        advances = now.tv_sec != start.tv_sec || now.tv_nsec != start.tv_nsec;
    }
    printf("monotonic advances: %s\n", advances ? "yes" : "no");
    /* A 20 ms sleep must show as at least 20 ms of CLOCK_MONOTONIC. */
    struct timespec nap = {0, 20 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &start);
    contract_result("nanosleep(20 ms)", (long)nanosleep(&nap, NULL));
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long elapsed = (now.tv_sec - start.tv_sec) * 1000000000ll + (now.tv_nsec - start.tv_nsec);
    printf("monotonic covers the sleep: %s\n", elapsed >= 20 * 1000 * 1000 ? "yes" : "no");
    return contract_pass();
}
