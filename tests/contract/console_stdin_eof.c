/* Console input: stdin of a contract program is at end of file on both sides. */
#include "contract.h"

int main(void)
{
    contract_start();
    char buffer[16];
    contract_result("read(0, 16)", (long)read(0, buffer, sizeof buffer));
    contract_result("read(0, 0)", (long)read(0, buffer, 0));
    printf("getchar is EOF: %s\n", getchar() == EOF ? "yes" : "no");
    printf("feof(stdin): %s\n", feof(stdin) ? "yes" : "no");
    printf("fgets is NULL: %s\n", fgets(buffer, sizeof buffer, stdin) == NULL ? "yes" : "no");
    clearerr(stdin);
    printf("feof after clearerr: %s\n", feof(stdin) ? "yes" : "no");
    return contract_pass();
}
