/* init's reading of the kernel command line: `run=NAME [ARGS...]`. Pure logic, host-tested. */
#include "init_cmdline.h"

#include <aramid/errno.h>

#include "kstring.h"

#define INIT_RUN_PREFIX "run="

long init_cmdline_parse(const char *cmdline, char *storage, size_t size, char **argv,
                        size_t argv_max)
{
    size_t argc = 0, used = 0;
    const char *word = cmdline;
    /* Invariant: word points at the start of the unread rest; argc words are in argv. */
    while (*word) {
        while (*word == ' ')
            word++;
        size_t length = 0;
        while (word[length] && word[length] != ' ')
            length++;
        if (length == 0)
            break;
        const char *text = word;
        word += length;
        if (argc == 0) {
            size_t prefix = sizeof(INIT_RUN_PREFIX) - 1;
            if (length <= prefix || strncmp(text, INIT_RUN_PREFIX, prefix) != 0)
                continue;
            text += prefix;
            length -= prefix;
        }
        if (argc + 2 > argv_max || length + 1 > size - used)
            return -ARAMID_E2BIG;
        memcpy(storage + used, text, length);
        storage[used + length] = 0;
        argv[argc++] = storage + used;
        used += length + 1;
    }
    if (argc == 0)
        return -ARAMID_ENOENT;
    argv[argc] = NULL;
    return (long)argc;
}

/* The value of the kernel's word NAME=VALUE before run= (its length in *length), or NULL. */
static const char *init_cmdline_value(const char *cmdline, const char *name, size_t *length_out)
{
    size_t name_length = strlen(name);
    for (const char *word = cmdline; *word;) {
        while (*word == ' ')
            word++;
        size_t length = 0;
        while (word[length] && word[length] != ' ')
            length++;
        if (length > 4 && strncmp(word, INIT_RUN_PREFIX, sizeof(INIT_RUN_PREFIX) - 1) == 0)
            return NULL; /* the program's arguments follow */
        if (length > name_length && strncmp(word, name, name_length) == 0) {
            *length_out = length - name_length;
            return word + name_length;
        }
        word += length;
    }
    return NULL;
}

unsigned long init_cmdline_number(const char *cmdline, const char *name, unsigned long fallback)
{
    size_t length = 0;
    const char *digits = init_cmdline_value(cmdline, name, &length);
    if (digits == NULL)
        return fallback;
    unsigned long value = 0;
    for (size_t i = 0; i < length; i++) {
        if (digits[i] < '0' || digits[i] > '9' || value > (~0ul - 9) / 10)
            return fallback;
        value = value * 10 + (unsigned long)(digits[i] - '0');
    }
    return value;
}

bool init_cmdline_word(const char *cmdline, const char *name, char *out, size_t size)
{
    size_t length = 0;
    const char *value = init_cmdline_value(cmdline, name, &length);
    if (value == NULL || length >= size)
        return false;
    memcpy(out, value, length);
    out[length] = '\0';
    return true;
}
