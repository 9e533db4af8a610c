/* Memory: a SIGSEGV handler that makes the page writable lets the faulting write complete. */
#include <sys/mman.h>

#include "contract.h"

static unsigned char *page;
static volatile int faults;

static void on_segv(int signal)
{
    faults++;
    if (signal == SIGSEGV)
        mprotect(page, 4096, PROT_READ | PROT_WRITE);
}

int main(void)
{
    contract_start();
    page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_segv;
    sigemptyset(&action.sa_mask);
    contract_result("sigaction(SIGSEGV)", (long)sigaction(SIGSEGV, &action, NULL));
    ((volatile unsigned char *)page)[5] = 42;
    printf("faults handled: %d\n", faults);
    printf("write landed: %d\n", page[5]);
    return contract_pass();
}
