/* Errors: write from an unmapped buffer fails with EFAULT instead of crashing. */
#include "contract.h"

int main(void)
{
    contract_start();
    contract_result("write(1, (void *)8, 16)", (long)write(1, contract_address(8), 16));
    contract_result("write(1, kernel address, 16)",
                    (long)write(1, contract_address(0xffff800000001000ull), 16));
    contract_result("write(1, non-canonical, 16)", (long)write(1, contract_address(0x0000800000000000ull), 16));
    /* stderr goes out in frames the shim builds (under aramid-run): the same EFAULT. */
    contract_result("write(2, (void *)8, 16)", (long)write(2, contract_address(8), 16));
    printf("still running\n");
    return contract_pass();
}
