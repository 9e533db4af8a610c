/* Console output: stdout and stderr, both unbuffered, arrive in the order they were written. */
#include "contract.h"

int main(void)
{
    contract_start();
    setvbuf(stderr, NULL, _IONBF, 0);
    for (int i = 0; i < 5; i++) {
        printf("stdout %d\n", i);
        fprintf(stderr, "stderr %d\n", i);
    }
    write(2, "raw stderr\n", 11);
    write(1, "raw stdout\n", 11);
    return contract_pass();
}
