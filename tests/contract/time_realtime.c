/* Time: the real-time clock is a date after 2020 and agrees with time() and gettimeofday(). */
#include <sys/time.h>
#include <time.h>

#include "contract.h"

int main(void)
{
    contract_start();
    struct timespec now;
    contract_result("clock_gettime(CLOCK_REALTIME)", (long)clock_gettime(CLOCK_REALTIME, &now));
    printf("after 2020-01-01: %s\n", now.tv_sec > 1577836800 ? "yes" : "no");
    time_t seconds = time(NULL);
    printf("time() within 2 s of it: %s\n",
           seconds - now.tv_sec >= 0 && seconds - now.tv_sec <= 2 ? "yes" : "no");
    struct timeval tv;
    contract_result("gettimeofday", (long)gettimeofday(&tv, NULL));
    printf("gettimeofday within 2 s of it: %s\n",
           tv.tv_sec - now.tv_sec >= 0 && tv.tv_sec - now.tv_sec <= 2 ? "yes" : "no");
    printf("microseconds in range: %s\n", tv.tv_usec >= 0 && tv.tv_usec < 1000000 ? "yes" : "no");
    return contract_pass();
}
