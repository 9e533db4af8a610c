/* Memory: malloc, calloc, realloc and free over small and large blocks keep their contents. */
#include <stdint.h>

#include "contract.h"

int main(void)
{
    contract_start();
    enum { BLOCKS = 1000 };
    static unsigned char *blocks[BLOCKS];
    int ok = 1;
    for (int i = 0; i < BLOCKS; i++) {
        blocks[i] = malloc((size_t)(i % 97) + 1);
        if (blocks[i] == NULL)
            ok = 0;
        else
            memset(blocks[i], i & 0xff, (size_t)(i % 97) + 1);
    }
    for (int i = 0; i < BLOCKS; i++)
        if (ok && blocks[i][i % 97] != (i & 0xff))
            ok = 0;
    printf("1000 small blocks keep their bytes: %s\n", ok ? "yes" : "no");
    for (int i = 0; i < BLOCKS; i += 2)
        free(blocks[i]);
    size_t large = 64u << 20;
    unsigned char *big = malloc(large);
    printf("malloc(64 MiB) succeeded: %s\n", big != NULL ? "yes" : "no");
    if (big != NULL) {
        for (size_t i = 0; i < large; i += 4096)
            big[i] = (unsigned char)(i >> 12);
        ok = 1;
        for (size_t i = 0; i < large; i += 4096)
            if (big[i] != (unsigned char)(i >> 12))
                ok = 0;
        printf("64 MiB block readable and writable: %s\n", ok ? "yes" : "no");
        free(big);
    }
    unsigned *zeros = calloc(100000, sizeof *zeros);
    ok = zeros != NULL;
    for (int i = 0; ok && i < 100000; i++)
        if (zeros[i] != 0)
            ok = 0;
    printf("calloc memory is zero: %s\n", ok ? "yes" : "no");
    free(zeros);
    char *text = malloc(6);
    memcpy(text, "hello", 6);
    text = realloc(text, 1 << 20);
    printf("realloc kept the contents: %s\n", text != NULL && strcmp(text, "hello") == 0 ? "yes" : "no");
    free(text);
    for (int i = 1; i < BLOCKS; i += 2)
        free(blocks[i]);
    return contract_pass();
}
