/* Kernel symbol lookup over nm's text output: a linear scan, used only on the fault path. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kerrno.h"
#include "ksyms.h"

void ksyms_init(struct ksyms *table, const char *text, size_t length)
{
    table->text = text;
    table->length = text ? length : 0;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parses one line [start, end): "HEXADDR TYPE NAME". */
static bool parse_line(const char *start, const char *end, uint64_t *address, char *type,
                       const char **name, size_t *name_length)
{
    const char *p = start;
    uint64_t value = 0;
    int digits = 0;
    while (p < end && hex_digit(*p) >= 0) {
        if (++digits > 16)
            return false;
        value = value << 4 | (uint64_t)hex_digit(*p++);
    }
    /* " T x" at least: a space, the type, a space, and a name of one or more characters */
    if (digits == 0 || end - p < 4 || p[0] != ' ' || p[2] != ' ')
        return false;
    *type = p[1];
    p += 3;
    *address = value;
    *name = p;
    *name_length = (size_t)(end - p);
    return true;
}

int ksyms_lookup(const struct ksyms *table, uint64_t address, struct ksym_match *match)
{
    const char *p = table->text, *limit = table->text + table->length;
    bool found = false;
    uint64_t best = 0;
    while (p < limit) {
        const char *end = p;
        while (end < limit && *end != '\n')
            end++;
        uint64_t sym;
        char type;
        const char *name;
        size_t name_length;
        if (parse_line(p, end, &sym, &type, &name, &name_length) &&
            (type == 't' || type == 'T' || type == 'w' || type == 'W') && sym <= address &&
            (!found || sym >= best)) {
            found = true;
            best = sym;
            match->name = name;
            match->name_length = name_length;
            match->offset = address - sym;
        }
        p = end + 1;
    }
    return found ? 0 : -ENOENT;
}
