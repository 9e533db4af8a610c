/* Errors: every descriptor call on a closed or impossible descriptor fails with EBADF. */
#include <fcntl.h>
#include <sys/stat.h>

#include "contract.h"

int main(void)
{
    contract_start();
    char buffer[4];
    struct stat st;
    contract_result("close(-1)", (long)close(-1));
    contract_result("close(99)", (long)close(99));
    contract_result("write(99)", (long)write(99, "x", 1));
    contract_result("read(99)", (long)read(99, buffer, 1));
    contract_result("fstat(99)", (long)fstat(99, &st));
    contract_result("lseek(99)", (long)lseek(99, 0, SEEK_SET));
    contract_result("dup(99)", (long)dup(99));
    contract_result("dup2(99, 5)", (long)dup2(99, 5));
    contract_result("dup2(1, -1)", (long)dup2(1, -1));
    contract_result("fcntl(99, F_GETFD)", (long)fcntl(99, F_GETFD));
    contract_result("isatty(99)", (long)isatty(99));
    printf("isatty errno: %s\n", errno_name(errno));
    int copy = dup(1);
    contract_result("close(copy)", (long)close(copy));
    contract_result("close(copy) again", (long)close(copy));
    return contract_pass();
}
