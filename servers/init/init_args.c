/* init's reading of the NAME.args module aramid-run writes (see init_args.h, docs/sdk.md). */
#include "init_args.h"

#include "kstring.h"

/* Reads the string at *position (NUL-terminated inside [0, size)); advances past its NUL. */
static char *init_args_next(char *bytes, size_t size, size_t *position)
{
    if (*position >= size)
        return NULL;
    char *start = bytes + *position;
    size_t end = *position;
    while (end < size && bytes[end] != '\0')
        end++;
    if (end == size)
        return NULL;
    *position = end + 1;
    return start;
}

/* A decimal count without sign or leading zeros (except "0"), at most limit; -1 otherwise. */
static long init_args_count(const char *text, size_t limit)
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
static int init_args_strings(char *bytes, size_t size, size_t *position, long count, char **vector,
                             size_t slots, size_t *used)
{
    if (*used + (size_t)count + 1 > slots)
        return -1;
    for (long i = 0; i < count; i++) {
        char *string = init_args_next(bytes, size, position);
        if (string == NULL)
            return -1;
        vector[(*used)++] = string;
    }
    vector[(*used)++] = NULL;
    return 0;
}

int init_args_parse(char *bytes, size_t size, char **vector, size_t slots,
                    struct init_args_parsed *out)
{
    size_t position = 0, used = 0;
    const char *magic = init_args_next(bytes, size, &position);
    if (magic == NULL || strcmp(magic, INIT_ARGS_MAGIC) != 0)
        return -1;
    out->token = init_args_next(bytes, size, &position);
    if (out->token == NULL || out->token[0] == '\0')
        return -1;
    /* Every string takes at least one byte, so no count can exceed size. */
    long argc = init_args_count(init_args_next(bytes, size, &position), size);
    if (argc < 1 || argc > __INT_MAX__)
        return -1;
    out->argc = (int)argc;
    out->argv = vector;
    if (init_args_strings(bytes, size, &position, argc, vector, slots, &used) != 0)
        return -1;
    long envc = init_args_count(init_args_next(bytes, size, &position), size);
    if (envc < 0)
        return -1;
    out->envp = vector + used;
    if (init_args_strings(bytes, size, &position, envc, vector, slots, &used) != 0)
        return -1;
    return position == size ? 0 : -1;
}

unsigned long init_args_console_token(const char *token)
{
    unsigned long value = 0;
    size_t digits = 0;
    for (; token[digits] != '\0'; digits++) {
        char c = token[digits];
        unsigned long digit;
        if (c >= '0' && c <= '9')
            digit = (unsigned long)(c - '0');
        else if (c >= 'a' && c <= 'f')
            digit = (unsigned long)(c - 'a' + 10);
        else
            return 0;
        value = value << 4 | digit;
    }
    return digits == 16 ? value : 0;
}
