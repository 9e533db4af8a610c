/* Processes: an exit status is taken modulo 256 (exit(263) is seen as 7). */
#include "contract.h"

int main(void)
{
    contract_start();
    printf("calling exit(263)\n");
    exit(263);
}
