/* Processes: a child's exit runs inherited atexit handlers and flushes stdio; _exit does neither. */
#include "contract.h"

static void handler(void)
{
    if (getenv("ROLE") != NULL) /* the parent's own exit comes after CONTRACT_PASS */
        printf("atexit handler in %s\n", getenv("ROLE"));
}

int main(void)
{
    contract_start();
    atexit(handler);
    pid_t child = contract_fork();
    if (child == 0) {
        setenv("ROLE", "exit-child", 1);
        exit(3);
    }
    contract_reap("exit(3) child", child);
    child = contract_fork();
    if (child == 0) {
        setenv("ROLE", "_exit-child", 1);
        _exit(4);
    }
    contract_reap("_exit(4) child", child);
    child = contract_fork();
    if (child == 0) {
        static char buffer[64];
        setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
        printf("buffered in a child that calls exit\n");
        setenv("ROLE", "buffered-child", 1);
        exit(0);
    }
    contract_reap("buffered child", child);
    printf("parent ends\n");
    return contract_pass();
}
