/* Kernel command-line parser: fills a caller-supplied option table from the command line. */
#ifndef ARAMID_CMDLINE_H
#define ARAMID_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest token (key=value after quote removal) the parser accepts, including the NUL. */
#define CMDLINE_TOKEN_MAX 256

/* Longest diagnostic passed to report(), including the NUL; longer ones are truncated. */
#define CMDLINE_MESSAGE_MAX 512

enum cmdline_type {
    CMDLINE_FLAG,   /* "key" alone sets *flag.value to true; "key=..." is rejected */
    CMDLINE_U64,    /* "key=n", n decimal or 0x-hex, min <= n <= max */
    CMDLINE_STRING, /* "key=text", text shorter than string.size, stored NUL-terminated */
    CMDLINE_ENUM,   /* "key=word", word one of choice.words; stores its index */
};

/*
 * One option the kernel understands. The storage keeps whatever it held before parsing unless a
 * valid value for the option is found, so the caller initializes it with the default; when an
 * option appears more than once the last valid occurrence wins.
 */
struct cmdline_option {
    const char *name;
    enum cmdline_type type;
    union {
        struct {
            bool *value;
        } flag;
        struct {
            uint64_t *value;
            uint64_t min;
            uint64_t max;
        } u64;
        struct {
            char *value;
            size_t size; /* bytes at value, NUL included */
        } string;
        struct {
            size_t *value;
            const char *const *words; /* NULL-terminated */
        } choice;
    };
};

/*
 * Parses cmdline (NULL or empty means no options): whitespace separates tokens, double quotes
 * group whitespace into a token and are removed, and a token is "key" or "key=value" split at
 * its first '=', quoted or not (so "init=/a b" and init="/a b" mean the same). Unknown options
 * and bad values are passed to report(ctx, message) (report may be NULL) and skipped; parsing
 * always continues. Returns the number of problems reported.
 */
size_t cmdline_parse(const char *cmdline, const struct cmdline_option *options, size_t option_count,
                     void (*report)(void *ctx, const char *message), void *ctx);

#endif
