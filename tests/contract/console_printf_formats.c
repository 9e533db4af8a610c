/* Console output: the C library formats numbers and strings the same way on both sides. */
#include <inttypes.h>
#include <stdint.h>

#include "contract.h"

int main(void)
{
    contract_start();
    printf("[%d] [%5d] [%-5d] [%05d] [%+d]\n", -42, 42, 42, 42, 42);
    printf("[%u] [%x] [%X] [%#x] [%o]\n", 4000000000u, 48879, 48879, 255, 8);
    printf("[%lld] [%llu] [%" PRId64 "] [%zu]\n", -9000000000000000000ll,
           18000000000000000000ull, INT64_MIN, (size_t)12345);
    printf("[%s] [%10s] [%-10s] [%.3s]\n", "abc", "right", "left", "truncate");
    printf("[%c] [%%] [%5.2f] [%.0f] [%e] [%g] [%g]\n", 'z', 3.14159, 2.5, 12345.678, 0.0001,
           1e20);
    printf("[%.10Lf]\n", 1.0L / 3.0L);
    char buffer[8];
    const char *volatile longer = "longer than eight";
    int needed = snprintf(buffer, sizeof buffer, "%s", longer);
    printf("snprintf needed %d, kept [%s]\n", needed, buffer);
    return contract_pass();
}
