/* Console output: what write, printf, puts and fputs return on stdout. */
#include "contract.h"

int main(void)
{
    contract_start();
    long written = write(1, "plain write\n", 12);
    printf("write returned %ld\n", written);
    printf("write of 0 bytes = %ld\n", (long)write(1, "", 0));
    int printed = printf("printf line %d\n", 42);
    printf("printf returned %d\n", printed);
    printf("puts returned non-negative: %s\n", puts("a puts line") >= 0 ? "yes" : "no");
    printf("fputs returned non-negative: %s\n", fputs("an fputs line\n", stdout) >= 0 ? "yes" : "no");
    written = write(1, "two\nlines\n", 10);
    printf("write of two lines returned %ld\n", written);
    int put = putchar('x');
    putchar('\n');
    printf("putchar('x') returned %d\n", put);
    printf("fflush(stdout) = %d\n", fflush(stdout));
    return contract_pass();
}
