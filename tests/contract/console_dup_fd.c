/* Console descriptors: dup, dup2, F_GETFD/F_SETFD and closing a duplicate of stdout. */
#include <fcntl.h>

#include "contract.h"

int main(void)
{
    contract_start();
    int copy = dup(1);
    printf("dup(1) is 3: %s\n", copy == 3 ? "yes" : "no");
    contract_result("write(copy)", (long)write(copy, "through the copy\n", 17));
    contract_result("dup2(1, 10)", (long)dup2(1, 10));
    contract_result("write(10)", (long)write(10, "through 10\n", 11));
    contract_result("dup2(10, 10)", (long)dup2(10, 10));
    contract_result("fcntl(10, F_GETFD)", (long)fcntl(10, F_GETFD));
    contract_result("fcntl(10, F_SETFD, FD_CLOEXEC)", (long)fcntl(10, F_SETFD, FD_CLOEXEC));
    contract_result("fcntl(10, F_GETFD)", (long)fcntl(10, F_GETFD));
    contract_result("fcntl(1, F_DUPFD, 20)", (long)fcntl(1, F_DUPFD, 20));
    contract_result("close(10)", (long)close(10));
    contract_result("write(10) after close", (long)write(10, "x", 1));
    contract_result("close(copy)", (long)close(copy));
    contract_result("close(20)", (long)close(20));
    contract_result("write(1) still works", (long)write(1, "ok\n", 3));
    return contract_pass();
}
