/* Time: gettimeofday advances with a sleep and keeps microseconds in range. */
#include <sys/time.h>
#include <time.h>

#include "contract.h"

int main(void)
{
    contract_start();
    struct timeval before, after;
    contract_result("gettimeofday", (long)gettimeofday(&before, NULL));
    struct timespec pause = {0, 50000000};
    nanosleep(&pause, NULL);
    gettimeofday(&after, NULL);
    long long elapsed = (after.tv_sec - before.tv_sec) * 1000000ll + (after.tv_usec - before.tv_usec);
    printf("advanced at least 50 ms over a 50 ms sleep: %s\n", elapsed >= 50000 ? "yes" : "no");
    printf("microseconds in range: %s\n",
           after.tv_usec >= 0 && after.tv_usec < 1000000 ? "yes" : "no");
    return contract_pass();
}
