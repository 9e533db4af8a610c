/* SDK test helper: fills many heap blocks with a pattern, checks them, frees them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memory_blocks.h"

size_t memory_blocks_fill_and_free(size_t count, size_t size)
{
    unsigned char **blocks = calloc(count, sizeof(*blocks));
    if (blocks == NULL)
        exit(10);
    for (size_t i = 0; i < count; i++) {
        blocks[i] = malloc(size);
        if (blocks[i] == NULL) {
            printf("malloc failed at block %zu\n", i);
            exit(11);
        }
        memset(blocks[i], (int)(i & 0xff), size);
    }
    for (size_t i = 0; i < count; i++) {
        if (blocks[i][0] != (i & 0xff) || blocks[i][size - 1] != (i & 0xff))
            exit(12);
        free(blocks[i]);
    }
    free(blocks);
    return count * size;
}
