/* Memory: after fork, writes in the child (heap, data, private mapping) stay invisible to the parent. */
#include <sys/mman.h>

#include "contract.h"

static int data_value = 10;

int main(void)
{
    contract_start();
    int *heap = malloc(sizeof *heap);
    *heap = 20;
    int *mapped = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    *mapped = 30;
    pid_t child = contract_fork();
    if (child == 0) {
        data_value = 11;
        *heap = 21;
        *mapped = 31;
        printf("child sees its writes: %d %d %d\n", data_value, *heap, *mapped);
        _exit(0);
    }
    contract_reap("child", child);
    printf("parent keeps its values: %d %d %d\n", data_value, *heap, *mapped);
    data_value = 12;
    *mapped = 32;
    printf("parent writes after fork: %d %d\n", data_value, *mapped);
    child = contract_fork();
    if (child == 0) {
        printf("second child inherits the parent's new values: %d %d %d\n", data_value, *heap,
               *mapped);
        _exit(0);
    }
    contract_reap("second child", child);
    return contract_pass();
}
