/* init's reading of the NAME.args boot module aramid-run writes (docs/sdk.md). Host-testable. */
#ifndef INIT_ARGS_H
#define INIT_ARGS_H

#include <stddef.h>

#define INIT_ARGS_MAGIC "aramid-args-1"

/* argv and envp are NULL-terminated arrays into the parsed bytes; token is the run's marker
 * token (aramid-run's output separation), never empty. */
struct init_args_parsed {
    int argc;
    char **argv;
    char **envp;
    const char *token;
};

/*
 * Parses bytes[0, size): NUL-terminated strings INIT_ARGS_MAGIC, token, argc in decimal, argc
 * arguments, envc in decimal, envc environment strings, and nothing after. vector needs
 * size + 2 slots (each string takes at least one byte). Pure: no system calls, host-testable.
 * Returns 0, or -1 for malformed bytes (out is then unspecified).
 */
int init_args_parse(char *bytes, size_t size, char **vector, size_t slots,
                    struct init_args_parsed *out);

/* The token as posix-shim's stderr frames carry it: exactly 16 hex digits (what aramid-run
 * makes) give their value; anything else gives 0, no frames. Pure. */
unsigned long init_args_console_token(const char *token);

#endif
