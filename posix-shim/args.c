/* posix-shim program arguments: parser of the NAME.args module (see args.h, docs/sdk.md). */
#include <string.h>

#include "args.h"

/* Reads the string at *position (NUL-terminated inside [0, size)); advances past its NUL. */
static char *args_next(char *bytes, size_t size, size_t *position)
{
    if (*position >= size)
        return NULL;
    char *start = bytes + *position;
    char *end = memchr(start, '\0', size - *position);
    if (end == NULL)
        return NULL;
    *position = (size_t)(end - bytes) + 1;
    return start;
}

/* A decimal count without sign or leading zeros (except "0"), at most limit; -1 otherwise. */
static long args_count(const char *text, size_t limit)
{
    if (text == NULL || text[0] == '\0' || (text[0] == '0' && text[1] != '\0'))
        return -1;
    size_t value = 0;
    for (const char *c = text; *c != '\0'; c++) {
        if (*c < '0' || *c > '9')
            return -1;
        value = value * 10 + (size_t)(*c - '0');
        if (value > limit)
            return -1;
    }
    return (long)value;
}

/* Stores count strings into vector[*used..] and a NULL after them. */
static int args_strings(char *bytes, size_t size, size_t *position, long count, char **vector,
                        size_t slots, size_t *used)
{
    if (*used + (size_t)count + 1 > slots)
        return -1;
    for (long i = 0; i < count; i++) {
        char *string = args_next(bytes, size, position);
        if (string == NULL)
            return -1;
        vector[(*used)++] = string;
    }
    vector[(*used)++] = NULL;
    return 0;
}

int args_parse(char *bytes, size_t size, char **vector, size_t slots, struct args_parsed *out)
{
    size_t position = 0, used = 0;
    const char *magic = args_next(bytes, size, &position);
    if (magic == NULL || strcmp(magic, ARGS_MAGIC) != 0)
        return -1;
    out->token = args_next(bytes, size, &position);
    if (out->token == NULL || out->token[0] == '\0')
        return -1;
    /* Every string takes at least one byte, so no count can exceed size. */
    long argc = args_count(args_next(bytes, size, &position), size);
    if (argc < 1 || argc > __INT_MAX__)
        return -1;
    out->argc = (int)argc;
    out->argv = vector;
    if (args_strings(bytes, size, &position, argc, vector, slots, &used) != 0)
        return -1;
    long envc = args_count(args_next(bytes, size, &position), size);
    if (envc < 0)
        return -1;
    out->envp = vector + used;
    if (args_strings(bytes, size, &position, envc, vector, slots, &used) != 0)
        return -1;
    return position == size ? 0 : -1;
}
